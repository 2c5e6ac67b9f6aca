"""The artist directory's GET filters (the profile forms live in ``forms.py``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.core.directory import DirectoryFilterForm
from mylabel.reviews.forms_listing import MinimumRatingField


class ArtistDirectoryForm(DirectoryFilterForm):
    SORT_CHOICES = [*DirectoryFilterForm.SORT_CHOICES, ("rating", _("Best rated"))]

    roster = forms.BooleanField(label=_("On the label's roster"), required=False)
    min_rating = MinimumRatingField()

    field_order = ["q", "genre", "city", "min_rating", "roster", "sort"]

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``ArtistQuerySet.filter_directory``."""
        return {
            "genre": self.cleaned_data.get("genre"),
            "city": self.cleaned_data.get("city", ""),
            "on_roster": self.cleaned_data.get("roster", False),
            "min_rating": self.cleaned_data.get("min_rating"),
        }
