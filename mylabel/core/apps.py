from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mylabel.core"
    label = "core"

    def ready(self) -> None:
        from mylabel.core import lookups

        lookups.register()
