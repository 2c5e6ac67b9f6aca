"""Profiles for the directory tests, made through the services so their search columns are
filled exactly as in production."""

from collections.abc import Iterable
from itertools import count
from typing import cast

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.artists.services import create_artist_profile, update_artist_profile
from mylabel.associates.models import Associate, Profession
from mylabel.associates.services import create_associate_profile, update_associate_profile
from mylabel.core.models import Genre
from tests.factories import UserFactory

_numbers = count(1)


def genre(slug: str) -> Genre:
    return Genre.objects.get(slug=slug)


def profession(slug: str) -> Profession:
    return Profession.objects.get(slug=slug)


def _owner(user: User | None, email: str) -> User:
    if user is not None:
        return user
    return cast(User, UserFactory(email=email))


def make_artist(
    stage_name: str = "",
    *,
    genres: Iterable[str] = (),
    city: str = "",
    country: str = "",
    bio: str = "",
    on_roster: bool = False,
    user: User | None = None,
) -> Artist:
    number = next(_numbers)
    owner = _owner(user, f"artist{number}@example.com")
    artist = create_artist_profile(
        user=owner,
        stage_name=stage_name or f"Artist {number}",
        city=city,
        country=country,
        genres=[genre(slug) for slug in genres],
    )
    if bio:
        artist = update_artist_profile(artist=artist, by=owner, bio=bio)
    if on_roster:
        Artist.objects.filter(pk=artist.pk).update(is_on_roster=True)
    return artist


def make_associate(
    display_name: str = "",
    *,
    headline: str = "Music professional",
    professions: Iterable[str] = ("producer",),
    genres: Iterable[str] = (),
    city: str = "",
    country: str = "",
    remote: bool = False,
    bio: str = "",
    user: User | None = None,
) -> Associate:
    number = next(_numbers)
    owner = _owner(user, f"associate{number}@example.com")
    associate = create_associate_profile(
        user=owner,
        display_name=display_name or f"Associate {number}",
        headline=headline,
        professions=[profession(slug) for slug in professions],
        genres=[genre(slug) for slug in genres],
        city=city,
        country=country,
        works_remotely=remote,
    )
    if bio:
        associate = update_associate_profile(associate=associate, by=owner, bio=bio)
    return associate
