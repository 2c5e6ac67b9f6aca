"""A booking's money and state never change without an event row (issue 10 point 9).

Three layers: every transition of ``bookings.services`` leaves exactly one ``BookingEvent``
(from, to, actor, and the refund in the note when money moves back); no other code in the
project writes a booking's status (a scan of the source); and on PostgreSQL a deferred
constraint trigger (bookings migration 0003) refuses, at commit, any UPDATE of a booking's
status or money columns without a matching event inserted in the same transaction.
"""

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.payments.models import Payment
from mylabel.payments.services import confirm_offline_payment
from tests.bookings.lifecycle_helpers import booking_in, make_service, open_every_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)


def events_of(booking: Booking) -> list[tuple[str, str]]:
    return list(
        BookingEvent.objects.filter(booking=booking)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


def moves_once(booking: Booking, change: Callable[[], object], to_status: Status) -> BookingEvent:
    """Run ``change`` and check it left exactly one event, from the old status to the new."""
    before = events_of(booking)
    from_status = Booking.objects.get(pk=booking.pk).status
    change()
    booking.refresh_from_db()
    after = events_of(booking)
    assert after[: len(before)] == before
    assert after[len(before) :] == [(from_status, to_status)]
    assert booking.status == to_status
    return BookingEvent.objects.filter(booking=booking).latest("pk")


# --- Every transition of the services leaves exactly one event -----------------------------------


def test_the_paid_path_leaves_one_event_per_transition(nina: Artist, service: Service):
    pro = service.associate.user
    booking = booking_in(Status.REQUESTED, nina, service)
    assert events_of(booking) == [("", Status.REQUESTED)]

    moves_once(booking, lambda: services.accept_booking(booking=booking, by=pro), Status.ACCEPTED)
    assert booking.payment is not None
    assert booking.payment.amount == Decimal("200.00")

    def pay() -> None:
        assert booking.payment is not None
        payment = confirm_offline_payment(payment=booking.payment, by=pro)
        services.mark_booking_paid(booking=booking, payment=payment)

    moves_once(booking, pay, Status.PAID)
    # A repeated notice of the same payment changes nothing and records nothing.
    count = BookingEvent.objects.filter(booking=booking).count()
    assert booking.payment is not None
    services.mark_booking_paid(booking=booking, payment=booking.payment)
    assert BookingEvent.objects.filter(booking=booking).count() == count

    cancel = moves_once(
        booking,
        lambda: services.cancel_booking(booking=booking, by=nina.user, reason="Flu"),
        Status.CANCELLED,
    )
    # The money that moved back is in the event: the full price, cancelled days ahead.
    assert "200.00" in cancel.note
    payment = Payment.objects.get(pk=booking.payment.pk)
    assert (payment.status, payment.refunded_amount) == (Payment.Status.REFUNDED, Decimal("200"))


@pytest.mark.parametrize(
    ("start", "action", "to_status"),
    [
        (
            Status.REQUESTED,
            lambda b, nina: services.decline_booking(booking=b, by=b.associate.user),
            Status.DECLINED,
        ),
        (
            Status.ACCEPTED,
            lambda b, nina: services.cancel_booking(booking=b, by=nina.user, reason="Busy"),
            Status.CANCELLED,
        ),
        (
            Status.PAID,
            lambda b, nina: services.open_dispute(booking=b, by=nina.user, reason="Late"),
            Status.DISPUTED,
        ),
        (
            Status.COMPLETED,
            lambda b, nina: services.open_dispute(booking=b, by=nina.user, reason="Noise"),
            Status.DISPUTED,
        ),
    ],
    ids=["decline", "cancel unpaid", "dispute paid", "dispute completed"],
)
def test_each_other_transition_leaves_exactly_one_event(
    nina: Artist, service: Service, start, action, to_status
):
    booking = booking_in(start, nina, service)
    moves_once(booking, lambda: action(booking, nina), to_status)


def test_resolving_and_expiring_leave_exactly_one_event(
    nina: Artist, service: Service, label_admin
):
    disputed = booking_in(Status.DISPUTED, nina, service)
    moves_once(
        disputed,
        lambda: services.resolve_dispute(
            booking=disputed, by=label_admin, outcome=Status.COMPLETED, note="Delivered."
        ),
        Status.COMPLETED,
    )
    stale = booking_in(Status.REQUESTED, nina, service)
    Booking.objects.filter(pk=stale.pk).update(expires_at=stale.created_at)
    moves_once(stale, services.expire_stale_requests, Status.EXPIRED)


# --- Nothing else writes a booking's status -------------------------------------------------------

# Writing a booking's status, as an assignment or in a queryset update.
STATUS_WRITE = re.compile(
    r"booking\w*\.status\s*=[^=]|Booking\.objects[^\n]*\.update\([^)]*\bstatus\s*="
    r"|(?:locked|booking)\.status\s*=[^=]",
)
# Rewriting a column with itself takes a row lock on SQLite and changes nothing.
NO_OP_WRITE = re.compile(r"update\(status=F\(\"status\"\)\)")
THE_ONE_WRITER = Path("mylabel/bookings/services.py")


def test_only_the_booking_services_write_a_bookings_status():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in sorted((root / "mylabel").rglob("*.py")):
        relative = path.relative_to(root)
        if relative == THE_ONE_WRITER or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if STATUS_WRITE.search(line) and not NO_OP_WRITE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "Change bookings through mylabel.bookings.services only"


def test_the_scan_would_catch_a_direct_write():
    assert STATUS_WRITE.search("    booking.status = Status.PAID")
    assert STATUS_WRITE.search('Booking.objects.filter(pk=1).update(status="paid")')
    assert not STATUS_WRITE.search("if booking.status == Status.PAID:")


# --- PostgreSQL refuses a change without an event -------------------------------------------------


@pytest.fixture
def checked_writes() -> None:
    """Undo, for this test's transaction, the suite-wide bypass of tests/conftest.py."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('mylabel.unchecked_booking_writes', 'off', true)")


def commit_check() -> None:
    """Run the deferred checks now, as COMMIT would (tests never commit), then start afresh
    as a new transaction would: the transaction-local notes of events are cleared."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS bookings_require_event IMMEDIATE")
        cursor.execute("SET CONSTRAINTS bookings_require_event DEFERRED")
        cursor.execute("SELECT set_config('mylabel.booking_events', '', true)")


