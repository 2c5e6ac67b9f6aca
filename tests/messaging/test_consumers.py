"""``/ws/conversations/<id>/`` end to end through ``config.asgi``: who may connect, pushes of
new messages (from the socket and from the HTTP composer), sending over the socket with the
services' rules, typing, read receipts, reconnect catch-up and bad frames."""

import asyncio
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from mylabel.accounts.models import User
from mylabel.messaging import consumers, services
from mylabel.messaging.models import Conversation, Message, Participant
from tests.factories import UserFactory

# The consumer reads the database from its own thread: the data must really be committed.
# serialized_rollback, like every transactional test here: the flush afterwards then leaves the
# content types alone, and the reference data the migrations seed is put back for the next one
# (a plain flush re-creates content types under new keys, and the next serialized test's
# restore collides with them).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALLOWED_ORIGIN = (b"origin", b"http://localhost")
# Generous: the first render in a process compiles templates; a missing frame still fails.
WAIT = 5
MESSAGE_IDS = re.compile(r'<article id="message-(\d+)"')


# Plain accounts instead of the personas' profiles: transactional tests flush the data that
# migrations seed (professions), which the associate persona needs. ``direct`` (conftest) is
# the conversation between these two.
@pytest.fixture
def artist(db) -> User:
    return UserFactory.create(email="nina@example.com", display_name="Nina Vale")


@pytest.fixture
def associate(db) -> User:
    return UserFactory.create(email="marco@example.com", display_name="Marco Riva")


@pytest.fixture
def outsider(db) -> User:
    return UserFactory.create(email="olga@example.com", display_name="Olga Outsider")


@pytest.fixture(autouse=True)
def _no_reorder_window(monkeypatch) -> None:
    """These tests send in order from one thread; the catch-up's second look at messages just
    before ``after`` (for pushes that overtook each other) has its own test."""
    monkeypatch.setattr(consumers, "REORDER_WINDOW", timedelta(0))


def session_cookie_for(user: User) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def open_socket(
    user: User | None,
    conversation_id: int,
    query: str = "",
    *,
    origin: tuple[bytes, bytes] | None = ALLOWED_ORIGIN,
) -> WebsocketCommunicator:
    headers = [origin] if origin else []
    if user is not None:
        headers.append(await sync_to_async(session_cookie_for)(user))
    path = f"/ws/conversations/{conversation_id}/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(user: User, conversation_id: int, query: str = "") -> WebsocketCommunicator:
    communicator = await open_socket(user, conversation_id, query)
    is_open, _code = await communicator.connect(timeout=WAIT)
    assert is_open
    return communicator


def send(conversation: Conversation, sender: User, body: str) -> Message:
    return services.send_message(conversation=conversation, sender=sender, body=body)


asend: Callable[..., Any] = sync_to_async(send)


def ids_in(html: str) -> list[int]:
    return [int(pk) for pk in MESSAGE_IDS.findall(html)]


async def next_message_ids(communicator: WebsocketCommunicator) -> list[int]:
    """The message ids of the next frame that has any (after an error line was shown, the
    next successful send first hides it)."""
    for _ in range(3):
        ids = ids_in(await communicator.receive_from(timeout=WAIT))
        if ids:
            return ids
    return []


# --- Who may connect ----------------------------------------------------------------------------


async def test_an_anonymous_visitor_is_refused(direct):
    communicator = await open_socket(None, direct.pk)
    is_open, code = await communicator.connect(timeout=WAIT)
    assert not is_open
    assert code == consumers.REFUSED


async def test_someone_outside_the_conversation_is_refused(direct, outsider):
    communicator = await open_socket(outsider, direct.pk)
    is_open, code = await communicator.connect(timeout=WAIT)
    assert not is_open
    assert code == consumers.REFUSED


async def test_an_unknown_conversation_is_refused(direct, artist):
    communicator = await open_socket(artist, direct.pk + 1000)
    is_open, code = await communicator.connect(timeout=WAIT)
    assert not is_open
    assert code == consumers.REFUSED


async def test_a_deactivated_participant_is_refused(direct, artist):
    await User.objects.filter(pk=artist.pk).aupdate(is_active=False)
    communicator = await open_socket(artist, direct.pk)
    is_open, _code = await communicator.connect(timeout=WAIT)
    assert not is_open


