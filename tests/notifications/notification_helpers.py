"""Helpers shared by the notification-centre tests (helper N1's files)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from mylabel.accounts.models import User
from mylabel.notifications.live import group_for
from mylabel.notifications.models import Event, Notification


def make_notification(recipient: User, **fields: Any) -> Notification:
    values: dict[str, Any] = {
        "event": Event.BOOKING_REQUESTED,
        "title": "Booking requested",
        "url": "/bookings/",
        **fields,
    }
    return Notification.objects.create(recipient=recipient, **values)


class GroupListener:
    """A channel in ``user``'s notification group, read synchronously (in-memory or Redis)."""

    def __init__(self, user: User) -> None:
        self.layer = get_channel_layer()
        assert self.layer is not None
        self.group = group_for(user.pk)
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(self.group, self.channel)

    def messages(self, *, wait: float = 1.0) -> list[dict[str, Any]]:
        """Everything sent to the channel: the first message may take up to ``wait`` seconds
        (Redis on a busy machine takes more than a few milliseconds to deliver); the rest are
        read until the channel stays quiet for 50 ms."""

        async def drain() -> list[dict[str, Any]]:
            import asyncio

            received = []
            timeout = wait
            while True:
                try:
                    received.append(
                        await asyncio.wait_for(self.layer.receive(self.channel), timeout=timeout)
                    )
                except TimeoutError:
                    return received
                timeout = 0.05

        return async_to_sync(drain)()

    def close(self) -> None:
        async_to_sync(self.layer.group_discard)(self.group, self.channel)
