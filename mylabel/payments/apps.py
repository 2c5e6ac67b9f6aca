from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Gateways and payments. Knows nothing of bookings: it announces what happened through
    the signals in ``payments.signals`` and the bookings app listens (DESIGN.md §3)."""

    name = "mylabel.payments"
    label = "payments"
