from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.api.models import ApiToken, digest

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 80
# A user with more live tokens than this has lost track of them; they must revoke some first.
MAX_TOKENS_PER_USER = 20


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``user`` and return it with its key, which is never retrievable again."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the app that will use it.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("Keep the name under %(max)d characters.") % {"max": NAME_MAX_LENGTH}}
        )
    if ApiToken.objects.active().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("You already have %(max)d tokens. Revoke one you no longer use first.")
            % {"max": MAX_TOKENS_PER_USER},
            code="too_many_tokens",
        )
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_digest=digest(key),
        key_hint=key[:8],
        expires_at=ApiToken.default_expiry(),
    )
    return token, key


def get_api_token_for(user: User, pk: int) -> ApiToken:
    """``user``'s token ``pk``; 404 for anyone else's, so token ids reveal nothing."""
    return get_object_or_404(ApiToken.objects.filter(user=user), pk=pk)


def revoke_api_token(*, token: ApiToken) -> None:
    """Revoke ``token`` (the caller has checked it belongs to the user acting)."""
    token.delete()


def expired_tokens_deleted() -> int:
    """Delete expired tokens; returns how many (run from the daily cleanup)."""
    from django.utils import timezone

    deleted, _by_model = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
