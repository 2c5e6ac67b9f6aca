from django import template

from mylabel.spotify import client

register = template.Library()


@register.simple_tag
def spotify_enabled() -> bool:
    """Whether Spotify credentials are configured: without them the profile shows no Spotify
    section at all (the link stays in the profile's links)."""
    return client.is_configured()
