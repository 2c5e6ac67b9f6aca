"""Django's ``ModelBackend``, with each member's permissions kept in the cache between requests.

Every signed-in page asks whether its member is a label admin (the menu's links), and Django
answers that by loading the member's own permissions and their groups' in two queries, on every
request. Those sets change only when the label's staff changes who may do what, so they are
cached per member under a generation token (``mylabel.core.cached``) that every such change
ends after its commit: a member's groups or permissions, a group's permissions, a group or a
permission deleted (``forget_permissions``, connected in ``AccountsConfig.ready``).
``PERMISSIONS_CACHE_SECONDS`` bounds what a write bypassing the signals leaves behind (raw SQL,
or a queryset deleting rows of those many-to-many tables directly).

Whether the account is active, and whether it is a superuser's, is read from the member's own
row on each request as before: deactivating an account or taking a superuser's status away
takes effect at once, without the cache.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from mylabel.core import cached

WHAT = "Permissions"
GENERATION_KEY = "permissions:generation"


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        # ModelBackend keeps the set on the user object for the rest of the request (and every
        # other backend reads it from there); this fills it from the cache first.
        wanted = obj is None and user_obj.is_active and not user_obj.is_anonymous
        if wanted and not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return super().get_all_permissions(user_obj, obj)

    def _cached_permissions(self, user_obj: Any) -> set[str]:
        key = _key(user_obj)
        stored = cached.call(WHAT, "get", key) if key else None
        if isinstance(stored, frozenset):
            return set(stored)
        permissions = {
            *self.get_user_permissions(user_obj),
            *self.get_group_permissions(user_obj),
        }
        if key:
            cached.call(
                WHAT, "set", key, frozenset(permissions), settings.PERMISSIONS_CACHE_SECONDS
            )
        return permissions


def forget_permissions(**_signal_kwargs: Any) -> None:
    """Every member's cached permissions go stale once the current transaction commits. A signal
    receiver."""
    cached.forget_on_commit(WHAT, GENERATION_KEY)


def _key(user_obj: Any) -> str | None:
    if settings.PERMISSIONS_CACHE_SECONDS <= 0:
        return None
    generation = cached.generation(WHAT, [GENERATION_KEY])
    if generation is None:
        return None
    # A superuser has every permission: a change of status is a different set.
    return f"permissions:{generation}:{user_obj.pk}:{int(user_obj.is_superuser)}"
