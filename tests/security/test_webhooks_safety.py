"""Stripe webhooks under attack and disorder (issue 10 point 8), end to end through the booking.

tests/payments/test_stripe_webhook.py covers the webhook on its own (signature checks, one
replay, malformed bodies). This module adds what crosses into bookings and what arrives out of
order: every delivery, replayed, duplicated under another event id, reordered or forged, leaves
exactly one payment success, one booking transition to "paid" and one notification of it, and
outgoing Stripe calls carry idempotency keys that are stable across retries.

Stripe is stubbed at the HTTP level (``responses``); webhooks are signed with Stripe's scheme.
"""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
import responses
from django.db import connection
from stripe._http_client import HTTPClient

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.signals import booking_status_changed
from mylabel.notifications.models import Notification
from mylabel.payments.gateways import PaymentGatewayError
from mylabel.payments.models import Payment, ProcessedWebhookEvent, Refund
from tests.bookings.lifecycle_helpers import book, local_start, make_service, open_every_day
from tests.payments import conftest as payment_fixtures
from tests.payments.test_stripe_webhook import URL, event, post, sign

pytestmark = pytest.mark.usefixtures("stripe_on")

# The payments tests' fixtures (Stripe test keys, the HTTP stub, the refund signal recorder).
stripe_on = payment_fixtures.stripe_on
stripe_api = payment_fixtures.stripe_api
refunded = payment_fixtures.refunded

SESSIONS_URL = "https://api.stripe.com/v1/checkout/sessions"
REFUNDS_URL = "https://api.stripe.com/v1/refunds"
PRICE_CENTS = 20000  # make_service's 200.00 EUR, no deposit: all of it is due on accept


def session_json(session_id: str) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
    }


def paid_session(session_id: str, intent: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "payment_intent": intent,
        "amount_total": PRICE_CENTS,
        "currency": "eur",
    } | extra


def charge(intent: str, amount_refunded: int) -> dict[str, Any]:
    return {
        "id": f"ch_{intent}",
        "object": "charge",
        "payment_intent": intent,
        "amount": PRICE_CENTS,
        "amount_refunded": amount_refunded,
    }


class Transitions:
    """Records ``booking_status_changed`` (what notifications, caches and metrics hear)."""

    def __init__(self) -> None:
        self.to_status: list[str] = []

    def __call__(self, sender: Any, *, event: BookingEvent, **kwargs: Any) -> None:
        self.to_status.append(event.to_status)


@pytest.fixture
def transitions() -> Iterator[Transitions]:
    recorder = Transitions()
    booking_status_changed.connect(recorder, weak=False)
    yield recorder
    booking_status_changed.disconnect(recorder)


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)


def accept_through_stripe(stripe_api: responses.RequestsMock, booking: Booking) -> Payment:
    """The professional accepts; Stripe hands out a Checkout Session named after the booking."""
    session_id = f"cs_test_booking{booking.pk}"
    stripe_api.add(responses.POST, SESSIONS_URL, json=session_json(session_id))
    bookings.accept_booking(booking=booking, by=booking.associate.user)
    booking.refresh_from_db()
    assert booking.payment is not None
    assert booking.payment.external_id == session_id
    return booking.payment


@pytest.fixture
def accepted(
    db, nina: Artist, service: Service, stripe_api: responses.RequestsMock
) -> tuple[Booking, Payment]:
    booking = book(nina, service)
    return booking, accept_through_stripe(stripe_api, booking)


def paid_notifications(booking: Booking) -> int:
    return Notification.objects.filter(event="booking_paid", url=booking.get_absolute_url()).count()


def assert_paid_exactly_once(booking: Booking, payment: Payment) -> None:
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert booking.status == Status.PAID
    assert BookingEvent.objects.filter(booking=booking, to_status=Status.PAID).count() == 1
    # The professional hears about it (the artist paid, so is not told), once.
    assert paid_notifications(booking) == 1


# --- Replayed and duplicated ----------------------------------------------------------------------


