"""Domain events of the payments app. Sent after the database commit, with ``payment=``."""

from django.dispatch import Signal

payment_succeeded = Signal()
# Also sends ``amount``: the Decimal refunded by this refund (the payment keeps the running total).
payment_refunded = Signal()
