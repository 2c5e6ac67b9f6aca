from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Payment(models.Model):
    """Money moving from a payer to a payee through one gateway. Amounts are Decimals in
    ``currency``; gateways convert to minor units at their edge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        # A context of its own: Italian agrees "paid" with the payment (pagato), not the
        # booking (pagata).
        SUCCEEDED = "succeeded", pgettext_lazy("payment status", "Paid")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")

    gateway = models.CharField(max_length=20)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments_made"
    )
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments_received"
    )
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    platform_fee = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    refunded_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # The gateway's own id (a Stripe Checkout Session id, …) and where to send the payer.
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The gateway's id of the money actually taken (a Stripe PaymentIntent), known once paid;
    # refunds are made against it.
    external_payment_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The caller's key for "this payment": starting the same payment twice returns the first.
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("amount")), name="payment_refund_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.refunded_amount


class Refund(models.Model):
    """One refund of a payment (the payment keeps the running total in ``refunded_amount``).
    The idempotency key makes a retried refund a no-op instead of a second refund."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    idempotency_key = models.CharField(max_length=255, unique=True)
    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.payment}"


class ProcessedWebhookEvent(models.Model):
    """A gateway event already handled: webhooks are delivered at least once, processed once."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id}"
