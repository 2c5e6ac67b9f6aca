"""Spotify Web API access through spotipy (the project's listed client), client-credentials flow.

spotipy is configured so that it never waits or retries on its own: its default urllib3 retries
sleep inside the worker on 429/5xx (blocking a task slot for as long as Spotify asks) and would
hide the ``Retry-After`` we schedule by. Every failure is turned into one of three exceptions
below, and ``services.refresh_spotify_artist`` decides when to try again. The access token is kept
in Django's cache (Redis in production) so every worker process shares one token instead of each
asking Spotify for its own.
"""

import warnings
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import spotipy
from django.conf import settings
from django.core.cache import cache
from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from mylabel.spotify.links import SPOTIFY_ID

TOKEN_CACHE_KEY = "spotify:access-token"  # noqa: S105 (a cache key, not a secret)
# Spotify's image CDN: the only image host the CSP allows for Spotify pictures.
IMAGE_HOST = "i.scdn.co"
TOP_TRACKS_KEPT = 5
REQUEST_TIMEOUT_SECONDS = 10


class SpotifyError(Exception):
    """Spotify could not answer now (network, 5xx, bad credentials, unexpected body): retry
    later with backoff."""


class RateLimited(SpotifyError):
    def __init__(self, retry_after: int | None) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


class ArtistNotFound(Exception):
    """Spotify has no artist with this id (deleted, or never existed)."""


@dataclass(frozen=True)
class ArtistData:
    name: str
    followers: int | None
    popularity: int | None
    genres: list[str] = field(default_factory=list)
    # [{"url", "width", "height"}], largest first, only from Spotify's image CDN.
    images: list[dict[str, Any]] = field(default_factory=list)
    # [{"id", "name"}], Spotify's order, at most TOP_TRACKS_KEPT.
    top_tracks: list[dict[str, str]] = field(default_factory=list)


def is_configured() -> bool:
    return bool(settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET)


class DjangoCacheHandler(CacheHandler):
    def get_cached_token(self) -> dict[str, Any] | None:
        token: dict[str, Any] | None = cache.get(TOKEN_CACHE_KEY)
        return token

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        # spotipy checks expiry itself (with a minute's margin); the timeout only lets Redis
        # drop the key once it is useless.
        cache.set(TOKEN_CACHE_KEY, token_info, timeout=int(token_info.get("expires_in", 3600)))


def _client() -> spotipy.Spotify:
    credentials = spotipy.SpotifyClientCredentials(
        client_id=settings.SPOTIFY_CLIENT_ID,
        client_secret=settings.SPOTIFY_CLIENT_SECRET,
        cache_handler=DjangoCacheHandler(),
        requests_timeout=REQUEST_TIMEOUT_SECONDS,
    )
    # A plain session: spotipy builds its own with urllib3 retries otherwise (see above).
    return spotipy.Spotify(
        auth_manager=credentials,
        requests_session=requests.Session(),
        requests_timeout=REQUEST_TIMEOUT_SECONDS,
    )


def _retry_after(headers: Any) -> int | None:
    try:
        seconds = int(str((headers or {}).get("Retry-After", "")).strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _call(method: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``method`` (a spotipy call) with its failures mapped to this module's exceptions."""
    try:
        result = method(*args, **kwargs)
    except SpotifyException as error:
        if error.http_status == 429:
            raise RateLimited(_retry_after(error.headers)) from error
        if error.http_status in (400, 404):
            raise ArtistNotFound from error
        raise SpotifyError(f"HTTP {error.http_status}") from error
    except SpotifyOauthError as error:
        raise SpotifyError(f"token refused: {error.error}") from error
    except requests.RequestException as error:
        # Also a token response that is not JSON: requests' JSONDecodeError is one of these.
        raise SpotifyError(type(error).__name__) from error
    if not isinstance(result, dict):
        # spotipy returns None for a 2xx body that is not JSON.
        raise SpotifyError("invalid JSON")
    return result


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_artist(body: dict[str, Any], tracks_body: dict[str, Any]) -> ArtistData:
    """``ArtistData`` from the bodies of ``GET /artists/{id}`` and ``…/top-tracks``. Fields
    Spotify leaves out are left empty; a body of the wrong shape raises ``SpotifyError``."""
    try:
        followers = body.get("followers") or {}
        images = [
            {"url": image["url"], "width": image.get("width"), "height": image.get("height")}
            for image in body.get("images") or []
            if urlsplit(str(image.get("url", ""))).hostname == IMAGE_HOST
        ]
        images.sort(key=lambda image: -(image["width"] or 0))
        tracks = [
            {"id": track["id"], "name": str(track.get("name", ""))}
            for track in tracks_body.get("tracks") or []
            if isinstance(track.get("id"), str) and SPOTIFY_ID.fullmatch(track["id"])
        ]
        return ArtistData(
            name=str(body.get("name") or ""),
            followers=_int_or_none(followers.get("total")),
            popularity=_int_or_none(body.get("popularity")),
            genres=[str(genre) for genre in body.get("genres") or [] if genre],
            images=images,
            top_tracks=tracks[:TOP_TRACKS_KEPT],
        )
    except (AttributeError, KeyError, TypeError) as error:
        raise SpotifyError("unexpected response") from error


def fetch_artist(spotify_id: str) -> ArtistData:
    """The artist and their top tracks in ``settings.SPOTIFY_MARKET``. Raises ``RateLimited``,
    ``ArtistNotFound`` or ``SpotifyError``; never anything else from the network."""
    client = _client()
    body = _call(client.artist, spotify_id)
    with warnings.catch_warnings():
        # spotipy warns that Spotify marks top tracks deprecated for new apps; it still serves
        # them to existing ones, and a missing list is handled like an empty one.
        warnings.simplefilter("ignore", DeprecationWarning)
        tracks_body = _call(client.artist_top_tracks, spotify_id, country=settings.SPOTIFY_MARKET)
    return parse_artist(body, tracks_body)
