"""API tokens: a user may hold several named tokens (one per script or app), each revocable.

Only a SHA-256 digest of the key is stored, like a password: a leaked database row cannot be
used to call the API, and the key is shown once, when it is made. Tokens expire
(API_TOKEN_TTL_DAYS); ``last_used_at`` tells the owner which ones are still in use.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# "mlt_" makes a leaked key recognisable to secret scanners and to the person who finds it.
KEY_PREFIX = "mlt_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def for_user(self, user: object) -> "ApiTokenQuerySet":
        return self.filter(user=user).order_by("-created_at", "-pk")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, shown in settings so the owner can tell tokens apart.
    key_hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def new_key() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
