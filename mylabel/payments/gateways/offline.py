"""The embedded default: no money moves through the site. The payer pays the payee directly and
the payee marks the payment paid; refunds are recorded for the record."""

from decimal import Decimal

from mylabel.payments.gateways.base import Checkout, PaymentGateway
from mylabel.payments.models import Payment


class OfflineGateway(PaymentGateway):
    name = "offline"
    confirmed_by_payee = True

    def start(
        self, payment: Payment, *, idempotency_key: str, success_url: str, cancel_url: str
    ) -> Checkout:
        return Checkout()

    def refund(self, payment: Payment, *, amount: Decimal, idempotency_key: str) -> str:
        return ""
