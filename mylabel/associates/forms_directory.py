"""The associate directory's GET filters (the profile forms live in ``forms.py``)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mylabel.associates.forms import PriceField
from mylabel.associates.models import Profession
from mylabel.core.directory import DirectoryFilterForm
from mylabel.reviews.forms_listing import MinimumRatingField


def _price_filter(label: str | Promise) -> PriceField:
    """A price bound. The directory drops a bad value and says so (``from_query``)."""
    field = PriceField(label=label, required=False)
    too_high = gettext_lazy("That price is too high, so the results are not filtered by it.")
    field.error_messages.update(
        {
            "invalid": gettext_lazy(
                "A price is a number, like 120, so the results are not filtered by that price."
            ),
            "min_value": gettext_lazy(
                "A price cannot be negative, so the results are not filtered by that price."
            ),
            "max_decimal_places": gettext_lazy(
                "A price has at most two decimals, so the results are not filtered by that price."
            ),
            "max_digits": too_high,
            "max_whole_digits": too_high,
        }
    )
    return field


class AssociateDirectoryForm(DirectoryFilterForm):
    SORT_CHOICES = [
        *DirectoryFilterForm.SORT_CHOICES,
        ("price_asc", gettext_lazy("Price (lowest first)")),
        ("price_desc", gettext_lazy("Price (highest first)")),
        ("rating", gettext_lazy("Best rated")),
    ]

    profession = forms.ChoiceField(
        label=gettext_lazy("Profession"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no profession “%(value)s”, so the results are not filtered by profession."
            )
        },
    )
    remote = forms.BooleanField(label=gettext_lazy("Works remotely"), required=False)
    min_price = _price_filter(gettext_lazy("Price from"))
    max_price = _price_filter(gettext_lazy("Price up to"))
    min_rating = MinimumRatingField()

    field_order = [
        "q",
        "profession",
        "genre",
        "city",
        "min_price",
        "max_price",
        "min_rating",
        "remote",
        "sort",
    ]

    def __init__(
        self, *args: Any, professions: list[Profession] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.professions = (
            list(Profession.objects.only("name", "slug")) if professions is None else professions
        )
        self.fields["profession"].choices = [  # type: ignore[attr-defined]
            ("", _("All professions")),
            *((profession.slug, profession.name) for profession in self.professions),
        ]

    def reference_data(self) -> dict[str, Any]:
        return {**super().reference_data(), "professions": self.professions}

    def clean_profession(self) -> Profession | None:
        slug = self.cleaned_data["profession"]
        return next((item for item in self.professions if item.slug == slug), None)

    def clean_max_price(self) -> Decimal | None:
        highest = self.cleaned_data["max_price"]
        lowest = self.cleaned_data.get("min_price")
        if highest is not None and lowest is not None and highest < lowest:
            raise forms.ValidationError(
                _(
                    "The maximum price is below the minimum, so the results are not filtered "
                    "by maximum price."
                ),
                code="below_minimum",
            )
        return highest

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``AssociateQuerySet.filter_directory``."""
        return {
            "genre": self.cleaned_data.get("genre"),
            "profession": self.cleaned_data.get("profession"),
            "city": self.cleaned_data.get("city", ""),
            "remote": self.cleaned_data.get("remote", False),
            "min_price": self.cleaned_data.get("min_price"),
            "max_price": self.cleaned_data.get("max_price"),
            "min_rating": self.cleaned_data.get("min_rating"),
        }