@pytest.mark.parametrize(
    "origin", [(b"origin", b"https://evil.example"), None], ids=["foreign", "missing"]
)
async def test_a_foreign_origin_is_refused_even_for_a_participant(direct, artist, origin):
    communicator = await open_socket(artist, direct.pk, origin=origin)
    is_open, _code = await communicator.connect(timeout=WAIT)
    assert not is_open


# --- Pushes of new messages ---------------------------------------------------------------------


async def test_a_message_sent_over_http_reaches_every_open_page_as_the_history_partial(
    direct, artist, associate
):
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)

    message = await asend(direct, artist, "Hi <b>Marco</b>")

    for communicator in (ninas, marcos):
        html = await communicator.receive_from(timeout=WAIT)
        assert f'hx-swap-oob="beforeend:#message-list:not(:has(#message-{message.pk}))"' in html
        assert f'<article id="message-{message.pk}"' in html
        assert "Hi &lt;b&gt;Marco&lt;/b&gt;" in html  # escaped as on the page
        assert f'<input type="hidden" id="live-after" name="after" value="{message.pk}">' in html
    await ninas.disconnect()
    await marcos.disconnect()


async def test_the_sender_and_the_recipient_each_get_their_own_view_of_the_message(
    direct, artist, associate
):
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    message = await asend(direct, artist, "Mine or yours")

    own = await ninas.receive_from(timeout=WAIT)
    theirs = await marcos.receive_from(timeout=WAIT)
    assert 'class="message message--mine"' in own
    assert "ws-send" not in own  # nothing to mark read in one's own message
    assert 'class="message"' in theirs
    # Marco's page reports when the message scrolls into view, which marks it read.
    assert 'hx-trigger="intersect once"' in theirs
    assert f"""hx-vals='{{"action": "read", "message": {message.pk}}}'""" in theirs
    # And Nina's typing line on Marco's page is hidden again.
    assert f'<p id="typing-{artist.pk}" class="conversation__typing-line" hidden>' in theirs
    await ninas.disconnect()
    await marcos.disconnect()


async def test_times_are_shown_in_each_recipients_time_zone(direct, artist, associate):
    await User.objects.filter(pk=artist.pk).aupdate(time_zone="Europe/Rome")
    await User.objects.filter(pk=associate.pk).aupdate(time_zone="America/New_York")
    artist = await User.objects.aget(pk=artist.pk)
    associate = await User.objects.aget(pk=associate.pk)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    await asend(direct, artist, "What time is it?")

    rome = re.search(r"<time [^>]*>([^<]+)</time>", await ninas.receive_from(timeout=WAIT))
    new_york = re.search(r"<time [^>]*>([^<]+)</time>", await marcos.receive_from(timeout=WAIT))
    assert rome
    assert new_york
    assert rome.group(1) != new_york.group(1)
    await ninas.disconnect()
    await marcos.disconnect()


async def test_the_first_message_removes_the_empty_line_and_later_ones_do_not(
    direct, artist, associate
):
    marcos = await connected(associate, direct.pk)
    await asend(direct, artist, "First")
    assert 'id="message-list-empty" hx-swap-oob="delete"' in await marcos.receive_from(timeout=WAIT)
    await asend(direct, artist, "Second")
    assert "message-list-empty" not in await marcos.receive_from(timeout=WAIT)
    await marcos.disconnect()


async def test_other_conversations_do_not_leak_into_this_one(direct, artist, associate, outsider):
    other = await sync_to_async(services.start_direct_conversation)(user=artist, other=outsider)
    marcos = await connected(associate, direct.pk)
    await asend(other, artist, "Not for Marco")
    assert await marcos.receive_nothing(timeout=0.3)
    await marcos.disconnect()


async def test_nothing_is_pushed_before_the_commit(direct, artist, associate):
    from django.db import transaction

    marcos = await connected(associate, direct.pk)

    def send_then_roll_back() -> None:
        with transaction.atomic():
            send(direct, artist, "Never committed")
            transaction.set_rollback(True)

    await sync_to_async(send_then_roll_back)()
    assert await marcos.receive_nothing(timeout=0.3)
    await marcos.disconnect()


# --- Sending over the socket --------------------------------------------------------------------


