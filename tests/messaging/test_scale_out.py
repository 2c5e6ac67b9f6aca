"""Scale-out (issue 6 point 8): two ASGI server processes share the Redis channel layer, so a
message sent to one server reaches a participant connected to the other.

Starts two real uvicorn processes on their own ports, pointed at this test run's database and
Redis, and talks to them with the ``websockets`` client, like two browsers behind a load
balancer that sent each person to a different process.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from websockets.asyncio.client import ClientConnection, connect

from mylabel.accounts.models import User
from mylabel.messaging import services
from mylabel.messaging.models import Conversation, Message
from tests.factories import UserFactory
from tests.processes import ROOT

# serialized_rollback: see tests/messaging/test_consumers.py.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_database_url() -> str:
    """This run's test database (the servers must see what the test commits)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn on {port} exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"uvicorn on {port} did not start")


def channel_layer_prefix() -> str:
    config = cast(dict[str, Any], settings.CHANNEL_LAYERS["default"]["CONFIG"])
    return str(config["prefix"])


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[int, int]]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        # The servers must share this process's channel layer (its prefix is per xdist worker).
        "CHANNEL_LAYER_PREFIX": channel_layer_prefix(),
        "LOG_DIR": str(tmp_path / "log"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    ports = (free_port(), free_port())
    servers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"uvicorn-{port}.log").open("wb"),
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def session_cookie_for(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_page(port: int, user: User, conversation: Conversation) -> ClientConnection:
    cookie = await sync_to_async(session_cookie_for)(user)
    return await connect(
        f"ws://127.0.0.1:{port}/ws/conversations/{conversation.pk}/",
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie},
        open_timeout=WAIT,
    )


@pytest.fixture(autouse=True)
async def _close_thread_connections() -> AsyncIterator[None]:
    # The async ORM calls run in a worker thread whose connection pytest-django does not
    # close; left open, it keeps the test database from being dropped at the end of the run.
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def people(db) -> tuple[User, User, Conversation]:
    nina = UserFactory.create(email="nina@example.com", display_name="Nina Vale")
    marco = UserFactory.create(email="marco@example.com", display_name="Marco Riva")
    return nina, marco, services.start_direct_conversation(user=nina, other=marco)


async def test_a_message_sent_on_one_server_arrives_on_the_other(two_servers, people):
    nina, marco, conversation = people
    first_port, second_port = two_servers
    ninas = await open_page(first_port, nina, conversation)
    marcos = await open_page(second_port, marco, conversation)
    try:
        await ninas.send('{"action": "send", "body": "Across processes"}')
        html = await asyncio.wait_for(marcos.recv(), WAIT)
        message = await Message.objects.aget(conversation=conversation)
        assert f'<article id="message-{message.pk}"' in html
        assert "Across processes" in html
        # Nina's own page (the first server) gets it too, as her own message.
        own = await asyncio.wait_for(ninas.recv(), WAIT)
        assert "message--mine" in own

        # Typing travels the same way.
        await marcos.send('{"action": "typing"}')
        assert "Marco Riva is typing" in await asyncio.wait_for(ninas.recv(), WAIT)

        # And a message saved by a third process (this test, as the HTTP composer would)
        # reaches both servers' sockets.
        await sync_to_async(services.send_message)(
            conversation=conversation, sender=marco, body="From elsewhere"
        )
        for page in (ninas, marcos):
            frame = await asyncio.wait_for(page.recv(), WAIT)
            assert "From elsewhere" in str(frame)
    finally:
        await ninas.close()
        await marcos.close()


async def test_a_stranger_is_refused_by_either_server(two_servers, people):
    _nina, _marco, conversation = people
    stranger = await sync_to_async(UserFactory.create)()
    for port in two_servers:
        with pytest.raises(Exception, match=r"403|HTTP"):
            await open_page(port, stranger, conversation)
