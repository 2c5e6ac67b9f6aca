from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mylabel.messaging.attachments import ACCEPTED_TYPES
from mylabel.messaging.models import MESSAGE_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe); content checks are the
    service's (``messaging.attachments``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_clean(item, initial) for item in data]
        if not data:
            return []
        return [single_clean(data, initial)]


class MessageForm(forms.Form):
    # Length and "required unless a file" are checked by send_message on the trimmed text, so the
    # same rules hold for the WebSocket path; maxlength here only helps the browser.
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    attachments = MultipleFileField(label=_("Attach files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accept = ",".join(sorted(ACCEPTED_TYPES))
        self.fields["attachments"].widget.attrs["accept"] = accept
        self.fields["attachments"].help_text = _(
            "Images, audio, PDF or zip; up to %(count)d files of %(limit)s each."
        ) % {
            "count": settings.MESSAGE_ATTACHMENTS_PER_MESSAGE,
            "limit": filesizeformat(settings.MESSAGE_ATTACHMENT_MAX_MB * 1024 * 1024),
        }
