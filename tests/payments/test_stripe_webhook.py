"""Webhooks signed with Stripe's real scheme (HMAC-SHA256 over ``"<t>.<body>"``)."""

import hashlib
import hmac
import json
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from mylabel.payments.gateways import WebhookEvent
from mylabel.payments.models import Payment, ProcessedWebhookEvent, Refund
from mylabel.payments.services import handle_stripe_event, refund_payment
from tests.payments.conftest import WEBHOOK_SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]

URL = "/payments/stripe/webhook/"


def sign(body: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(event_type: str, obj: dict, event_id: str = "evt_1") -> str:
    return json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}
    )


def completed(amount_total: int = 12050, **extra) -> dict:
    return {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "payment_status": "paid",
        "payment_intent": "pi_test_a1",
        "amount_total": amount_total,
        "currency": "eur",
    } | extra


def post(client, body: str, signature: str | None = None):
    if signature is None:
        signature = sign(body)
    return client.post(
        URL, body, content_type="application/json", headers={"Stripe-Signature": signature}
    )


@pytest.fixture
def pending(artist, associate) -> Payment:
    return Payment.objects.create(
        gateway="stripe",
        payer=artist,
        payee=associate,
        description="Mixing",
        amount=Decimal("120.50"),
        external_id="cs_test_a1",
    )


def test_the_webhook_url_is_the_agreed_one():
    assert reverse("payments:stripe_webhook") == URL


def test_a_signed_checkout_completed_event_marks_the_payment_paid_and_announces_it(
    client, pending, succeeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event("checkout.session.completed", completed()))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Payment.Status.SUCCEEDED
    assert pending.paid_at is not None
    assert pending.external_payment_id == "pi_test_a1"
    assert [call["payment"].pk for call in succeeded.calls] == [pending.pk]
    assert ProcessedWebhookEvent.objects.get().event_id == "evt_1"


def test_the_same_event_delivered_again_is_processed_once(
    client, pending, succeeded, django_capture_on_commit_callbacks
):
    body = event("checkout.session.completed", completed())
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, body)
        Payment.objects.filter(pk=pending.pk).update(status=Payment.Status.PENDING)
        again = post(client, body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"received": True, "duplicate": True}
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING  # the replay did not touch it
    assert len(succeeded.calls) == 1
    assert ProcessedWebhookEvent.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda body: sign(body, secret="whsec_someone_else"), id="wrong secret"),
        pytest.param(lambda body: sign(body + " "), id="other body"),
        pytest.param(lambda body: "", id="missing"),
        pytest.param(lambda body: "garbage", id="unreadable"),
        pytest.param(lambda body: sign(body).replace("v1=", "v0="), id="wrong scheme"),
    ],
)
def test_a_bad_signature_is_refused_with_400_and_changes_nothing(
    client, pending, succeeded, signature
):
    body = event("checkout.session.completed", completed())
    response = post(client, body, signature(body))
    assert response.status_code == 400
    assert "signature" in response.json()["error"].lower()
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
    assert not ProcessedWebhookEvent.objects.exists()
    assert succeeded.calls == []


def test_a_stale_signature_is_refused_as_a_replay(client, pending):
    body = event("checkout.session.completed", completed())
    response = post(client, body, sign(body, timestamp=int(time.time()) - 301))
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_without_a_webhook_secret_nothing_is_trusted(client, pending, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = event("checkout.session.completed", completed())
    assert post(client, body).status_code == 400
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


@pytest.mark.parametrize("body", ["{not json", "[]", '{"id": "evt_1"}', ""])
def test_a_signed_but_malformed_body_is_refused_with_400(client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not ProcessedWebhookEvent.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_allowed(client, method):
    assert getattr(client, method)(URL).status_code == 405


def test_a_session_paid_for_a_different_amount_does_not_mark_the_payment_paid(
    client, pending, succeeded
):
    response = post(client, event("checkout.session.completed", completed(amount_total=100)))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
    assert succeeded.calls == []


def test_an_unpaid_completed_session_waits_for_the_async_payment(
    client, pending, succeeded, django_capture_on_commit_callbacks
):
    post(client, event("checkout.session.completed", completed(payment_status="unpaid")))
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event("checkout.session.async_payment_succeeded", completed(), "evt_2"))
    pending.refresh_from_db()
    assert pending.status == Payment.Status.SUCCEEDED
    assert len(succeeded.calls) == 1


def test_an_expired_session_marks_the_payment_failed(client, pending, succeeded):
    post(client, event("checkout.session.expired", completed(payment_status="unpaid")))
    pending.refresh_from_db()
    assert pending.status == Payment.Status.FAILED
    assert succeeded.calls == []


def test_an_event_for_a_session_we_do_not_know_is_acknowledged(client, pending):
    response = post(client, event("checkout.session.completed", completed(id="cs_other")))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Payment.Status.PENDING


def test_an_event_type_we_do_not_handle_is_acknowledged_once(client):
    response = post(client, event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    assert ProcessedWebhookEvent.objects.get().event_type == "customer.created"


def charge(amount_refunded: int) -> dict:
    return {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": "pi_test_a1",
        "amount": 12050,
        "amount_refunded": amount_refunded,
    }


@pytest.fixture
def paid(pending) -> Payment:
    Payment.objects.filter(pk=pending.pk).update(
        status=Payment.Status.SUCCEEDED, external_payment_id="pi_test_a1"
    )
    pending.refresh_from_db()
    return pending


def test_a_refund_made_in_stripe_is_recorded_from_the_charge_refunded_event(
    client, paid, refunded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, event("charge.refunded", charge(2000), "evt_r1"))
        post(client, event("charge.refunded", charge(12050), "evt_r2"))
    paid.refresh_from_db()
    assert paid.refunded_amount == Decimal("120.50")
    assert paid.status == Payment.Status.REFUNDED
    assert [c["amount"] for c in refunded.calls] == [Decimal("20.00"), Decimal("100.50")]
    assert Refund.objects.count() == 2


def test_a_refund_already_recorded_by_the_site_is_not_counted_twice(
    client, paid, refunded, stripe_api
):
    stripe_api.post("https://api.stripe.com/v1/refunds", json={"id": "re_1", "object": "refund"})
    refund_payment(payment=paid, amount=Decimal("20.00"), idempotency_key="cancel-7")
    refunded.calls.clear()
    post(client, event("charge.refunded", charge(2000), "evt_r1"))
    paid.refresh_from_db()
    assert paid.refunded_amount == Decimal("20.00")
    assert refunded.calls == []


def _in_own_connection(work):
    """Run ``work`` on a fresh connection in autocommit: outside the test's transaction, as a
    second web process would."""
    try:
        return work()
    finally:
        connection.close()


@pytest.mark.postgres
def test_concurrent_deliveries_of_one_event_are_processed_once():
    # An event for a session of no payment of ours: only the once-only bookkeeping is raced, so
    # nothing needs committing up front and the test cleans up the rows the threads commit.
    race = WebhookEvent(
        id="evt_race", type="checkout.session.completed", data=completed(id="cs_race")
    )
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(
                pool.map(
                    lambda _: _in_own_connection(lambda: handle_stripe_event(event=race)),
                    range(16),
                )
            )
        assert outcomes.count(True) == 1
        with ThreadPoolExecutor(max_workers=1) as pool:
            stored = pool.submit(
                _in_own_connection,
                lambda: ProcessedWebhookEvent.objects.filter(event_id="evt_race").count(),
            ).result()
        assert stored == 1
    finally:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(
                _in_own_connection,
                lambda: ProcessedWebhookEvent.objects.filter(event_id="evt_race").delete(),
            ).result()
