"""The real ``stripe`` client against stubbed HTTP: what is sent, what is stored, what fails."""

import re
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ValidationError
from stripe._http_client import HTTPClient

from mylabel.payments.gateways import PaymentGatewayError
from mylabel.payments.models import Payment, Refund
from mylabel.payments.services import refund_payment, start_payment
from tests.payments.conftest import STRIPE_KEY

pytestmark = pytest.mark.django_db

SESSIONS = "https://api.stripe.com/v1/checkout/sessions"
REFUNDS = "https://api.stripe.com/v1/refunds"
SESSION = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
}


def form(request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.body).items()}


def start(artist, associate, amount=Decimal("120.50")):
    return start_payment(
        payer=artist,
        payee=associate,
        amount=amount,
        currency="EUR",
        description="Mixing, 2 hours",
        idempotency_key="booking-7-payment",
        success_url="https://mylabel.example/bookings/7/?paid=1",
        cancel_url="https://mylabel.example/bookings/7/",
    )


def stripe_payment(artist, associate, *, refunded=Decimal("0")):
    return Payment.objects.create(
        gateway="stripe",
        payer=artist,
        payee=associate,
        description="Mixing",
        amount=Decimal("120.50"),
        refunded_amount=refunded,
        status=Payment.Status.PARTIALLY_REFUNDED if refunded else Payment.Status.SUCCEEDED,
        external_id="cs_test_a1",
        external_payment_id="pi_test_a1",
    )


@pytest.fixture
def no_retry_wait(monkeypatch):
    monkeypatch.setattr(HTTPClient, "_sleep_time_seconds", lambda self, num_retries: 0)


def test_starting_a_stripe_payment_creates_a_checkout_session_in_cents_with_an_idempotency_key(
    artist, associate, stripe_api
):
    stripe_api.post(SESSIONS, json=SESSION)
    payment = start(artist, associate)

    request = stripe_api.calls[0].request
    assert request.headers["Idempotency-Key"] == "booking-7-payment"
    assert request.headers["Authorization"] == f"Bearer {STRIPE_KEY}"
    sent = form(request)
    assert sent["mode"] == "payment"
    assert sent["line_items[0][price_data][unit_amount]"] == "12050"
    assert sent["line_items[0][price_data][currency]"] == "eur"
    assert sent["line_items[0][price_data][product_data][name]"] == "Mixing, 2 hours"
    assert sent["line_items[0][quantity]"] == "1"
    assert sent["success_url"] == "https://mylabel.example/bookings/7/?paid=1"
    assert sent["metadata[payment_id]"] == str(payment.pk)
    assert sent["payment_intent_data[metadata][payment_id]"] == str(payment.pk)

    payment.refresh_from_db()
    assert payment.gateway == "stripe"
    assert payment.status == Payment.Status.PENDING
    assert payment.external_id == "cs_test_a1"
    assert payment.checkout_url == "https://checkout.stripe.com/c/pay/cs_test_a1"
    assert payment.platform_fee == Decimal("12.05")


def test_a_payment_started_twice_calls_stripe_once(artist, associate, stripe_api):
    stripe_api.post(SESSIONS, json=SESSION)
    assert start(artist, associate).pk == start(artist, associate).pk
    assert len(stripe_api.calls) == 1


def test_a_declined_start_raises_a_clear_error_and_saves_nothing(artist, associate, stripe_api):
    stripe_api.post(
        SESSIONS,
        status=402,
        json={"error": {"type": "card_error", "code": "card_declined", "message": "Declined."}},
    )
    with pytest.raises(PaymentGatewayError, match=re.escape("Declined.")):
        start(artist, associate)
    assert not Payment.objects.exists()


def test_an_invalid_request_names_stripes_reason(artist, associate, stripe_api):
    stripe_api.post(
        SESSIONS,
        status=400,
        json={"error": {"type": "invalid_request_error", "message": "Amount too small."}},
    )
    with pytest.raises(
        PaymentGatewayError, match=re.escape("refused the request: Amount too small.")
    ):
        start(artist, associate)
    assert not Payment.objects.exists()


