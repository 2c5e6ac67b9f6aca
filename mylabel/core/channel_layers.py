"""Channels' two layers, changed only so that a full channel is never silent (issue 6 point 8).

Upstream, a message that does not fit is dropped quietly in three places: the in-memory layer's
``group_send`` swallows ``ChannelFull``; channels-redis's ``group_send`` only counts the channels
over capacity (its INFO line, which ``LOGGING`` keeps); and channels-redis's per-process receive
buffer throws away the oldest message when a consumer stops reading. Here the first and the
last are logged as WARNING with the group or channel, on the ``mylabel.channels`` logger.
"""

import asyncio
import logging
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as BaseInMemoryChannelLayer
from channels_redis.core import BoundedQueue
from channels_redis.core import RedisChannelLayer as BaseRedisChannelLayer
from channels_redis.utils import create_pool

logger = logging.getLogger("mylabel.channels")


class InMemoryChannelLayer(BaseInMemoryChannelLayer):
    """The embedded layer (one process), logging each channel a group message did not fit."""

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        channels = list(self.groups.get(group, {}))
        results = await asyncio.gather(
            *(self.send(channel, message) for channel in channels), return_exceptions=True
        )
        for channel, result in zip(channels, results, strict=True):
            if isinstance(result, ChannelFull):
                logger.warning(
                    "Channel full: dropped %s for %s in group %s.",
                    message.get("type"),
                    channel,
                    group,
                )
            elif isinstance(result, BaseException):
                raise result


class _LoggingQueue(BoundedQueue):
    """channels-redis's per-channel buffer (drops the oldest when full), saying so."""

    def __init__(self, maxsize: int, channel: str) -> None:
        super().__init__(maxsize)
        self.channel = channel

    def put_nowait(self, item: Any) -> None:
        if self.full():
            logger.warning(
                "Channel full: %s stopped reading; dropped its oldest message.", self.channel
            )
        super().put_nowait(item)


class _ReceiveBuffers(dict[str, _LoggingQueue]):
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def __missing__(self, channel: str) -> _LoggingQueue:
        queue = self[channel] = _LoggingQueue(self.capacity, channel)
        return queue


class RedisChannelLayer(BaseRedisChannelLayer):
    """channels-redis (several processes), logging messages its receive buffers drop, with a
    socket timeout longer than its blocking reads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.receive_buffer = _ReceiveBuffers(self.capacity)

    def create_pool(self, index: int) -> Any:
        # channels-redis waits for messages with BZPOPMIN for up to brpop_timeout (5 s); redis-py
        # 8 gives sockets a 5 s read timeout by default, so a quiet channel raised TimeoutError
        # inside the consumer and the server dropped the WebSocket (seen in bench/chat.py).
        host = dict(self.hosts[index])
        host.setdefault("socket_timeout", self.brpop_timeout + 10)
        return create_pool(host)
