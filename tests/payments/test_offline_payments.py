import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mylabel.payments.models import Payment, Refund
from mylabel.payments.services import (
    confirm_offline_payment,
    platform_fee_for,
    refund_payment,
    start_payment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline")]


def start(artist, associate, amount=Decimal("120.00"), key="booking-1-payment", **overrides):
    arguments = {
        "payer": artist,
        "payee": associate,
        "amount": amount,
        "currency": "EUR",
        "description": "Mixing, 2 hours",
        "idempotency_key": key,
        "success_url": "https://mylabel.example/bookings/1/",
        "cancel_url": "https://mylabel.example/bookings/1/",
    }
    return start_payment(**(arguments | overrides))


def paid(artist, associate, amount=Decimal("120.00")):
    payment = start(artist, associate, amount)
    return confirm_offline_payment(payment=payment, by=associate)


def test_starting_an_offline_payment_leaves_it_pending_with_no_checkout_url(artist, associate):
    payment = start(artist, associate)
    payment.refresh_from_db()
    assert payment.gateway == "offline"
    assert payment.status == Payment.Status.PENDING
    assert payment.checkout_url == ""
    assert (payment.amount, payment.currency) == (Decimal("120.00"), "EUR")
    assert (payment.payer, payment.payee) == (artist, associate)


def test_the_platform_fee_is_recorded_on_the_payment_rounded_to_cents(artist, associate, settings):
    settings.PLATFORM_FEE_PERCENT = "10"
    assert start(artist, associate).platform_fee == Decimal("12.00")
    settings.PLATFORM_FEE_PERCENT = "12.5"
    payment = start(artist, associate, Decimal("33.33"), key="other")
    # 33.33 * 12.5 % = 4.16625 -> 4.17, rounded half up in Decimal (a float would give 4.166249…).
    assert payment.platform_fee == Decimal("4.17")
    settings.PLATFORM_FEE_PERCENT = 10
    assert platform_fee_for(Decimal("0.05")) == Decimal("0.01")  # 0.005: half up, not to even


def test_starting_the_same_payment_twice_returns_the_first(artist, associate):
    first = start(artist, associate)
    again = start(artist, associate)
    assert again.pk == first.pk
    assert Payment.objects.count() == 1


def test_reusing_an_idempotency_key_for_a_different_amount_is_refused(artist, associate):
    start(artist, associate)
    with pytest.raises(ValidationError, match="different details"):
        start(artist, associate, Decimal("99.00"))
    assert Payment.objects.get().amount == Decimal("120.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-1.00"), "zero or more"),
        (Decimal("10.005"), "fractions of a cent"),
        (Decimal("100000000.00"), "too large"),
        (Decimal("NaN"), "zero or more"),
    ],
)
def test_a_bad_amount_is_refused_clearly_and_nothing_is_saved(artist, associate, amount, message):
    with pytest.raises(ValidationError, match=message):
        start(artist, associate, amount)
    assert not Payment.objects.exists()


def test_a_float_amount_is_a_programming_error(artist, associate):
    with pytest.raises(TypeError, match="Decimal"):
        start(artist, associate, 12.5)


def test_paying_yourself_is_refused(associate):
    with pytest.raises(ValidationError, match="cannot pay yourself"):
        start(associate, associate)
    assert not Payment.objects.exists()


