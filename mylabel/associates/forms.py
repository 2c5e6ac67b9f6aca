"""Forms for the sections of a professional's profile. They validate; the services in
``associates.services`` save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.associates.models import LANGUAGE_CHOICES, Associate, Profession
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
