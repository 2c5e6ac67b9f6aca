"""Test fixtures may put bookings into any state directly.

bookings migration 0003 refuses, at commit, a change of a booking's status or money without a
BookingEvent (PostgreSQL). Fixtures across the suite and the browser tests set states directly,
and Django checks deferred constraints after every test, so both suites opt out on each of their
connections (tests/conftest.py, e2e/conftest.py); tests/security/test_booking_audit.py opts back
in to test the rule.
"""

from typing import Any

from django.db.backends.signals import connection_created


def _allow_unchecked_booking_writes(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('mylabel.unchecked_booking_writes', 'on', false)")


def allow_unchecked_booking_writes() -> None:
    """Opt every connection the process opens from now on out of the booking-event check."""
    connection_created.connect(_allow_unchecked_booking_writes, dispatch_uid="tests.booking_writes")
