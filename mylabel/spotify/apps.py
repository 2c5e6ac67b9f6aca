from django.apps import AppConfig


class SpotifyConfig(AppConfig):
    name = "mylabel.spotify"
    default_auto_field = "django.db.models.BigAutoField"
