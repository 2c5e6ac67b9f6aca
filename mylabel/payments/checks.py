"""Start-up checks of the payment settings: a typo here would otherwise surface only when the
first booking is accepted, or as payments never marked paid."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning


def check_payment_settings(**kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    try:
        fee = Decimal(str(settings.PLATFORM_FEE_PERCENT))
        valid_fee = fee.is_finite() and 0 <= fee <= 100
    except InvalidOperation:
        valid_fee = False
    if not valid_fee:
        problems.append(
            Error(
                f"PLATFORM_FEE_PERCENT={settings.PLATFORM_FEE_PERCENT!r} is not a percentage.",
                hint="Use a number from 0 to 100, such as 10 or 12.5.",
                id="payments.E001",
            )
        )
    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        problems.append(
            Warning(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe payments "
                "will never be marked paid.",
                hint="Add the signing secret of the webhook endpoint /payments/stripe/webhook/.",
                id="payments.W001",
            )
        )
    return problems
