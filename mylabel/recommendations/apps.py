from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "mylabel.recommendations"
    default_auto_field = "django.db.models.BigAutoField"
