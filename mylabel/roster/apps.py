from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "mylabel.roster"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mylabel.core.page_cache import forget_public_pages_on_change
        from mylabel.roster.models import Signing

        forget_public_pages_on_change(Signing)
