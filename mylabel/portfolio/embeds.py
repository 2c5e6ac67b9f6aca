"""Turning YouTube, SoundCloud and Spotify links into embeddable player URLs.

Only these three hosts are accepted for link items, and the CSP's frame-src allows exactly the
player hosts below (config/settings.py), so an embed can never load anything else.
"""

import re
from urllib.parse import parse_qs, quote, urlsplit

EMBED_FRAME_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://w.soundcloud.com",
    "https://open.spotify.com",
]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_SPOTIFY_PATH = re.compile(
    r"^/(?:intl-[a-z]{2}/)?(track|album|artist|playlist|episode|show)/([A-Za-z0-9]{10,40})/?$"
)


def embed_url(url: str) -> str | None:
    """The player URL for ``url``, or ``None`` if it is not a supported music or video link."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if host in ("youtube.com", "music.youtube.com"):
        video_id = parse_qs(parts.query).get("v", [""])[0]
        if parts.path.startswith(("/shorts/", "/embed/")):
            video_id = parts.path.split("/")[2]
        return _youtube(video_id)
    if host == "youtu.be":
        return _youtube(parts.path.lstrip("/"))
    if host == "soundcloud.com" and parts.path.strip("/"):
        canonical = f"https://soundcloud.com{parts.path}"
        return f"https://w.soundcloud.com/player/?url={quote(canonical, safe='')}"
    if host == "open.spotify.com":
        match = _SPOTIFY_PATH.match(parts.path)
        if match:
            return f"https://open.spotify.com/embed/{match[1]}/{match[2]}"
    return None


def _youtube(video_id: str) -> str | None:
    if not _YOUTUBE_ID.match(video_id):
        return None
    return f"https://www.youtube-nocookie.com/embed/{video_id}"
