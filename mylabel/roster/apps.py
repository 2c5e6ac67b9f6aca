from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "mylabel.roster"
    default_auto_field = "django.db.models.BigAutoField"
