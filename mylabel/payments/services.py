"""Every state change of a payment (CONVENTIONS.md "Layers"). Payments know nothing of
bookings: they announce what happened with ``payment_succeeded`` / ``payment_refunded``, sent
after the commit, and the bookings app listens.

Gateway calls happen inside the transaction, so a refused or failed call
(``PaymentGatewayError``, with a message fit for the user) leaves nothing saved.
"""

import logging
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.payments.gateways import StripeGateway, WebhookEvent, get_gateway
from mylabel.payments.gateways.stripe import from_minor_units, to_minor_units
from mylabel.payments.models import Payment, ProcessedWebhookEvent, Refund
from mylabel.payments.signals import payment_refunded, payment_succeeded

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
# Payment.amount is DecimalField(max_digits=10, decimal_places=2).
MAX_AMOUNT = Decimal("99999999.99")


def platform_fee_for(amount: Decimal) -> Decimal:
    """The platform's share, ``PLATFORM_FEE_PERCENT`` of ``amount``, rounded half up to cents."""
    percent = Decimal(str(settings.PLATFORM_FEE_PERCENT))
    return (amount * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal):
        raise TypeError("Amounts are Decimals, never floats.")
    if not amount.is_finite() or amount < 0:
        raise ValidationError(_("The amount must be zero or more."), code="amount_negative")
    if amount != amount.quantize(CENT):
        raise ValidationError(_("The amount cannot have fractions of a cent."), code="amount_cents")
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="amount_too_large")


def _announce_success(payment: Payment) -> None:
    transaction.on_commit(lambda: payment_succeeded.send(sender=Payment, payment=payment))


def _announce_refund(payment: Payment, amount: Decimal) -> None:
    transaction.on_commit(
        lambda: payment_refunded.send(sender=Payment, payment=payment, amount=amount)
    )


@transaction.atomic
def start_payment(
    *,
    payer: User,
    payee: User,
    amount: Decimal,
    currency: str,
    description: str,
    idempotency_key: str,
    success_url: str,
    cancel_url: str,
) -> Payment:
    """A PENDING payment from ``payer`` to ``payee`` through the configured gateway (Stripe:
    a Checkout Session, its URL in ``checkout_url``; offline: no URL, the payee confirms).

    Starting again with the same ``idempotency_key`` returns the first payment. A payment of
    zero succeeds at once (``payment_succeeded`` is sent on commit). ``success_url`` and
    ``cancel_url`` must be absolute. Raises ``ValidationError`` for bad input and
    ``PaymentGatewayError`` when the gateway refuses; nothing is saved then.
    """
    _check_amount(amount)
    currency = (currency or settings.PAYMENT_CURRENCY).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(_("Unknown currency %(currency)s.") % {"currency": currency})
    if payer.pk == payee.pk:
        raise ValidationError(_("You cannot pay yourself."), code="self_payment")
    if not idempotency_key:
        raise ValueError("start_payment needs an idempotency key.")

    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if (existing.payer_id, existing.payee_id, existing.amount, existing.currency) != (
            payer.pk,
            payee.pk,
            amount,
            currency,
        ):
            raise ValidationError(_("This payment was already started with different details."))
        return existing

    gateway = get_gateway()
    payment = Payment.objects.create(
        gateway=gateway.name,
        payer=payer,
        payee=payee,
        description=description[:200],
        amount=amount,
        currency=currency,
        platform_fee=platform_fee_for(amount),
        idempotency_key=idempotency_key,
    )
    if amount == 0:
        payment.status = Payment.Status.SUCCEEDED
        payment.paid_at = timezone.now()
        payment.save(update_fields=["status", "paid_at", "updated_at"])
        _announce_success(payment)
        return payment

    checkout = gateway.start(
        payment, idempotency_key=idempotency_key, success_url=success_url, cancel_url=cancel_url
    )
    payment.external_id = checkout.external_id
    payment.checkout_url = checkout.checkout_url
    payment.save(update_fields=["external_id", "checkout_url", "updated_at"])
    return payment


