from urllib.parse import urlsplit

from django import template

from mylabel.portfolio.embeds import embed_url

register = template.Library()

PROVIDERS = {
    "www.youtube-nocookie.com": "youtube",
    "w.soundcloud.com": "soundcloud",
    "open.spotify.com": "spotify",
}


@register.filter
def embed(url: str) -> dict[str, str] | None:
    """``{"url": player URL, "provider": "youtube" | "soundcloud" | "spotify", "shape": …}`` for
    a link item, or ``None`` when the link cannot be embedded (the template then shows a link)."""
    player = embed_url(url or "")
    if player is None:
        return None
    provider = PROVIDERS[urlsplit(player).hostname or ""]
    # Spotify's player is short for one track or episode and tall for a list.
    shape = provider
    if provider == "spotify":
        shape = "spotify-compact" if "/track/" in player or "/episode/" in player else "spotify"
    return {"url": player, "provider": provider, "shape": shape}
