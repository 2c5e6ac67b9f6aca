"""Throttles on the shared cache (Redis in production, so every server process counts together).

Rates live in settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); a throttled request gets 429
with ``Retry-After`` from DRF and the API's error shape.

Clients are told apart by ``REMOTE_ADDR``. ``X-Forwarded-For`` is trusted only as far as
REST_FRAMEWORK["NUM_PROXIES"] says (API_NUM_PROXIES, default 0: ignored): behind one load
balancer set it to 1, so the address the balancer appended is used; a client can write anything
into the header's other entries, so trusting more of it would let anyone pick a fresh address
per request and never be throttled.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class LiveRatesMixin:
    """Read the rate from settings when a throttle is made, not once at import as DRF does, so
    a changed setting (a test's ``settings`` fixture) applies like every other setting."""

    scope: str

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        return rates[self.scope]


class PerIpThrottle(LiveRatesMixin, AnonRateThrottle):
    """Anonymous requests, per client IP."""

    scope = "anon"


class PerUserThrottle(LiveRatesMixin, UserRateThrottle):
    """Authenticated requests, per user (all of a user's tokens and sessions together)."""

    scope = "user"


class TokenIssueThrottle(LiveRatesMixin, SimpleRateThrottle):
    """Password checks at the token endpoint, per IP, tighter than reads: it is a log-in form."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # Per IP whoever asks: guessing passwords must not get faster by sending a session.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
