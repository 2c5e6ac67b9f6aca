"""Readiness checks of the shared dependencies a web process needs to serve requests.

Each check returns ``None`` when the dependency answers, or a short reason when it does not. They
never raise: a probe must report a failure, not become one.
"""

import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return type(error).__name__
    return None


def check_cache() -> str | None:
    # The Redis cache swallows connection errors (a miss instead of a 500), so a write that
    # cannot be read back is how an outage shows here.
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001
        return type(error).__name__
    return None if value == "ok" else "write not readable"


def check_channel_layer() -> str | None:
    layer = get_channel_layer()
    if layer is None:
        return "not configured"

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "readyz.ping"})
        message = await layer.receive(channel)
        return message.get("type") == "readyz.ping"

    try:
        answered = async_to_sync(round_trip)()
    except Exception as error:  # noqa: BLE001
        return type(error).__name__
    return None if answered else "message lost"


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
}


def run_checks() -> dict[str, str | None]:
    return {name: check() for name, check in CHECKS.items()}
