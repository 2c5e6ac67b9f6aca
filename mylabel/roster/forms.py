from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.artists.models import Artist

from .services import MAX_NOTES


class SignForm(forms.Form):
    # The profile address rather than a list of every artist: the directory may hold thousands.
    artist = forms.SlugField(
        label=_("Artist's profile address"),
        help_text=_("The last part of their profile's address, e.g. nina-vale."),
    )
    start_date = forms.DateField(label=_("Signed on"), widget=forms.DateInput({"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=MAX_NOTES, widget=forms.Textarea({"rows": 3})
    )

    def clean_artist(self) -> Artist:
        slug = self.cleaned_data["artist"]
        artist = Artist.objects.filter(slug=slug).first()
        if artist is None:
            raise forms.ValidationError(_("No artist has that profile address."))
        return artist


class SigningForm(forms.Form):
    start_date = forms.DateField(label=_("Signed on"), widget=forms.DateInput({"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=MAX_NOTES, widget=forms.Textarea({"rows": 3})
    )


class ReleaseForm(forms.Form):
    end_date = forms.DateField(label=_("Leaves on"), widget=forms.DateInput({"type": "date"}))
