"""Real-time delivery of conversations (issue 6 point 2): what goes to ``/ws/conversations/<id>/``.

The services send domain signals after the commit; the receivers here turn them into channel-layer
group messages for ``conversation.<id>`` and every connected ``ConversationConsumer`` forwards
them. A new message is rendered here, once per variant its recipients need (own message or
someone else's, in each recipient's language and time zone), with the same ``message`` partial
the page renders, so the consumers never query the database for it.

Fragments are meant for the htmx ``ws`` extension: every top-level element of a frame is an
out-of-band swap (by its id unless it says otherwise). A message is appended to
``#message-list`` only where ``#message-<id>`` is not already on the page (see ``append_swap``),
so a message that arrives twice (catch-up after a reconnect, the HTTP composer's own answer)
still shows once.
"""

import asyncio
import logging
import os
import zoneinfo
from collections.abc import Iterable
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mylabel.accounts.models import User
from mylabel.messaging.models import Conversation, Message, Participant

logger = logging.getLogger(__name__)

CONVERSATION_TEMPLATE = "messaging/conversation.html"
MESSAGE_PARTIAL = f"{CONVERSATION_TEMPLATE}#message"
TYPING_PARTIAL = f"{CONVERSATION_TEMPLATE}#typing"
LIVE_AFTER_PARTIAL = f"{CONVERSATION_TEMPLATE}#live-after"
# Removes the "No messages yet" line once the first message arrives.
EMPTY_LIST_GONE = '<p id="message-list-empty" hx-swap-oob="delete"></p>'


def group_for(conversation_id: int) -> str:
    """The channel-layer group of a conversation's open pages (contract: ``conversation.<id>``)."""
    return f"conversation.{conversation_id}"


def append_swap(message_id: int) -> str:
    """The ``hx-swap-oob`` value that appends a message to ``#message-list`` unless the page
    already shows it: the selector matches nothing when ``#message-<id>`` is in the list, and
    htmx then skips the swap. The HTTP composer's answer should use it too, since the push to the
    sender's own page may arrive before that answer."""
    return f"beforeend:#message-list:not(:has(#message-{message_id}))"


def variant_key(user: User, *, mine: bool) -> str:
    """What a rendered message depends on besides the message: whose it is, the language and
    the time zone. Recipients with the same key get the same HTML."""
    return f"{user.language}|{user.time_zone}|{int(mine)}"


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def render_message(
    message: Message,
    viewer: User,
    *,
    seen_id: int | None = None,
    oob: str | None = None,
    mark_read: bool = False,
) -> str:
    """``message`` as ``viewer`` sees it in the history, in their language and time zone.

    ``oob``: wrap it for an out-of-band swap with that value (``append_swap``); without it the
    bare ``<article id="message-<id>">`` replaces the one on the page. ``mark_read``: the article
    tells the socket when it scrolls into view, which marks the conversation read up to it (only
    for other people's messages). ``message`` must come from ``Message.objects.for_display()``.
    """
    context = {"message": message, "viewer": viewer, "seen_id": seen_id, "live_read": mark_read}
    with translation.override(viewer.language), timezone.override(_zone(viewer)):
        html = render_to_string(MESSAGE_PARTIAL, context)
    if oob:
        return f'<div hx-swap-oob="{oob}">{html}</div>'
    return html


def render_typing(typist_id: int, typist_name: str, viewer: User, *, typing: bool) -> str:
    """The typing slot of one participant: "<name> is typing…" or hidden again."""
    context = {"typist_id": typist_id, "typist_name": typist_name, "typing": typing}
    with translation.override(viewer.language):
        return render_to_string(TYPING_PARTIAL, context)


def render_live_after(message_id: int) -> str:
    """The hidden input the page sends back on every (re)connect: the newest message it has."""
    return render_to_string(LIVE_AFTER_PARTIAL, {"last_message_id": message_id})


