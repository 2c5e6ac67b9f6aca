from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mylabel.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from mylabel.accounts.models import User

        post_save.connect(_account_saved, sender=User, dispatch_uid="accounts.directory_cards")
        _forget_permissions_on_change(User)


def _forget_permissions_on_change(user_model: Any) -> None:
    """Who may do what changes through these rows: members' groups and permissions, groups'
    permissions (m2m_changed), and groups and permissions themselves (deleting one deletes its
    rows, with no signal of theirs: Django sends none for many-to-many tables' rows)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from mylabel.accounts.backends import forget_permissions

    relations = [user_model.groups.through, user_model.user_permissions.through]
    for through in [*relations, Group.permissions.through]:
        uid = f"accounts.permissions.{through._meta.label_lower}"
        m2m_changed.connect(forget_permissions, sender=through, dispatch_uid=uid)
    for model in (Group, Permission):
        uid = f"accounts.permissions.{model._meta.label_lower}"
        post_save.connect(forget_permissions, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_permissions, sender=model, dispatch_uid=uid)


def _account_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Directory cards show the account's avatar, and only active accounts are listed. A log-in
    saves ``last_login`` alone: nothing a card shows, and the most frequent save by far."""
    from mylabel.core.directory import forget_directory_results

    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    forget_directory_results()
