"""Throttles on the shared cache (Redis in production, so every server process counts together).

Rates live in settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); a throttled request gets 429
with ``Retry-After`` from DRF and the API's error shape.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class PerIpThrottle(AnonRateThrottle):
    """Anonymous requests, per client IP."""

    scope = "anon"


class PerUserThrottle(UserRateThrottle):
    """Authenticated requests, per user (all of a user's tokens and sessions together)."""

    scope = "user"


class TokenIssueThrottle(SimpleRateThrottle):
    """Password checks at the token endpoint, per IP, tighter than reads: it is a log-in form."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # Per IP whoever asks: guessing passwords must not get faster by sending a session.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