def render_new_message(
    message: Message, participants: Iterable[Participant], *, first: bool = False
) -> dict[str, str]:
    """The pushed fragment of a new message for every variant its participants need, keyed by
    ``variant_key`` (see ``render_push``)."""
    variants: dict[str, str] = {}
    for participant in participants:
        viewer = participant.user
        key = variant_key(viewer, mine=viewer.pk == message.sender_id)
        if key not in variants:
            variants[key] = render_push(message, viewer, first=first)
    return variants


def render_push(message: Message, viewer: User, *, first: bool = False) -> str:
    """One recipient's frame for a new message: the message appended once, the sender's typing
    line hidden, the page's catch-up marker moved on, and "No messages yet" removed when this
    is the ``first`` message of the conversation."""
    mine = viewer.pk == message.sender_id
    html = render_message(message, viewer, oob=append_swap(message.pk), mark_read=not mine)
    if message.sender_id and not mine:
        sender_name = message.sender.name if message.sender else ""
        html += render_typing(message.sender_id, sender_name, viewer, typing=False)
    html += render_live_after(message.pk)
    if first:
        html += EMPTY_LIST_GONE
    return html


# --- Sending to the channel layer ---------------------------------------------------------------


def group_send(group: str, event: dict[str, Any]) -> None:
    """``channel_layer.group_send`` from synchronous code, never raising: the message is already
    committed and reaches the page on its next (re)connect, so a layer outage costs the live
    push, not the request. Failures are logged with the group; full channels are logged by the
    layer itself (``mylabel.core.channel_layers``).

    Called from a worker thread of a running server (a consumer's or a view's database work),
    the send is handed to the server's event loop without waiting for Redis: that thread is
    shared by every socket of the process, and holding it for each push made sends queue up
    (bench/chat.py). Elsewhere (tests, commands, the task worker) it waits."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _server_loop()
    if loop is not None:
        loop.call_soon_threadsafe(_start_send, layer, group, event)
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except ChannelFull:
        logger.warning("Channel full: dropped %s for group %s.", event.get("type"), group)
    except Exception:
        logger.exception("Could not send %s to group %s.", event.get("type"), group)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this thread was called from through ``sync_to_async``, if any."""
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if isinstance(loop, asyncio.AbstractEventLoop) and loop.is_running():
        return loop
    return None


def _start_send(layer: Any, group: str, event: dict[str, Any]) -> None:
    task = asyncio.ensure_future(layer.group_send(group, event))
    _pending.add(task)
    task.add_done_callback(lambda done: _finish_send(done, group, event))


def _finish_send(task: "asyncio.Future[None]", group: str, event: dict[str, Any]) -> None:
    _pending.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if isinstance(error, ChannelFull):
        logger.warning("Channel full: dropped %s for group %s.", event.get("type"), group)
    elif error is not None:
        logger.error("Could not send %s to group %s.", event.get("type"), group, exc_info=error)


# Tasks of sends in flight: the event loop keeps only weak references to tasks.
_pending: set["asyncio.Future[None]"] = set()


# --- Receivers of the domain signals (connected in messaging/apps.py) ---------------------------


def broadcast_message(sender: object, message: Message, **kwargs: Any) -> None:
    """``message_sent`` (after the commit): push the new message to the conversation's group."""
    message = Message.objects.for_display().get(pk=message.pk)
    participants = Participant.objects.filter(
        conversation_id=message.conversation_id
    ).select_related("user")
    first = not Message.objects.filter(
        conversation_id=message.conversation_id, pk__lt=message.pk
    ).exists()
    group_send(
        group_for(message.conversation_id),
        {
            "type": "chat.message",
            "message_id": message.pk,
            "sender_id": message.sender_id,
            "variants": render_new_message(message, participants, first=first),
        },
    )


def broadcast_read(
    sender: object, conversation: Conversation, user: User, message: Message, **kwargs: Any
) -> None:
    """``conversation_read`` (after the commit): the other participants' pages move their "Seen"
    marker, unless the reader keeps read receipts to themselves."""
    if not user.share_read_receipts:
        return
    group_send(
        group_for(conversation.pk),
        {"type": "chat.read", "reader_id": user.pk, "message_id": message.pk},
    )
