"""Linking a profile to Spotify through the profile's links form: the link is checked and stored
in one form, and a fetch runs after the commit only when Spotify is configured."""

import pytest
import responses
from django.core.exceptions import ValidationError
from django.tasks import default_task_backend
from django.test import Client

from mylabel.artists.models import Artist
from mylabel.artists.services import update_artist_profile
from mylabel.core import cached
from mylabel.spotify.models import SpotifyArtist
from mylabel.spotify.services import sync_spotify_link
from mylabel.spotify.tasks import fetch_spotify_artist
from tests.htmx import HTMX
from tests.spotify.conftest import SPOTIFY_ID, SPOTIFY_LINK

pytestmark = pytest.mark.django_db


def links_url(artist: Artist) -> str:
    return f"/artists/{artist.slug}/edit/links/"


@pytest.fixture
def dummy_tasks(settings) -> list:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]
    return default_task_backend.results  # type: ignore[attr-defined]


def test_pasting_the_artist_link_fetches_spotify_after_the_commit(
    artist_client: Client,
    nina: Artist,
    spotify_api: responses.RequestsMock,
    django_capture_on_commit_callbacks,
) -> None:
    pasted = f"https://open.spotify.com/intl-it/artist/{SPOTIFY_ID}?si=a1b2c3"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = artist_client.post(links_url(nina), {"spotify_url": pasted}, headers=HTMX)

    assert response.status_code == 200
    # Spotify's fetch; the others forget cached pages and results (the profile changed).
    assert len([c for c in callbacks if getattr(c, "func", None) is not cached.call]) == 1
    nina.refresh_from_db()
    assert nina.spotify_url == SPOTIFY_LINK  # stored in one canonical form
    link = SpotifyArtist.objects.get(artist=nina)
    assert (link.spotify_id, link.state, link.followers) == (SPOTIFY_ID, "fresh", 48213)


def test_a_spotify_uri_is_accepted(
    artist_client: Client, nina: Artist, dummy_tasks: list, spotify_credentials: None
) -> None:
    artist_client.post(links_url(nina), {"spotify_url": f"spotify:artist:{SPOTIFY_ID}"})

    nina.refresh_from_db()
    assert nina.spotify_url == SPOTIFY_LINK


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        (
            "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy",
            "That is a Spotify link to an album; paste the artist&#x27;s page link instead",
        ),
        ("spotify:track:4uLU6hMCjMI75M1A2tKUQC", "That is a Spotify link to a song"),
        ("https://open.spotify.com/artist/123", "That Spotify artist link is incomplete"),
        ("https://example.com/artist/1dfeR4HaWDbWqFHLkxsg1d", "Paste a Spotify artist link"),
        ("javascript:alert(1)", "Enter a valid URL."),
    ],
)
def test_a_link_that_is_not_an_artist_is_refused_and_nothing_changes(
    artist_client: Client,
    nina: Artist,
    dummy_tasks: list,
    spotify_credentials: None,
    pasted: str,
    message: str,
) -> None:
    response = artist_client.post(links_url(nina), {"spotify_url": pasted}, headers=HTMX)

    assert response.status_code == 200
    assert message in response.content.decode()
    nina.refresh_from_db()
    assert nina.spotify_url == ""
    assert not SpotifyArtist.objects.exists()
    assert dummy_tasks == []


def test_the_service_refuses_a_non_artist_link_from_any_caller(nina: Artist) -> None:
    with pytest.raises(ValidationError) as error:
        update_artist_profile(
            artist=nina, by=nina.user, spotify_url="https://open.spotify.com/playlist/abc"
        )

    assert "playlist" in error.value.message_dict["spotify_url"][0]


def test_linking_enqueues_one_fetch_after_the_commit(
    nina: Artist, dummy_tasks: list, spotify_credentials: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_artist_profile(artist=nina, by=nina.user, spotify_url=SPOTIFY_LINK)
        assert dummy_tasks == []  # nothing before the commit

    for callback in callbacks:
        callback()
    assert [(result.task.name, result.args) for result in dummy_tasks] == [
        (fetch_spotify_artist.name, [nina.pk])
    ]


def test_saving_the_same_link_again_fetches_nothing(
    nina: Artist, dummy_tasks: list, spotify_credentials: None, django_capture_on_commit_callbacks
) -> None:
    update_artist_profile(artist=nina, by=nina.user, spotify_url=SPOTIFY_LINK)
    dummy_tasks.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_artist_profile(
            artist=nina, by=nina.user, spotify_url=f"spotify:artist:{SPOTIFY_ID}", city="Genova"
        )

    assert callbacks == []
    assert dummy_tasks == []


def test_a_new_artist_link_starts_over(
    nina: Artist, linked: SpotifyArtist, dummy_tasks: list, spotify_credentials: None
) -> None:
    SpotifyArtist.objects.filter(pk=linked.pk).update(
        name="Old", followers=10, genres_added=["pop"], state="fresh"
    )
    other = "0TnOYISbd1XYRBk9myaseg"

    update_artist_profile(
        artist=nina, by=nina.user, spotify_url=f"https://open.spotify.com/artist/{other}"
    )

    link = SpotifyArtist.objects.get(artist=nina)
    assert (link.spotify_id, link.name, link.followers) == (other, "", None)
    assert (link.state, link.genres_added) == ("pending", [])


def test_clearing_the_link_forgets_the_spotify_data(
    artist_client: Client, nina: Artist, linked: SpotifyArtist
) -> None:
    artist_client.post(links_url(nina), {"spotify_url": ""})

    nina.refresh_from_db()
    assert nina.spotify_url == ""
    assert not SpotifyArtist.objects.exists()


def test_without_credentials_the_link_is_saved_and_nothing_is_enqueued(
    artist_client: Client, nina: Artist, dummy_tasks: list, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = artist_client.post(links_url(nina), {"spotify_url": SPOTIFY_LINK})

    assert response.status_code == 302
    nina.refresh_from_db()
    assert nina.spotify_url == SPOTIFY_LINK
    assert dummy_tasks == []
    # Kept due, for the day credentials are configured (manage.py refresh_spotify).
    assert SpotifyArtist.objects.get(artist=nina).state == "pending"


def test_clearing_a_link_never_fetched_is_harmless(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(links_url(nina), {"spotify_url": ""})

    assert response.status_code == 302
    assert not SpotifyArtist.objects.exists()


def test_a_link_stored_before_this_check_that_is_not_an_artist_is_not_fetched(
    nina: Artist, linked: SpotifyArtist
) -> None:
    Artist.objects.filter(pk=nina.pk).update(
        spotify_url="https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy"
    )
    nina.refresh_from_db()

    sync_spotify_link(nina)

    assert not SpotifyArtist.objects.exists()
