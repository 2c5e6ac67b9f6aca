"""Rate limits of the site's own actions, and the store every rate limit counts in.

Three counters share the ``default`` cache (Redis in production, so all server processes count
together): allauth's log-in, sign-up and password-reset limits (ACCOUNT_RATE_LIMITS), the API
throttles (DRF, REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) and the per-user limits of
:func:`check_rate` (messages, booking requests, reviews), counted by django-ratelimit in fixed
windows.

When Redis is down
------------------
django-redis runs with IGNORE_EXCEPTIONS, so a Redis outage turns every cache call into a miss;
for the limiters that is wrong either way: allauth cannot take its cache lock and refuses every
log-in (fails closed, after a one-second wait per try), django-ratelimit reads no count and
refuses every message (fails closed), DRF throttles read an empty history and never throttle
(fails open). The choice here is **fail open for availability, but still bounded**: while Redis
does not answer, :class:`RedisCacheWithLocalCounters` keeps the rate-limit keys (and only those)
in this process's memory, so members keep logging in and writing while a brute-force attempt is
still cut off after the same number of tries per process (a deployment with N processes allows
at most N times the limit). A warning is logged once per outage per process; when Redis answers
again the counters continue there (what was counted in memory is forgotten). Ordinary cache keys
keep django-redis' behaviour (misses): a value cached only in one process's memory could go stale
after Redis came back, a rate-limit counter cannot do harm that way.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django_ratelimit.core import get_usage
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger("mylabel.security")

# (how many hits, in how many seconds): every window of a limit must hold.
Window = tuple[int, int]


def wait_seconds(*, group: str, key: str, windows: Iterable[Window]) -> int:
    """Count one hit of ``key`` (a user id, an address) in ``group`` against every window; 0
    when all still hold, else how many seconds until the exceeded window starts again."""
    for limit, seconds in windows:
        usage = get_usage(
            None,
            group=group,
            key=lambda _group, _request: key,
            rate=(limit, seconds),
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            return max(int(usage["time_left"]), 1)
    return 0


def check_rate(
    *, group: str, key: str, windows: Iterable[Window], message: Callable[[int], str]
) -> None:
    """Count one hit and raise ``ValidationError`` (code ``rate_limited``, ``params["seconds"]``
    for a ``Retry-After``) with ``message(seconds)`` when a window is exceeded. The API's
    exception handler answers it with 429; pages show the message on their form."""
    wait = wait_seconds(group=group, key=key, windows=windows)
    if wait:
        raise ValidationError(message(wait), code="rate_limited", params={"seconds": wait})


def wait_minutes(seconds: int) -> int:
    """A wait in whole minutes for a message, rounded up: "1 minute" rather than "0"."""
    return max(-(-seconds // 60), 1)


# --- The store ----------------------------------------------------------------------------------

# Key prefixes of the counters (before the cache's KEY_PREFIX): allauth ("allauth:rl:…" and its
# ":lock"), django-ratelimit (RATELIMIT_CACHE_PREFIX, "rl:") and DRF's throttles ("throttle_…").
RATE_LIMIT_KEY_PREFIXES = ("allauth:rl:", "rl:", "throttle_")
# After a failed call, rate-limit keys skip Redis this long: an unreachable host costs a connect
# timeout per call, and a log-in makes a dozen of them.
RETRY_REDIS_AFTER_SECONDS = 5.0
# One store per process, shared by the cache objects of all threads (Django makes one per thread).
LOCAL_STORE_NAME = "mylabel-rate-limits-while-redis-is-down"


class RedisCacheWithLocalCounters(RedisCache):
    """django-redis whose rate-limit keys live in this process's memory while Redis is down.

    See the module docstring for why. Only the calls the limiters make are redirected (get, set,
    add, delete, incr); everything else is plain django-redis.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.local = LocMemCache(LOCAL_STORE_NAME, {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        self._skip_redis_until = 0.0
        self._state_lock = threading.Lock()

    # Process-wide: the warning is logged once per outage, whichever thread sees it first.
    _outage_logged = False

    def _redis_or_local(self, name: str, key: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._skip_redis_until:
            try:
                result = getattr(self.client, name)(key, *args, **kwargs)
            except ConnectionInterrupted as error:
                self._went_down(error)
            else:
                self._came_back()
                return result
        return getattr(self.local, name)(key, *args, **kwargs)

    def _went_down(self, error: ConnectionInterrupted) -> None:
        with self._state_lock:
            self._skip_redis_until = time.monotonic() + RETRY_REDIS_AFTER_SECONDS
            if not RedisCacheWithLocalCounters._outage_logged:
                RedisCacheWithLocalCounters._outage_logged = True
                logger.warning(
                    "Redis is unreachable (%s): rate limits count in this process's memory "
                    "until it answers again.",
                    error.__cause__ or error,
                    extra={"event": "rate_limit_store_down"},
                )

    def _came_back(self) -> None:
        if RedisCacheWithLocalCounters._outage_logged:
            with self._state_lock:
                if RedisCacheWithLocalCounters._outage_logged:
                    RedisCacheWithLocalCounters._outage_logged = False
                    logger.info(
                        "Redis answers again: rate limits count there.",
                        extra={"event": "rate_limit_store_up"},
                    )

    @staticmethod
    def _is_counter(key: Any) -> bool:
        return isinstance(key, str) and key.startswith(RATE_LIMIT_KEY_PREFIXES)

    def get(self, key: Any, default: Any = None, version: int | None = None, **kwargs: Any) -> Any:
        if not self._is_counter(key):
            return super().get(key, default, version, **kwargs)
        return self._redis_or_local("get", key, default, version=version)

    def set(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._is_counter(key):
            return super().set(key, value, *args, **kwargs)
        return self._redis_or_local("set", key, value, *args, **kwargs)

    def add(self, key: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._is_counter(key):
            return super().add(key, value, *args, **kwargs)
        return self._redis_or_local("add", key, value, *args, **kwargs)

    def delete(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._is_counter(key):
            return super().delete(key, *args, **kwargs)
        return self._redis_or_local("delete", key, *args, **kwargs)

    def incr(self, key: Any, delta: int = 1, version: int | None = None, **kwargs: Any) -> Any:
        if not self._is_counter(key):
            return super().incr(key, delta, version, **kwargs)
        return self._redis_or_local("incr", key, delta, version=version)
