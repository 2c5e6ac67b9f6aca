"""Shared fixtures: the personas (in one place, like healthchecks' alice/bob/charlie), an
isolated cache and media directory per test, and the markers' skip rules."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from tests.booking_writes import allow_unchecked_booking_writes
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

# --- Parallel workers ----------------------------------------------------------------------------
# `make test` runs the suite in pytest-xdist workers (one per core). Each has its own test
# database (pytest-django appends the worker id) and per-test cache key prefixes (below); on
# Redis the channel layer gets a prefix per worker too, or a test's group "conversation-1" would
# receive another worker's messages for its own conversation 1. Layers are built on first use,
# after this module is imported.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and django_settings.REDIS_URL:
    layer_config = cast(dict[str, Any], django_settings.CHANNEL_LAYERS["default"]["CONFIG"])
    layer_config["prefix"] = f"mylabel-{XDIST_WORKER}"

# Fixtures put bookings into states directly (tests/booking_writes.py says why that needs this).
allow_unchecked_booking_writes()

# --- Markers ------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    # Tests run with DEBUG=False, so WhiteNoise looks for collectstatic's output, which only a
    # deployment build produces.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgres`` and ``@pytest.mark.redis`` tests run only where the settings
    point at those servers (CI runs the suite both ways)."""
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    on_redis = bool(django_settings.REDIS_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL=redis://…"))


# --- Isolation ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests check behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_and_time_zone() -> Iterator[None]:
    """Each test starts in English and the default time zone. A request activates its language
    in the test's thread and nothing deactivates it after the response, so a test calling a
    service after another test's Italian request got Italian messages (which tests run in one
    xdist worker, and in what order, changes as tests are added)."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _isolated_cache(settings) -> Iterator[None]:
    """Each test starts with an empty cache (allauth keeps its rate limits there).

    On Redis the cache gets a key prefix of its own, and only those keys are removed afterwards:
    flushing the database would also wipe anything else using that Redis.
    """
    if django_settings.REDIS_URL:
        default = dict(django_settings.CACHES["default"])
        default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
        settings.CACHES = {"default": default}
        yield
        cache.delete_pattern("*")  # type: ignore[attr-defined]  # django-redis, own prefix only
    else:
        cache.clear()
        yield
        cache.clear()


# --- Personas -----------------------------------------------------------------------------------
# Roles come from profiles (DESIGN.md §1): the artist persona is a user with an artist profile,
# the associate persona a user with a professional profile.

NINA = {"stage_name": "Nina Vale", "slug": "nina-vale", "bio": "Songs from the harbour."}
MARCO = {
    "display_name": "Marco Riva",
    "slug": "marco-riva",
    "headline": "Mixing engineer for indie and soul",
}


@pytest.fixture
def artist(db) -> User:
    user = UserFactory.create(email="nina@example.com", display_name="Nina Vale")
    ArtistFactory.create(user=user, **NINA)
    return user


@pytest.fixture
def associate(db) -> User:
    user = UserFactory.create(email="marco@example.com", display_name="Marco Riva")
    AssociateFactory.create(user=user, **MARCO)
    return user


@pytest.fixture
def nina(artist: User) -> Artist:
    """The artist persona's profile."""
    return artist.artist_profile


@pytest.fixture
def marco(associate: User) -> Associate:
    """The associate persona's profile."""
    return associate.associate_profile


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but neither side of anything the other personas own."""
    return UserFactory.create(email="charlie@example.com", display_name="Charlie Stranger")


@pytest.fixture
def label_admin(db) -> User:
    return UserFactory.create(
        email="admin@example.com", display_name="Label Admin", label_admin=True
    )


@pytest.fixture
def artist_client(client: Client, artist: User) -> Client:
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
