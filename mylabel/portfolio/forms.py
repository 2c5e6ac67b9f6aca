from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from mylabel.portfolio.embeds import embed_url
from mylabel.portfolio.models import PortfolioItem
from mylabel.portfolio.validation import validate_portfolio_upload

UNSUPPORTED_LINK = _("Paste a YouTube, SoundCloud or Spotify link to a track, video or playlist.")


class PortfolioItemForm(forms.ModelForm[PortfolioItem]):
    """A new portfolio item: a file checked by its content, or a link we can embed. The service
    ``add_portfolio_item`` saves it."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PortfolioItem.Kind.choices,
        initial=PortfolioItem.Kind.IMAGE,
        widget=forms.RadioSelect,
    )
    # Not the model's FileField: the service stores the upload under a name of its own.
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*,audio/*,video/*"}),
        help_text=_("For an image, audio or video: JPEG, PNG, WebP, MP3, WAV, FLAC, MP4, MOV…"),
    )

    class Meta:
        model = PortfolioItem
        fields = ["kind", "title", "description", "url"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "url": forms.URLInput(attrs={"placeholder": "https://www.youtube.com/watch?v=…"}),
        }
        help_texts = {"url": _("For a link: YouTube, SoundCloud or Spotify.")}

    field_order = ["kind", "title", "description", "file", "url"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        upload: UploadedFile | None = cleaned.get("file") or None
        url = cleaned.get("url") or ""
        if kind is None:
            return cleaned
        if kind == PortfolioItem.Kind.LINK:
            if upload is not None:
                self.add_error("file", _("A link item has no file. Choose another kind to upload."))
            if "url" in self.errors:
                return cleaned
            if not url:
                self.add_error("url", _("Paste the link to show."))
            elif embed_url(url) is None:
                self.add_error("url", UNSUPPORTED_LINK)
        else:
            if url:
                self.add_error("url", _("Only a link item has a link. Choose “Link” as the kind."))
            if upload is None:
                self.add_error("file", _("Choose a file to upload."))
            else:
                try:
                    validate_portfolio_upload(upload, str(kind))
                except ValidationError as error:
                    self.add_error("file", error)
        return cleaned
