"""``/ws/conversations/<id>/``: one open conversation page (issue 6 points 2 and 7).

Who may connect: a signed-in, active participant (``selectors.get_conversation_for``, the same
check as the page); anyone else is refused before the handshake completes (close code
``REFUSED``). The Origin check is ``AllowedHostsOriginValidator`` in ``config.asgi``.

Server → page: HTML fragments for the htmx ``ws`` extension (see ``messaging.realtime``): new
messages, typing lines, the "Seen" marker, error lines. Page → server: JSON objects with an
``action``; the htmx ``ws-send`` elements of the page add their form values and ``HEADERS``,
which are ignored:

- ``{"action": "send", "body": "…"}``: ``services.send_message`` (same rules, rate limit and
  escaping as the HTTP composer); the message comes back through the group like any other.
- ``{"action": "typing"}``: "<name> is typing…" for the others, at most every
  ``TYPING_THROTTLE`` seconds; hidden again ``TYPING_TIMEOUT`` seconds after the last one, when
  the typist sends a message, or when their socket closes.
- ``{"action": "read", "message": <id>}``: ``services.mark_read`` up to that message.
- ``{"action": "sync", "after": <id>}``: the messages after ``<id>`` (see below).

Reconnect catch-up: ``?after=<id>`` sends the messages after ``<id>`` at once; with ``&sync=1``
the consumer first waits (up to ``SYNC_WAIT`` seconds, holding live pushes back so the order
stays right) for the page's ``sync`` frame, which carries the newest message the page really has
(``#live-after``, moved on by every push) instead of the one it was loaded with. A catch-up
sends the messages after that id which this connection has not sent yet; it also re-sends the
few created within ``REORDER_WINDOW`` before it, because ids are taken before the commit and two
pushes can overtake each other (the page keeps one copy of each: ``realtime.append_swap``).

Bad frames (not JSON, not an object, unknown action, wrong types, too large) get an error line
and the socket stays open; so do refusals of the services (rate limit, empty or long body).
"""

import asyncio
import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.messaging import realtime, services
from mylabel.messaging.models import MESSAGE_MAX_LENGTH, Conversation, Message
from mylabel.messaging.selectors import get_conversation_for, other_participants, seen_message_id

# Close codes of refused connections (4000-4999 are the application's). htmx does not
# reconnect after them, unlike after 1006/1011/1012/1013.
REFUSED = 4403

# A frame larger than this is refused unread: the largest valid one is a body of
# MESSAGE_MAX_LENGTH characters (up to 4 bytes each once encoded) plus the htmx headers.
MAX_FRAME_CHARS = MESSAGE_MAX_LENGTH * 4 + 4096
TYPING_THROTTLE = 2.0
TYPING_TIMEOUT = 6.0
SYNC_WAIT = 2.0
# A page that missed more than this is told to reload rather than being sent a flood.
CATCH_UP_LIMIT = 200
# Group membership lapses after the layer's group_expiry (a day); well before that the socket
# is closed with 1012 ("service restart"), after which htmx reconnects, re-joins and catches up.
MAX_CONNECTION_AGE = 6 * 3600.0
SENT_MEMORY = 1000
# How far before the page's newest message the catch-up looks again (see _render_catch_up).
REORDER_WINDOW = timedelta(seconds=5)
RECONNECT = 1012
ERROR_PARTIAL = f"{realtime.CONVERSATION_TEMPLATE}#live-error"


