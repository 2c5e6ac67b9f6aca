"""Spotify's Web API replayed with ``responses`` from the JSON in ``fixtures/`` (no network), and
the credentials that switch the feature on."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.spotify.models import SpotifyArtist

FIXTURES = Path(__file__).parent / "fixtures"
SPOTIFY_ID = "1dfeR4HaWDbWqFHLkxsg1d"
SPOTIFY_LINK = f"https://open.spotify.com/artist/{SPOTIFY_ID}"
TOKEN_URL = "https://accounts.spotify.com/api/token"
ARTIST_URL = f"https://api.spotify.com/v1/artists/{SPOTIFY_ID}"
TOP_TRACKS_URL = f"{ARTIST_URL}/top-tracks"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def spotify_credentials(settings) -> None:
    settings.SPOTIFY_CLIENT_ID = "test-client-id"
    settings.SPOTIFY_CLIENT_SECRET = "test-client-secret"
    settings.SPOTIFY_MARKET = "IT"
    settings.SPOTIFY_REFRESH_HOURS = 24


@pytest.fixture
def spotify_api(spotify_credentials: None) -> Iterator[responses.RequestsMock]:
    """Spotify answering as recorded: token, artist, top tracks. Tests replace an answer with
    ``spotify_api.replace(...)``; any request not registered fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        api.post(TOKEN_URL, json=fixture("token"))
        api.get(ARTIST_URL, json=fixture("artist"))
        api.get(TOP_TRACKS_URL, json=fixture("top_tracks"))
        yield api


@pytest.fixture
def linked(nina: Artist) -> SpotifyArtist:
    """Nina's profile linked to her Spotify artist, due for its first fetch (as after linking
    while Spotify was not configured)."""
    Artist.objects.filter(pk=nina.pk).update(spotify_url=SPOTIFY_LINK)
    nina.spotify_url = SPOTIFY_LINK
    return SpotifyArtist.objects.create(
        artist=nina, spotify_id=SPOTIFY_ID, next_attempt_at=timezone.now()
    )
