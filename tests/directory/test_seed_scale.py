"""``manage.py seed_scale N`` (issue 3 point 9): bulk profiles for benchmarks."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, AssociateSearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings) -> None:
    settings.DEBUG = True


def test_creates_n_artists_and_n_associates_with_their_users(debug, capsys):
    call_command("seed_scale", "30", "--seed", "1", "--batch-size", "7")

    assert Artist.objects.count() == 30
    assert Associate.objects.count() == 30
    assert User.objects.filter(email__startswith="scale-").count() == 60
    assert "Created 30 artists and 30 associates" in capsys.readouterr().out
    assert not Associate.objects.filter(professions=None).exists()
    assert not Artist.objects.filter(genres=None).exists()
    seeded_user = User.objects.filter(email__startswith="scale-").first()
    assert seeded_user is not None
    assert not seeded_user.has_usable_password()


def test_running_twice_adds_more(debug):
    call_command("seed_scale", "3")
    call_command("seed_scale", "3")

    assert Associate.objects.count() == 6
    assert Artist.objects.count() == 6


def test_search_text_matches_what_the_services_write(debug):
    from mylabel.associates.services import refresh_associate_search

    call_command("seed_scale", "5", "--seed", "2")
    associate = Associate.objects.first()
    assert associate is not None
    seeded = associate.search_text

    refresh_associate_search(associate)
    associate.refresh_from_db()

    assert seeded == associate.search_text


def test_seeded_profiles_show_up_and_are_searchable(debug, client: Client):
    call_command("seed_scale", "25", "--seed", "3")
    associate = Associate.objects.prefetch_related("professions").first()
    assert associate is not None
    profession = associate.professions.all()[0]

    response = client.get("/associates/", {"q": profession.name[:4]})

    assert response.status_code == 200
    assert associate.display_name.split()[0] in response.content.decode()
    assert client.get("/artists/").status_code == 200


@pytest.mark.postgres
def test_search_vectors_match_what_the_services_write(debug):
    from mylabel.artists.services import refresh_artist_search
    from mylabel.associates.services import refresh_associate_search

    call_command("seed_scale", "5", "--seed", "4")
    assert not AssociateSearchEntry.objects.filter(vector=None).exists()
    assert AssociateSearchEntry.objects.filter(listed=True).count() == 5
    assert not Artist.objects.filter(search_vector=None).exists()
    associate = Associate.objects.select_related("user").first()
    artist = Artist.objects.first()
    assert associate is not None
    assert artist is not None
    seeded = lexemes(AssociateSearchEntry._meta.db_table, "vector", "associate_id", associate.pk)
    refresh_associate_search(associate)
    assert (
        lexemes(AssociateSearchEntry._meta.db_table, "vector", "associate_id", associate.pk)
        == seeded
    )
    seeded = lexemes(Artist._meta.db_table, "search_vector", "id", artist.pk)
    refresh_artist_search(artist)
    assert lexemes(Artist._meta.db_table, "search_vector", "id", artist.pk) == seeded


def lexemes(table: str, column: str, key: str, pk: int) -> set[tuple[str, str]]:
    """(word, weight) pairs of a stored vector; positions differ with concatenation order."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lexeme, unnest(weights) FROM {table}, "  # noqa: S608
            f"unnest({column}) WHERE {key} = %s",
            [pk],
        )
        return set(cursor.fetchall())


def test_refuses_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_scale", "5")

    assert Associate.objects.count() == 0


def test_refuses_a_count_below_one(debug):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", "0")
