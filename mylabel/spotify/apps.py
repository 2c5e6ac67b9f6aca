from django.apps import AppConfig


class SpotifyConfig(AppConfig):
    name = "mylabel.spotify"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mylabel.core.page_cache import forget_public_pages_on_change
        from mylabel.spotify.models import SpotifyArtist

        forget_public_pages_on_change(SpotifyArtist)
