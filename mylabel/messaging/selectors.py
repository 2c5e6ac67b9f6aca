"""The one permission-checked way to fetch a conversation, and the page reads built on it."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404

from mylabel.accounts.models import User
from mylabel.messaging.models import Attachment, Conversation, Message, Participant

PAGE_SIZE = 30


def get_conversation_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> Conversation:
    """Conversation ``pk`` if ``user`` is one of its participants; otherwise ``Http404``,
    exactly as for one that does not exist, so ids reveal nothing. Label admins are not
    participants and get 404 too: conversations are private."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    # The booking's service is all a conversation shows of it. Joining the booking's two
    # profiles too made the query 3,500 characters long (every column of four tables, the
    # profiles' search vectors included), compiled and planned on every page and message.
    conversation = (
        Conversation.objects.involving(user.pk)
        .select_related("booking__service")
        .filter(pk=pk)
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def get_attachment_for(user: User, pk: int) -> Attachment:
    """Attachment ``pk`` if ``user`` takes part in its conversation; otherwise ``Http404``."""
    attachment = Attachment.objects.filter(
        message__conversation__participants__user_id=user.pk, pk=pk
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file always as a download with the type detected at upload, so a browser never
    renders it as a page of our site (the page's and the API's downloads alike)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@dataclass(frozen=True)
class MessagePage:
    """Up to PAGE_SIZE messages, oldest first; ``has_earlier`` when older ones exist."""

    messages: list[Message]
    has_earlier: bool

    @property
    def earliest_id(self) -> int | None:
        return self.messages[0].pk if self.messages else None


def message_page(conversation: Conversation, *, before: int | None = None) -> MessagePage:
    """The newest PAGE_SIZE messages, or the PAGE_SIZE just before message id ``before``."""
    messages = conversation.messages.for_display().order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    rows = list(messages[: PAGE_SIZE + 1])
    has_earlier = len(rows) > PAGE_SIZE
    return MessagePage(messages=rows[:PAGE_SIZE][::-1], has_earlier=has_earlier)


def other_participants(conversation: Conversation, user: User) -> list[Participant]:
    return list(conversation.participants.exclude(user_id=user.pk).select_related("user"))


def seen_message_id(others: list[Participant]) -> int | None:
    """The newest message every other participant has read, counting only those who share
    read receipts (the account setting); None when nothing is known to be seen."""
    markers = [
        participant.last_read_message_id
        for participant in others
        if participant.user.share_read_receipts
    ]
    if not markers or None in markers:
        return None
    return min(marker for marker in markers if marker is not None)