async def test_a_message_sent_over_the_socket_is_saved_and_pushed_to_everyone(
    direct, artist, associate
):
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    # What the htmx ws extension sends for the composer: its values plus HEADERS.
    await ninas.send_json_to(
        {
            "action": "send",
            "body": "  <script>alert(1)</script>  ",
            "HEADERS": {"HX-Request": "true"},
        }
    )
    theirs = await marcos.receive_from(timeout=WAIT)
    own = await ninas.receive_from(timeout=WAIT)

    message = await Message.objects.aget(conversation=direct)
    assert message.sender_id == artist.pk
    assert message.body == "<script>alert(1)</script>"
    for html in (theirs, own):
        assert ids_in(html) == [message.pk]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>" not in html
    await ninas.disconnect()
    await marcos.disconnect()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ({"action": "send", "body": "   "}, "Write a message or attach a file."),
        ({"action": "send"}, "Write a message or attach a file."),
        ({"action": "send", "body": ["a"]}, "Write a message or attach a file."),
        ({"action": "send", "body": "x" * 5001}, "at most 5000 characters"),
    ],
    ids=["blank", "missing", "not-text", "too-long"],
)
async def test_a_refused_message_gets_the_services_error_and_saves_nothing(
    direct, artist, frame, expected
):
    ninas = await connected(artist, direct.pk)
    await ninas.send_json_to(frame)
    html = await ninas.receive_from(timeout=WAIT)
    assert '<p id="live-error" class="alert alert--error" role="alert">' in html
    assert expected in html
    assert not await Message.objects.filter(conversation=direct).aexists()
    # The socket is still up and usable.
    await ninas.send_json_to({"action": "send", "body": "Now a real one"})
    assert await next_message_ids(ninas)
    await ninas.disconnect()


async def test_the_error_line_is_cleared_by_the_next_message_that_goes_through(direct, artist):
    ninas = await connected(artist, direct.pk)
    await ninas.send_json_to({"action": "send", "body": ""})
    assert "Write a message" in await ninas.receive_from(timeout=WAIT)
    await ninas.send_json_to({"action": "send", "body": "Fixed"})
    frames = [await ninas.receive_from(timeout=WAIT), await ninas.receive_from(timeout=WAIT)]
    assert any('id="live-error"' in frame and " hidden>" in frame for frame in frames)
    await ninas.disconnect()


async def test_flooding_gets_the_rate_limit_message_and_the_socket_stays_up(
    direct, artist, settings
):
    settings.MESSAGE_RATE_LIMITS = [(2, 60)]
    ninas = await connected(artist, direct.pk)
    for number in (1, 2):
        await ninas.send_json_to({"action": "send", "body": f"Message {number}"})
        assert ids_in(await ninas.receive_from(timeout=WAIT))
    await ninas.send_json_to({"action": "send", "body": "One too many"})
    html = await ninas.receive_from(timeout=WAIT)
    assert "You are sending messages too fast" in html
    assert await Message.objects.filter(conversation=direct).acount() == 2
    await ninas.send_json_to({"action": "typing"})  # still connected: no exception
    await ninas.disconnect()


async def test_errors_are_in_the_users_language(direct, artist):
    await User.objects.filter(pk=artist.pk).aupdate(language="it")
    artist = await User.objects.aget(pk=artist.pk)
    ninas = await connected(artist, direct.pk)
    await ninas.send_to(text_data="not json")
    english = "Send text frames with a JSON object."
    html = await ninas.receive_from(timeout=WAIT)
    assert 'id="live-error"' in html
    # Italian when the catalogue has it; never a crash either way.
    from django.utils import translation

    with translation.override("it"):
        assert translation.gettext(english) in html
    await ninas.disconnect()


# --- Bad frames ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not json", "Send text frames with a JSON object."),
        ("[1, 2]", "Send text frames with a JSON object."),
        ('"send"', "Send text frames with a JSON object."),
        ('{"action": "dance"}', "Unknown action."),
        ('{"body": "no action"}', "Unknown action."),
        ('{"action": "read", "message": "abc"}', "Unknown message."),
        ('{"action": "read", "message": -3}', "Unknown message."),
        ('{"action": "read", "message": 99999}', "Unknown message."),
        ('{"action": "sync", "after": {"x": 1}}', "Unknown message."),
        ("{" * 50_000, "That frame is too large."),
    ],
    ids=[
        "not-json",
        "array",
        "string",
        "unknown-action",
        "no-action",
        "id-text",
        "id-negative",
        "id-unknown",
        "after-object",
        "huge",
    ],
)
async def test_a_malformed_frame_gets_an_error_line_and_the_socket_stays_up(
    direct, artist, text, expected
):
    ninas = await connected(artist, direct.pk)
    await ninas.send_to(text_data=text)
    html = await ninas.receive_from(timeout=WAIT)
    assert expected in html
    await ninas.send_json_to({"action": "send", "body": "Still here"})
    assert await next_message_ids(ninas)
    await ninas.disconnect()


