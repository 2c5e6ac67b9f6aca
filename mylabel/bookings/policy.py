"""Money rules of a booking: what is charged on acceptance and what a cancellation refunds.

Amounts are ``Decimal`` in the booking's currency, quantized to cents with ROUND_HALF_UP.

What is charged: the deposit when the service asks for one (``deposit_percent`` > 0; the rest is
settled between artist and professional), otherwise the full price.

What a cancellation refunds (of what was actually paid and not yet refunded):
- the professional cancels: everything;
- the artist cancels at least ``free_cancellation_hours`` before the start: everything;
- the artist cancels later: ``late_cancellation_refund_percent`` of it.
"""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from mylabel.bookings.models import Booking

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: int) -> Decimal:
    return to_cents(amount * Decimal(percent) / Decimal(100))


def amount_due_on_accept(booking: Booking) -> Decimal:
    """What the artist pays through the platform once the professional accepts."""
    if booking.deposit_percent:
        return percent_of(booking.price, booking.deposit_percent)
    return to_cents(booking.price)


def free_cancellation_deadline(booking: Booking) -> datetime:
    """Until this moment the artist can cancel with a full refund."""
    return booking.start - timedelta(hours=booking.free_cancellation_hours)


def cancellation_refund(
    *, booking: Booking, paid: Decimal, by_associate: bool, now: datetime
) -> Decimal:
    """The refund due when ``booking`` is cancelled at ``now``, out of ``paid`` (what was paid
    and is still refundable)."""
    if paid <= 0:
        return Decimal("0.00")
    if by_associate or now <= free_cancellation_deadline(booking):
        return to_cents(paid)
    return percent_of(paid, booking.late_cancellation_refund_percent)
