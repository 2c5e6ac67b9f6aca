from django.apps import AppConfig


class ArtistsConfig(AppConfig):
    name = "mylabel.artists"
    label = "artists"
