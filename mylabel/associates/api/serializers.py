"""Professionals in the API: directory cards, profiles, their owners' edits, services and free
times. Input serializers check types; the rules are the services' and the models' (and, for
prices, the service form's ``PriceField``), so the API refuses exactly what the site refuses."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.api.serializers import NULLABLE_URL, OutputModelSerializer, file_url
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.artists.api.serializers import GenreSerializer
from mylabel.associates.forms import PriceField
from mylabel.associates.models import LANGUAGE_CHOICES, Associate, Profession, Service
from mylabel.associates.money import CURRENCY_CHOICES
from mylabel.core.models import Genre

# A request for free times covers at most this many days (a month either way of the 31st).
MAX_SLOT_SPAN_DAYS = 62
# The longest booking horizon a professional can set (``Associate.horizon_days``): no free time
# starts later than this many days from today, so later dates are refused, not searched.
MAX_HORIZON_DAYS = 365


class ProfessionSerializer(serializers.ModelSerializer[Profession]):
    class Meta:
        model = Profession
        fields = ["slug", "name"]


_PROFILE_FIELDS = [
    "slug",
    "display_name",
    "headline",
    "professions",
    "genres",
    "city",
    "country",
    "works_remotely",
    "rating_average",
    "rating_count",
    "avatar_url",
    "page_url",
]


class _ProfileBaseSerializer(OutputModelSerializer[Associate]):
    country = serializers.CharField(source="country.code", read_only=True)
    professions = ProfessionSerializer(many=True, read_only=True)
    genres = GenreSerializer(many=True, read_only=True)
    avatar_url = serializers.SerializerMethodField()
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    @extend_schema_field(NULLABLE_URL)
    def get_avatar_url(self, associate: Associate) -> str | None:
        return file_url(associate.user.avatar)


class AssociateSummarySerializer(_ProfileBaseSerializer):
    """A directory card (``Associate.objects.for_directory()``: no bio, the lowest price)."""

    lowest_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, allow_null=True
    )
    lowest_price_currency = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Associate
        fields = [*_PROFILE_FIELDS, "lowest_price", "lowest_price_currency"]
        read_only_fields = fields


class AssociateSerializer(_ProfileBaseSerializer):
    """The profile page (``Associate.objects.for_profile()``)."""

    class Meta:
        model = Associate
        fields = [
            *_PROFILE_FIELDS,
            "bio",
            "years_experience",
            "languages",
            "website_url",
            "created_at",
        ]
        read_only_fields = fields


class AssociateUpdateSerializer(StrictFieldsMixin, serializers.Serializer[Associate]):
    """The owner's changes; fields left out are unchanged."""

    display_name = serializers.CharField(required=False, allow_blank=True)
    slug = serializers.CharField(required=False, allow_blank=True)
    headline = serializers.CharField(required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    city = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("ISO 3166-1 alpha-2 code, e.g. IT."),
    )
    works_remotely = serializers.BooleanField(required=False)
    # The details form's bounds (AssociateDetailsForm).
    years_experience = serializers.IntegerField(required=False, min_value=0, max_value=80)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False
    )
    website_url = serializers.CharField(required=False, allow_blank=True)
    professions = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Profession.objects.only("slug"),
        help_text=gettext_lazy(
            "Profession slugs, at least one; replaces the profile's professions."
        ),
    )
    genres = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Genre.objects.only("slug"),
        help_text=gettext_lazy("Genre slugs; replaces the profile's genres."),
    )

    def validate_slug(self, value: str) -> str:
        return value.lower()  # as the profile form does: addresses are lower-case


class ServiceSerializer(serializers.ModelSerializer[Service]):
    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "description",
            "price",
            "currency",
            "pricing_unit",
            "duration_minutes",
            "deposit_percent",
            "free_cancellation_hours",
            "late_cancellation_refund_percent",
            "is_active",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$", "example": "49.50"})
class PriceInputField(serializers.Field[Decimal, Decimal, Any, Any]):
    """A price read as the service form reads it (``PriceField``: a decimal comma is fine, no
    exponents, at most two decimals, not negative). JSON numbers are accepted too."""

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            raise serializers.ValidationError(_("Enter the price as a number, like 120 or 49.50."))
        try:
            price: Decimal = PriceField().clean(str(data))
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return price


class ServiceInputSerializer(StrictFieldsMixin, serializers.Serializer[Service]):
    """A new service (``name`` and ``price`` required) or changes to one (all optional). The
    bounds are the service form's; ``add_service``/``update_service`` check the rest."""

    name = serializers.CharField(max_length=120)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, trim_whitespace=False
    )
    price = PriceInputField()
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    pricing_unit = serializers.ChoiceField(choices=Service.PricingUnit.choices, required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=15, max_value=12 * 60)
    deposit_percent = serializers.IntegerField(required=False, min_value=0, max_value=100)
    free_cancellation_hours = serializers.IntegerField(
        required=False, min_value=0, max_value=24 * 30
    )
    late_cancellation_refund_percent = serializers.IntegerField(
        required=False, min_value=0, max_value=100
    )
    is_active = serializers.BooleanField(
        required=False, help_text=gettext_lazy("Bookable by artists.")
    )


class SlotQuerySerializer(serializers.Serializer[Any]):
    """``?service=&from=&to=``: one of the professional's bookable services and a range of
    dates (in the viewer's time zone), at most ``MAX_SLOT_SPAN_DAYS`` long."""

    service = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    to = serializers.DateField(required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        return {**super().get_fields(), "from": serializers.DateField(required=False)}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from datetime import timedelta

        first = attrs.get("from") or self.today
        last = attrs.get("to") or first + timedelta(days=6)
        if first < self.today:
            raise serializers.ValidationError(
                {"from": [_("Choose today or a later date.")]}, code="past"
            )
        if first > self.today + timedelta(days=MAX_HORIZON_DAYS):
            raise serializers.ValidationError(
                {"from": [_("No professional takes bookings that far ahead.")]}, code="too_far"
            )
        if last < first:
            raise serializers.ValidationError(
                {"to": [_("The end date is before the start date.")]}, code="before_start"
            )
        if (last - first).days + 1 > MAX_SLOT_SPAN_DAYS:
            raise serializers.ValidationError(
                {
                    "to": [
                        _("Ask for at most %(days)d days at a time.") % {"days": MAX_SLOT_SPAN_DAYS}
                    ]
                },
                code="span_too_long",
            )
        return {**attrs, "from": first, "to": last}


class SlotSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotListSerializer(serializers.Serializer[Any]):
    time_zone = serializers.CharField(help_text=gettext_lazy("The zone the dates were read in."))
    service = serializers.IntegerField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    slots = SlotSerializer(many=True)
