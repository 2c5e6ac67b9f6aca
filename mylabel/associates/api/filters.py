"""The professionals directory's filters as a django-filter ``FilterSet`` (the API's side of
``AssociateDirectoryForm``; see ``artists.api.filters`` for what the two share)."""

from typing import Any

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from mylabel.artists.api.filters import DirectoryFilterSet, sort_filter
from mylabel.associates.forms import PriceField
from mylabel.associates.forms_directory import AssociateDirectoryForm
from mylabel.associates.models import Associate, Profession


class PriceFilter(django_filters.NumberFilter):
    """A price bound, parsed as the service form parses prices (``PriceField``)."""

    field_class = PriceField


class AssociateFilter(DirectoryFilterSet):
    sort = sort_filter(AssociateDirectoryForm.SORT_CHOICES)
    profession = django_filters.ModelChoiceFilter(
        queryset=Profession.objects.only("name", "slug"),
        field_name="professions",
        to_field_name="slug",
        help_text=gettext_lazy("A profession's slug."),
    )
    remote = django_filters.BooleanFilter(
        help_text=gettext_lazy("Only professionals working remotely.")
    )
    min_price = PriceFilter(
        help_text=gettext_lazy("Only professionals with a bookable service priced at least this."),
    )
    max_price = PriceFilter(
        help_text=gettext_lazy("Only professionals with a bookable service priced at most this."),
    )

    class Meta:
        model = Associate
        fields: list[str] = []

    def directory_filters(self, data: dict[str, Any]) -> dict[str, Any]:
        lowest, highest = data.get("min_price"), data.get("max_price")
        if lowest is not None and highest is not None and highest < lowest:
            raise serializers.ValidationError(
                {"max_price": [_("The maximum price is below the minimum.")]}, code="below_minimum"
            )
        return {
            "genre": data.get("genre"),
            "profession": data.get("profession"),
            "city": " ".join((data.get("city") or "").split()),
            "remote": bool(data.get("remote")),
            "min_price": lowest,
            "max_price": highest,
            "min_rating": self.minimum_rating(data),
        }
