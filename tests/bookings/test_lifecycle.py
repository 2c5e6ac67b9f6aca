"""Every transition of a booking, allowed and refused (issue 4, point 4)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services, tasks
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.signals import booking_status_changed
from mylabel.payments.gateways.base import PaymentGatewayError
from mylabel.payments.models import Payment
from mylabel.payments.services import confirm_offline_payment
from tests.bookings.lifecycle_helpers import (
    book,
    booking_in,
    local_start,
)
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals() -> Any:
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    booking_status_changed.connect(receiver, weak=False)
    yield received
    booking_status_changed.disconnect(receiver)


def last_event(booking: Booking) -> BookingEvent:
    return booking.events.order_by("-pk")[0]


# --- Requesting ---------------------------------------------------------------------------------


def test_a_request_copies_prices_and_policy_from_the_service(nina: Artist, service: Service):
    service.deposit_percent = 30
    service.free_cancellation_hours = 24
    service.late_cancellation_refund_percent = 20
    service.save()

    booking = book(nina, service, message="Two songs")

    assert booking.status == Status.REQUESTED
    assert (booking.price, booking.currency) == (Decimal("200.00"), "EUR")
    assert booking.deposit_percent == 30
    assert booking.free_cancellation_hours == 24
    assert booking.late_cancellation_refund_percent == 20
    assert booking.end - booking.start == timedelta(minutes=60)
    assert booking.blocked_until == booking.end + timedelta(
        minutes=service.associate.buffer_minutes
    )
    assert booking.message == "Two songs"


def test_a_request_expires_after_the_configured_time(nina: Artist, service: Service, settings):
    settings.BOOKING_REQUEST_TTL_HOURS = 5
    before = timezone.now()
    booking = book(nina, service)
    assert before + timedelta(hours=5) <= booking.expires_at <= timezone.now() + timedelta(hours=5)


def test_a_request_never_expires_after_its_start(nina: Artist, service: Service, settings):
    settings.BOOKING_REQUEST_TTL_HOURS = 24 * 30
    booking = book(nina, service)
    assert booking.expires_at == booking.start


def test_a_request_records_its_event_and_signals_after_the_commit(
    nina: Artist, service: Service, signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = book(nina, service, message="Hello")
    assert signals == []  # nothing before the commit

    for callback in callbacks:
        callback()
    event = booking.events.get()
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        nina.user,
        "",
        Status.REQUESTED,
        "Hello",
    )
    assert signals == [{"signal": booking_status_changed, "booking": booking, "event": event}]


def test_booking_yourself_is_refused(marco: Associate, service: Service):
    own_artist_profile = ArtistFactory.create(user=marco.user)
    with pytest.raises(ValidationError, match="cannot book yourself"):
        book(own_artist_profile, service)
    assert not Booking.objects.exists()


def test_an_inactive_service_cannot_be_booked(nina: Artist, service: Service):
    service.is_active = False
    service.save()
    with pytest.raises(ValidationError, match="cannot be booked"):
        book(nina, service)
    assert not Booking.objects.exists()


def test_a_slot_in_the_past_is_refused(nina: Artist, service: Service):
    with pytest.raises(ValidationError, match="in the past"):
        book(nina, service, start=local_start(service.associate, days=-1))
    assert not Booking.objects.exists()


def test_a_slot_outside_availability_is_refused(nina: Artist, service: Service):
    with pytest.raises(ValidationError):
        book(nina, service, start=local_start(service.associate, hour=3))
    assert not Booking.objects.exists()


def test_an_overlapping_request_is_refused(nina: Artist, service: Service):
    first = book(nina, service)
    other_artist = ArtistFactory.create()
    with pytest.raises(ValidationError):
        book(other_artist, service, start=first.start + timedelta(minutes=30))
    assert Booking.objects.count() == 1


def test_a_request_inside_the_buffer_of_another_is_refused(nina: Artist, service: Service):
    first = book(nina, service)  # 10:00 to 11:00, blocks until 11:15
    with pytest.raises(ValidationError):
        book(ArtistFactory.create(), service, start=first.end)
    assert Booking.objects.count() == 1


# --- Accepting and paying -----------------------------------------------------------------------


def test_accepting_starts_the_full_price_payment(
    nina: Artist, marco: Associate, service: Service, signals, django_capture_on_commit_callbacks
):
    booking = book(nina, service)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_booking(booking=booking, by=marco.user)

    booking.refresh_from_db()
    assert booking.status == Status.ACCEPTED
    payment = booking.payment
    assert payment is not None
    assert (payment.amount, payment.currency, payment.status) == (
        Decimal("200.00"),
        "EUR",
        Payment.Status.PENDING,
    )
    assert (payment.payer, payment.payee, payment.gateway) == (nina.user, marco.user, "offline")
    assert payment.idempotency_key == f"booking-{booking.pk}-accept"
    event = last_event(booking)
    assert (event.actor, event.from_status, event.to_status) == (
        marco.user,
        Status.REQUESTED,
        Status.ACCEPTED,
    )
    assert signals[-1]["event"] == event
    assert booking.ical_sequence == 1


def test_accepting_a_service_with_a_deposit_charges_only_the_deposit(
    nina: Artist, marco: Associate, service: Service
):
    service.deposit_percent = 25
    service.price = Decimal("99.99")
    service.save()
    booking = book(nina, service)
    services.accept_booking(booking=booking, by=marco.user)
    assert booking.payment is not None
    assert booking.payment.amount == Decimal("25.00")


def test_accepting_a_free_service_makes_it_paid_at_once(
    nina: Artist, marco: Associate, service: Service
):
    service.price = Decimal("0")
    service.save()
    booking = book(nina, service)
    services.accept_booking(booking=booking, by=marco.user)
    booking.refresh_from_db()
    assert booking.status == Status.PAID
    assert booking.payment is None
    assert [e.to_status for e in booking.events.all()] == ["requested", "accepted", "paid"]


def test_a_payment_provider_failure_leaves_the_request_unanswered(
    nina: Artist, marco: Associate, service: Service, monkeypatch: pytest.MonkeyPatch
):
    booking = book(nina, service)

    def refuse(**kwargs: Any) -> Payment:
        raise PaymentGatewayError("The payment provider is unreachable; try again.")

    monkeypatch.setattr(services.payments, "start_payment", refuse)
    with pytest.raises(ValidationError, match="unreachable"):
        services.accept_booking(booking=booking, by=marco.user)
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED
    assert booking.events.count() == 1
    assert booking.ical_sequence == 0


def test_the_artist_cannot_accept(nina: Artist, service: Service):
    booking = book(nina, service)
    with pytest.raises(PermissionDenied, match="Only the professional"):
        services.accept_booking(booking=booking, by=nina.user)
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED
    assert booking.events.count() == 1


def test_accepting_twice_is_refused(nina: Artist, marco: Associate, service: Service):
    booking = book(nina, service)
    services.accept_booking(booking=booking, by=marco.user)
    with pytest.raises(ValidationError, match="no longer a request"):
        services.accept_booking(booking=booking, by=marco.user)
    assert Payment.objects.count() == 1
    assert booking.events.count() == 2


def test_an_expired_request_cannot_be_accepted(nina: Artist, marco: Associate, service: Service):
    booking = book(nina, service)
    Booking.objects.filter(pk=booking.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired"):
        services.accept_booking(booking=booking, by=marco.user)
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_the_confirmed_offline_payment_marks_the_booking_paid(
    nina: Artist, marco: Associate, service: Service, django_capture_on_commit_callbacks
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_booking_payment(booking=booking, by=marco.user)

    booking.refresh_from_db()
    assert booking.status == Status.PAID
    event = last_event(booking)
    assert (event.actor, event.from_status, event.to_status) == (
        nina.user,
        Status.ACCEPTED,
        Status.PAID,
    )


def test_the_artist_cannot_confirm_the_payment(nina: Artist, service: Service):
    booking = booking_in(Status.ACCEPTED, nina, service)
    with pytest.raises(PermissionDenied):
        services.confirm_booking_payment(booking=booking, by=nina.user)
    assert booking.payment is not None
    booking.payment.refresh_from_db()
    assert booking.payment.status == Payment.Status.PENDING


def test_a_repeated_payment_success_changes_nothing(nina: Artist, service: Service):
    booking = booking_in(Status.PAID, nina, service)
    assert booking.payment is not None
    services.mark_booking_paid(booking=booking, payment=booking.payment)
    assert booking.events.filter(to_status=Status.PAID).count() == 1


def test_a_payment_arriving_after_cancellation_is_refunded(
    nina: Artist, marco: Associate, service: Service
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    services.cancel_booking(booking=booking, by=nina.user, reason="Changed plans")
    assert booking.payment is not None
    payment = confirm_offline_payment(payment=booking.payment, by=marco.user)

    services.mark_booking_paid(booking=booking, payment=payment)

    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert payment.status == Payment.Status.REFUNDED
    assert payment.refunded_amount == Decimal("200.00")


def test_a_repeated_success_of_a_payment_already_refunded_refunds_nothing_more(
    nina: Artist, marco: Associate, service: Service, caplog: pytest.LogCaptureFixture
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    services.cancel_booking(booking=booking, by=nina.user, reason="Changed plans")
    assert booking.payment is not None
    payment = confirm_offline_payment(payment=booking.payment, by=marco.user)
    services.mark_booking_paid(booking=booking, payment=payment)  # refunds, with a warning
    caplog.clear()

    with caplog.at_level("INFO", logger="mylabel.bookings.services"):
        services.mark_booking_paid(booking=booking, payment=payment)

    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("200.00")
    assert payment.refunds.count() == 1
    assert [record.levelname for record in caplog.records] == ["INFO"]
    assert "already refunded" in caplog.records[0].getMessage()


# --- Declining, expiring ------------------------------------------------------------------------


def test_the_professional_declines_with_an_optional_reason(
    nina: Artist, marco: Associate, service: Service
):
    booking = book(nina, service)
    services.decline_booking(booking=booking, by=marco.user, reason="Fully booked that week")
    booking.refresh_from_db()
    assert booking.status == Status.DECLINED
    event = last_event(booking)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        marco.user,
        Status.REQUESTED,
        Status.DECLINED,
        "Fully booked that week",
    )


def test_a_declined_slot_can_be_booked_again(nina: Artist, service: Service):
    declined = booking_in(Status.DECLINED, nina, service)
    again = book(ArtistFactory.create(), service, start=declined.start)
    assert again.status == Status.REQUESTED


def test_the_artist_cannot_decline(nina: Artist, service: Service):
    booking = book(nina, service)
    with pytest.raises(PermissionDenied):
        services.decline_booking(booking=booking, by=nina.user)


def test_an_accepted_booking_cannot_be_declined(nina: Artist, marco: Associate, service: Service):
    booking = booking_in(Status.ACCEPTED, nina, service)
    with pytest.raises(ValidationError, match="accepted"):
        services.decline_booking(booking=booking, by=marco.user)


def test_stale_requests_expire_and_fresh_ones_stay(
    nina: Artist, service: Service, signals, django_capture_on_commit_callbacks
):
    stale = book(nina, service)
    fresh = book(nina, service, start=local_start(service.associate, hour=14))
    accepted = booking_in(
        Status.ACCEPTED, nina, service, start=local_start(service.associate, hour=17)
    )
    Booking.objects.filter(pk__in=[stale.pk, accepted.pk]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_stale_requests() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    accepted.refresh_from_db()
    assert (stale.status, fresh.status, accepted.status) == (
        Status.EXPIRED,
        Status.REQUESTED,
        Status.ACCEPTED,
    )
    event = last_event(stale)
    assert (event.actor, event.from_status, event.to_status) == (
        None,
        Status.REQUESTED,
        Status.EXPIRED,
    )
    assert signals[-1]["booking"] == stale


def test_the_expiry_task_expires_stale_requests(nina: Artist, service: Service):
    booking = book(nina, service)
    later = booking.expires_at + timedelta(seconds=1)
    Booking.objects.filter(pk=booking.pk).update(expires_at=timezone.now())
    result = tasks.expire_stale_requests.enqueue()
    assert result.return_value == 1
    booking.refresh_from_db()
    assert booking.status == Status.EXPIRED
    assert services.expire_stale_requests(now=later) == 0


# --- Cancelling ---------------------------------------------------------------------------------


def test_the_artist_cancels_a_request_with_a_reason(nina: Artist, service: Service):
    booking = book(nina, service)
    services.cancel_booking(booking=booking, by=nina.user, reason="Song not ready")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    event = last_event(booking)
    assert (event.actor, event.from_status, event.note) == (
        nina.user,
        Status.REQUESTED,
        "Song not ready",
    )


def test_cancelling_without_a_reason_is_refused(nina: Artist, service: Service):
    booking = book(nina, service)
    with pytest.raises(ValidationError, match="reason"):
        services.cancel_booking(booking=booking, by=nina.user, reason="   ")
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_the_artist_cancelling_early_gets_everything_back(nina: Artist, service: Service):
    booking = booking_in(Status.PAID, nina, service, start=local_start(service.associate, days=5))
    services.cancel_booking(booking=booking, by=nina.user, reason="Changed plans")
    assert booking.payment is not None
    booking.payment.refresh_from_db()
    assert booking.payment.refunded_amount == Decimal("200.00")
    assert booking.payment.status == Payment.Status.REFUNDED
    assert "200.00 EUR" in last_event(booking).note


def test_the_artist_cancelling_late_gets_the_late_percentage(
    nina: Artist, marco: Associate, service: Service
):
    service.free_cancellation_hours = 24 * 10
    service.late_cancellation_refund_percent = 30
    service.save()
    booking = booking_in(Status.PAID, nina, service)
    services.cancel_booking(booking=booking, by=nina.user, reason="Changed plans")
    assert booking.payment is not None
    booking.payment.refresh_from_db()
    assert booking.payment.refunded_amount == Decimal("60.00")
    assert booking.payment.status == Payment.Status.PARTIALLY_REFUNDED


def test_the_professional_cancelling_late_refunds_everything(
    nina: Artist, marco: Associate, service: Service
):
    service.free_cancellation_hours = 24 * 10
    service.save()
    booking = booking_in(Status.PAID, nina, service)
    services.cancel_booking(booking=booking, by=marco.user, reason="Studio flooded")
    assert booking.payment is not None
    booking.payment.refresh_from_db()
    assert booking.payment.refunded_amount == Decimal("200.00")


def test_cancelling_an_unpaid_accepted_booking_refunds_nothing(
    nina: Artist, marco: Associate, service: Service
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    services.cancel_booking(booking=booking, by=marco.user, reason="Studio flooded")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert booking.payment is not None
    assert booking.payment.refunded_amount == Decimal("0")


def test_a_completed_booking_cannot_be_cancelled(nina: Artist, service: Service):
    booking = booking_in(Status.COMPLETED, nina, service)
    with pytest.raises(ValidationError, match="completed"):
        services.cancel_booking(booking=booking, by=nina.user, reason="Too late")
    booking.refresh_from_db()
    assert booking.status == Status.COMPLETED


def test_a_started_booking_cannot_be_cancelled(nina: Artist, marco: Associate, service: Service):
    booking = booking_in(Status.PAID, nina, service)
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(minutes=5),
        end=timezone.now() + timedelta(minutes=55),
        blocked_until=timezone.now() + timedelta(minutes=70),
    )
    with pytest.raises(ValidationError, match="already started"):
        services.cancel_booking(booking=booking, by=marco.user, reason="Too late")


def test_a_stranger_cannot_cancel(nina: Artist, service: Service, outsider: User):
    booking = book(nina, service)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(booking=booking, by=outsider, reason="Mischief")
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_a_cancelled_slot_can_be_booked_again(nina: Artist, service: Service):
    cancelled = booking_in(Status.CANCELLED, nina, service)
    assert book(ArtistFactory.create(), service, start=cancelled.start).is_active


# --- Completing ---------------------------------------------------------------------------------


def test_the_professional_completes_a_paid_booking_after_its_start(nina: Artist, service: Service):
    booking = booking_in(Status.COMPLETED, nina, service)
    assert booking.status == Status.COMPLETED
    event = last_event(booking)
    assert (event.from_status, event.to_status) == (Status.PAID, Status.COMPLETED)


def test_completing_before_the_start_is_refused(nina: Artist, marco: Associate, service: Service):
    booking = booking_in(Status.PAID, nina, service)
    with pytest.raises(ValidationError, match="once it has started"):
        services.complete_booking(booking=booking, by=marco.user)


def test_completing_a_requested_booking_is_refused(
    nina: Artist, marco: Associate, service: Service
):
    booking = book(nina, service)
    with pytest.raises(ValidationError, match="requested"):
        services.complete_booking(booking=booking, by=marco.user)
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_the_artist_cannot_complete(nina: Artist, service: Service):
    booking = booking_in(Status.PAID, nina, service)
    with pytest.raises(PermissionDenied):
        services.complete_booking(booking=booking, by=nina.user)


# --- Disputes -----------------------------------------------------------------------------------


def test_either_side_can_dispute_a_completed_booking(
    nina: Artist, marco: Associate, service: Service
):
    booking = booking_in(Status.COMPLETED, nina, service)
    services.open_dispute(booking=booking, by=marco.user, reason="Not paid the rest")
    booking.refresh_from_db()
    assert booking.status == Status.DISPUTED
    event = last_event(booking)
    assert (event.actor, event.from_status, event.note) == (
        marco.user,
        Status.COMPLETED,
        "Not paid the rest",
    )


def test_a_request_cannot_be_disputed(nina: Artist, service: Service):
    booking = book(nina, service)
    with pytest.raises(ValidationError, match="only a paid booking"):
        services.open_dispute(booking=booking, by=nina.user, reason="Hm")


def test_a_stranger_cannot_open_a_dispute(nina: Artist, service: Service, outsider: User):
    booking = booking_in(Status.PAID, nina, service)
    with pytest.raises(PermissionDenied):
        services.open_dispute(booking=booking, by=outsider, reason="Hm")


def test_a_label_admin_resolves_a_dispute_as_completed(
    nina: Artist, service: Service, label_admin: User
):
    booking = booking_in(Status.DISPUTED, nina, service)
    services.resolve_dispute(
        booking=booking, by=label_admin, outcome="completed", note="Session happened"
    )
    booking.refresh_from_db()
    assert booking.status == Status.COMPLETED
    assert booking.payment is not None
    assert booking.payment.refunded_amount == Decimal("0")
    event = last_event(booking)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        label_admin,
        Status.DISPUTED,
        Status.COMPLETED,
        "Session happened",
    )


def test_a_dispute_resolved_as_cancelled_refunds_the_artist(
    nina: Artist, service: Service, label_admin: User
):
    booking = booking_in(Status.DISPUTED, nina, service)
    services.resolve_dispute(booking=booking, by=label_admin, outcome="cancelled", note="No-show")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert booking.payment is not None
    assert booking.payment.refunded_amount == Decimal("200.00")


def test_only_a_label_admin_resolves_disputes(nina: Artist, marco: Associate, service: Service):
    booking = booking_in(Status.DISPUTED, nina, service)
    with pytest.raises(PermissionDenied, match="label admin"):
        services.resolve_dispute(booking=booking, by=marco.user, outcome="completed", note="Mine")
    booking.refresh_from_db()
    assert booking.status == Status.DISPUTED


def test_resolving_needs_a_known_outcome_and_a_note(
    nina: Artist, service: Service, label_admin: User
):
    booking = booking_in(Status.DISPUTED, nina, service)
    with pytest.raises(ValidationError, match="completed or cancelled"):
        services.resolve_dispute(booking=booking, by=label_admin, outcome="paid", note="x")
    with pytest.raises(ValidationError, match="reason"):
        services.resolve_dispute(booking=booking, by=label_admin, outcome="completed", note="")
    booking.refresh_from_db()
    assert booking.status == Status.DISPUTED


def test_a_booking_without_a_dispute_cannot_be_resolved(
    nina: Artist, service: Service, label_admin: User
):
    booking = booking_in(Status.PAID, nina, service)
    with pytest.raises(ValidationError, match="no dispute"):
        services.resolve_dispute(booking=booking, by=label_admin, outcome="completed", note="x")


# --- What the page offers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "artist_actions", "associate_actions"),
    [
        (Status.REQUESTED, ["cancel"], ["accept", "decline", "cancel"]),
        (Status.ACCEPTED, ["cancel"], ["confirm-payment", "cancel"]),
        (Status.PAID, ["cancel", "dispute"], ["cancel", "dispute"]),
        (Status.COMPLETED, ["dispute"], ["dispute"]),
        (Status.DECLINED, [], []),
        (Status.EXPIRED, [], []),
    ],
)
def test_each_side_is_offered_the_actions_of_the_state(
    nina: Artist, marco: Associate, service: Service, status, artist_actions, associate_actions
):
    booking = booking_in(status, nina, service)
    booking.refresh_from_db()
    assert services.available_actions(booking, nina.user) == artist_actions
    assert services.available_actions(booking, marco.user) == associate_actions


def test_a_label_admin_is_offered_only_resolving_a_dispute(
    nina: Artist, service: Service, label_admin: User
):
    booking = booking_in(Status.DISPUTED, nina, service)
    assert services.available_actions(booking, label_admin) == ["resolve"]
    assert services.available_actions(booking, nina.user) == []


def test_a_user_with_both_profiles_books_others_but_not_themselves(service: Service):
    user = UserFactory.create()
    artist = ArtistFactory.create(user=user)
    assert book(artist, service).artist.user == user