async def test_a_binary_frame_gets_an_error_line(direct, artist):
    ninas = await connected(artist, direct.pk)
    await ninas.send_to(bytes_data=b"\x00\x01")
    assert "Send text frames with a JSON object." in await ninas.receive_from(timeout=WAIT)
    await ninas.disconnect()


async def test_marking_read_a_message_of_another_conversation_is_refused(
    direct, artist, associate, outsider
):
    other = await sync_to_async(services.start_direct_conversation)(user=artist, other=outsider)
    foreign = await asend(other, outsider, "Elsewhere")
    marcos = await connected(associate, direct.pk)
    await marcos.send_json_to({"action": "read", "message": foreign.pk})
    assert "Unknown message." in await marcos.receive_from(timeout=WAIT)
    participant = await Participant.objects.aget(conversation=direct, user=associate)
    assert participant.last_read_message_id is None
    await marcos.disconnect()


# --- Typing -------------------------------------------------------------------------------------


async def test_typing_shows_for_the_others_and_hides_after_the_timeout(
    direct, artist, associate, monkeypatch
):
    monkeypatch.setattr(consumers, "TYPING_TIMEOUT", 0.3)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)

    await ninas.send_json_to({"action": "typing"})
    html = await marcos.receive_from(timeout=WAIT)
    assert f'<p id="typing-{artist.pk}" class="conversation__typing-line">' in html
    assert "Nina Vale is typing…" in html
    assert await ninas.receive_nothing(timeout=0.1)  # not to the typist

    # No timer on the page: the server sends the hidden line once the typist goes quiet.
    stopped = await marcos.receive_from(timeout=WAIT)
    assert f'<p id="typing-{artist.pk}" class="conversation__typing-line" hidden>' in stopped
    await ninas.disconnect()
    await marcos.disconnect()


async def test_typing_is_throttled(direct, artist, associate, monkeypatch):
    monkeypatch.setattr(consumers, "TYPING_TIMEOUT", 30)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    for _ in range(5):
        await ninas.send_json_to({"action": "typing"})
    assert "is typing" in await marcos.receive_from(timeout=WAIT)
    assert await marcos.receive_nothing(timeout=0.3)
    await ninas.disconnect()
    assert " hidden>" in await marcos.receive_from(timeout=WAIT)  # leaving stops it
    await marcos.disconnect()


async def test_sending_the_message_ends_the_typing_line(direct, artist, associate, monkeypatch):
    monkeypatch.setattr(consumers, "TYPING_TIMEOUT", 30)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    await ninas.send_json_to({"action": "typing"})
    assert "is typing" in await marcos.receive_from(timeout=WAIT)
    await ninas.send_json_to({"action": "send", "body": "Done typing"})
    message_frame = await marcos.receive_from(timeout=WAIT)
    assert f'<p id="typing-{artist.pk}" class="conversation__typing-line" hidden>' in (
        message_frame
    )
    await ninas.disconnect()
    await marcos.disconnect()


# --- Read receipts ------------------------------------------------------------------------------


async def test_reading_a_pushed_message_moves_the_seen_marker_on_the_senders_page(
    direct, artist, associate
):
    earlier = await asend(direct, artist, "Earlier")
    await sync_to_async(services.mark_read)(conversation=direct, user=associate)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    message = await asend(direct, artist, "Did you see this?")
    await ninas.receive_from(timeout=WAIT)
    await marcos.receive_from(timeout=WAIT)

    # What Marco's page sends when the pushed message scrolls into view.
    await marcos.send_json_to({"action": "read", "message": str(message.pk)})
    html = await ninas.receive_from(timeout=WAIT)
    participant = await Participant.objects.aget(conversation=direct, user=associate)
    assert participant.last_read_message_id == message.pk
    # The old marker goes, the new one comes: both articles re-rendered.
    assert ids_in(html) == [earlier.pk, message.pk]
    assert html.count('id="read-receipt"') == 1
    assert html.index('id="read-receipt"') > html.index(f'id="message-{message.pk}"')
    assert await marcos.receive_nothing(timeout=0.2)
    await ninas.disconnect()
    await marcos.disconnect()


