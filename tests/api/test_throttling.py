"""API throttles (issue 7 §5): anonymous requests per IP, signed-in ones per user (all of the
user's tokens together), counted in the shared cache; 429 with ``Retry-After`` in the error
shape, and the next window lets requests through."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.urls import include, path
from django.utils import timezone
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from mylabel.api.throttling import PerIpThrottle
from tests.api.helpers import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ANON_LIMIT = 100
USER_LIMIT = 200


@api_view(["GET"])
@permission_classes([AllowAny])
def ping(request: Request) -> Response:
    """A public endpoint with the default throttles, like every read of the API."""
    return Response({"ok": True})


urlpatterns = [
    path("api/", include("mylabel.api.urls")),
    path("api/test/ping/", ping),
]


def send(client: APIClient, times: int, **extra: Any) -> list[int]:
    return [client.get("/api/test/ping/", **extra).status_code for _ in range(times)]


@pytest.fixture
def frozen() -> Iterator[Any]:
    """Time stands still (one throttle window) until the test shifts it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_the_configured_rates_are_the_documented_ones(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"] == f"{ANON_LIMIT}/min"
    assert rates["user"] == f"{USER_LIMIT}/min"
    assert rates["token"] == "10/min"


def test_an_anonymous_client_is_throttled_after_100_requests_a_minute(api_client, frozen):
    assert set(send(api_client, ANON_LIMIT)) == {200}
    response = api_client.get("/api/test/ping/")
    body = assert_error(response, 429, code="throttled", fields=[])
    assert int(response["Retry-After"]) == 60
    assert "throttled" in body["detail"].lower()


def test_the_next_window_lets_requests_through_again(api_client, frozen):
    send(api_client, ANON_LIMIT + 1)
    frozen.shift(timedelta(seconds=30))
    response = api_client.get("/api/test/ping/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 30
    frozen.shift(timedelta(seconds=31))
    assert api_client.get("/api/test/ping/").status_code == 200


def test_two_addresses_are_counted_apart(api_client, frozen):
    send(api_client, ANON_LIMIT, REMOTE_ADDR="203.0.113.1")
    assert api_client.get("/api/test/ping/", REMOTE_ADDR="203.0.113.1").status_code == 429
    assert api_client.get("/api/test/ping/", REMOTE_ADDR="203.0.113.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(api_client, frozen):
    """With no proxy configured (NUM_PROXIES = 0) only REMOTE_ADDR counts."""
    codes = [
        api_client.get(
            "/api/test/ping/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(ANON_LIMIT + 1)
    ]
    assert codes[-1] == 429


def test_behind_one_proxy_the_address_it_appended_counts(api_client, frozen, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    balancer = {"REMOTE_ADDR": "10.0.0.1"}
    send(api_client, ANON_LIMIT, HTTP_X_FORWARDED_FOR="forged, 198.51.100.7", **balancer)
    # The same client writing something else in front is still the same client...
    blocked = api_client.get(
        "/api/test/ping/", HTTP_X_FORWARDED_FOR="other, 198.51.100.7", **balancer
    )
    assert blocked.status_code == 429
    # ...and another client behind the same balancer is not throttled.
    other = api_client.get("/api/test/ping/", HTTP_X_FORWARDED_FOR="198.51.100.8", **balancer)
    assert other.status_code == 200


def test_a_user_is_throttled_after_200_requests_across_all_their_tokens(api_as, artist, frozen):
    phone, laptop = api_as(artist), api_as(artist)
    assert set(send(phone, USER_LIMIT // 2) + send(laptop, USER_LIMIT // 2)) == {200}
    assert_error(phone.get("/api/test/ping/"), 429, code="throttled")
    response = laptop.get("/api/test/ping/")
    assert_error(response, 429, code="throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_users_session_and_tokens_share_one_count(artist_api, artist_client, frozen):
    send(artist_api, USER_LIMIT)
    assert artist_client.get("/api/test/ping/").status_code == 429


def test_signed_in_users_are_not_limited_by_their_address(api_as, artist, associate, frozen):
    """Colleagues behind one office address each get the per-user allowance."""
    nina, marco = api_as(artist), api_as(associate)
    assert set(send(nina, ANON_LIMIT + 1)) == {200}
    assert set(send(marco, ANON_LIMIT + 1)) == {200}


def test_another_users_requests_do_not_count_against_you(api_as, artist, associate, frozen):
    send(api_as(artist), USER_LIMIT + 1)
    assert api_as(associate).get("/api/test/ping/").status_code == 200


def test_a_changed_rate_setting_applies_at_once(api_client, frozen, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "2/min",
        },
    }
    assert send(api_client, 3) == [200, 200, 429]


@pytest.mark.redis
def test_processes_count_together_in_the_shared_cache(frozen):
    """Two cache clients, as two server processes would have, fill one counter in Redis."""
    first_process, second_process = (caches.create_connection("default") for _ in range(2))
    assert first_process is not second_process
    request = Request(APIRequestFactory().get("/api/test/ping/", REMOTE_ADDR="203.0.113.9"))

    def allowed(cache: object) -> bool:
        throttle = PerIpThrottle()
        throttle.cache = cache  # type: ignore[assignment]
        return throttle.allow_request(request, view=APIView())

    assert all(allowed(first_process) for _ in range(ANON_LIMIT // 2))
    assert all(allowed(second_process) for _ in range(ANON_LIMIT // 2))
    assert not allowed(first_process)
    assert not allowed(second_process)
    key = PerIpThrottle().get_cache_key(request, view=APIView())
    assert len(second_process.get(key)) == ANON_LIMIT
