"""Live updates of the bell and the centre over ``/ws/notifications/`` (issue 6 point 4).

Services call ``push_after_commit``; the group message only says *what* changed, and every
connected ``NotificationConsumer`` renders the fragment itself, in its user's language and with
a fresh unread count, so a push that arrives late never shows a stale number.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_for(user_id: int) -> str:
    """The channel-layer group of one user's open pages (contract: ``notifications.<user id>``)."""
    return f"notifications.{user_id}"


def push(user_id: int, *, notification_id: int | None = None, created: bool = False) -> None:
    """Tell ``user_id``'s open pages that their notifications changed: a new or updated line
    (``notification_id``, ``created`` when it is new) or only the unread count (mark read).

    Never raises: the notification is already saved, and an unreachable channel layer must cost
    the live badge, not the request that caused it.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "notify", "notification_id": notification_id, "created": created}
    try:
        async_to_sync(layer.group_send)(group_for(user_id), message)
    except Exception:
        logger.exception("Could not push the notification badge to user %s.", user_id)


def push_after_commit(
    user_id: int, *, notification_id: int | None = None, created: bool = False
) -> None:
    """``push`` once the current transaction commits (at once outside of one)."""
    transaction.on_commit(lambda: push(user_id, notification_id=notification_id, created=created))
