"""Onboarding's own helpers: a member who has just signed up (no profile yet), the POST data of
each onboarding form, and shortcuts that give a member a profile through the services."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.artists.services import create_artist_profile
from mylabel.associates.models import Associate, Profession
from mylabel.associates.services import create_associate_profile
from mylabel.core.models import Genre
from tests.factories import UserFactory


@pytest.fixture
def newcomer(db):
    """Signed up and verified, no profile yet."""
    return UserFactory(email="nova@example.com", display_name="Nova Reyes")


@pytest.fixture
def newcomer_client(client: Client, newcomer: User) -> Client:
    client.force_login(newcomer)
    return client


@pytest.fixture
def genre_pks(db) -> dict[str, int]:
    return dict(Genre.objects.values_list("slug", "pk"))


@pytest.fixture
def profession_pks(db) -> dict[str, int]:
    return dict(Profession.objects.values_list("slug", "pk"))


@pytest.fixture
def artist_data(genre_pks) -> dict[str, Any]:
    """A valid artist form (prefix "artist")."""
    return {
        "artist-stage_name": "Nova Reyes",
        "artist-city": "Torino",
        "artist-country": "IT",
        "artist-genres": [genre_pks["indie"], genre_pks["electronic"]],
    }


@pytest.fixture
def professional_data(genre_pks, profession_pks) -> dict[str, Any]:
    """A valid professional form (prefix "pro")."""
    return {
        "pro-display_name": "Nova Reyes Studio",
        "pro-headline": "Mixing engineer for indie and electronic records",
        "pro-professions": [profession_pks["mixing-engineer"], profession_pks["producer"]],
        "pro-genres": [genre_pks["indie"]],
        "pro-city": "Torino",
        "pro-country": "IT",
        "pro-works_remotely": "on",
    }


@pytest.fixture
def give_artist_profile(db) -> Callable[..., Artist]:
    def give(user: User, stage_name: str = "Nova Reyes") -> Artist:
        return create_artist_profile(user=user, stage_name=stage_name, city="Torino", country="IT")

    return give


@pytest.fixture
def give_professional_profile(db) -> Callable[..., Associate]:
    def give(user: User, name: str = "Nova Reyes Studio") -> Associate:
        return create_associate_profile(
            user=user,
            display_name=name,
            headline="Mixing engineer",
            professions=Profession.objects.filter(slug="mixing-engineer"),
        )

    return give
