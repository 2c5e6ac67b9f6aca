"""The WebSocket path end to end: ASGI router, origin check, auth stack, PingConsumer."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application

# Channels closes stale database connections around every consumer event; once an earlier test
# has left one open in the executor thread, that check touches the database.
pytestmark = pytest.mark.django_db

ALLOWED_ORIGIN = (b"origin", b"http://localhost")


async def test_ping_gets_pong():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[ALLOWED_ORIGIN])
    connected, _subprotocol = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


@pytest.mark.parametrize("message", [{"type": "hello"}, ["ping"], {}])
async def test_unknown_message_gets_an_error(message):
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[ALLOWED_ORIGIN])
    connected, _subprotocol = await communicator.connect()
    assert connected
    await communicator.send_json_to(message)
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "headers",
    [
        [(b"origin", b"https://evil.example")],
        [],  # a browser always sends Origin; a missing one is not trusted either
    ],
    ids=["foreign-origin", "no-origin"],
)
async def test_a_disallowed_origin_is_refused(headers):
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    connected, _subprotocol = await communicator.connect()
    assert not connected
    await communicator.disconnect()


@pytest.mark.parametrize(
    "frame",
    [{"text_data": "not json {"}, {"bytes_data": b"\x00\x01"}],
    ids=["invalid-json", "binary"],
)
async def test_a_malformed_frame_gets_an_error_and_the_connection_stays_open(frame):
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[ALLOWED_ORIGIN])
    connected, _subprotocol = await communicator.connect()
    assert connected
    await communicator.send_to(**frame)
    assert (await communicator.receive_json_from())["type"] == "error"
    # Still usable afterwards.
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()