def test_a_stripe_outage_is_retried_with_the_same_key_then_reported_clearly(
    artist, associate, stripe_api, no_retry_wait
):
    stripe_api.post(SESSIONS, status=500, json={"error": {"type": "api_error", "message": "x"}})
    with pytest.raises(PaymentGatewayError, match="cannot be reached right now"):
        start(artist, associate)
    assert len(stripe_api.calls) == 3  # the first try and two retries
    assert {call.request.headers["Idempotency-Key"] for call in stripe_api.calls} == {
        "booking-7-payment"
    }
    assert not Payment.objects.exists()


def test_a_wrong_key_is_reported_as_a_setup_problem(artist, associate, stripe_api):
    stripe_api.post(
        SESSIONS,
        status=401,
        json={"error": {"type": "invalid_request_error", "message": "Invalid API Key"}},
    )
    with pytest.raises(PaymentGatewayError, match="not set up correctly"):
        start(artist, associate)


def test_a_refund_goes_through_the_refund_api_in_cents(
    artist, associate, stripe_api, refunded, django_capture_on_commit_callbacks
):
    stripe_api.post(REFUNDS, json={"id": "re_test_1", "object": "refund", "amount": 6025})
    payment = stripe_payment(artist, associate)
    with django_capture_on_commit_callbacks(execute=True):
        refund_payment(payment=payment, amount=Decimal("60.25"), idempotency_key="cancel-7")

    request = stripe_api.calls[0].request
    assert request.headers["Idempotency-Key"] == "cancel-7"
    assert form(request) == {
        "payment_intent": "pi_test_a1",
        "amount": "6025",
        "metadata[payment_id]": str(payment.pk),
    }
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("60.25")
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert Refund.objects.get().external_id == "re_test_1"
    assert [c["amount"] for c in refunded.calls] == [Decimal("60.25")]


def test_refunding_more_than_was_paid_never_reaches_stripe(artist, associate, stripe_api):
    payment = stripe_payment(artist, associate, refunded=Decimal("100.00"))
    with pytest.raises(ValidationError, match=re.escape("more than the 20.50 left")):
        refund_payment(payment=payment, amount=Decimal("20.51"), idempotency_key="cancel-7")
    assert len(stripe_api.calls) == 0


@pytest.mark.parametrize("status", [402, 500])
def test_a_failed_refund_raises_a_clear_error_and_leaves_the_payment_unchanged(
    artist, associate, stripe_api, refunded, status, no_retry_wait
):
    stripe_api.post(
        REFUNDS,
        status=status,
        json={"error": {"type": "card_error" if status == 402 else "api_error", "message": "No."}},
    )
    payment = stripe_payment(artist, associate)
    with pytest.raises(ValidationError) as caught:  # callers already show these as messages
        refund_payment(payment=payment, amount=Decimal("10.00"), idempotency_key="cancel-7")
    assert isinstance(caught.value, PaymentGatewayError)
    assert caught.value.messages == [
        "No."
        if status == 402
        else "The payment provider cannot be reached right now. Nothing was changed; "
        "please try again in a few minutes."
    ]
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.status) == (Decimal("0"), Payment.Status.SUCCEEDED)
    assert not Refund.objects.exists()
    assert refunded.calls == []


def test_a_payment_not_yet_captured_cannot_be_refunded_through_stripe(
    artist, associate, stripe_api
):
    payment = stripe_payment(artist, associate)
    Payment.objects.filter(pk=payment.pk).update(external_payment_id="")
    with pytest.raises(PaymentGatewayError, match="not been captured"):
        refund_payment(payment=payment, amount=Decimal("10.00"), idempotency_key="cancel-7")
    assert len(stripe_api.calls) == 0
