"""A database outage answers 503 "briefly unavailable", not 500 "something went wrong" (issue 10
point 4).

While PostgreSQL is unreachable, every request that needs it fails with an ``OperationalError``
(``InterfaceError`` for a connection that died mid-request, ``PoolTimeout`` when no pooled
connection comes within the pool's timeout, see ``DATABASES`` in config/settings.py). Those are
not bugs in a page: the answer is a 503 with ``Retry-After``, in the site's look (503.html) or,
under /api/, in the API's JSON error shape. Any other exception is left alone and stays a 500.

``DatabaseOutageMiddleware`` catches them where they happen:

- in the view (and in the template it renders), through ``process_exception``;
- in the middleware before it: Django loads the session and the user lazily, and the first to
  ask for them is ``UserPreferencesMiddleware``, whose exception would become a 500 before any
  outer middleware saw it. So this middleware sits just before it and loads the user itself.

WebSockets (``WebSocketOutageMiddleware``, config/asgi.py): a consumer needs the channel layer
(Redis) from its first moment, and the chat's the database too. When either is unreachable the
socket is refused with a 503 (or, once accepted, closed with 1013 "try again later") instead of
crashing into a 500 and a traceback per attempt; the htmx ws extension retries after both, and
the chat page says "Reconnecting…" meanwhile (static/js/live-status.js).
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

try:
    from psycopg_pool import PoolTimeout
except ImportError:  # pragma: no cover - psycopg[pool] is in requirements/base.txt
    PoolTimeout = OperationalError  # type: ignore[misc,assignment]
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("mylabel.outage")

# Seconds a client is asked to wait: the pool reconnects within about a second of the database
# coming back, so a short wait is honest and does not send crawlers away for long.
RETRY_AFTER = 5

OUTAGE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)


def is_outage(error: BaseException | None) -> bool:
    """True for an error that means "the database cannot be reached", also when one was
    re-raised as another (``raise … from``). Only explicit causes count: an unrelated bug that
    happens while some code handles a database error stays a 500."""
    for _depth in range(5):
        if error is None:
            return False
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error = error.__cause__
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON ``{detail, code, fields}`` under /api/, else the 503 page.

    Rendered without the request (no context processors): they read the user, the session and
    notifications, all from the database that is down.
    """
    response: HttpResponse
    if request.path.startswith("/api/"):
        detail = _("The service is briefly unavailable. Please try again in a few seconds.")
        response = JsonResponse(
            {"detail": detail, "code": "service_unavailable", "fields": {}}, status=503
        )
    else:
        page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Neither browsers nor a cache in front may keep the outage page once service is back.
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turns database-unavailable errors into ``unavailable_response`` (see the module's
    docstring for where it sits and why)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            # Loads the session and the user now (a query each, only for a session cookie), as
            # the next middleware would; afterwards both are cached on the request.
            user = getattr(request, "user", None)
            if user is not None:
                user.is_authenticated  # noqa: B018 - evaluated for its side effect
        except OUTAGE_ERRORS as error:
            return self._unavailable(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return self._unavailable(request, exception)
        return None

    @staticmethod
    def _unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
        # A warning, not an error with a traceback per request: during an outage every request
        # ends here, and /readyz (which names the database) is what alerting watches.
        logger.warning(
            "Database unavailable, answered 503: %s %s (%s: %s)",
            request.method,
            request.path,
            type(error).__name__,
            error,
        )
        return unavailable_response(request)


# --- WebSockets ---------------------------------------------------------------------------------

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# What a consumer raises while Redis (the channel layer) or PostgreSQL cannot be reached.
SOCKET_OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,  # OSError's: refused, reset
    TimeoutError,
    *OUTAGE_ERRORS,
)
TRY_AGAIN_LATER = 1013


class WebSocketOutageMiddleware:
    """Wraps the WebSocket router: a consumer that fails because a service is unreachable ends
    its socket the way the client can retry (see the module's docstring); other errors are
    raised as before."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepted = finished = False

        async def tracking_send(message: Message) -> None:
            nonlocal accepted, finished
            kind = message["type"]
            if kind == "websocket.accept":
                accepted = True
            elif kind in {"websocket.close", "websocket.http.response.start"}:
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except SOCKET_OUTAGE_ERRORS as error:
            logger.warning(
                "Service unavailable, WebSocket %s %s: %s: %s",
                "closed" if accepted else "refused",
                scope.get("path", ""),
                type(error).__name__,
                error,
            )
            if finished:
                return
            if accepted or "websocket.http.response" not in scope.get("extensions", {}):
                # Before accept, a close is a refused handshake (403 from the server).
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
                return
            await send(
                {
                    "type": "websocket.http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"retry-after", str(RETRY_AFTER).encode()),
                    ],
                }
            )
            await send(
                {"type": "websocket.http.response.body", "body": b"Service briefly unavailable."}
            )
