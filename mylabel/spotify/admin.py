from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mylabel.spotify.models import SpotifyArtist


@admin.register(SpotifyArtist)
class SpotifyArtistAdmin(admin.ModelAdmin[SpotifyArtist]):
    """Read-only: the data comes from Spotify and is written by ``spotify.services`` alone."""

    list_display = ["artist", "spotify_id", "state", "fetched_at", "attempts", "next_attempt_at"]
    list_filter = ["state"]
    list_select_related = ["artist"]
    search_fields = ["artist__stage_name", "spotify_id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
