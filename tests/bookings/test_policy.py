"""What acceptance charges and what a cancellation refunds (bookings/policy.py)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from mylabel.bookings import policy
from mylabel.bookings.models import Booking

START = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)


def booking(**fields) -> Booking:
    values = {
        "start": START,
        "end": START + timedelta(hours=1),
        "price": Decimal("200.00"),
        "deposit_percent": 0,
        "free_cancellation_hours": 48,
        "late_cancellation_refund_percent": 50,
        **fields,
    }
    return Booking(**values)


def refund(paid: str, *, hours_before: float, by_associate: bool = False, **fields) -> Decimal:
    return policy.cancellation_refund(
        booking=booking(**fields),
        paid=Decimal(paid),
        by_associate=by_associate,
        now=START - timedelta(hours=hours_before),
    )


def test_without_a_deposit_the_full_price_is_charged():
    assert policy.amount_due_on_accept(booking(price=Decimal("149.90"))) == Decimal("149.90")


def test_with_a_deposit_only_the_deposit_is_charged():
    assert policy.amount_due_on_accept(booking(deposit_percent=30)) == Decimal("60.00")


def test_the_deposit_is_rounded_half_up_to_cents():
    # 33% of 10.05 is 3.3165
    assert policy.amount_due_on_accept(
        booking(price=Decimal("10.05"), deposit_percent=33)
    ) == Decimal("3.32")


def test_a_full_deposit_is_the_full_price():
    assert policy.amount_due_on_accept(booking(deposit_percent=100)) == Decimal("200.00")


def test_cancelling_before_the_free_window_ends_refunds_everything():
    assert refund("200.00", hours_before=72) == Decimal("200.00")


def test_cancelling_exactly_at_the_deadline_still_refunds_everything():
    assert refund("200.00", hours_before=48) == Decimal("200.00")


def test_cancelling_just_after_the_deadline_refunds_the_late_percentage():
    assert refund("200.00", hours_before=47.99) == Decimal("100.00")


def test_a_late_refund_is_rounded_half_up_to_cents():
    # 50% of 0.05 is 0.025
    assert refund("0.05", hours_before=1) == Decimal("0.03")


def test_a_late_cancellation_with_no_late_refund_returns_nothing():
    assert refund("200.00", hours_before=1, late_cancellation_refund_percent=0) == Decimal("0.00")


def test_the_professional_cancelling_late_refunds_everything():
    assert refund("200.00", hours_before=1, by_associate=True) == Decimal("200.00")


def test_a_deposit_is_refunded_by_the_same_rules():
    assert refund("60.00", hours_before=10, late_cancellation_refund_percent=25) == Decimal("15.00")


@pytest.mark.parametrize("paid", ["0", "0.00"])
def test_nothing_paid_means_nothing_refunded(paid: str):
    assert refund(paid, hours_before=100) == Decimal("0.00")


def test_with_a_zero_hour_window_the_deadline_is_the_start():
    assert refund("200.00", hours_before=500, free_cancellation_hours=0) == Decimal("200.00")
    assert policy.free_cancellation_deadline(booking(free_cancellation_hours=0)) == START


def test_refunds_are_always_decimals_in_cents():
    amount = refund("33.33", hours_before=1, late_cancellation_refund_percent=33)
    assert isinstance(amount, Decimal)
    assert amount == Decimal("11.00")
    assert amount.as_tuple().exponent == -2
