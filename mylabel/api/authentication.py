from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from mylabel.api.models import ApiToken, digest

# last_used_at is for the owner's eyes ("used 3 minutes ago"): writing it on every request
# would turn each API read into a write, so it is refreshed at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>`` scheme over hashed, expiring, named tokens."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[object, ApiToken]:
        try:
            token = ApiToken.objects.select_related("user").get(key_digest=digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                _("Invalid token."), code="invalid_token"
            ) from None
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This token has expired. Create a new one in your account settings."),
                code="token_expired",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This account is inactive."), code="inactive_account"
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
