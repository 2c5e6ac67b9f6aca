"""Request monitoring (Django middleware) and WebSocket counting (ASGI middleware).

``RequestMonitoringMiddleware`` goes first in ``MIDDLEWARE`` so it times everything the other
middleware does too. Per request it: gives the request an id (the caller's ``X-Request-ID`` when
sane, else a new one) and echoes it in the response; makes the request the current one for log
records (``request_context``); records the latency, status class and 5xx in Prometheus and in the
process's rollup recorder, under the resolved URL name (``unmatched`` when none resolved).
Streaming responses are timed to their first byte, not to their end.
"""

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from mylabel.monitoring import metrics, request_context, rollups

UNMATCHED_ROUTE = "unmatched"
# Anything else a client sends as a method is counted as "other": label values stay bounded.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestMonitoringMiddleware:
    # Sync only: the middleware after it are, so Django would call it from a thread anyway.
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started, token = self._begin(request)
        try:
            response = self.get_response(request)
            flush = self._end(request, response, started)
        finally:
            request_context.leave(token)
        if flush:
            rollups.recorder.flush()
        return response

    def _begin(self, request: HttpRequest) -> tuple[float, Any]:
        request.request_id = request_context.request_id_for(  # type: ignore[attr-defined]
            request.headers.get(request_context.REQUEST_ID_HEADER)
        )
        return time.perf_counter(), request_context.enter(request)

    def _end(self, request: HttpRequest, response: HttpResponseBase, started: float) -> bool:
        """Record the request; True when this request should flush the rollups."""
        seconds = time.perf_counter() - started
        response[request_context.REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
        route = request_context.route_of(request) or UNMATCHED_ROUTE
        method = request.method if request.method in KNOWN_METHODS else "other"
        server_error = response.status_code >= 500
        metrics.REQUEST_LATENCY.labels(route, method).observe(seconds)
        metrics.RESPONSES.labels(metrics.status_class(response.status_code)).inc()
        if server_error:
            metrics.SERVER_ERRORS.labels(route).inc()
        interval = rollups.flush_interval()
        if interval is None:
            return False
        rollups.recorder.record(
            route=route,
            milliseconds=seconds * 1000,
            server_error=server_error,
            at=datetime.now(UTC),
        )
        return rollups.recorder.claim_flush(interval)


Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class WebSocketMetricsMiddleware:
    """Wraps the WebSocket router (config/asgi.py): counts accepted connections, keeps the gauge
    of open ones, and counts frames each way. Connections refused before accept count nothing."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepted = False

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive":
                metrics.WEBSOCKET_MESSAGES.labels("received").inc()
            return message

        async def counting_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                metrics.WEBSOCKET_CONNECTIONS.inc()
                metrics.WEBSOCKET_CONNECTIONS_OPEN.inc()
            elif message["type"] == "websocket.send":
                metrics.WEBSOCKET_MESSAGES.labels("sent").inc()
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            if accepted:
                metrics.WEBSOCKET_CONNECTIONS_OPEN.dec()
