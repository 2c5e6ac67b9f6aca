"""Bookings in the API: input serializers parse (they never decide: the services do), output
serializers show what the booking page shows."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.models import User
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.associates.models import Service
from mylabel.bookings import policy, services
from mylabel.bookings.models import Booking, Status
from mylabel.bookings.services import REASON_MAX_LENGTH
from mylabel.payments.gateways import get_gateway
from mylabel.payments.models import Payment

# What a client may do next: the booking page's actions, plus "pay" for the artist while a
# payment is waiting (the page shows a Pay button or a note for it instead of a form).
API_ACTIONS = (*services.ACTIONS, "pay")


# --- Input --------------------------------------------------------------------------------------


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time with its UTC offset: a booking is a moment, and a time without
    an offset could be any of 38 moments."""

    default_error_messages = {
        "naive": _("Give the time with its UTC offset, e.g. 2026-05-04T10:00:00+02:00."),
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # out of range: DRF's own parsing names the error
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


class BookingCreateSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    service = serializers.PrimaryKeyRelatedField(
        # Bookable services of listed professionals; request_booking checks again under lock.
        queryset=Service.objects.active().filter(associate__user__is_active=True),
        # Whole numbers only: Django would read 1.5 as service 1.
        pk_field=serializers.IntegerField(),
        help_text=_("The id of an active service of a professional."),
        error_messages={"does_not_exist": _("There is no bookable service with this id.")},
    )
    start = AwareDateTimeField(
        help_text=_("When the session starts: one of the service's free times (see its slots).")
    )
    message = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class BookingNoInputSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    """Actions that take no input: an empty body or ``{}``; any field is refused."""


class BookingOptionalReasonSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class BookingReasonSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    # Blank is left to the service, which refuses it with the page's message.
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True)


class BookingResolveSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    outcome = serializers.ChoiceField(
        choices=[
            (Status.COMPLETED, _("Completed: the professional keeps the payment")),
            (Status.CANCELLED, _("Cancelled: refund the artist")),
        ]
    )
    note = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True)


# --- Output -------------------------------------------------------------------------------------


class BookingPartySerializer(serializers.Serializer[Any]):
    """The artist or the professional, as the other party sees them."""

    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class BookingServiceSerializer(serializers.Serializer[Service]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class BookingListSerializer(serializers.ModelSerializer[Booking]):
    service = BookingServiceSerializer(read_only=True)
    artist = BookingPartySerializer(read_only=True)
    associate = BookingPartySerializer(read_only=True)
    payment_status = serializers.ChoiceField(
        source="payment.status",
        choices=Payment.Status.choices,
        allow_null=True,
        read_only=True,
        help_text=_("null until the professional accepts."),
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "status",
            "start",
            "end",
            "service",
            "artist",
            "associate",
            "price",
            "currency",
            "payment_status",
        ]
        read_only_fields = fields


class BookingPaymentSerializer(serializers.ModelSerializer[Payment]):
    class Meta:
        model = Payment
        fields = ["status", "gateway", "amount", "currency", "refunded_amount", "paid_at"]
        read_only_fields = fields


class BookingEventSerializer(serializers.Serializer[Any]):
    from_status = serializers.CharField(
        read_only=True, help_text=_("Empty for the request itself.")
    )
    to_status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    actor = serializers.CharField(
        source="actor.name",
        allow_null=True,
        read_only=True,
        help_text=_("Who made the change; null when the system did (an expiry)."),
    )
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class BookingCancellationPolicySerializer(serializers.Serializer[Booking]):
    free_cancellation_hours = serializers.IntegerField(read_only=True)
    free_cancellation_until = serializers.SerializerMethodField(
        help_text=_("Until then the artist can cancel with a full refund.")
    )
    late_cancellation_refund_percent = serializers.IntegerField(
        read_only=True, help_text=_("Refunded of what was paid when the artist cancels later.")
    )

    @extend_schema_field(serializers.DateTimeField())
    def get_free_cancellation_until(self, booking: Booking) -> str:
        return serializers.DateTimeField().to_representation(
            policy.free_cancellation_deadline(booking)
        )


class BookingDetailSerializer(BookingListSerializer):
    deposit_percent = serializers.IntegerField(read_only=True)
    amount_due = serializers.SerializerMethodField(
        help_text=_("What the artist pays through the site once the professional accepts.")
    )
    cancellation_policy = BookingCancellationPolicySerializer(source="*", read_only=True)
    payment = BookingPaymentSerializer(read_only=True, allow_null=True)
    events = BookingEventSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField(
        help_text=_("The actions the caller may take now (each is POST …/<action>/).")
    )

    class Meta(BookingListSerializer.Meta):
        fields = [
            *BookingListSerializer.Meta.fields,
            "message",
            "expires_at",
            "created_at",
            "deposit_percent",
            "amount_due",
            "cancellation_policy",
            "payment",
            "events",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=10, decimal_places=2))
    def get_amount_due(self, booking: Booking) -> str:
        return serializers.DecimalField(max_digits=10, decimal_places=2).to_representation(
            policy.amount_due_on_accept(booking)
        )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(API_ACTIONS)))
    def get_available_actions(self, booking: Booking) -> list[str]:
        user: User = self.context["request"].user
        actions = services.available_actions(booking, user)
        if payment_awaited_from(booking, user):
            actions.append("pay")
        return actions


def payment_awaited_from(booking: Booking, user: User) -> bool:
    """Whether ``user`` is the artist and the booking waits for their payment (the booking
    page's condition for its Pay button or its "pay the professional" note)."""
    payment = booking.payment
    return (
        booking.artist.user_id == user.pk
        and booking.status == Status.ACCEPTED
        and payment is not None
        and payment.status == Payment.Status.PENDING
    )


class BookingPaymentInstructionsSerializer(serializers.Serializer[Payment]):
    """How the artist pays: on the provider's page, or directly to the professional."""

    status = serializers.ChoiceField(choices=Payment.Status.choices, read_only=True)
    gateway = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    currency = serializers.CharField(read_only=True)
    checkout_url = serializers.CharField(
        read_only=True,
        help_text=_("Where to send the artist to pay; empty when they pay the professional."),
    )
    confirmed_by = serializers.SerializerMethodField(
        help_text=_(
            '"professional": they confirm with …/confirm-payment/ when the money arrives; '
            '"provider": the payment provider tells the site.'
        )
    )

    @extend_schema_field(serializers.ChoiceField(choices=["professional", "provider"]))
    def get_confirmed_by(self, payment: Payment) -> str:
        return "professional" if get_gateway(payment.gateway).confirmed_by_payee else "provider"
