from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mylabel.core"
    label = "core"
