"""Refreshing a linked profile's Spotify data: success, and each way Spotify or the network can
fail, with when the link is tried again (issue 9: backoff on 429 and errors, never raised)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
import time_machine
from django.core.cache import cache
from django.tasks import default_task_backend

from mylabel.artists.models import Artist
from mylabel.core.models import Genre
from mylabel.spotify import services
from mylabel.spotify.models import SpotifyArtist
from mylabel.spotify.services import Outcome, backoff, match_genres, refresh_spotify_artist
from tests.spotify.conftest import ARTIST_URL, TOKEN_URL

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
State = SpotifyArtist.State


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def linked_now(linked: SpotifyArtist) -> SpotifyArtist:
    SpotifyArtist.objects.filter(pk=linked.pk).update(next_attempt_at=NOW)
    linked.refresh_from_db()
    return linked


def api_calls(api: responses.RequestsMock) -> int:
    return len([call for call in api.calls if call.request.url != TOKEN_URL])


def test_a_fetch_stores_the_data_and_schedules_the_next_refresh(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist
) -> None:
    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.FETCHED

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert link.state == State.FRESH
    assert (link.name, link.followers, link.popularity) == ("Nina Vale", 48213, 57)
    assert link.genres == ["italian indie pop", "hip hop", "dream pop", "escape room"]
    assert len(link.images) == 3
    assert [track["id"] for track in link.top_tracks][:2] == [
        "4uLU6hMCjMI75M1A2tKUQC",
        "7ouMYWpwJ422jRcDASZB7P",
    ]
    assert link.fetched_at == NOW
    assert link.next_attempt_at == NOW + timedelta(hours=24)
    assert (link.last_error, link.attempts) == ("", 0)


def test_spotify_genres_enrich_the_profile_genres(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, nina: Artist
) -> None:
    nina.genres.set([Genre.objects.get(slug="jazz")])

    refresh_spotify_artist(artist_pk=linked_now.pk)

    # "italian indie pop" and "dream pop" are Pop, "hip hop" is Hip-Hop; "escape room" is only
    # shown. The artist's own choice stays.
    assert sorted(nina.genres.values_list("slug", flat=True)) == ["hip-hop", "jazz", "pop"]
    nina.refresh_from_db()
    assert "hip-hop" in nina.search_text  # the directory search finds her by it
    assert Genre.objects.filter(name__iexact="escape room").exists() is False


def test_a_genre_the_artist_removed_is_not_added_again(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, nina: Artist, clock
) -> None:
    refresh_spotify_artist(artist_pk=linked_now.pk)
    nina.genres.remove(Genre.objects.get(slug="pop"))

    clock.shift(timedelta(hours=25))
    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.FETCHED

    assert sorted(nina.genres.values_list("slug", flat=True)) == ["hip-hop"]


@pytest.mark.parametrize(
    ("spotify_genres", "slugs"),
    [
        (["hip hop", "italian hip hop"], ["hip-hop"]),
        (["r&b", "contemporary r&b", "drum and bass"], ["drum-and-bass", "randb"]),
        (["italian pop"], ["italian-pop"]),  # the longer genre wins over Pop
        (["alternative rock", "indie"], ["indie", "rock"]),
        (["escape room", "uk drill", "popular"], []),  # no word-boundary match for "popular"
        ([], []),
    ],
)
def test_spotify_genre_names_map_onto_mylabel_genres(
    spotify_genres: list[str], slugs: list[str]
) -> None:
    assert sorted(genre.slug for genre in match_genres(spotify_genres)) == slugs


def test_rate_limit_reschedules_after_retry_after_and_keeps_the_data(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, clock
) -> None:
    refresh_spotify_artist(artist_pk=linked_now.pk)
    clock.shift(timedelta(hours=24))
    spotify_api.replace(responses.GET, ARTIST_URL, status=429, headers={"Retry-After": "120"})

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.RATE_LIMITED

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    later = NOW + timedelta(hours=24)
    assert link.next_attempt_at == later + timedelta(seconds=120)
    assert link.last_error == SpotifyArtist.Error.RATE_LIMITED
    # Nothing lost: last fetch's data and state stay; a rate limit is not the link's failure.
    assert (link.state, link.followers, link.attempts) == (State.FRESH, 48213, 0)
    assert link.fetched_at == NOW


def test_while_rate_limited_no_link_asks_spotify(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, clock
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, status=429, headers={"Retry-After": "600"})
    refresh_spotify_artist(artist_pk=linked_now.pk)
    calls = api_calls(spotify_api)
    SpotifyArtist.objects.filter(pk=linked_now.pk).update(next_attempt_at=NOW)

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.RATE_LIMITED

    assert api_calls(spotify_api) == calls
    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert link.next_attempt_at == NOW + timedelta(seconds=600)
    # Once the limit has passed, fetching resumes.
    clock.shift(timedelta(seconds=601))
    spotify_api.replace(responses.GET, ARTIST_URL, json={"name": "Nina Vale"})
    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.FETCHED


def test_rate_limit_without_retry_after_waits_a_minute(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, status=429)

    refresh_spotify_artist(artist_pk=linked_now.pk)

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert link.next_attempt_at == NOW + timedelta(minutes=1)
    assert cache.get(services.RATE_LIMIT_KEY) == NOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 503, "body": "unavailable"},
        {"status": 200, "body": "{not json"},
        {"body": requests.ReadTimeout("timed out")},
    ],
    ids=["5xx", "invalid-json", "timeout"],
)
def test_failures_back_off_exponentially(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, clock, answer: dict
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, **answer)
    waits = []
    for _ in range(3):
        assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.FAILED
        link = SpotifyArtist.objects.get(pk=linked_now.pk)
        assert link.next_attempt_at is not None
        waits.append(link.next_attempt_at - datetime.now(UTC))
        # Not due before its time: nothing is fetched.
        assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.SKIPPED
        clock.move_to(link.next_attempt_at)

    assert waits == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert (link.state, link.attempts) == (State.RETRYING, 3)
    assert link.last_error == SpotifyArtist.Error.UNREACHABLE


def test_backoff_is_capped() -> None:
    assert backoff(1) == timedelta(minutes=5)
    assert backoff(8) == timedelta(minutes=640)
    assert backoff(9) == timedelta(hours=12)
    assert backoff(40) == timedelta(hours=12)


def test_a_success_after_failures_resets_the_backoff(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, clock
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, status=500)
    refresh_spotify_artist(artist_pk=linked_now.pk)
    clock.shift(timedelta(minutes=5))
    spotify_api.replace(responses.GET, ARTIST_URL, json={"name": "Nina Vale"})

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.FETCHED

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert (link.state, link.attempts, link.last_error) == (State.FRESH, 0, "")


def test_a_deleted_spotify_artist_is_not_retried(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist
) -> None:
    spotify_api.replace(
        responses.GET, ARTIST_URL, status=404, json={"error": {"status": 404, "message": "x"}}
    )

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.NOT_FOUND

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert (link.state, link.next_attempt_at) == (State.NOT_FOUND, None)
    assert link.last_error == SpotifyArtist.Error.NOT_FOUND
    assert link.has_data is False
    assert not SpotifyArtist.objects.due(NOW + timedelta(days=365)).exists()


def test_a_link_changed_during_the_fetch_keeps_the_new_link(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist
) -> None:
    def change_link(request: object) -> tuple[int, dict, str]:
        SpotifyArtist.objects.filter(pk=linked_now.pk).update(spotify_id="0" * 22)
        return 200, {}, '{"name": "Someone else"}'

    spotify_api.replace(responses.GET, ARTIST_URL, body="")
    spotify_api.remove(responses.GET, ARTIST_URL)
    spotify_api.add_callback(responses.GET, ARTIST_URL, callback=change_link)

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.SKIPPED

    link = SpotifyArtist.objects.get(pk=linked_now.pk)
    assert (link.spotify_id, link.name, link.fetched_at) == ("0" * 22, "", None)


def test_a_link_claimed_by_another_worker_is_left_alone(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, monkeypatch
) -> None:
    # Another worker moves next_attempt_at between this one's read and its claim.
    real_claim = services._claim

    def claimed_elsewhere(link: SpotifyArtist, now: datetime) -> bool:
        SpotifyArtist.objects.filter(pk=link.pk).update(next_attempt_at=now + timedelta(minutes=5))
        return real_claim(link, now)

    monkeypatch.setattr(services, "_claim", claimed_elsewhere)

    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.SKIPPED
    assert api_calls(spotify_api) == 0


def test_without_credentials_nothing_is_fetched(linked_now: SpotifyArtist) -> None:
    # No spotify_api fixture: any HTTP request would fail the test (responses is not active,
    # so it would try the network); none is made.
    assert refresh_spotify_artist(artist_pk=linked_now.pk) is Outcome.SKIPPED
    assert SpotifyArtist.objects.get(pk=linked_now.pk).state == State.PENDING


def test_a_retry_wakes_a_worker_where_tasks_can_be_deferred(
    spotify_api: responses.RequestsMock, linked_now: SpotifyArtist, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]
    spotify_api.replace(responses.GET, ARTIST_URL, status=502)

    refresh_spotify_artist(artist_pk=linked_now.pk)

    [result] = default_task_backend.results  # type: ignore[attr-defined]
    assert result.args == [linked_now.pk]
    assert result.task.run_after == NOW + timedelta(minutes=5)
