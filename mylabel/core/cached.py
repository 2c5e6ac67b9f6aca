"""Cache calls for caches of rendered or computed data, which must never fail a page.

``call`` turns an unreachable cache into a miss (``None``) and a warning: an outage then costs
database queries, never an error page. django-redis with ``IGNORE_EXCEPTIONS`` already swallows
connection errors; this covers any backend.

``generation`` reads the tokens under which such data is cached. Forgetting everything cached
under a token is deleting it: the next reader starts a new one, and the old entries expire
unread. Cheaper and safer than finding and deleting each entry. ``forget_on_commit`` does it
once the current transaction commits.
"""

import functools
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction

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


def forget_on_commit(what: str, key: str) -> None:
    """Ends the generation under ``key`` once the current transaction commits (before it, a
    request could cache what is about to change). A write that saves several rows calls this
    several times; one deletion per transaction is enough."""
    connection = transaction.get_connection()
    forget = _forgetter(what, key)
    # Already queued in this savepoint or an enclosing one: a rollback that drops it drops
    # this write too. (Django keeps (savepoint ids, callback, robust) per queued callback.)
    if any(
        callback is forget and savepoints <= set(connection.savepoint_ids)
        for savepoints, callback, _robust in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(forget)


@functools.cache
def _forgetter(what: str, key: str) -> Callable[[], None]:
    """One callable per key, so a queued one can be recognised by identity."""
    return functools.partial(call, what, "delete", key)
