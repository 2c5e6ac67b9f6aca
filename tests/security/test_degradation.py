"""The friendly 503 of a database outage (issue 10 point 4), in-process: which errors become it,
what it looks like, and that everything else stays a 500; the same for WebSockets while Redis
(the channel layer) is unreachable, and the chat page's "Reconnecting…" line.

The same behaviour against real servers with PostgreSQL and Redis really cut off is in
tests/security/test_chaos.py.
"""

import asyncio
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from psycopg_pool import PoolTimeout
from redis.exceptions import ConnectionError as RedisConnectionError

from mylabel.core.outage import (
    RETRY_AFTER,
    DatabaseOutageMiddleware,
    WebSocketOutageMiddleware,
    is_outage,
)
from mylabel.messaging import services

pytestmark = pytest.mark.urls(__name__)


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def connection_lost(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("the connection is closed")


def pool_empty(request: HttpRequest) -> HttpResponse:
    raise PoolTimeout("couldn't get a connection after 2.00 sec")


def wrapped(request: HttpRequest) -> HttpResponse:
    try:
        database_down(request)
    except OperationalError as error:
        raise RuntimeError("could not load the profile") from error
    return HttpResponse()  # pragma: no cover


def bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


def fine(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fine")


urlpatterns = [
    path("down/", database_down),
    path("lost/", connection_lost),
    path("pool/", pool_empty),
    path("wrapped/", wrapped),
    path("bug/", bug),
    path("fine/", fine),
    path("api/v1/down/", database_down),
]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def assert_friendly_page(response: HttpResponse) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "MyLabel is briefly unavailable" in html
    assert "Nothing you saved is lost" in html
    assert f"try again in {RETRY_AFTER} seconds" in html
    assert "css/mylabel.css" in html  # the site's look
    assert "<script" not in html


@pytest.mark.parametrize("url", ["/down/", "/lost/", "/pool/", "/wrapped/"])
def test_database_errors_from_a_view_answer_the_friendly_503(client, url):
    assert_friendly_page(client.get(url))


def test_the_api_answers_503_in_its_error_shape(client):
    response = client.get("/api/v1/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response.json() == {
        "detail": "The service is briefly unavailable. Please try again in a few seconds.",
        "code": "service_unavailable",
        "fields": {},
    }


def test_other_errors_stay_500(client):
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "briefly unavailable" not in response.content.decode()


def test_a_signed_in_request_whose_session_cannot_be_loaded_answers_503(client, db, artist):
    client.force_login(artist)
    assert client.get("/fine/").status_code == 200
    # The session (and through it the user) is loaded by middleware, before any view runs.
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("server closed")):
        response = client.get("/fine/")
    assert_friendly_page(response)
    # The session cookie survives: a database blip must not sign anyone out.
    assert client.get("/fine/").status_code == 200
    assert client.session.get("_auth_user_id") == str(artist.pk)


def test_the_middleware_handles_only_outage_errors():
    middleware = DatabaseOutageMiddleware(lambda request: HttpResponse("fine"))
    request = RequestFactory().get("/artists/nina/")
    response = middleware.process_exception(request, OperationalError("down"))
    assert response is not None
    assert response.status_code == 503
    assert middleware.process_exception(request, ValueError("bug")) is None
    assert middleware.process_exception(request, KeyError("bug")) is None


def test_only_explicit_causes_count():
    assert is_outage(OperationalError())
    caused = RuntimeError("re-raised")
    caused.__cause__ = PoolTimeout()
    assert is_outage(caused)
    during = ValueError("a bug while handling an outage")
    during.__context__ = OperationalError()
    assert not is_outage(during)
    assert not is_outage(None)


# --- WebSockets --------------------------------------------------------------------------------


def run_socket(app: Any, extensions: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Runs ``WebSocketOutageMiddleware(app)`` for one connection; returns what it sent."""
    sent: list[dict[str, Any]] = []
    scope = {"type": "websocket", "path": "/ws/conversations/1/", "extensions": extensions or {}}

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(WebSocketOutageMiddleware(app)(scope, receive, send))
    return sent


async def redis_down_before_accept(scope: Any, receive: Any, send: Any) -> None:
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


async def redis_down_after_accept(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "websocket.accept"})
    raise RedisConnectionError("Connection closed by server.")


async def consumer_bug(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "websocket.accept"})
    raise KeyError("a bug")


def test_a_socket_is_refused_with_503_while_redis_is_down():
    sent = run_socket(redis_down_before_accept, {"websocket.http.response": {}})
    assert sent[0]["type"] == "websocket.http.response.start"
    assert sent[0]["status"] == 503
    assert (b"retry-after", str(RETRY_AFTER).encode()) in sent[0]["headers"]
    assert sent[1]["type"] == "websocket.http.response.body"


def test_without_denial_responses_the_handshake_is_closed_instead():
    assert run_socket(redis_down_before_accept) == [{"type": "websocket.close", "code": 1013}]


def test_an_open_socket_is_closed_with_try_again_later():
    sent = run_socket(redis_down_after_accept)
    # 1013: htmx's ws extension reconnects after it (not after the app's 4xxx refusals).
    assert sent == [{"type": "websocket.accept"}, {"type": "websocket.close", "code": 1013}]


def test_other_socket_errors_are_raised_as_before():
    with pytest.raises(KeyError):
        run_socket(consumer_bug)


@pytest.mark.urls("config.urls")
def test_the_live_conversation_page_has_the_reconnecting_line(artist_client, artist, associate):
    conversation = services.start_direct_conversation(user=artist, other=associate)
    html = artist_client.get(conversation.get_absolute_url()).content.decode()
    line = html[html.index('id="live-status"') - 3 :]
    line = line[: line.index("</p>")]
    assert "hidden" in line
    assert "data-live-status" in line
    assert "Reconnecting…" in line
    assert "js/live-status.js" in html
