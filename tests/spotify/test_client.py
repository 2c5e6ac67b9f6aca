"""The Spotify client: the client-credentials token, the artist and top-track bodies as Spotify
sends them, and every failure mapped to one of three exceptions (never raised further)."""

import base64
from urllib.parse import parse_qs

import pytest
import requests
import responses
from django.core.cache import cache

from mylabel.spotify import client
from tests.spotify.conftest import ARTIST_URL, SPOTIFY_ID, TOKEN_URL, TOP_TRACKS_URL, fixture


def test_token_is_requested_with_the_client_credentials(
    spotify_api: responses.RequestsMock,
) -> None:
    client.fetch_artist(SPOTIFY_ID)

    token_request = spotify_api.calls[0].request
    assert token_request.url == TOKEN_URL
    expected = base64.b64encode(b"test-client-id:test-client-secret").decode()
    assert token_request.headers["Authorization"] == f"Basic {expected}"
    assert parse_qs(str(token_request.body)) == {"grant_type": ["client_credentials"]}
    artist_request = spotify_api.calls[1].request
    assert artist_request.headers["Authorization"] == "Bearer BQDtestaccesstoken"


def test_token_is_shared_through_the_cache_until_it_expires(
    spotify_api: responses.RequestsMock,
) -> None:
    client.fetch_artist(SPOTIFY_ID)
    client.fetch_artist(SPOTIFY_ID)

    token_calls = [call for call in spotify_api.calls if call.request.url == TOKEN_URL]
    assert len(token_calls) == 1
    assert cache.get(client.TOKEN_CACHE_KEY)["access_token"] == "BQDtestaccesstoken"


def test_artist_and_top_tracks_are_parsed(spotify_api: responses.RequestsMock) -> None:
    data = client.fetch_artist(SPOTIFY_ID)

    assert data.name == "Nina Vale"
    assert data.followers == 48213
    assert data.popularity == 57
    assert data.genres == ["italian indie pop", "hip hop", "dream pop", "escape room"]
    # Only Spotify's image CDN (the CSP allows nothing else), largest first.
    assert [image["width"] for image in data.images] == [640, 320, 160]
    assert all(image["url"].startswith("https://i.scdn.co/") for image in data.images)
    # The malformed id is dropped; five are kept, in Spotify's order.
    assert [track["name"] for track in data.top_tracks] == [
        "Low Tide",
        "Harbour Lights",
        "Salt <b>& Glass</b>",
        "Four",
        "Five",
    ]


def test_top_tracks_are_asked_for_the_configured_market(
    spotify_api: responses.RequestsMock, settings
) -> None:
    settings.SPOTIFY_MARKET = "PT"
    client.fetch_artist(SPOTIFY_ID)

    urls = [str(call.request.url) for call in spotify_api.calls]
    assert any("/top-tracks" in url and "country=PT" in url for url in urls)


def test_missing_fields_are_left_empty() -> None:
    data = client.parse_artist({"name": "Nina"}, {})

    assert (data.followers, data.popularity, data.genres, data.images, data.top_tracks) == (
        None,
        None,
        [],
        [],
        [],
    )


@pytest.mark.parametrize(
    ("body", "tracks"),
    [
        ({"followers": 12}, {}),  # followers is an object
        ({"images": ["https://i.scdn.co/image/x"]}, {}),  # images are objects
        ({}, {"tracks": ["4uLU6hMCjMI75M1A2tKUQC"]}),  # tracks are objects
    ],
)
def test_a_body_of_the_wrong_shape_is_an_error(body: dict, tracks: dict) -> None:
    with pytest.raises(client.SpotifyError):
        client.parse_artist(body, tracks)


def test_rate_limit_carries_retry_after(spotify_api: responses.RequestsMock) -> None:
    spotify_api.replace(
        responses.GET, ARTIST_URL, status=429, headers={"Retry-After": "37"}, json={}
    )

    with pytest.raises(client.RateLimited) as error:
        client.fetch_artist(SPOTIFY_ID)

    assert error.value.retry_after == 37
    # Not retried in the worker: spotipy's own retries would sleep there.
    assert len([call for call in spotify_api.calls if call.request.url == ARTIST_URL]) == 1


@pytest.mark.parametrize("header", [{}, {"Retry-After": "soon"}, {"Retry-After": "-5"}])
def test_rate_limit_without_a_usable_retry_after(
    spotify_api: responses.RequestsMock, header: dict
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, status=429, headers=header, body="")

    with pytest.raises(client.RateLimited) as error:
        client.fetch_artist(SPOTIFY_ID)

    assert error.value.retry_after is None


@pytest.mark.parametrize("status", [400, 404])
def test_unknown_artist_is_not_found(spotify_api: responses.RequestsMock, status: int) -> None:
    spotify_api.replace(
        responses.GET,
        ARTIST_URL,
        status=status,
        json={"error": {"status": status, "message": "Resource not found"}},
    )

    with pytest.raises(client.ArtistNotFound):
        client.fetch_artist(SPOTIFY_ID)


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "body": "<html>oops</html>"},
        {"status": 503, "json": {"error": {"status": 503, "message": "Service unavailable"}}},
        {"status": 401, "json": {"error": {"status": 401, "message": "Invalid access token"}}},
        {"status": 200, "body": "not json {"},
        {"status": 200, "json": ["a", "list"]},
        {"body": requests.ReadTimeout("read timed out")},
        {"body": requests.ConnectionError("connection refused")},
    ],
    ids=["500-html", "503", "401", "invalid-json", "json-not-an-object", "timeout", "refused"],
)
def test_server_and_network_failures_are_spotify_errors(
    spotify_api: responses.RequestsMock, answer: dict
) -> None:
    spotify_api.replace(responses.GET, ARTIST_URL, **answer)

    with pytest.raises(client.SpotifyError):
        client.fetch_artist(SPOTIFY_ID)


def test_invalid_top_tracks_body_is_an_error(spotify_api: responses.RequestsMock) -> None:
    spotify_api.replace(responses.GET, TOP_TRACKS_URL, body="<html>", status=200)

    with pytest.raises(client.SpotifyError):
        client.fetch_artist(SPOTIFY_ID)


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 400, "json": {"error": "invalid_client"}},
        {"status": 502, "body": "bad gateway"},
        {"status": 200, "body": "not json"},
        {"body": requests.ConnectTimeout("connect timed out")},
    ],
    ids=["bad-credentials", "502", "invalid-json", "timeout"],
)
def test_token_failures_are_spotify_errors(
    spotify_api: responses.RequestsMock, answer: dict
) -> None:
    spotify_api.replace(responses.POST, TOKEN_URL, **answer)

    with pytest.raises(client.SpotifyError):
        client.fetch_artist(SPOTIFY_ID)
    assert fixture("token")  # the recorded token is untouched for the next test
