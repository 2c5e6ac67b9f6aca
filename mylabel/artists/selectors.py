"""The one permission-checked way to fetch an artist profile (CONVENTIONS.md "Layers")."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from mylabel.artists.models import Artist, Release


def get_artist_for(
    user: AbstractBaseUser | AnonymousUser, slug: str, *, write: bool = False
) -> Artist:
    """The listed artist at ``slug`` with everything its page shows (``for_profile``).

    With ``write=True`` only the profile's owner gets it; anyone else, signed in or not, gets
    ``Http404``, exactly as for a profile that does not exist, so edit URLs reveal nothing.
    """
    artists = Artist.objects.listed().for_profile()
    if write:
        if not user.is_authenticated:
            raise Http404
        artists = artists.filter(user_id=user.pk)
    return get_object_or_404(artists, slug=slug)


def release_of(artist: Artist, pk: int) -> Release:
    """The release ``pk`` of ``artist`` from its prefetched releases (no query), or ``Http404``.
    Fetch ``artist`` with ``get_artist_for``: the release is as reachable as its artist."""
    for release in artist.releases.all():
        if release.pk == pk:
            return release
    raise Http404