@pytest.mark.django_db
def test_replayed_and_duplicated_deliveries_pay_the_booking_once(
    client, accepted, transitions, django_capture_on_commit_callbacks
):
    booking, payment = accepted
    session = paid_session(payment.external_id, "pi_dup")
    completed = event("checkout.session.completed", session, "evt_paid")
    deliveries = [
        completed,
        completed,  # the same delivery again (Stripe retried after a timeout)
        event("checkout.session.async_payment_succeeded", session, "evt_async"),
        event("checkout.session.completed", session, "evt_paid_again"),  # another id, same session
    ]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [post(client, body).status_code for body in deliveries]

    assert statuses == [200, 200, 200, 200]
    assert_paid_exactly_once(booking, payment)
    assert transitions.to_status == [Status.PAID]
    assert ProcessedWebhookEvent.objects.count() == 3  # three distinct ids, each applied once


@pytest.mark.django_db
def test_an_old_failure_arriving_after_the_success_does_not_undo_it(
    client, accepted, django_capture_on_commit_callbacks
):
    booking, payment = accepted
    session = paid_session(payment.external_id, "pi_late_fail")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event("checkout.session.completed", session, "evt_ok"))
        for number, failure in enumerate(
            ["checkout.session.async_payment_failed", "checkout.session.expired"]
        ):
            late = event(failure, session | {"payment_status": "unpaid"}, f"evt_late_{number}")
            assert post(client, late).status_code == 200
        post(client, event("payment_intent.payment_failed", {"id": "pi_late_fail"}, "evt_pi"))
    assert_paid_exactly_once(booking, payment)


# --- Reordered ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refund_arriving_before_the_payment_is_retried_until_the_payment_is_known(
    client, accepted, refunded, django_capture_on_commit_callbacks
):
    booking, payment = accepted
    refund = event("charge.refunded", charge("pi_early", PRICE_CENTS), "evt_refund")

    early = post(client, refund)
    # Not acknowledged, so Stripe delivers it again later; nothing recorded meanwhile.
    assert early.status_code == 409
    assert "retry" in early.json()["error"].lower()
    assert not ProcessedWebhookEvent.objects.filter(event_id="evt_refund").exists()
    assert not Refund.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            event("checkout.session.completed", paid_session(payment.external_id, "pi_early")),
        )
        again = post(client, refund)
    assert again.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert payment.refunded_amount == Decimal("200.00")
    assert [call["amount"] for call in refunded.calls] == [Decimal("200.00")]
    # The refund came from Stripe's side: the booking's own history says it was paid.
    booking.refresh_from_db()
    assert booking.status == Status.PAID


# --- Forged -------------------------------------------------------------------------------------


def _tampered_amount(body: str) -> tuple[str, str]:
    signature = sign(body)
    forged = json.loads(body)
    forged["data"]["object"]["amount_total"] = 1
    return json.dumps(forged), signature


def _moved_timestamp(body: str) -> tuple[str, str]:
    signature = sign(body)
    timestamp, mac = signature.split(",")
    return body, f"t={int(timestamp[2:]) + 60},{mac}"


def _second_valid_looking_signature(body: str) -> tuple[str, str]:
    # A real signature for another body next to a garbage one: none verifies this body.
    return body, sign(body + "x") + ",v1=" + "0" * 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(_tampered_amount, id="payload edited after signing"),
        pytest.param(_moved_timestamp, id="timestamp edited after signing"),
        pytest.param(_second_valid_looking_signature, id="signature of another body"),
    ],
)
def test_a_forged_delivery_is_refused_and_changes_nothing(client, accepted, forge, transitions):
    booking, payment = accepted
    body, signature = forge(
        event("checkout.session.completed", paid_session(payment.external_id, "pi_x"))
    )
    response = post(client, body, signature)
    assert response.status_code == 400
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status) == (Payment.Status.PENDING, Status.ACCEPTED)
    assert not ProcessedWebhookEvent.objects.exists()
    assert transitions.to_status == []


@pytest.mark.django_db
def test_a_delivery_without_the_signature_header_is_refused(client, accepted):
    _booking, payment = accepted
    body = event("checkout.session.completed", paid_session(payment.external_id, "pi_x"))
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


# --- Outgoing idempotency keys ------------------------------------------------------------------


def idempotency_keys(stripe_api: responses.RequestsMock, url: str) -> list[str]:
    return [
        str(call.request.headers["Idempotency-Key"])
        for call in stripe_api.calls
        if call.request.url == url
    ]


