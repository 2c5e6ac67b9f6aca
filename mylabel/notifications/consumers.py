"""``/ws/notifications/``: pushes the bell (and new lines of the centre) to a user's open pages.

Push only: the page never sends anything that matters, so any frame from the client gets an
error frame and the connection stays up. Anonymous users are refused at the handshake; the
origin check is ``AllowedHostsOriginValidator`` in ``config.asgi``.
"""

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from mylabel.accounts.models import User
from mylabel.notifications.live import group_for
from mylabel.notifications.models import Notification
from mylabel.notifications.selectors import unread_count
from mylabel.notifications.tasks import recipient_locale

BELL = "notifications/bell.html#notification-bell"
ITEM = "notifications/notification_list.html#notification"
# Where a new or updated line goes on the centre's page (htmx inserts the wrapper's children);
# on other pages htmx finds no target and skips it.
NEW_ITEM_SWAP = "afterbegin:#notification-items"


def render_update(user: User, notification_id: int | None = None, *, created: bool = False) -> str:
    """The HTML sent for one change: the bell with a fresh count, then the changed line (as an
    out-of-band swap). Rendered in ``user``'s language and time zone; a notification id that is
    not ``user``'s (or is gone) adds nothing."""
    with recipient_locale(user):
        html: str = render_to_string(
            BELL, {"unread": unread_count(user), "oob": True, "user": user}
        )
        if notification_id is not None:
            notification = (
                Notification.objects.filter(pk=notification_id, recipient_id=user.pk)
                .select_related("actor")
                .first()
            )
            if notification is not None:
                line = render_to_string(ITEM, {"notification": notification})
                if not created:
                    # A folded thread moved to the top: drop its old line first.
                    html += f'<li id="notification-{notification.pk}" hx-swap-oob="delete"></li>'
                html += f'<div hx-swap-oob="{NEW_ITEM_SWAP}">{line}</div>'
    return html


class NotificationConsumer(AsyncWebsocketConsumer):
    group_name = ""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accept(): the handshake is refused (HTTP 403)
            return
        self.user: User = user
        self.group_name = group_for(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        # Pages render the bell without a count (no query on every page); it arrives here, and
        # again after every reconnect, so a push missed while offline is caught up.
        await self.send(text_data=await database_sync_to_async(render_update)(self.user))

    async def disconnect(self, code: int) -> None:
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data='{"type": "error", "detail": "this socket only pushes"}')

    async def notify(self, event: dict[str, Any]) -> None:
        """A change for this user (``live.push``): send the re-rendered fragments."""
        notification_id = event.get("notification_id")
        html = await database_sync_to_async(render_update)(
            self.user,
            notification_id if isinstance(notification_id, int) else None,
            created=bool(event.get("created")),
        )
        await self.send(text_data=html)
