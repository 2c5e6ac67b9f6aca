"""The artist directory's GET filters (the profile forms live in ``forms.py``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.core.directory import DirectoryFilterForm


class ArtistDirectoryForm(DirectoryFilterForm):
    roster = forms.BooleanField(label=_("On the label's roster"), required=False)

    field_order = ["q", "genre", "city", "roster", "sort"]

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``ArtistQuerySet.filter_directory``."""
        return {
            "genre": self.cleaned_data.get("genre"),
            "city": self.cleaned_data.get("city", ""),
            "on_roster": self.cleaned_data.get("roster", False),
        }
