"""The associate directory's GET filters (the profile forms live in ``forms.py``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mylabel.associates.models import Profession
from mylabel.core.directory import DirectoryFilterForm


class AssociateDirectoryForm(DirectoryFilterForm):
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

    field_order = ["q", "profession", "genre", "city", "remote", "sort"]

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

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``AssociateQuerySet.filter_directory``."""
        return {
            "genre": self.cleaned_data.get("genre"),
            "profession": self.cleaned_data.get("profession"),
            "city": self.cleaned_data.get("city", ""),
            "remote": self.cleaned_data.get("remote", False),
        }
