"""Forms for the sections of a professional's profile. They validate; the services in
``associates.services`` save."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.associates.models import LANGUAGE_CHOICES, Associate, Profession, Service
from mylabel.associates.money import CURRENCY_CHOICES
from mylabel.core.forms import SectionForm
from mylabel.core.models import Genre


class AssociateAboutForm(SectionForm[Associate]):
    class Meta:
        model = Associate
        fields = ["display_name", "headline", "bio", "slug"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autofocus": True}),
            "bio": forms.Textarea(attrs={"rows": 7}),
        }
        help_texts = {
            "bio": _("Plain text. Line breaks are kept."),
            "slug": _(
                "The end of your page's address, mylabel/associates/<address>/. Lower-case "
                "letters, numbers and hyphens. Old links stop working when you change it."
            ),
        }
        error_messages = {
            "slug": {"unique": _("This address is already taken. Try another one.")},
        }

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()


class AssociateDetailsForm(SectionForm[Associate]):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    years_experience = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=80)

    class Meta:
        model = Associate
        fields = ["city", "country", "works_remotely", "years_experience", "languages"]
        widgets = {
            "city": forms.TextInput(attrs={"autofocus": True}),
        }
        help_texts = {"works_remotely": _("You take on work from anywhere, online.")}


class AssociateLinksForm(SectionForm[Associate]):
    class Meta:
        model = Associate
        fields = ["website_url"]
        widgets = {
            "website_url": forms.URLInput(
                attrs={"autofocus": True, "placeholder": "https://example.com"}
            ),
        }


class AssociateProfessionsForm(SectionForm[Associate]):
    professions = forms.ModelMultipleChoiceField(
        label=_("Professions"),
        queryset=Profession.objects.only("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one profession.")},
    )
    genres = forms.ModelMultipleChoiceField(
        label=_("Genres you work in"),
        queryset=Genre.objects.only("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Associate
        fields = ["professions", "genres"]


# "49,50" is how half of Europe writes 49.50; accept it rather than call it "not a number".
_DECIMAL_COMMA = re.compile(r"^\s*\d+,\d{1,2}\s*$")
# Plain decimals only: no exponents ("1e3"), no "Infinity"; a sign so "-5" says "negative".
_PLAIN_DECIMAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


class PriceField(forms.DecimalField):
    """A price: a number ≥ 0 with at most two decimals, a decimal comma accepted (so a text
    input with a decimal keypad: a number input refuses the comma in an English browser)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "required": _("Enter a price; 0 if it is free."),
                "invalid": _("Enter the price as a number, like 120 or 49.50."),
                "min_value": _("The price cannot be negative."),
                "max_decimal_places": _("A price has at most two decimals, like 49.50."),
                "max_digits": _("That price is too high."),
                "max_whole_digits": _("That price is too high."),
            }
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if isinstance(value, str) and _DECIMAL_COMMA.match(value):
            value = value.replace(",", ".")
        if isinstance(value, str) and value.strip() and not _PLAIN_DECIMAL.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        # Django's own min_value message names the limit; ours says what is wrong.
        if value is not None and value < 0:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")


class ServiceForm(SectionForm[Service]):
    """One of an associate's services, added or edited inline on their profile."""

    price = PriceField(label=_("Price"))
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=CURRENCY_CHOICES,
        initial="EUR",
        error_messages={"invalid_choice": _("Choose one of the listed currencies.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=15,
        max_value=12 * 60,
        help_text=_("From 15 minutes to 12 hours. Bookings block this much of your calendar."),
        error_messages={
            "invalid": _("Enter the duration in whole minutes, like 60."),
            "min_value": _("A service lasts at least 15 minutes."),
            "max_value": _("A service lasts at most 12 hours (720 minutes)."),
        },
    )
    deposit_percent = forms.IntegerField(
        label=_("Deposit (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The share of the price paid when you accept a booking; 0 for none."),
        error_messages={
            "invalid": _("Enter the deposit as a whole percentage from 0 to 100."),
            "min_value": _("The deposit is between 0 and 100%%."),
            "max_value": _("The deposit is between 0 and 100%%."),
        },
    )
    free_cancellation_hours = forms.IntegerField(
        label=_("Full refund until (hours before the start)"),
        min_value=0,
        max_value=24 * 30,
        error_messages={
            "invalid": _("Enter a whole number of hours, like 48."),
            "min_value": _("Enter a number of hours from 0 to 720."),
            "max_value": _("Enter a number of hours from 0 to 720."),
        },
    )
    late_cancellation_refund_percent = forms.IntegerField(
        label=_("Refund after that (%)"),
        min_value=0,
        max_value=100,
        help_text=_("What an artist gets back on cancelling later than that."),
        error_messages={
            "invalid": _("Enter the refund as a whole percentage from 0 to 100."),
            "min_value": _("The refund is between 0 and 100%%."),
            "max_value": _("The refund is between 0 and 100%%."),
        },
    )

    class Meta:
        model = Service
        fields = [
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
        widgets = {
            "name": forms.TextInput(attrs={"autofocus": True}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"is_active": _("Bookable: artists can see and book it")}
        help_texts = {"name": _("e.g. “Mixing, one song” or “Vocal coaching”.")}
        error_messages = {
            "pricing_unit": {"invalid_choice": _("Choose per session, per hour or per track.")},
        }
