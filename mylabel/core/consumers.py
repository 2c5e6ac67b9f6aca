from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Answers ``{"type": "ping"}`` with ``{"type": "pong"}``: lets operators and tests check that
    the server speaks WebSocket end to end, separately from any feature's consumer."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Garbage from a client gets an error frame, not a crashed connection and a traceback.
        # Invalid JSON raises JSONDecodeError and a binary frame raises ValueError (its parent).
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data)
        except ValueError:
            await self.send_json({"type": "error", "detail": "expected a JSON text frame"})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "detail": 'expected {"type": "ping"}'})


class UnknownRouteConsumer(AsyncWebsocketConsumer):
    """Refuses the handshake (HTTP 403) for a WebSocket path no route matches: without it
    Channels' router raises, and the client gets a 500 and the log an ASGI traceback."""

    async def connect(self) -> None:
        await self.close()
