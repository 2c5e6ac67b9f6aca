from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "mylabel.analytics"
    default_auto_field = "django.db.models.BigAutoField"