def refused(change: Callable[[], object]) -> bool:
    """Whether ``change`` is refused at commit by the trigger (any other error propagates)."""
    try:
        with transaction.atomic():
            change()
            commit_check()
    except IntegrityError as error:
        if "without a booking event" not in str(error):
            raise
        return True
    return False


@pytest.mark.postgres
def test_postgresql_refuses_a_status_or_money_change_without_an_event(
    checked_writes, nina: Artist, service: Service
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    commit_check()  # the services' own writes pass
    rows = Booking.objects.filter(pk=booking.pk)

    assert refused(lambda: rows.update(status=Status.CANCELLED))
    assert refused(lambda: rows.update(price=Decimal("1.00")))
    assert refused(lambda: rows.update(payment=None))
    # An event for another status does not cover it.
    assert refused(
        lambda: (
            BookingEvent.objects.create(booking=booking, from_status="accepted", to_status="paid"),
            rows.update(status=Status.CANCELLED),
        )
    )

    def event_rolled_back() -> None:
        try:
            with transaction.atomic():
                BookingEvent.objects.create(
                    booking=booking, from_status="accepted", to_status="cancelled"
                )
                raise RuntimeError
        except RuntimeError:
            pass
        rows.update(status=Status.CANCELLED)

    assert refused(event_rolled_back)
    booking.refresh_from_db()
    assert (booking.status, booking.price) == (Status.ACCEPTED, Decimal("200.00"))

    # Columns that are neither state nor money stay free (fixtures and the demo seed move
    # bookings in time), and a change with its event passes.
    assert not refused(lambda: rows.update(message="See you there"))
    assert not refused(lambda: services.cancel_booking(booking=booking, by=nina.user, reason="Flu"))
