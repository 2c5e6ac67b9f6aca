"""Throttles on the shared cache (Redis in production, so every server process counts together).

Rates live in settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); a throttled request gets 429
with ``Retry-After`` from DRF and the API's error shape.
"""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class PerIpThrottle(AnonRateThrottle):
    """Anonymous requests, per client IP."""

    scope = "anon"


class PerUserThrottle(UserRateThrottle):
    """Authenticated requests, per user (all of a user's tokens and sessions together)."""

    scope = "user"


class TokenIssueThrottle(ScopedRateThrottle):
    """Password checks at the token endpoint, per IP, tighter than reads: it is a log-in form."""

    scope_attr = "throttle_scope"