@transaction.atomic
def confirm_offline_payment(*, payment: Payment, by: User) -> Payment:
    """The payee says the money arrived: PENDING → SUCCEEDED, ``payment_succeeded`` on commit.
    Only for offline payments, only by the payee, only once."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if by.pk != payment.payee_id:
        raise PermissionDenied(_("Only the person being paid can confirm this payment."))
    if not get_gateway(payment.gateway).confirmed_by_payee:
        raise ValidationError(
            _("This payment is confirmed by the payment provider, not by hand."),
            code="not_offline",
        )
    if payment.status == Payment.Status.SUCCEEDED:
        raise ValidationError(_("This payment is already marked as paid."), code="already_paid")
    if payment.status != Payment.Status.PENDING:
        raise ValidationError(
            _("This payment can no longer be confirmed: it is %(status)s.")
            % {"status": payment.get_status_display().lower()},
            code="not_pending",
        )
    payment.status = Payment.Status.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "paid_at", "updated_at"])
    _announce_success(payment)
    return payment


def _record_refund(
    payment: Payment, *, amount: Decimal, idempotency_key: str, external_id: str = ""
) -> None:
    Refund.objects.create(
        payment=payment, amount=amount, idempotency_key=idempotency_key, external_id=external_id
    )
    payment.refunded_amount += amount
    payment.status = (
        Payment.Status.REFUNDED
        if payment.refunded_amount == payment.amount
        else Payment.Status.PARTIALLY_REFUNDED
    )
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    _announce_refund(payment, amount)


@transaction.atomic
def refund_payment(*, payment: Payment, amount: Decimal, idempotency_key: str) -> Payment:
    """Give ``amount`` of a paid payment back (offline: recorded; Stripe: the Refund API),
    ``payment_refunded`` on commit. Zero is a no-op; a repeated ``idempotency_key`` returns the
    payment without refunding twice. The caller decides who may refund (the policy lives with
    bookings). Raises ``ValidationError`` (not paid, more than is left) or
    ``PaymentGatewayError``; the payment is unchanged then."""
    _check_amount(amount)
    if amount == 0:
        return payment
    if not idempotency_key:
        raise ValueError("refund_payment needs an idempotency key.")
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    previous = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if previous is not None:
        if previous.payment_id != payment.pk or previous.amount != amount:
            raise ValidationError(_("This refund was already made with different details."))
        return payment
    if payment.status not in (Payment.Status.SUCCEEDED, Payment.Status.PARTIALLY_REFUNDED):
        raise ValidationError(
            _("Only a paid payment can be refunded; this one is %(status)s.")
            % {"status": payment.get_status_display().lower()},
            code="not_paid",
        )
    if amount > payment.refundable_amount:
        raise ValidationError(
            _("A refund of %(amount)s %(currency)s is more than the %(left)s left to refund.")
            % {"amount": amount, "currency": payment.currency, "left": payment.refundable_amount},
            code="refund_too_large",
        )
    external_id = get_gateway(payment.gateway).refund(
        payment, amount=amount, idempotency_key=idempotency_key
    )
    _record_refund(payment, amount=amount, idempotency_key=idempotency_key, external_id=external_id)
    return payment


# --- Stripe webhooks ----------------------------------------------------------------------------


class EventNotReady(Exception):
    """A verified event that cannot be applied yet because an earlier one has not arrived
    (Stripe does not promise delivery order). The webhook answers non-2xx, so Stripe delivers
    it again later (with backoff, for up to three days); nothing is recorded meanwhile."""


@transaction.atomic
def handle_stripe_event(*, event: WebhookEvent) -> bool:
    """Apply one verified Stripe event, once: returns False for an event id already processed.
    If applying it fails (``EventNotReady`` included), the event is not marked processed, so
    Stripe delivers it again."""
    try:
        with transaction.atomic():
            ProcessedWebhookEvent.objects.create(
                gateway=StripeGateway.name, event_id=event.id, event_type=event.type[:100]
            )
    except IntegrityError:
        return False
    handler = _STRIPE_HANDLERS.get(event.type)
    if handler is not None:
        handler(event.data)
    return True


def _stripe_payment(query: dict[str, Any]) -> Payment | None:
    payment = (
        Payment.objects.select_for_update().filter(gateway=StripeGateway.name, **query).first()
    )
    if payment is None:
        logger.info("Stripe event for no payment of ours: %s", query)
    return payment


def _checkout_paid(session: Mapping[str, Any]) -> None:
    if session.get("payment_status") != "paid":
        return  # An asynchronous method (SEPA, …): async_payment_succeeded follows.
    payment = _stripe_payment({"external_id": session.get("id", "")})
    if payment is None or payment.status != Payment.Status.PENDING:
        return
    expected = to_minor_units(payment.amount, payment.currency)
    if (
        session.get("amount_total") != expected
        or str(session.get("currency", "")).upper() != payment.currency
    ):
        logger.error(
            "Stripe session %s paid %s %s, expected %s %s; payment %s left pending.",
            session.get("id"),
            session.get("amount_total"),
            session.get("currency"),
            expected,
            payment.currency,
            payment.pk,
        )
        return
    payment.status = Payment.Status.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.external_payment_id = str(session.get("payment_intent") or "")
    payment.save(update_fields=["status", "paid_at", "external_payment_id", "updated_at"])
    _announce_success(payment)


def _checkout_failed(session: Mapping[str, Any]) -> None:
    payment = _stripe_payment({"external_id": session.get("id", "")})
    if payment is not None and payment.status == Payment.Status.PENDING:
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status", "updated_at"])


def _charge_refunded(charge: Mapping[str, Any]) -> None:
    """Refunds made outside the site (Stripe's dashboard) are recorded; those made through
    ``refund_payment`` are already in the total and change nothing.

    A refund of a payment intent we do not know yet usually means ``charge.refunded`` overtook
    ``checkout.session.completed`` (which tells us the intent): refused with ``EventNotReady``
    so Stripe redelivers it once the payment is known, instead of being acknowledged and lost.
    A charge that was never ours ends in Stripe's list of failed deliveries, where it shows."""
    intent = charge.get("payment_intent")
    if not intent:
        return
    payment = _stripe_payment({"external_payment_id": intent})
    if payment is None:
        raise EventNotReady(f"No payment with intent {intent} yet.")
    refunded = charge.get("amount_refunded")
    if not isinstance(refunded, int):
        return
    total = min(from_minor_units(refunded, payment.currency), payment.amount)
    if total > payment.refunded_amount:
        _record_refund(
            payment,
            amount=total - payment.refunded_amount,
            idempotency_key=f"stripe-charge:{charge.get('id')}:{refunded}",
        )


_STRIPE_HANDLERS = {
    "checkout.session.completed": _checkout_paid,
    "checkout.session.async_payment_succeeded": _checkout_paid,
    "checkout.session.async_payment_failed": _checkout_failed,
    "checkout.session.expired": _checkout_failed,
    "charge.refunded": _charge_refunded,
}
