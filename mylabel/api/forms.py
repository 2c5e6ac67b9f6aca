from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.api.services import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    """The name of a new token, in account settings (the service checks it again)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What it is for, e.g. the app or script that will use it."),
    )