def test_a_free_payment_succeeds_at_once_and_is_announced_after_commit(
    artist, associate, succeeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = start(artist, associate, Decimal("0.00"))
    assert payment.status == Payment.Status.SUCCEEDED
    assert [call["payment"].pk for call in succeeded.calls] == [payment.pk]


def test_the_payee_confirms_an_offline_payment_and_it_is_announced_after_commit(
    artist, associate, succeeded, django_capture_on_commit_callbacks
):
    payment = start(artist, associate)
    with django_capture_on_commit_callbacks() as callbacks:
        confirm_offline_payment(payment=payment, by=associate)
    assert succeeded.calls == []  # not before the commit
    for callback in callbacks:
        callback()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.paid_at is not None
    assert [call["payment"].pk for call in succeeded.calls] == [payment.pk]


@pytest.mark.parametrize("who", ["artist", "outsider"])
def test_only_the_payee_may_confirm_an_offline_payment(artist, associate, outsider, who, succeeded):
    payment = start(artist, associate)
    with pytest.raises(PermissionDenied, match="Only the person being paid"):
        confirm_offline_payment(payment=payment, by={"artist": artist, "outsider": outsider}[who])
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert succeeded.calls == []


def test_confirming_twice_is_refused_clearly(artist, associate, succeeded):
    payment = paid(artist, associate)
    with pytest.raises(ValidationError, match="already marked as paid"):
        confirm_offline_payment(payment=payment, by=associate)


def test_a_refunded_payment_can_no_longer_be_confirmed(artist, associate):
    payment = paid(artist, associate)
    refund_payment(payment=payment, amount=Decimal("120.00"), idempotency_key="r1")
    with pytest.raises(ValidationError, match="no longer be confirmed: it is refunded"):
        confirm_offline_payment(payment=payment, by=associate)


def test_a_stripe_payment_cannot_be_confirmed_by_hand(artist, associate):
    payment = Payment.objects.create(
        gateway="stripe", payer=artist, payee=associate, description="x", amount=Decimal("5")
    )
    with pytest.raises(ValidationError, match="by the payment provider"):
        confirm_offline_payment(payment=payment, by=associate)


def test_a_partial_refund_is_recorded_and_announced_with_its_amount(
    artist, associate, refunded, django_capture_on_commit_callbacks
):
    payment = paid(artist, associate)
    with django_capture_on_commit_callbacks(execute=True):
        refund_payment(payment=payment, amount=Decimal("30.00"), idempotency_key="r1")
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("30.00")
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert Refund.objects.get().amount == Decimal("30.00")
    assert [(c["payment"].pk, c["amount"]) for c in refunded.calls] == [
        (payment.pk, Decimal("30.00"))
    ]


def test_refunding_the_rest_marks_the_payment_refunded(artist, associate):
    payment = paid(artist, associate)
    refund_payment(payment=payment, amount=Decimal("30.00"), idempotency_key="r1")
    refund_payment(payment=payment, amount=Decimal("90.00"), idempotency_key="r2")
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("120.00")
    assert payment.status == Payment.Status.REFUNDED


def test_a_retried_refund_with_the_same_key_refunds_once(
    artist, associate, refunded, django_capture_on_commit_callbacks
):
    payment = paid(artist, associate)
    with django_capture_on_commit_callbacks(execute=True):
        refund_payment(payment=payment, amount=Decimal("30.00"), idempotency_key="r1")
        refund_payment(payment=payment, amount=Decimal("30.00"), idempotency_key="r1")
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("30.00")
    assert len(refunded.calls) == 1


def test_a_zero_refund_is_a_no_op(artist, associate, refunded):
    payment = paid(artist, associate)
    refund_payment(payment=payment, amount=Decimal("0"), idempotency_key="r0")
    payment.refresh_from_db()
    assert (payment.refunded_amount, payment.status) == (Decimal("0"), Payment.Status.SUCCEEDED)
    assert not Refund.objects.exists()


def test_refunding_more_than_was_paid_is_refused_and_nothing_changes(artist, associate, refunded):
    payment = paid(artist, associate)
    refund_payment(payment=payment, amount=Decimal("100.00"), idempotency_key="r1")
    with pytest.raises(ValidationError, match=re.escape("more than the 20.00 left to refund")):
        refund_payment(payment=payment, amount=Decimal("20.01"), idempotency_key="r2")
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("100.00")
    assert Refund.objects.count() == 1


def test_an_unpaid_payment_cannot_be_refunded(artist, associate):
    payment = start(artist, associate)
    with pytest.raises(ValidationError, match="Only a paid payment can be refunded"):
        refund_payment(payment=payment, amount=Decimal("10.00"), idempotency_key="r1")
    assert not Refund.objects.exists()
