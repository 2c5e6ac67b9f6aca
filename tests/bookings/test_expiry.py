"""Unanswered requests expire by a task (issue 4 §4): a worker backend is woken at the
request's expiry time; where tasks run in-process, the management command does the job."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mylabel.artists.models import Artist
from mylabel.associates.models import Service
from mylabel.bookings.models import Booking, Status
from tests.bookings.lifecycle_helpers import book

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_request_schedules_its_expiry_on_a_worker_backend(
    nina: Artist, service: Service, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(nina, service)

    scheduled = DBTaskResult.objects.get(task_path__endswith="expire_stale_requests")
    assert scheduled.run_after == booking.expires_at


def test_with_in_process_tasks_a_request_schedules_nothing(
    nina: Artist, service: Service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(nina, service)

    assert not DBTaskResult.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == Status.REQUESTED


def test_the_command_expires_overdue_requests(nina: Artist, service: Service):
    booking = book(nina, service)
    Booking.objects.filter(pk=booking.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()

    call_command("expire_booking_requests", stdout=out)

    assert Booking.objects.get(pk=booking.pk).status == Status.EXPIRED
    assert "1 booking request(s) expired." in out.getvalue()
