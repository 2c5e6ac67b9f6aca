"""The Spotify section of the public artist profile: what visitors see once data is fetched,
what the owner is told while it is missing, and that it costs the page no query."""

from datetime import timedelta

import pytest
import responses
import time_machine
from django.test import Client
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.spotify.models import SpotifyArtist
from mylabel.spotify.services import refresh_spotify_artist
from tests.spotify.conftest import ARTIST_URL, SPOTIFY_LINK

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetched(linked: SpotifyArtist, spotify_api: responses.RequestsMock) -> SpotifyArtist:
    refresh_spotify_artist(artist_pk=linked.pk)
    return SpotifyArtist.objects.get(pk=linked.pk)


def section(html: str) -> str:
    start = html.index('<section id="section-spotify"')
    return html[start : html.index("</section>", start)]


def test_visitors_see_followers_popularity_genres_picture_and_top_tracks(
    client: Client, nina: Artist, fetched: SpotifyArtist
) -> None:
    html = section(client.get(nina.get_absolute_url()).content.decode())

    assert "48,213" in html
    assert "57 out of 100" in html
    for genre in ("italian indie pop", "hip hop", "dream pop", "escape room"):
        assert f'<li class="pill">{genre}</li>' in html
    # The 320 px picture (sharp at 160 px on a 2x screen), sized, lazy, described.
    assert (
        '<img src="https://i.scdn.co/image/ab676161000051740000000000000000000000320" '
        'alt="Nina Vale on Spotify" width="160" height="160" loading="lazy"'
    ) in html
    assert 'src="https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC"' in html
    assert 'title="Low Tide on Spotify"' in html
    assert html.count("<iframe") == 5
    assert 'loading="lazy"' in html.split("<iframe", 1)[1]
    # Track names are Spotify's text: escaped, never markup.
    assert 'title="Salt &lt;b&gt;&amp; Glass&lt;/b&gt; on Spotify"' in html
    assert f'href="{SPOTIFY_LINK}"' in html
    # Visitors are not told about refreshes.
    assert 'role="status"' not in html


def test_stale_data_stays_visible_while_refreshes_fail(
    client: Client, nina: Artist, fetched: SpotifyArtist, spotify_api: responses.RequestsMock
) -> None:
    SpotifyArtist.objects.filter(pk=fetched.pk).update(next_attempt_at=timezone.now())
    spotify_api.replace(responses.GET, ARTIST_URL, status=503)
    refresh_spotify_artist(artist_pk=fetched.pk)

    html = section(client.get(nina.get_absolute_url()).content.decode())

    assert "48,213" in html
    assert "could not be reached" not in html


def test_the_owner_is_told_when_a_refresh_failed_and_when_it_is_retried(
    artist_client: Client, nina: Artist, fetched: SpotifyArtist
) -> None:
    now = timezone.now()
    SpotifyArtist.objects.filter(pk=fetched.pk).update(
        state="retrying",
        last_error=SpotifyArtist.Error.UNREACHABLE,
        next_attempt_at=now + timedelta(minutes=10),
    )

    with time_machine.travel(now, tick=False):
        html = section(artist_client.get(nina.get_absolute_url()).content.decode())

    assert "Spotify could not be reached." in html
    assert "We will try again 10\xa0minutes from now." in html
    assert "48,213" in html


def test_a_retry_already_due_is_announced_as_shortly(
    artist_client: Client, nina: Artist, linked: SpotifyArtist, spotify_credentials: None
) -> None:
    SpotifyArtist.objects.filter(pk=linked.pk).update(
        last_error=SpotifyArtist.Error.RATE_LIMITED,
        next_attempt_at=timezone.now() - timedelta(minutes=3),
    )

    html = section(artist_client.get(nina.get_absolute_url()).content.decode())

    assert "Spotify asked us to slow down." in html
    assert "We will try again shortly." in html


