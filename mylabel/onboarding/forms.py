"""The essentials of each profile kind, asked once after sign-up.

Field names match the keyword arguments of ``create_artist_profile`` and
``create_associate_profile``, so a ``ValidationError`` the service raises for a field lands on
that field of the form.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mylabel.associates.models import Profession
from mylabel.core.models import Genre

MAX_GENRES = 5

ARTIST_PREFIX = "artist"
PROFESSIONAL_PREFIX = "pro"


def country_choices() -> list[tuple[str, str]]:
    # Built per form, so country names follow the language of the request.
    return [("", _("Choose a country")), *((code, name) for code, name in countries)]


class GenreChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Genre.objects.only("name"),
            required=False,
            error_messages={
                "invalid_choice": _("One of the chosen genres is not on our list; pick again."),
                "invalid_pk_value": _("One of the chosen genres is not on our list; pick again."),
            },
            help_text=format_lazy(_("Optional, up to {count}."), count=MAX_GENRES),
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        genres = super().clean(value)
        if len(genres) > MAX_GENRES:
            raise ValidationError(
                _("Choose at most %(count)d genres."),
                code="too_many",
                params={"count": MAX_GENRES},
            )
        return genres


class ArtistOnboardingForm(forms.Form):
    stage_name = forms.CharField(
        label=_("Stage name"),
        max_length=120,
        help_text=_("Your artist or band name, as it appears on your releases."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), widget=forms.Select(attrs={"autocomplete": "country"})
    )
    genres = GenreChoiceField(label=_("Genres"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", ARTIST_PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]


class ProfessionalOnboardingForm(forms.Form):
    display_name = forms.CharField(
        label=_("Professional name"),
        max_length=120,
        help_text=_("Your name or your studio's, as clients will search for it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    headline = forms.CharField(
        label=_("Headline"),
        max_length=160,
        help_text=_("One line about what you do, e.g. “Mixing engineer for indie and soul”."),
    )
    professions = forms.ModelMultipleChoiceField(
        label=_("What you do"),
        queryset=Profession.objects.only("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one profession."),
            "invalid_choice": _("One of the chosen professions is not on our list; pick again."),
            "invalid_pk_value": _("One of the chosen professions is not on our list; pick again."),
        },
        help_text=_("At least one."),
    )
    genres = GenreChoiceField(label=_("Genres you work in"))
    city = forms.CharField(
        label=_("City"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), widget=forms.Select(attrs={"autocomplete": "country"})
    )
    works_remotely = forms.BooleanField(label=_("I also work remotely"), required=False)

    def __init__(self, *args: Any, same_place_as_artist: bool = False, **kwargs: Any) -> None:
        """With ``same_place_as_artist`` (both profiles on one page) city and country are asked
        once, on the artist form, and the view passes them on."""
        kwargs.setdefault("prefix", PROFESSIONAL_PREFIX)
        super().__init__(*args, **kwargs)
        if same_place_as_artist:
            del self.fields["city"], self.fields["country"]
        else:
            self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: on the field it names when the form has
    that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
