"""Gateway factory: Stripe when ``STRIPE_SECRET_KEY`` is set, the offline gateway otherwise."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mylabel.payments.gateways.base import (
    Checkout,
    PaymentGateway,
    PaymentGatewayError,
    WebhookError,
    WebhookEvent,
)
from mylabel.payments.gateways.offline import OfflineGateway
from mylabel.payments.gateways.stripe import StripeGateway

__all__ = [
    "Checkout",
    "OfflineGateway",
    "PaymentGateway",
    "PaymentGatewayError",
    "StripeGateway",
    "WebhookError",
    "WebhookEvent",
    "get_gateway",
]


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The gateway called ``name`` (an existing payment's ``gateway``), or, without a name, the
    one new payments use, chosen by the settings."""
    if name is None:
        name = StripeGateway.name if settings.STRIPE_SECRET_KEY else OfflineGateway.name
    if name == OfflineGateway.name:
        return OfflineGateway()
    if name == StripeGateway.name:
        return StripeGateway(
            secret_key=settings.STRIPE_SECRET_KEY, webhook_secret=settings.STRIPE_WEBHOOK_SECRET
        )
    raise ImproperlyConfigured(f"Unknown payment gateway {name!r}.")