class ConversationConsumer(AsyncWebsocketConsumer):
    conversation_id = 0
    group_name = ""
    typing_task: asyncio.Task[None] | None = None
    typing_deadline = 0.0
    sync_task: asyncio.Task[None] | None = None
    age_task: asyncio.Task[None] | None = None
    error_shown = False

    # --- Connection -----------------------------------------------------------------------------

    async def connect(self) -> None:
        user = self.scope.get("user")
        try:
            conversation_id = int(self.scope["url_route"]["kwargs"]["conversation_id"])
        except (KeyError, TypeError, ValueError):
            conversation_id = 0
        if user is None or not user.is_authenticated or not conversation_id:
            await self.close(code=REFUSED)
            return
        try:
            conversation = await database_sync_to_async(get_conversation_for)(user, conversation_id)
        except Http404:
            await self.close(code=REFUSED)
            return
        self.user: User = user
        self.conversation: Conversation = conversation
        self.conversation_id = conversation.pk
        self.group_name = realtime.group_for(conversation.pk)
        # Ids this connection has sent (insertion-ordered, the oldest forgotten first): a
        # message that comes both from the catch-up and live is sent once.
        self.sent: dict[int, None] = {}
        self.shown_seen_id: int | None = None
        self.last_typing_sent = 0.0
        self.held: list[dict[str, Any]] | None = None  # live events held until the sync frame

        # Join before reading the catch-up, so nothing committed in between is missed; what
        # arrives twice is sent once (``sent``) and shown once (``append_swap``).
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        self.age_task = asyncio.create_task(self._close_when_old())
        self.shown_seen_id = await database_sync_to_async(self._seen_id)()

        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        after = _positive_int(query.get("after", [""])[0])
        if query.get("sync", [""])[0] == "1":
            self.held = []
            self.sync_task = asyncio.create_task(self._sync_fallback(after))
        elif after is not None:
            await self.catch_up(after)

    async def disconnect(self, code: int) -> None:
        for task in (self.typing_task, self.sync_task, self.age_task):
            if task is not None:
                task.cancel()
        if self.group_name:
            if self.typing_task is not None and self.typing_deadline:
                await self._send_typing(False)
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def _close_when_old(self) -> None:
        await asyncio.sleep(MAX_CONNECTION_AGE)
        await self.close(code=RECONNECT)

    # --- Frames from the page -------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Errors (ours and the services') in the user's language; there is no LocaleMiddleware
        # on sockets.
        with translation.override(self.user.language):
            await self.handle_frame(text_data)

    async def handle_frame(self, text_data: str | None) -> None:
        if text_data is None:
            await self.send_error(_("Send text frames with a JSON object."))
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(_("That frame is too large."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(_("Send text frames with a JSON object."))
            return
        if not isinstance(content, dict):
            await self.send_error(_("Send text frames with a JSON object."))
            return
        action = content.get("action")
        if action == "send":
            await self.on_send(content)
        elif action == "typing":
            await self.on_typing()
        elif action == "read":
            await self.on_read(content)
        elif action == "sync":
            await self.on_sync(content)
        else:
            await self.send_error(_("Unknown action."))

    async def on_send(self, content: dict[str, Any]) -> None:
        body = content.get("body")
        if not isinstance(body, str):
            await self.send_error(_("Write a message or attach a file."))
            return
        try:
            await database_sync_to_async(self._send_message)(body)
        except ValidationError as error:
            await self.send_error(" ".join(error.messages))
            return
        except PermissionDenied:
            # Removed from the conversation (or deactivated) since connecting.
            await self.close(code=REFUSED)
            return
        if self.error_shown:
            await self.send_error("")
        if self.typing_deadline:
            self.typing_deadline = 0.0
            await self._send_typing(False)

    async def on_typing(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.typing_deadline = now + TYPING_TIMEOUT
        if now - self.last_typing_sent >= TYPING_THROTTLE:
            self.last_typing_sent = now
            await self._send_typing(True)
        if self.typing_task is None or self.typing_task.done():
            self.typing_task = asyncio.create_task(self._typing_timeout())

    async def on_read(self, content: dict[str, Any]) -> None:
        message_id = _positive_int(content.get("message"))
        if message_id is None:
            await self.send_error(_("Unknown message."))
            return
        try:
            await database_sync_to_async(self._mark_read)(message_id)
        except (Message.DoesNotExist, ValidationError):
            await self.send_error(_("Unknown message."))
        except PermissionDenied:
            await self.close(code=REFUSED)

    async def on_sync(self, content: dict[str, Any]) -> None:
        after = _positive_int(content.get("after"))
        if after is None:
            await self.send_error(_("Unknown message."))
            return
        if self.held is not None:
            await self._release(after)
        else:
            await self.catch_up(after)

    # --- Group events ---------------------------------------------------------------------------

    async def chat_message(self, event: dict[str, Any]) -> None:
        if self.held is not None:
            self.held.append(event)
            return
        message_id = event["message_id"]
        if message_id in self.sent:
            return  # already sent by the catch-up
        html = event["variants"].get(
            realtime.variant_key(self.user, mine=event["sender_id"] == self.user.pk)
        )
        if html is None:
            # This user's language or time zone changed since the page was opened.
            html = await database_sync_to_async(self._render_push)(message_id)
        if html:
            self._remember([message_id])
            await self.send(text_data=html)

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event["user_id"] == self.user.pk:
            return
        await self.send(
            text_data=realtime.render_typing(
                event["user_id"], event["name"], self.user, typing=event["typing"]
            )
        )

    async def chat_read(self, event: dict[str, Any]) -> None:
        if event["reader_id"] == self.user.pk:
            return
        html = await database_sync_to_async(self._render_seen)()
        if html:
            await self.send(text_data=html)

    # --- Catch-up -------------------------------------------------------------------------------

    async def catch_up(self, after: int) -> None:
        """Send the messages after ``after`` that this connection has not sent yet."""
        html, ids = await database_sync_to_async(self._render_catch_up)(after)
        if html:
            self._remember(ids)
            await self.send(text_data=html)

    def _remember(self, ids: list[int]) -> None:
        for message_id in ids:
            self.sent[message_id] = None
        while len(self.sent) > SENT_MEMORY:
            del self.sent[next(iter(self.sent))]

    async def _release(self, after: int | None) -> None:
        """End the wait for the sync frame: catch up, then send the held live events."""
        held, self.held = self.held or [], None
        if self.sync_task is not None:
            self.sync_task.cancel()
        if after is not None:
            await self.catch_up(after)
        for event in held:
            await self.chat_message(event)

    async def _sync_fallback(self, after: int | None) -> None:
        # A page whose sync frame never comes still gets what it missed since it was rendered.
        # The timeout comes back through this consumer's own channel, so it is handled in turn
        # with the frames and group events, never in the middle of one.
        await asyncio.sleep(SYNC_WAIT)
        await self.channel_layer.send(
            self.channel_name, {"type": "chat.sync_timeout", "after": after}
        )

    async def chat_sync_timeout(self, event: dict[str, Any]) -> None:
        if self.held is not None:
            await self._release(event["after"])

    # --- Typing ---------------------------------------------------------------------------------

    async def _typing_timeout(self) -> None:
        loop = asyncio.get_running_loop()
        while self.typing_deadline and loop.time() < self.typing_deadline:
            await asyncio.sleep(self.typing_deadline - loop.time())
        if self.typing_deadline:
            self.typing_deadline = 0.0
            await self._send_typing(False)

    async def _send_typing(self, typing: bool) -> None:
        if not typing:
            self.last_typing_sent = 0.0
        await self.channel_layer.group_send(
            self.group_name,
            {
                "type": "chat.typing",
                "user_id": self.user.pk,
                "name": self.user.name,
                "typing": typing,
            },
        )

    # --- Errors ---------------------------------------------------------------------------------

    async def send_error(self, text: str) -> None:
        """The page's error line (``#live-error``) with ``text``; empty text hides it again."""
        self.error_shown = bool(text)
        await self.send(text_data=render_to_string(ERROR_PARTIAL, {"error": text}))

    # --- Database work (in a thread) ------------------------------------------------------------

    def _send_message(self, body: str) -> None:
        services.send_message(conversation=self.conversation, sender=self.user, body=body)

    def _mark_read(self, message_id: int) -> None:
        message = Message.objects.get(pk=message_id, conversation_id=self.conversation_id)
        services.mark_read(conversation=self.conversation, user=self.user, up_to=message)

    def _render_push(self, message_id: int) -> str:
        message = Message.objects.for_display().filter(pk=message_id).first()
        return realtime.render_push(message, self.user) if message else ""

    def _render_catch_up(self, after: int) -> tuple[str, list[int]]:
        messages = Message.objects.filter(conversation_id=self.conversation_id)
        missed = Q(pk__gt=after)
        anchor = messages.filter(pk=after).values_list("created_at", flat=True).first()
        if anchor is not None and REORDER_WINDOW:
            # Ids are taken before the commit, so a message may commit (and be pushed) after
            # one with a higher id; the page may have the later one and not the earlier one.
            # The few just before ``after`` are sent again; the page skips those it has.
            missed |= Q(pk__lt=after, created_at__gte=anchor - REORDER_WINDOW)
        rows = [
            message
            for message in messages.for_display()
            .filter(missed)
            .order_by("pk")[: CATCH_UP_LIMIT + 1]
            if message.pk not in self.sent
        ]
        if not rows:
            return "", []
        html: str
        if len(rows) > CATCH_UP_LIMIT:
            with translation.override(self.user.language):
                html = render_to_string(
                    ERROR_PARTIAL,
                    {"error": _("Many new messages arrived. Reload the page to see them.")},
                )
            return html, []
        html = "".join(
            realtime.render_message(
                message,
                self.user,
                seen_id=self.shown_seen_id,
                oob=realtime.append_swap(message.pk),
                mark_read=message.sender_id != self.user.pk,
            )
            for message in rows
        )
        html += realtime.render_live_after(max(after, rows[-1].pk))
        if after == 0:
            html += realtime.EMPTY_LIST_GONE  # the page had no messages: drop "No messages yet"
        return html, [message.pk for message in rows]

    def _seen_id(self) -> int | None:
        """The newest of this user's messages the others have read (as the page shows it)."""
        marker = seen_message_id(other_participants(self.conversation, self.user))
        if marker is None:
            return None
        return (
            Message.objects.filter(
                conversation_id=self.conversation_id, sender_id=self.user.pk, pk__lte=marker
            )
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    def _render_seen(self) -> str:
        """Move "Seen" from the message it was under to the one now seen (both re-rendered)."""
        seen_id = self._seen_id()
        if seen_id == self.shown_seen_id:
            return ""
        ids = [pk for pk in (self.shown_seen_id, seen_id) if pk is not None]
        self.shown_seen_id = seen_id
        messages = Message.objects.for_display().filter(pk__in=ids).order_by("pk")
        return "".join(
            realtime.render_message(message, self.user, seen_id=seen_id) for message in messages
        )


def _positive_int(value: object) -> int | None:
    """An id from a query string or a frame (htmx sends form values as strings); None when it
    is not a whole number ≥ 0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None