async def test_no_seen_marker_when_the_reader_keeps_receipts_to_themselves(
    direct, artist, associate
):
    await User.objects.filter(pk=associate.pk).aupdate(share_read_receipts=False)
    associate = await User.objects.aget(pk=associate.pk)
    ninas = await connected(artist, direct.pk)
    marcos = await connected(associate, direct.pk)
    message = await asend(direct, artist, "Private reader")
    await ninas.receive_from(timeout=WAIT)
    await marcos.receive_from(timeout=WAIT)

    await marcos.send_json_to({"action": "read", "message": message.pk})
    assert await ninas.receive_nothing(timeout=0.3)
    participant = await Participant.objects.aget(conversation=direct, user=associate)
    assert participant.last_read_message_id == message.pk  # read for the unread counts
    await ninas.disconnect()
    await marcos.disconnect()


# --- Catch-up on (re)connect --------------------------------------------------------------------


async def test_connecting_with_after_sends_exactly_the_messages_after_it(direct, artist, associate):
    sent = [await asend(direct, artist, f"Message {number}") for number in range(4)]
    marcos = await connected(associate, direct.pk, f"after={sent[1].pk}")
    html = await marcos.receive_from(timeout=WAIT)
    assert ids_in(html) == [sent[2].pk, sent[3].pk]
    assert f'name="after" value="{sent[3].pk}"' in html
    assert await marcos.receive_nothing(timeout=0.2)
    await marcos.disconnect()


async def test_a_reconnecting_page_gets_what_it_missed_once_and_in_order(direct, artist, associate):
    first = await asend(direct, artist, "Before the drop")
    marcos = await connected(associate, direct.pk, f"after={first.pk}&sync=1")
    await marcos.send_json_to({"action": "sync", "after": str(first.pk), "HEADERS": {}})
    live = await asend(direct, artist, "Live")
    assert ids_in(await marcos.receive_from(timeout=WAIT)) == [live.pk]
    await marcos.disconnect()

    missed = [await asend(direct, artist, f"Missed {number}") for number in range(3)]
    # The ws-connect URL still says after=<first> (what the page was loaded with); the sync
    # frame says what the page really has.
    again = await connected(associate, direct.pk, f"after={first.pk}&sync=1")
    await again.send_json_to({"action": "sync", "after": str(live.pk)})
    html = await again.receive_from(timeout=WAIT)
    assert ids_in(html) == [message.pk for message in missed]
    assert await again.receive_nothing(timeout=0.2)
    await again.disconnect()


async def test_live_messages_wait_for_the_sync_frame_and_are_not_sent_twice(
    direct, artist, associate
):
    first = await asend(direct, artist, "Seen on the page")
    marcos = await connected(associate, direct.pk, f"after={first.pk}&sync=1")
    during = await asend(direct, artist, "Arrives before the sync frame")
    assert await marcos.receive_nothing(timeout=0.2)  # held back

    await marcos.send_json_to({"action": "sync", "after": first.pk})
    html = await marcos.receive_from(timeout=WAIT)
    assert ids_in(html) == [during.pk]  # from the catch-up; the held copy is dropped
    assert await marcos.receive_nothing(timeout=0.3)
    after = await asend(direct, artist, "And then live again")
    assert ids_in(await marcos.receive_from(timeout=WAIT)) == [after.pk]
    await marcos.disconnect()


async def test_without_a_sync_frame_the_url_after_is_used(direct, artist, associate, monkeypatch):
    monkeypatch.setattr(consumers, "SYNC_WAIT", 0.2)
    first = await asend(direct, artist, "On the page")
    second = await asend(direct, artist, "Not on the page")
    marcos = await connected(associate, direct.pk, f"after={first.pk}&sync=1")
    assert ids_in(await marcos.receive_from(timeout=WAIT)) == [second.pk]
    await marcos.disconnect()


async def test_an_empty_page_catches_up_and_loses_its_empty_line(direct, artist, associate):
    message = await asend(direct, artist, "Sent while the page loaded")
    marcos = await connected(associate, direct.pk, "after=0")
    html = await marcos.receive_from(timeout=WAIT)
    assert ids_in(html) == [message.pk]
    assert 'id="message-list-empty" hx-swap-oob="delete"' in html
    await marcos.disconnect()