@pytest.mark.django_db
def test_every_payment_start_and_refund_carries_its_own_stable_idempotency_key(
    nina: Artist, service: Service, stripe_api: responses.RequestsMock, monkeypatch
):
    monkeypatch.setattr(HTTPClient, "_sleep_time_seconds", lambda self, num_retries: 0)
    first = book(nina, service)
    second = book(nina, service, start=local_start(service.associate, days=5))
    payment = accept_through_stripe(stripe_api, first)
    accept_through_stripe(stripe_api, second)
    start_keys = idempotency_keys(stripe_api, SESSIONS_URL)
    assert start_keys == [f"booking-{first.pk}-accept", f"booking-{second.pk}-accept"]

    Payment.objects.filter(pk=payment.pk).update(
        status=Payment.Status.SUCCEEDED, external_payment_id="pi_keys"
    )
    payment.refresh_from_db()
    bookings.mark_booking_paid(booking=first, payment=payment)
    # The refund fails for good once (a card network outage, after the library's own retries),
    # then the artist cancels again: every attempt of this one refund uses the same key.
    stripe_api.add(responses.POST, REFUNDS_URL, json={"error": {"message": "down"}}, status=500)
    with pytest.raises(PaymentGatewayError):
        bookings.cancel_booking(booking=first, by=nina.user, reason="Flu")
    first.refresh_from_db()
    assert first.status == Status.PAID  # nothing changed by the failed attempt
    stripe_api.replace(responses.POST, REFUNDS_URL, json={"id": "re_1", "object": "refund"})
    bookings.cancel_booking(booking=first, by=nina.user, reason="Flu")

    refund_keys = idempotency_keys(stripe_api, REFUNDS_URL)
    assert len(refund_keys) >= 2  # the library retried, and so did the artist
    assert set(refund_keys) == {f"booking-{first.pk}-cancel"}
    assert not set(refund_keys) & set(start_keys)


# --- Concurrent deliveries (PostgreSQL: real row locks between two connections) ------------------


def _in_own_connection(work: Any) -> Any:
    try:
        return work()
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db
def test_concurrent_deliveries_of_one_payment_pay_the_booking_once(
    stripe_api: responses.RequestsMock,
):
    # The rows must be committed for the racing connections to see them, and a transactional
    # test's flush of every table costs seconds: they are committed from a side connection
    # instead, and deleted again at the end.
    from django.test import Client

    from tests.factories import UserFactory
    from tests.profile_factories import ArtistFactory, AssociateFactory

    def seed() -> tuple[Booking, Payment]:
        artist = ArtistFactory.create(user=UserFactory.create(email="race-artist@example.com"))
        associate = AssociateFactory.create(user=UserFactory.create(email="race-pro@example.com"))
        open_every_day(associate)
        booking = book(artist, make_service(associate))
        return booking, accept_through_stripe(stripe_api, booking)

    def clean_up() -> None:
        users = {"race-artist@example.com", "race-pro@example.com"}
        Notification.objects.filter(recipient__email__in=users).delete()
        Booking.objects.filter(artist__user__email__in=users).delete()
        Payment.objects.filter(payer__email__in=users).delete()
        ProcessedWebhookEvent.objects.filter(event_id__startswith="evt_race").delete()
        Service.objects.filter(associate__user__email__in=users).delete()
        from mylabel.accounts.models import User

        User.objects.filter(email__in=users).delete()

    def on_side_connection(work: Any) -> Any:
        with ThreadPoolExecutor(max_workers=1) as side:
            return side.submit(_in_own_connection, work).result()

    try:
        booking, payment = on_side_connection(seed)
        session = paid_session(payment.external_id, "pi_race")
        same = event("checkout.session.completed", session, "evt_race")
        # Two copies of one event and two other events for the same session, all at once.
        bodies = [same, same]
        bodies += [event("checkout.session.async_payment_succeeded", session, "evt_race2")]
        bodies += [event("checkout.session.completed", session, "evt_race3")]

        def deliver(body: str) -> int:
            return _in_own_connection(lambda: post(Client(), body).status_code)

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(deliver, bodies))

        assert statuses == [200, 200, 200, 200]

        def outcome() -> tuple[Any, ...]:
            payment.refresh_from_db()
            booking.refresh_from_db()
            return (
                payment.status,
                booking.status,
                BookingEvent.objects.filter(booking=booking, to_status=Status.PAID).count(),
                paid_notifications(booking),
                ProcessedWebhookEvent.objects.filter(event_id__startswith="evt_race").count(),
            )

        assert on_side_connection(outcome) == (Payment.Status.SUCCEEDED, Status.PAID, 1, 1, 3)
    finally:
        on_side_connection(clean_up)
