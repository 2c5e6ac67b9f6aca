"""The scheduled refresh: ``manage.py refresh_spotify`` (cron) and the ``refresh_spotify_artists``
task refresh due links in batches, oldest first, and stop at a rate limit."""

from datetime import timedelta
from io import StringIO

import pytest
import responses
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.spotify.models import SpotifyArtist
from mylabel.spotify.tasks import fetch_spotify_artist, refresh_spotify_artists
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory
from tests.spotify.conftest import ARTIST_URL, SPOTIFY_ID, TOKEN_URL, fixture

pytestmark = pytest.mark.django_db

OTHER_IDS = ["0TnOYISbd1XYRBk9myaseg", "6eUKZXaKkcviH0Ku9w2n3V", "3TVXtAsR1Inumwj472S9r4"]


def link(artist: Artist, spotify_id: str, *, due_minutes_ago: int) -> SpotifyArtist:
    return SpotifyArtist.objects.create(
        artist=artist,
        spotify_id=spotify_id,
        next_attempt_at=timezone.now() - timedelta(minutes=due_minutes_ago),
    )


@pytest.fixture
def three_due(spotify_api: responses.RequestsMock) -> list[SpotifyArtist]:
    links = []
    for age, spotify_id in enumerate(OTHER_IDS):
        url = f"https://api.spotify.com/v1/artists/{spotify_id}"
        spotify_api.get(url, json={**fixture("artist"), "id": spotify_id})
        spotify_api.get(f"{url}/top-tracks", json=fixture("top_tracks"))
        links.append(link(ArtistFactory.create(), spotify_id, due_minutes_ago=10 - age))
    return links


def fetched_ids(api: responses.RequestsMock) -> list[str]:
    urls = [str(call.request.url) for call in api.calls]
    return [url.rsplit("/", 1)[1] for url in urls if url != TOKEN_URL and "/top-tracks" not in url]


def test_the_command_refreshes_due_links_oldest_first(
    spotify_api: responses.RequestsMock, three_due: list[SpotifyArtist], nina: Artist
) -> None:
    link(nina, SPOTIFY_ID, due_minutes_ago=-60)  # not due yet
    out = StringIO()

    call_command("refresh_spotify", stdout=out)

    assert fetched_ids(spotify_api) == OTHER_IDS
    assert out.getvalue() == "Spotify links refreshed: 3 fetched.\n"
    assert SpotifyArtist.objects.filter(state="fresh").count() == 3


def test_the_command_respects_its_limit(
    spotify_api: responses.RequestsMock, three_due: list[SpotifyArtist]
) -> None:
    call_command("refresh_spotify", "--limit", "2", stdout=StringIO())

    assert fetched_ids(spotify_api) == OTHER_IDS[:2]


def test_a_rate_limit_stops_the_batch_and_the_rest_stay_due(
    spotify_api: responses.RequestsMock, three_due: list[SpotifyArtist]
) -> None:
    spotify_api.replace(
        responses.GET,
        f"https://api.spotify.com/v1/artists/{OTHER_IDS[1]}",
        status=429,
        headers={"Retry-After": "30"},
    )
    out = StringIO()

    call_command("refresh_spotify", stdout=out)

    assert fetched_ids(spotify_api) == OTHER_IDS[:2]
    assert out.getvalue() == "Spotify links refreshed: 1 fetched, 1 rate_limited.\n"
    assert SpotifyArtist.objects.due(timezone.now()).get().spotify_id == OTHER_IDS[2]


def test_a_failing_link_does_not_stop_the_batch(
    spotify_api: responses.RequestsMock, three_due: list[SpotifyArtist]
) -> None:
    spotify_api.replace(
        responses.GET, f"https://api.spotify.com/v1/artists/{OTHER_IDS[0]}", status=500
    )

    result = refresh_spotify_artists.call()

    assert result == {"failed": 1, "fetched": 2}


def test_nothing_due_is_said_plainly(spotify_api: responses.RequestsMock) -> None:
    out = StringIO()
    call_command("refresh_spotify", stdout=out)

    assert out.getvalue() == "Spotify links refreshed: none due.\n"


def test_without_credentials_the_command_does_nothing(nina: Artist) -> None:
    link(nina, SPOTIFY_ID, due_minutes_ago=5)
    out = StringIO()

    call_command("refresh_spotify", stdout=out)

    assert "not configured" in out.getvalue()
    assert refresh_spotify_artists.call() == {}
    assert SpotifyArtist.objects.get().state == "pending"


def test_the_fetch_task_reports_its_outcome(
    spotify_api: responses.RequestsMock, linked: SpotifyArtist
) -> None:
    assert fetch_spotify_artist.call(linked.pk) == "fetched"
    assert fetch_spotify_artist.call(linked.pk) == "skipped"  # no longer due


def test_a_deleted_profile_takes_its_spotify_data_with_it(linked: SpotifyArtist) -> None:
    linked.artist.user.delete()

    assert not SpotifyArtist.objects.exists()


def test_label_admins_can_inspect_links_but_not_edit_them(
    spotify_api: responses.RequestsMock, linked: SpotifyArtist
) -> None:
    admin = Client()
    admin.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    spotify_api.replace(responses.GET, ARTIST_URL, status=502)
    fetch_spotify_artist.call(linked.pk)

    listing = admin.get("/admin/spotify/spotifyartist/")
    detail = admin.get(f"/admin/spotify/spotifyartist/{linked.pk}/change/")

    assert listing.status_code == 200
    assert "Last fetch failed; will retry" in listing.content.decode()
    assert admin.get("/admin/spotify/spotifyartist/add/").status_code == 403
    assert detail.status_code == 200
    assert 'type="submit" value="Save"' not in detail.content.decode()
