"""Fixtures shared by the profile tests (tests/artists, tests/associates, tests/portfolio), which
import them into their conftest. Built on the personas of tests/conftest.py."""

from pathlib import Path

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from tests.profile_factories import ArtistFactory, AssociateFactory

# Headers of a request htmx makes.
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _profile_media_in_tmp(settings, tmp_path: Path) -> None:
    """Uploads land in the test's own directory, never in the repository."""
    settings.MEDIA_ROOT = tmp_path / "profile-media"


NINA = {"stage_name": "Nina Vale", "slug": "nina-vale", "bio": "Songs from the harbour."}
MARCO = {
    "display_name": "Marco Riva",
    "slug": "marco-riva",
    "headline": "Mixing engineer for indie and soul",
}


@pytest.fixture
def nina(artist: User) -> Artist:
    """The artist persona's profile, with the values these tests expect."""
    existing = Artist.objects.filter(user=artist).first()
    if existing is None:
        return ArtistFactory.create(user=artist, **NINA)
    Artist.objects.filter(pk=existing.pk).update(**NINA)
    existing.refresh_from_db()
    return existing


@pytest.fixture
def marco(associate: User) -> Associate:
    """The associate persona's profile, with the values these tests expect."""
    existing = Associate.objects.filter(user=associate).first()
    if existing is None:
        return AssociateFactory.create(user=associate, **MARCO)
    Associate.objects.filter(pk=existing.pk).update(**MARCO)
    existing.refresh_from_db()
    return existing


@pytest.fixture
def owner_client(client: Client, artist: User) -> Client:
    """Signed in as the artist persona."""
    client.force_login(artist)
    return client


@pytest.fixture
def associate_client(client: Client, associate: User) -> Client:
    client.force_login(associate)
    return client


@pytest.fixture
def stranger_client(client: Client, outsider: User) -> Client:
    client.force_login(outsider)
    return client
