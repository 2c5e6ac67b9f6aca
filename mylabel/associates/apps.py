from django.apps import AppConfig


class AssociatesConfig(AppConfig):
    name = "mylabel.associates"
    label = "associates"
