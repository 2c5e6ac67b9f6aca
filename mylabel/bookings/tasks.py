"""Background work of the bookings app (Django's tasks framework)."""

from typing import Any

from django.tasks import task

from mylabel.bookings import services
from mylabel.bookings.models import Booking, BookingEvent, Status


@task
def expire_stale_requests() -> int:
    """Expire the booking requests nobody answered in time; returns how many. Idempotent, so
    running it more often than needed is harmless."""
    return services.expire_stale_requests()


def schedule_request_expiry(
    sender: Any, *, booking: Booking, event: BookingEvent, **kwargs: Any
) -> None:
    """Receiver of ``booking_status_changed``: a new request wakes the worker when it would
    expire. A backend that cannot defer tasks (the embedded in-process one) has no worker to
    wake; there, ``manage.py expire_booking_requests`` does the same job when run."""
    if event.to_status != Status.REQUESTED:
        return
    if not expire_stale_requests.get_backend().supports_defer:
        return
    expire_stale_requests.using(run_after=booking.expires_at).enqueue()
