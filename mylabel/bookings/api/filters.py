from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from mylabel.bookings.models import Booking, BookingQuerySet, Status

ROLE_CHOICES = [
    ("artist", _("Bookings I made as an artist")),
    ("associate", _("Bookings made with me as a professional")),
    ("disputes", _("Every disputed booking (label admins)")),
]


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601; a time without an offset is read as UTC. Refuses moments that have no UTC
    equivalent (year 1 at +14:00), which the database adapters could not convert."""

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(_("This date is out of range."), code="overflow") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class BookingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    role = filters.ChoiceFilter(
        choices=ROLE_CHOICES,
        method="filter_role",
        help_text=_(
            "Without it, every booking you are a party to. "
            '"disputes" lists every disputed booking for label admins, none for anyone else.'
        ),
    )
    start_after = UtcDateTimeFilter(
        field_name="start",
        lookup_expr="gte",
        help_text=_("Bookings starting at or after this moment (ISO 8601)."),
    )
    start_before = UtcDateTimeFilter(
        field_name="start",
        lookup_expr="lt",
        help_text=_("Bookings starting before this moment (ISO 8601)."),
    )

    class Meta:
        model = Booking
        fields = ["status", "role", "start_after", "start_before"]

    def filter_role(self, queryset: BookingQuerySet, name: str, value: str) -> BookingQuerySet:
        # "disputes" chose the base queryset already (BookingViewSet.get_queryset).
        user = self.request.user
        if value == "artist":
            return queryset.filter(artist__user=user)
        if value == "associate":
            return queryset.filter(associate__user=user)
        return queryset