async def test_a_page_that_missed_too_much_is_told_to_reload(
    direct, artist, associate, monkeypatch
):
    monkeypatch.setattr(consumers, "CATCH_UP_LIMIT", 2)
    for number in range(3):
        await asend(direct, artist, f"Message {number}")
    marcos = await connected(associate, direct.pk, "after=0")
    html = await marcos.receive_from(timeout=WAIT)
    assert "Reload the page" in html
    assert ids_in(html) == []
    await marcos.disconnect()


async def test_a_participant_removed_while_connected_cannot_send(direct, artist):
    ninas = await connected(artist, direct.pk)
    await Participant.objects.filter(conversation=direct, user=artist).adelete()
    await ninas.send_json_to({"action": "send", "body": "Am I still here?"})
    output = await ninas.receive_output(timeout=WAIT)
    assert output == {"type": "websocket.close", "code": consumers.REFUSED}
    assert not await Message.objects.filter(conversation=direct).aexists()


async def test_a_stranger_account_created_later_cannot_join_by_guessing_ids(direct):
    stranger = await sync_to_async(UserFactory.create)()
    for conversation_id in (direct.pk, direct.pk + 1):
        communicator = await open_socket(stranger, conversation_id)
        is_open, _code = await communicator.connect(timeout=WAIT)
        assert not is_open


async def test_a_socket_open_for_too_long_is_asked_to_reconnect(direct, artist, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_CONNECTION_AGE", 0.1)
    ninas = await connected(artist, direct.pk)
    output = await ninas.receive_output(timeout=WAIT)
    assert output == {"type": "websocket.close", "code": consumers.RECONNECT}


async def test_many_pages_of_one_user_all_get_the_message(direct, artist, associate):
    tabs = [await connected(associate, direct.pk) for _ in range(3)]
    message = await asend(direct, artist, "To every tab")
    frames = await asyncio.gather(*(tab.receive_from(timeout=WAIT) for tab in tabs))
    assert all(ids_in(frame) == [message.pk] for frame in frames)
    for tab in tabs:
        await tab.disconnect()


async def test_the_catch_up_looks_again_at_messages_just_before_after(
    direct, artist, associate, monkeypatch
):
    """Ids are taken before the commit: a message can be pushed after one with a higher id, so
    a page may hold the newer one and miss the older. The catch-up sends the few just before
    ``after`` again (the page's ``:has`` guard skips those it has); older ones are not."""
    monkeypatch.setattr(consumers, "REORDER_WINDOW", timedelta(seconds=5))
    old, recent, newest, missed = [await asend(direct, artist, f"M{number}") for number in range(4)]
    await Message.objects.filter(pk=old.pk).aupdate(
        created_at=newest.created_at - timedelta(hours=1)
    )
    marcos = await connected(associate, direct.pk, f"after={newest.pk}")
    html = await marcos.receive_from(timeout=WAIT)
    assert ids_in(html) == [recent.pk, missed.pk]
    for pk in (recent.pk, missed.pk):
        assert f'hx-swap-oob="beforeend:#message-list:not(:has(#message-{pk}))"' in html
    assert f'name="after" value="{missed.pk}"' in html
    await marcos.disconnect()


async def test_a_message_pushed_out_of_order_is_still_delivered(direct, artist, associate):
    """Two server processes can push in a different order than the ids: nothing is skipped."""
    from channels.layers import get_channel_layer

    from mylabel.messaging import realtime

    first, second = [await asend(direct, artist, f"M{number}") for number in range(2)]
    marcos = await connected(associate, direct.pk)
    for message in (second, first):
        variants = await sync_to_async(realtime.render_new_message)(
            await Message.objects.for_display().aget(pk=message.pk),
            [await Participant.objects.select_related("user").aget(user=associate)],
        )
        await get_channel_layer().group_send(
            realtime.group_for(direct.pk),
            {
                "type": "chat.message",
                "message_id": message.pk,
                "sender_id": artist.pk,
                "variants": variants,
            },
        )
    assert ids_in(await marcos.receive_from(timeout=WAIT)) == [second.pk]
    assert ids_in(await marcos.receive_from(timeout=WAIT)) == [first.pk]
    await marcos.disconnect()