def test_a_spotify_artist_that_no_longer_exists_is_explained_to_the_owner_only(
    artist_client: Client,
    nina: Artist,
    fetched: SpotifyArtist,
    spotify_api: responses.RequestsMock,
) -> None:
    SpotifyArtist.objects.filter(pk=fetched.pk).update(next_attempt_at=timezone.now())
    spotify_api.replace(responses.GET, ARTIST_URL, status=404, json={"error": {"status": 404}})
    refresh_spotify_artist(artist_pk=fetched.pk)

    owner_html = section(artist_client.get(nina.get_absolute_url()).content.decode())
    visitor_html = Client().get(nina.get_absolute_url()).content.decode()

    assert "Spotify has no artist at your link" in owner_html
    assert "48,213" not in owner_html
    assert 'id="section-spotify"' not in visitor_html


def test_the_owner_sees_the_data_is_on_its_way_before_the_first_fetch(
    artist_client: Client, nina: Artist, linked: SpotifyArtist, settings
) -> None:
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "id", "secret"

    owner_html = section(artist_client.get(nina.get_absolute_url()).content.decode())

    assert "Your Spotify data is on its way" in owner_html
    visitor_html = Client().get(nina.get_absolute_url()).content.decode()
    assert 'id="section-spotify"' not in visitor_html


def test_without_credentials_there_is_no_section_but_the_link_stays(
    artist_client: Client, nina: Artist, fetched: SpotifyArtist, settings
) -> None:
    settings.SPOTIFY_CLIENT_ID = ""

    for viewer in (Client(), artist_client):
        html = viewer.get(nina.get_absolute_url()).content.decode()
        assert 'id="section-spotify"' not in html
        assert "<iframe" not in html
        assert f'href="{SPOTIFY_LINK}"' in html  # in the links section


def test_an_unlinked_profile_has_no_section(
    artist_client: Client, nina: Artist, spotify_credentials: None
) -> None:
    assert 'id="section-spotify"' not in artist_client.get(nina.get_absolute_url()).content.decode()


def test_a_profile_without_a_picture_or_tracks_shows_the_rest(
    client: Client, nina: Artist, fetched: SpotifyArtist
) -> None:
    SpotifyArtist.objects.filter(pk=fetched.pk).update(
        images=[], top_tracks=[], genres=[], popularity=None
    )

    html = section(client.get(nina.get_absolute_url()).content.decode())

    assert "<img" not in html
    assert "<iframe" not in html
    assert "Popularity" not in html
    assert "48,213" in html


def test_a_small_picture_is_used_when_spotify_has_no_larger_one(
    client: Client, nina: Artist, fetched: SpotifyArtist
) -> None:
    small = {"url": "https://i.scdn.co/image/small", "width": 64, "height": 64}
    SpotifyArtist.objects.filter(pk=fetched.pk).update(images=[small])

    html = section(client.get(nina.get_absolute_url()).content.decode())

    assert 'src="https://i.scdn.co/image/small"' in html


@pytest.mark.parametrize("tracks", [1, 5], ids=["1-track", "5-tracks"])
def test_spotify_data_adds_no_query_to_the_profile_page(
    client: Client,
    nina: Artist,
    fetched: SpotifyArtist,
    django_assert_num_queries,
    tracks: int,
) -> None:
    SpotifyArtist.objects.filter(pk=fetched.pk).update(top_tracks=fetched.top_tracks[:tracks])

    # As tests/artists/test_query_counts.py: artist + user (+ Spotify, joined), genres,
    # releases, portfolio.
    with django_assert_num_queries(4):
        response = client.get(nina.get_absolute_url())

    assert section(response.content.decode()).count("<iframe") == tracks


def test_the_page_allows_spotify_pictures_and_players(
    client: Client, nina: Artist, fetched: SpotifyArtist
) -> None:
    policy = client.get(nina.get_absolute_url()).headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "https://i.scdn.co" in directives["img-src"]
    assert "https://open.spotify.com" in directives["frame-src"]
