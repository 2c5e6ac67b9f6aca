from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mylabel.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from mylabel.accounts.models import User

        post_save.connect(_account_saved, sender=User, dispatch_uid="accounts.directory_cards")


def _account_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Directory cards show the account's avatar, and only active accounts are listed. A log-in
    saves ``last_login`` alone: nothing a card shows, and the most frequent save by far."""
    from mylabel.core.directory import forget_directory_results

    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    forget_directory_results()
