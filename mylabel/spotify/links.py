"""Spotify artist links: what an artist may paste, and the one canonical form that is stored.

Accepted: ``https://open.spotify.com/artist/<id>`` (with or without ``www.``/``http``, an
``intl-xx/`` locale segment, a trailing slash, a query string such as ``?si=…``) and the app's
``spotify:artist:<id>`` URI. An id is 22 base62 characters. Anything else is refused with a
message that says what was pasted, because the usual mistake is a track, album or playlist link
copied from the Spotify app's "Share" menu.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")
URI = re.compile(r"spotify:(?P<kind>[a-z]+):(?P<id>[^:/?#\s]*)", re.IGNORECASE)
LOCALE_SEGMENT = re.compile(r"intl-[a-z]{2}(?:-[a-z]{2})?", re.IGNORECASE)
HOSTS = {"open.spotify.com", "www.open.spotify.com"}

KIND_NAMES = {
    "track": _("a song"),
    "album": _("an album"),
    "playlist": _("a playlist"),
    "show": _("a podcast"),
    "episode": _("a podcast episode"),
    "user": _("a user profile"),
}


def _error(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _wrong_kind(kind: str) -> ValidationError:
    what = KIND_NAMES.get(kind.lower())
    if what is None:
        return _error(_("That is not a link to an artist on Spotify."), "not_artist")
    return _error(
        _(
            "That is a Spotify link to %(what)s; paste the artist's page link instead "
            "(on Spotify: the artist's page, ⋯, Share, Copy link to artist)."
        )
        % {"what": what},
        "not_artist",
    )


def _split(value: str) -> tuple[str, str]:
    """(kind, id) from a URI or an open.spotify.com URL; raises ``ValidationError``."""
    uri = URI.fullmatch(value)
    if uri:
        return uri["kind"].lower(), uri["id"]
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme.lower() not in {"http", "https"} or (parts.hostname or "") not in HOSTS:
        raise _error(
            _("Paste a Spotify artist link, like https://open.spotify.com/artist/…"), "wrong_host"
        )
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and LOCALE_SEGMENT.fullmatch(segments[0]):
        segments = segments[1:]
    if not segments:
        raise _wrong_kind("")
    kind = segments[0].lower()
    return kind, segments[1] if len(segments) == 2 else "/".join(segments[1:])


def parse_artist_id(value: str) -> str:
    """The Spotify artist id in ``value`` (a link or URI as pasted); raises ``ValidationError``
    with a message for the artist."""
    kind, spotify_id = _split(value.strip())
    if kind != "artist":
        raise _wrong_kind(kind)
    if not SPOTIFY_ID.fullmatch(spotify_id):
        raise _error(
            _("That Spotify artist link is incomplete: copy it again from Spotify."), "bad_id"
        )
    return spotify_id


def artist_url(spotify_id: str) -> str:
    return f"https://open.spotify.com/artist/{spotify_id}"


def canonical_artist_url(value: str) -> str:
    """``value`` as the stored link (``artist_url``), or "" for an empty value."""
    return artist_url(parse_artist_id(value)) if value.strip() else ""


def artist_id_of(url: str) -> str | None:
    """The id of a stored link, or None if it is not an artist link (e.g. saved before this
    validation existed)."""
    try:
        return parse_artist_id(url)
    except ValidationError:
        return None


class SpotifyArtistLinkField(forms.URLField):
    """A URL field that also takes ``spotify:…`` URIs and cleans to the canonical artist link.
    A value that is no URL at all gets the URL field's own message first."""

    def to_python(self, value: Any) -> str:
        text = str(value or "").strip()
        if URI.fullmatch(text):
            return canonical_artist_url(text)
        return str(super().to_python(text))

    def clean(self, value: Any) -> str:
        url = str(super().clean(value))
        return canonical_artist_url(url) if url else ""
