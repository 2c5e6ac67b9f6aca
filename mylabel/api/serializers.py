from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mylabel.api.exceptions import TooManyRequests
from mylabel.api.models import ApiToken


class StrictFieldsMixin:
    """Refuse input fields the serializer does not know (a typo must not be silently ignored).

    Mix into every serializer that takes input: ``class X(StrictFieldsMixin, Serializer)``.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in unknown}, code="unknown_field"
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer[None]):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        default="API",
        help_text=_("What the token is for; shown in your account settings."),
    )

    def validate(self, attrs: dict[str, str]) -> dict[str, object]:
        from allauth.account.adapter import get_adapter
        from allauth.account.models import EmailAddress

        from mylabel.accounts.security import LOCKED_CODE, lockout_seconds

        # Through allauth's adapter, not authenticate(): a token request is a log-in and
        # counts in the same per-account and per-address failure buckets as the form
        # (mylabel/accounts/security.py), so the API is no way around the lockout.
        request = self.context["request"]
        try:
            user = get_adapter(request).authenticate(
                request, email=attrs["email"], password=attrs["password"]
            )
        except DjangoValidationError as error:
            if error.code != LOCKED_CODE:
                raise
            raise TooManyRequests(
                error.messages[0], lockout_seconds(), code="login_locked"
            ) from error
        # allauth hands back a deactivated account too (for its "inactive" page); no token.
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("The e-mail address or the password is wrong."), code="invalid_credentials"
            )
        # The site refuses log-in until the address is confirmed; the API does the same.
        if not EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists():
            raise serializers.ValidationError(
                _("Confirm your e-mail address first: follow the link we sent you."),
                code="email_unverified",
            )
        return {**attrs, "user": user}


class TokenSerializer(serializers.Serializer[dict[str, object]]):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()
