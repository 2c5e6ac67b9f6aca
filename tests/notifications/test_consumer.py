"""``/ws/notifications/`` end to end through ``config.asgi``: who may connect, the bell on
connect, a user's own pushes and nobody else's, and garbage from the client."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from config.asgi import application
from mylabel.accounts.models import User
from mylabel.notifications import services
from mylabel.notifications.models import Event
from tests.factories import UserFactory
from tests.notifications.notification_helpers import make_notification

# The consumer reads the database from its own thread: the data must really be committed.
# serialized_rollback, like every transactional test here: the flush afterwards then leaves the
# content types alone, and the reference data the migrations seed is put back for the next one
# (a plain flush re-creates content types under new keys, and the next serialized test's
# restore collides with them).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALLOWED_ORIGIN = (b"origin", b"http://localhost")
PATH = "/ws/notifications/"
# Generous: the first render in a process compiles templates; a missing frame still fails.
WAIT = 5


def _close_this_threads_connections() -> None:
    for connection in connections.all(initialized_only=True):
        # The base close(): SQLite's keeps an in-memory test database's connection open, and
        # this thread's copy is the one that must go (the main thread keeps the database).
        BaseDatabaseWrapper.close(connection)


@pytest.fixture(autouse=True)
async def _close_consumer_connections(transactional_db) -> AsyncIterator[None]:
    """The consumer reads the database in asgiref's shared sync thread, which outlives the
    test; a connection left open there would trip the next test that has no database access
    (``close_old_connections`` touches it). Closed here, in that same thread."""
    yield
    await sync_to_async(_close_this_threads_connections)()


def session_cookie_for(user: User) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def connect_as(user: User | None, *, origin=ALLOWED_ORIGIN) -> WebsocketCommunicator:
    headers = [origin] if origin else []
    if user is not None:
        headers.append(await sync_to_async(session_cookie_for)(user))
    return WebsocketCommunicator(application, PATH, headers=headers)


@pytest.fixture
def nina(db) -> User:
    return UserFactory.create(email="nina@example.com", display_name="Nina Vale")


@pytest.fixture
def marco(db) -> User:
    return UserFactory.create(email="marco@example.com", display_name="Marco Riva")


async def test_an_anonymous_visitor_is_refused():
    communicator = await connect_as(None)
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.parametrize(
    "origin", [(b"origin", b"https://evil.example"), None], ids=["foreign", "missing"]
)
async def test_a_foreign_origin_is_refused_even_when_signed_in(nina, origin):
    communicator = await connect_as(nina, origin=origin)
    connected, _ = await communicator.connect()
    assert not connected


async def test_the_bell_with_the_unread_count_arrives_on_connect(nina):
    await sync_to_async(make_notification)(nina)
    await sync_to_async(make_notification)(nina)
    communicator = await connect_as(nina)
    connected, _ = await communicator.connect()
    assert connected
    html = await communicator.receive_from(timeout=WAIT)
    assert 'id="notification-bell"' in html
    assert 'hx-swap-oob="true"' in html
    assert '<span class="notification-bell__count">2<' in html
    await communicator.disconnect()


async def test_a_user_receives_their_own_notification_and_not_someone_elses(nina, marco):
    ninas = await connect_as(nina)
    marcos = await connect_as(marco)
    assert (await ninas.connect())[0]
    assert (await marcos.connect())[0]
    await ninas.receive_from(timeout=WAIT)  # the bells on connect
    await marcos.receive_from(timeout=WAIT)

    # Outside a transaction, the push (on commit) goes out at once.
    notification = await sync_to_async(services.notify)(
        recipient=nina, event=Event.BOOKING_ACCEPTED, title="Marco <i>accepted</i>", url="/b/1/"
    )
    assert notification is not None
    html = await ninas.receive_from(timeout=WAIT)
    assert '<span class="notification-bell__count">1<' in html
    # The new line, for the centre's list if it is open; escaped like on the page.
    assert '<div hx-swap-oob="afterbegin:#notification-items">' in html
    assert f'<li id="notification-{notification.pk}"' in html
    assert "Marco &lt;i&gt;accepted&lt;/i&gt;" in html
    assert await marcos.receive_nothing(timeout=0.2)

    await ninas.disconnect()
    await marcos.disconnect()


async def test_a_folded_thread_moves_its_line_to_the_top(nina):
    communicator = await connect_as(nina)
    assert (await communicator.connect())[0]
    await communicator.receive_from(timeout=WAIT)
    fields: dict[str, Any] = {
        "event": Event.MESSAGE_RECEIVED,
        "url": "/messages/3/",
        "thread_key": "c:3",
    }
    first = await sync_to_async(services.notify)(recipient=nina, title="One message", **fields)
    await communicator.receive_from(timeout=WAIT)
    again = await sync_to_async(services.notify)(recipient=nina, title="Two messages", **fields)
    assert first is not None
    assert again is not None
    assert again.pk == first.pk
    html = await communicator.receive_from(timeout=WAIT)
    assert f'<li id="notification-{first.pk}" hx-swap-oob="delete"></li>' in html
    assert html.index("delete") < html.index("afterbegin")
    assert "Two messages" in html
    assert '<span class="notification-bell__count">1<' in html
    await communicator.disconnect()


async def test_marking_all_read_clears_the_badge_live(nina):
    await sync_to_async(make_notification)(nina)
    communicator = await connect_as(nina)
    assert (await communicator.connect())[0]
    await communicator.receive_from(timeout=WAIT)
    await sync_to_async(services.mark_all_read)(user=nina)
    html = await communicator.receive_from(timeout=WAIT)
    assert 'id="notification-bell"' in html
    assert "notification-bell__count" not in html
    await communicator.disconnect()


async def test_a_group_message_naming_someone_elses_notification_shows_nothing_of_it(nina, marco):
    theirs = await sync_to_async(make_notification)(marco, title="Marco's secret")
    communicator = await connect_as(nina)
    assert (await communicator.connect())[0]
    await communicator.receive_from(timeout=WAIT)
    await get_channel_layer().group_send(
        f"notifications.{nina.pk}",
        {"type": "notify", "notification_id": theirs.pk, "created": True},
    )
    html = await communicator.receive_from(timeout=WAIT)
    assert "secret" not in html
    assert 'id="notification-bell"' in html
    await communicator.disconnect()


@pytest.mark.parametrize(
    "frame", [{"text_data": "not json {"}, {"bytes_data": b"\x00\x01"}, {"text_data": "{}"}]
)
async def test_client_frames_get_an_error_and_the_socket_stays_up(nina, frame):
    communicator = await connect_as(nina)
    assert (await communicator.connect())[0]
    await communicator.receive_from(timeout=WAIT)
    await communicator.send_to(**frame)
    assert "error" in await communicator.receive_from(timeout=WAIT)
    await sync_to_async(services.notify)(
        recipient=nina, event=Event.MESSAGE_RECEIVED, title="Still here", url="/messages/1/"
    )
    assert "Still here" in await communicator.receive_from(timeout=WAIT)
    await communicator.disconnect()


@pytest.mark.redis
async def test_pushes_cross_processes_through_redis(nina, marco):
    """With REDIS_URL the layer is channels-redis: the push made by one process (here, the
    test's sync thread) reaches the socket served by the consumer."""
    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)
    ninas = await connect_as(nina)
    marcos = await connect_as(marco)
    assert (await ninas.connect())[0]
    assert (await marcos.connect())[0]
    await ninas.receive_from(timeout=WAIT)
    await marcos.receive_from(timeout=WAIT)
    await sync_to_async(services.notify)(
        recipient=nina, event=Event.REVIEW_PUBLISHED, title="Over Redis", url="/r/"
    )
    assert "Over Redis" in await ninas.receive_from(timeout=WAIT)
    assert await marcos.receive_nothing(timeout=0.3)
    await ninas.disconnect()
    await marcos.disconnect()
