"""Background work of the bookings app (Django's tasks framework).

``expire_stale_requests`` is meant to be enqueued periodically (e.g. every few minutes by the
platform's scheduler); running it more often than needed is harmless.
"""

from django.tasks import task

from mylabel.bookings import services


@task
def expire_stale_requests() -> int:
    """Expire the booking requests nobody answered in time; returns how many."""
    return services.expire_stale_requests()
