from django.apps import AppConfig
from django.core import checks


class PaymentsConfig(AppConfig):
    """Gateways and payments. Knows nothing of bookings: it announces what happened through
    the signals in ``payments.signals`` and the bookings app listens (DESIGN.md §3)."""

    name = "mylabel.payments"
    label = "payments"

    def ready(self) -> None:
        from mylabel.payments.checks import check_payment_settings

        checks.register(check_payment_settings)
