"""Which request a log record belongs to: its id, its user and its route.

The monitoring middleware puts the request in a context variable for the time it is served
(asgiref carries context variables into the threads that run sync views, and back), and
``RequestContextFilter`` copies ``request_id``, ``user_id`` and ``route`` onto every record, so
the JSON formatter writes them as fields. Records outside a request get ``None``.

No query is ever made for logging: the user id is read only once authentication has loaded the
user for the request's own needs, and the route only once URL resolution has happened.
"""

import logging
import re
import uuid
from contextvars import ContextVar, Token

from django.http import HttpRequest

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is honoured when it cannot break a log line or a header: a load balancer's UUID,
# a trace id. Anything else is replaced by our own.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def request_id_for(incoming: str | None) -> str:
    if incoming and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def enter(request: HttpRequest) -> Token[HttpRequest | None]:
    return _current_request.set(request)


def leave(token: Token[HttpRequest | None]) -> None:
    _current_request.reset(token)


def route_of(request: HttpRequest) -> str | None:
    """The resolved URL name (``namespace:name``), or None before resolution or when nothing
    matched. Never the raw path: label and log cardinality stay bounded."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return match.view_name or None


def user_id_of(request: HttpRequest) -> int | None:
    # AuthenticationMiddleware caches the user here when something first reads request.user.
    user = getattr(request, "_cached_user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``route`` to every record (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx response after the middleware chain has returned, passing the
        # request in the record instead.
        request = _current_request.get() or getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            record.request_id = record.user_id = record.route = None
        else:
            record.request_id = getattr(request, "request_id", None)
            record.user_id = user_id_of(request)
            record.route = route_of(request)
        return True
