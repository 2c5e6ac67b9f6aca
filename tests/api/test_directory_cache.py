"""The API's directory lists are cached like the site's results region (mylabel/api/profiles.py,
mylabel/core/directory.py): a repeated list reads no profile, every write a card shows is in the
very next answer, and bad filters or pages are refused every time."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mylabel.artists.services import update_artist_profile
from mylabel.associates.models import Associate
from mylabel.associates.services import update_associate_profile
from mylabel.core import cached
from tests.directory.factories import make_artist, make_associate
from tests.reviews.test_cache import BrokenCache

pytestmark = pytest.mark.django_db

ASSOCIATES = "/api/v1/associates/"


@pytest.fixture
def anna() -> Associate:
    return make_associate("Anna Rossi", professions=["producer"], city="Milan")


def listed(client: Client, path: str, **headers: str) -> tuple[dict[str, Any], int]:
    """The answer's JSON and how many of its queries read the profiles' table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.content
    reads = sum('"associates_associate"' in query["sql"] for query in queries.captured_queries)
    return response.json(), reads


def names(answer: dict[str, Any]) -> list[str]:
    return [card["display_name"] for card in answer["results"]]


@pytest.mark.parametrize("query", ["", "?q=anna", "?city=Milan", "?sort=name&page_size=5"])
def test_a_repeated_list_reads_no_profile(anna: Associate, query: str):
    client = Client()
    first, first_reads = listed(client, ASSOCIATES + query)
    second, second_reads = listed(client, ASSOCIATES + query)

    assert first_reads >= 1
    assert second_reads == 0
    assert second == first
    assert names(second) == ["Anna Rossi"]


def test_filters_and_pages_are_cached_apart(anna: Associate):
    make_associate("Bruno Verdi", professions=["producer"], city="Rome")
    client = Client()

    assert names(listed(client, f"{ASSOCIATES}?city=Milan")[0]) == ["Anna Rossi"]
    assert names(listed(client, f"{ASSOCIATES}?city=Rome")[0]) == ["Bruno Verdi"]
    first_page = listed(client, f"{ASSOCIATES}?sort=name&page_size=1")[0]
    second_page = listed(client, f"{ASSOCIATES}?sort=name&page_size=1&page=2")[0]
    assert (names(first_page), names(second_page)) == (["Anna Rossi"], ["Bruno Verdi"])
    assert first_page["next"] == f"http://testserver{ASSOCIATES}?page=2&page_size=1&sort=name"
    assert second_page["previous"] == f"http://testserver{ASSOCIATES}?page_size=1&sort=name"


def test_a_signed_in_reader_gets_the_same_list(anna: Associate, api_as):
    visitor = listed(Client(), ASSOCIATES)[0]
    member, reads = listed(api_as(anna.user), ASSOCIATES)

    assert member == visitor
    assert reads == 0


def test_a_renamed_professional_shows_in_the_next_answer(
    anna: Associate, django_capture_on_commit_callbacks
):
    client = Client()
    assert names(listed(client, ASSOCIATES)[0]) == ["Anna Rossi"]
    with django_capture_on_commit_callbacks(execute=True):
        update_associate_profile(associate=anna, by=anna.user, display_name="Anna Bianchi")

    assert names(listed(client, ASSOCIATES)[0]) == ["Anna Bianchi"]


def test_a_renamed_artist_shows_in_the_next_answer(django_capture_on_commit_callbacks):
    artist = make_artist("Luna Park", city="Turin")
    client = Client()
    assert client.get("/api/v1/artists/").json()["results"][0]["stage_name"] == "Luna Park"
    with django_capture_on_commit_callbacks(execute=True):
        update_artist_profile(artist=artist, by=artist.user, stage_name="Luna Nueva")

    assert client.get("/api/v1/artists/").json()["results"][0]["stage_name"] == "Luna Nueva"


@pytest.mark.parametrize(
    ("query", "status"),
    [("?profession=no-such-profession", 400), ("?page=999", 404), ("?min_price=cheap", 400)],
)
def test_a_bad_filter_or_page_is_refused_every_time(anna: Associate, query: str, status: int):
    client = Client()
    answers = [client.get(ASSOCIATES + query) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [status, status]
    assert answers[0].json() == answers[1].json()
    assert "results" not in answers[1].json()


def test_with_the_cache_down_the_list_still_answers(anna: Associate, monkeypatch, caplog):
    # Only the results' cache: the API's throttles have their own rule for an outage
    # (tests/security/test_rate_limits.py).
    monkeypatch.setattr(cached, "cache", BrokenCache("", {}))

    for _ in range(2):
        assert names(listed(Client(), ASSOCIATES)[0]) == ["Anna Rossi"]
    assert "Directory results cache" in caplog.text


def test_a_zero_lifetime_turns_the_cache_off(anna: Associate, settings):
    settings.DIRECTORY_RESULTS_CACHE_SECONDS = 0
    client = Client()
    listed(client, ASSOCIATES)

    assert listed(client, ASSOCIATES)[1] >= 1
