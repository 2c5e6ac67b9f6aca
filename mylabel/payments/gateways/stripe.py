"""Stripe: a hosted Checkout Session per payment, refunds through the Refund API, webhooks
verified with Stripe's signing scheme. Amounts go to Stripe in minor units, computed with
Decimal. HTTP goes through the library's ``requests`` client (tests stub it with ``responses``)."""

import json
import logging
from decimal import Decimal
from typing import Any

import stripe
from django.utils.translation import gettext as _

from mylabel.payments.gateways.base import (
    Checkout,
    PaymentGateway,
    PaymentGatewayError,
    WebhookError,
    WebhookEvent,
)
from mylabel.payments.models import Payment

logger = logging.getLogger(__name__)

# Currencies Stripe counts in whole units (https://docs.stripe.com/currencies#zero-decimal).
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
# Seconds a webhook signature stays valid: older deliveries are replays.
WEBHOOK_TOLERANCE_SECONDS = 300
# Calls run inside a request: fail within seconds rather than Stripe's default 80.
HTTP_TIMEOUT_SECONDS = 20


def to_minor_units(amount: Decimal, currency: str) -> int:
    """``Decimal("12.34")`` EUR → ``1234``; refuses amounts finer than the currency's unit."""
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} {currency} has more decimals than the currency allows.")
    return int(scaled)


def from_minor_units(minor: int, currency: str) -> Decimal:
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return Decimal(minor).scaleb(-exponent).quantize(Decimal("0.01"))


def _user_facing(error: stripe.StripeError) -> PaymentGatewayError:
    """One message per kind of failure; Stripe's own text is logged, not shown, except for
    card errors, whose ``user_message`` Stripe writes for the payer."""
    logger.warning("Stripe call failed: %r", error)
    if isinstance(error, stripe.CardError) and error.user_message:
        return PaymentGatewayError(error.user_message)
    if isinstance(error, stripe.APIConnectionError | stripe.APIError | stripe.RateLimitError):
        return PaymentGatewayError(
            _(
                "The payment provider cannot be reached right now. Nothing was changed; "
                "please try again in a few minutes."
            )
        )
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return PaymentGatewayError(
            _("Online payments are not set up correctly. Please contact the label.")
        )
    return PaymentGatewayError(
        _("The payment provider refused the request: %(reason)s")
        % {"reason": error.user_message or _("no reason given")}
    )


class StripeGateway(PaymentGateway):
    name = "stripe"

    def __init__(
        self, *, secret_key: str, webhook_secret: str = "", max_network_retries: int = 2
    ) -> None:
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.max_network_retries = max_network_retries

    def _client(self) -> stripe.StripeClient:
        if not self.secret_key:
            raise PaymentGatewayError(
                _("Online payments are not set up correctly. Please contact the label.")
            )
        return stripe.StripeClient(
            self.secret_key,
            # Retries are safe: every call carries an Idempotency-Key.
            max_network_retries=self.max_network_retries,
            http_client=stripe.RequestsClient(timeout=HTTP_TIMEOUT_SECONDS),
        )

    def start(
        self, payment: Payment, *, idempotency_key: str, success_url: str, cancel_url: str
    ) -> Checkout:
        metadata = {"payment_id": str(payment.pk)}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency.lower(),
                        "unit_amount": to_minor_units(payment.amount, payment.currency),
                        "product_data": {"name": payment.description},
                    },
                }
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(payment.pk),
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
        }
        try:
            session = self._client().v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]  # a plain dict of the documented keys
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise _user_facing(error) from error
        return Checkout(external_id=session.id, checkout_url=session.url or "")

    def refund(self, payment: Payment, *, amount: Decimal, idempotency_key: str) -> str:
        if not payment.external_payment_id:
            raise PaymentGatewayError(
                _("This payment has not been captured by the payment provider yet.")
            )
        try:
            refund = self._client().v1.refunds.create(
                params={
                    "payment_intent": payment.external_payment_id,
                    "amount": to_minor_units(amount, payment.currency),
                    "metadata": {"payment_id": str(payment.pk)},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise _user_facing(error) from error
        return refund.id

    def parse_webhook(self, payload: bytes, signature: str) -> WebhookEvent:
        if not self.webhook_secret:
            raise WebhookError("STRIPE_WEBHOOK_SECRET is not set.")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, self.webhook_secret, WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise WebhookError(f"Invalid signature: {error.user_message or error}") from error
        try:
            body = json.loads(payload)
        except ValueError as error:
            raise WebhookError("Malformed JSON.") from error
        if not (
            isinstance(body, dict)
            and isinstance(body.get("id"), str)
            and isinstance(body.get("type"), str)
            and isinstance(body.get("data"), dict)
            and isinstance(body["data"].get("object"), dict)
        ):
            raise WebhookError("Not a Stripe event.")
        return WebhookEvent(id=body["id"], type=body["type"], data=body["data"]["object"])
