from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mylabel.accounts.models import User, time_zone_choices
from mylabel.core.images import validate_image_upload


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        required=False,
        help_text=_("Stage name or how people know you. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request: Any, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])


class AccountSettingsForm(forms.ModelForm):
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "language", "share_read_receipts"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["avatar"].help_text = _("JPEG, PNG, GIF or WebP, up to %(limit)s.") % {
            "limit": filesizeformat(settings.AVATAR_MAX_BYTES)
        }

    def clean_display_name(self) -> str:
        return self.cleaned_data["display_name"].strip()

    def clean_avatar(self) -> UploadedFile | None:
        avatar = self.cleaned_data.get("avatar")
        if isinstance(avatar, UploadedFile):
            validate_image_upload(avatar, max_bytes=settings.AVATAR_MAX_BYTES)
            return avatar
        return None


class DeleteAccountForm(forms.Form):
    """The confirmation of an account's deletion: the person types their password again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm it is you."),
    )
