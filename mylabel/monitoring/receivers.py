"""Metrics from other apps' signals, connected in ``MonitoringConfig.ready``."""

from typing import Any

from django.tasks import TaskResult, TaskResultStatus

from mylabel.bookings.models import Booking, BookingEvent
from mylabel.monitoring import metrics


def count_booking_transition(*, booking: Booking, event: BookingEvent, **kwargs: Any) -> None:
    metrics.BOOKING_TRANSITIONS.labels(event.from_status or "none", event.to_status).inc()


def record_task_finished(*, task_result: TaskResult, **kwargs: Any) -> None:
    """Duration and failure of a finished task (django.tasks' ``task_finished``; the in-process
    backend and django-tasks-db's worker both send it with the start and finish times set)."""
    name = task_result.task.module_path
    if task_result.started_at and task_result.finished_at:
        seconds = (task_result.finished_at - task_result.started_at).total_seconds()
        metrics.TASK_DURATION.labels(name).observe(seconds)
    if task_result.status == TaskResultStatus.FAILED:
        metrics.TASK_FAILURES.labels(name).inc()
