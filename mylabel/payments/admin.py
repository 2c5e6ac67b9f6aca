"""Payments are read-only here: every change goes through ``payments.services``."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mylabel.payments.models import Payment, ProcessedWebhookEvent, Refund


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    fields = ("amount", "external_id", "idempotency_key", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "payer",
        "payee",
        "amount",
        "currency",
        "platform_fee",
        "refunded_amount",
        "status",
        "gateway",
        "created_at",
    )
    list_filter = ("status", "gateway", "currency")
    search_fields = ("external_id", "external_payment_id", "payer__email", "payee__email")
    list_select_related = ("payer", "payee")
    inlines = [RefundInline]


@admin.register(ProcessedWebhookEvent)
class ProcessedWebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "event_type", "gateway", "received_at")
    list_filter = ("gateway", "event_type")
    search_fields = ("event_id",)
