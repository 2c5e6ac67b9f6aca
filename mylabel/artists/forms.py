"""Forms for the sections of an artist profile and for releases. They validate; the services in
``artists.services`` save."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from mylabel.artists.models import Artist, Release
from mylabel.core.forms import SectionForm
from mylabel.core.images import validate_image_upload
from mylabel.core.models import Genre
from mylabel.spotify.links import SpotifyArtistLinkField

IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"


class ArtistAboutForm(SectionForm[Artist]):
    class Meta:
        model = Artist
        fields = ["stage_name", "bio", "city", "country", "slug"]
        widgets = {
            "stage_name": forms.TextInput(attrs={"autofocus": True}),
            "bio": forms.Textarea(attrs={"rows": 7}),
        }
        help_texts = {
            "bio": _("Plain text. Line breaks are kept."),
            "slug": _(
                "The end of your page's address, mylabel/artists/<address>/. Lower-case letters, "
                "numbers and hyphens. Old links stop working when you change it."
            ),
        }
        error_messages = {
            "slug": {"unique": _("This address is already taken. Try another one.")},
        }

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()


class ArtistLinksForm(SectionForm[Artist]):
    class Meta:
        model = Artist
        fields = ["website_url", "instagram_url", "youtube_url", "soundcloud_url", "spotify_url"]
        # Also takes spotify:artist:… URIs and refuses track/album/playlist links, with a message.
        field_classes = {"spotify_url": SpotifyArtistLinkField}
        widgets = {
            "website_url": forms.URLInput(
                attrs={"autofocus": True, "placeholder": "https://example.com"}
            ),
            "instagram_url": forms.URLInput(attrs={"placeholder": "https://instagram.com/…"}),
            "youtube_url": forms.URLInput(attrs={"placeholder": "https://youtube.com/@…"}),
            "soundcloud_url": forms.URLInput(attrs={"placeholder": "https://soundcloud.com/…"}),
            "spotify_url": forms.URLInput(
                attrs={"placeholder": "https://open.spotify.com/artist/…"}
            ),
        }


class ArtistGenresForm(SectionForm[Artist]):
    genres = forms.ModelMultipleChoiceField(
        label=_("Genres"),
        queryset=Genre.objects.only("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Artist
        fields = ["genres"]


def cover_max_bytes() -> int:
    """Covers share the portfolio's cap for images."""
    return int(settings.PORTFOLIO_MAX_BYTES["image"])


class ReleaseForm(SectionForm[Release]):
    # Not the model's ImageField: the upload is checked by content here and stored re-encoded
    # by the service under a name of its own, so the model never sees the uploaded file.
    cover = forms.FileField(
        label=_("Cover"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG, GIF or WebP. Square works best."),
    )

    class Meta:
        model = Release
        fields = [
            "title",
            "kind",
            "release_date",
            "spotify_url",
            "apple_music_url",
            "youtube_url",
            "bandcamp_url",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "release_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    field_order = ["title", "kind", "release_date", "cover"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.cover:
            self.fields["cover"].help_text = _("Leave empty to keep the current cover.")

    def clean_cover(self) -> UploadedFile | None:
        cover: UploadedFile | None = self.cleaned_data.get("cover")
        if cover:
            validate_image_upload(cover, max_bytes=cover_max_bytes())
        return cover or None


class RosterForm(forms.Form):
    on_roster = forms.BooleanField(required=False)
