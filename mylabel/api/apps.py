from typing import Any

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mylabel.api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mylabel.accounts.signals import account_deleted

        account_deleted.connect(_revoke_tokens, dispatch_uid="api.revoke_deleted_account_tokens")


def _revoke_tokens(sender: Any, user: Any, **kwargs: Any) -> None:
    from mylabel.api.models import ApiToken

    ApiToken.objects.filter(user=user).delete()
