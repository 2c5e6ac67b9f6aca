"""Cache calls for caches of rendered or computed data, which must never fail a page.

``call`` turns an unreachable cache into a miss (``None``) and a warning: an outage then costs
database queries, never an error page. django-redis with ``IGNORE_EXCEPTIONS`` already swallows
connection errors; this covers any backend.

``generation`` reads the tokens under which such data is cached. Forgetting everything cached
under a token is deleting it: the next reader starts a new one, and the old entries expire
unread. Cheaper and safer than finding and deleting each entry.
"""

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)


def call(what: str, method: str, *args: Any) -> Any:
    """``cache.<method>(*args)``, or ``None`` when the cache is unreachable; ``what`` names the
    cached data in the warning."""
    try:
        return getattr(cache, method)(*args)
    except Exception:
        logger.warning("%s cache: %s failed; using the database.", what, method, exc_info=True)
        return None


def generation(what: str, keys: Sequence[str]) -> str | None:
    """The tokens stored under ``keys``, each started if missing, joined: the current
    generation. ``None`` when the cache cannot be reached (the caller then skips it)."""
    tokens = call(what, "get_many", keys)
    if not isinstance(tokens, dict):
        return None
    for key in keys:
        if not isinstance(tokens.get(key), str):
            # add, not set, then read back: of two readers starting a generation at once, both
            # use the one stored first.
            call(what, "add", key, uuid.uuid4().hex, None)
            tokens[key] = call(what, "get", key)
    if not all(isinstance(tokens[key], str) for key in keys):
        return None
    return "-".join(tokens[key] for key in keys)
