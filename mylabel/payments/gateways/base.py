"""The one interface every payment gateway implements (DESIGN.md §2.4).

Gateways talk to the outside world only; they never save models. The services in
``payments.services`` create and update ``Payment`` rows around the gateway calls.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from mylabel.payments.models import Payment


class PaymentGatewayError(ValidationError):
    """A gateway refused or failed a call. A ``ValidationError``, so every caller that turns
    service errors into messages shows it: ``error.messages`` holds one translated message that
    is safe to show to the user. Nothing was saved when a service raises it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="payment_gateway")


class WebhookError(Exception):
    """A webhook delivery that cannot be trusted or read (bad or stale signature, bad JSON)."""


@dataclass(frozen=True)
class Checkout:
    """What starting a payment gives back: the gateway's id and where to send the payer
    (both empty for gateways without a hosted payment page)."""

    external_id: str = ""
    checkout_url: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    data: Mapping[str, Any] = field(default_factory=dict)


class PaymentGateway(ABC):
    name: ClassVar[str]
    # Whether the payee marks payments paid by hand (``confirm_offline_payment``).
    confirmed_by_payee: ClassVar[bool] = False

    @abstractmethod
    def start(
        self, payment: Payment, *, idempotency_key: str, success_url: str, cancel_url: str
    ) -> Checkout:
        """Ask the gateway to collect ``payment.amount``; raises ``PaymentGatewayError``."""

    @abstractmethod
    def refund(self, payment: Payment, *, amount: Decimal, idempotency_key: str) -> str:
        """Give ``amount`` back to the payer; returns the gateway's refund id (may be empty).
        Raises ``PaymentGatewayError``."""

    def parse_webhook(self, payload: bytes, signature: str) -> WebhookEvent:
        """Verify and read one webhook delivery; raises ``WebhookError``."""
        raise WebhookError(f"The {self.name} gateway receives no webhooks.")
