"""Writes of the messaging app (CONVENTIONS.md "Layers"): every HTML view, consumer and task
that changes a conversation goes through these functions.

Refusals raise ``ValidationError`` (``body`` / ``attachments`` keys where a field is at fault, code
``rate_limited`` when the sender is flooding) and change nothing. A user who is not a participant
gets ``PermissionDenied``: entry points fetch conversations with
``selectors.get_conversation_for`` first, so reaching that is a programming error, not input.
Domain signals go out after the commit.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking
from mylabel.core.ratelimit import check_rate
from mylabel.messaging.attachments import CheckedUpload, check_attachment
from mylabel.messaging.models import (
    MESSAGE_MAX_LENGTH,
    Attachment,
    Conversation,
    Message,
    Participant,
    direct_key_for,
)
from mylabel.messaging.signals import conversation_read, message_sent

RATE_LIMIT_GROUP = "messaging.send_message"


@transaction.atomic
def start_direct_conversation(*, user: User, other: User) -> Conversation:
    """The one-to-one conversation between ``user`` and ``other``, created on first use.
    Refused for oneself and for deactivated accounts."""
    if user.pk == other.pk:
        raise ValidationError(_("You cannot send messages to yourself."), code="self")
    if not user.is_active or not other.is_active:
        raise ValidationError(_("This account cannot receive messages."), code="inactive")
    # get_or_create survives the race of both people pressing "Message" at once: the unique
    # direct_key makes the loser read the winner's row (with its participants, same transaction).
    conversation, created = Conversation.objects.get_or_create(
        direct_key=direct_key_for(user.pk, other.pk)
    )
    if created:
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user=user),
                Participant(conversation=conversation, user=other),
            ]
        )
    return conversation


@transaction.atomic
def conversation_for_booking(*, booking: Booking) -> Conversation:
    """The booking's conversation (its artist and its professional), created on first use.
    The caller has checked that the requesting user may see the booking."""
    conversation, _created = Conversation.objects.get_or_create(booking=booking)
    for user_id in {booking.artist.user_id, booking.associate.user_id}:
        Participant.objects.get_or_create(conversation=conversation, user_id=user_id)
    return conversation


def _participant(conversation: Conversation, user: User) -> Participant:
    participant = Participant.objects.filter(conversation=conversation, user_id=user.pk).first()
    if participant is None or not user.is_active:
        raise PermissionDenied("Only participants can use this conversation.")
    return participant


def _check_rate(sender: User) -> None:
    """Count this send against every window of MESSAGE_RATE_LIMITS in the shared cache; refuse
    when one is exceeded. Counted after the other checks, so a refused body costs nothing."""
    check_rate(
        group=RATE_LIMIT_GROUP,
        key=str(sender.pk),
        windows=settings.MESSAGE_RATE_LIMITS,
        message=lambda wait: (
            ngettext(
                "You are sending messages too fast. Try again in %(seconds)d second.",
                "You are sending messages too fast. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait}
        ),
    )


def _check_files(files: Sequence[UploadedFile]) -> list[CheckedUpload]:
    limit = int(settings.MESSAGE_ATTACHMENTS_PER_MESSAGE)
    if len(files) > limit:
        raise ValidationError(
            {
                "attachments": ValidationError(
                    ngettext(
                        "Attach at most %(limit)d file to a message.",
                        "Attach at most %(limit)d files to a message.",
                        limit,
                    )
                    % {"limit": limit},
                    code="too_many_files",
                )
            }
        )
    checked = []
    for upload in files:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            raise ValidationError({"attachments": error}) from None
    return checked


def clean_body(body: str) -> str:
    """Trimmed, with Windows line endings folded, as it is stored and counted."""
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def send_message(
    *,
    conversation: Conversation,
    sender: User,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """Save a message (and its attachments) from a participant. The body is trimmed and
    required unless a file is attached; at most MESSAGE_MAX_LENGTH characters. The sender's own
    read marker moves to the new message. ``message_sent`` goes out after the commit."""
    sender_participant = _participant(conversation, sender)
    body = clean_body(body)
    if not body and not files:
        raise ValidationError(
            {"body": ValidationError(_("Write a message or attach a file."), code="required")}
        )
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("A message can be at most %(limit)d characters (this one has %(length)d).")
                    % {"limit": MESSAGE_MAX_LENGTH, "length": len(body)},
                    code="max_length",
                )
            }
        )
    checked = _check_files(files)
    _check_rate(sender)

    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, created_at=now
    )
    _save_attachments(message, checked)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    conversation.last_message_at = now
    Participant.objects.filter(pk=sender_participant.pk).update(last_read_message=message)

    transaction.on_commit(lambda: message_sent.send(sender=Message, message=message))
    return message


def _save_attachments(message: Message, checked: list[CheckedUpload]) -> None:
    # Storage writes are not transactional: if one file fails, the ones already written are
    # removed before the error rolls the message back.
    saved: list[Attachment] = []
    try:
        for item in checked:
            attachment = Attachment(
                message=message,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.upload.size or 0,
            )
            item.upload.seek(0)
            attachment.file.save(f"attachment.{item.extension}", item.upload, save=True)
            saved.append(attachment)
    except Exception:
        for attachment in saved:
            attachment.file.storage.delete(attachment.file.name or "")
        raise


@transaction.atomic
def mark_read(*, conversation: Conversation, user: User, up_to: Message | None = None) -> None:
    """Move ``user``'s read marker forward to ``up_to`` (default: the newest message). Never
    moves it back, so a late request from an old tab cannot resurrect unread messages.
    ``conversation_read`` goes out after the commit, only when the marker moved."""
    participant = _participant(conversation, user)
    if up_to is None:
        up_to = conversation.messages.order_by("-pk").first()
        if up_to is None:
            return
    elif up_to.conversation_id != conversation.pk:
        raise ValidationError(_("That message is not in this conversation."), code="foreign")
    moved = (
        Participant.objects.filter(pk=participant.pk)
        .filter(Q(last_read_message__isnull=True) | Q(last_read_message_id__lt=up_to.pk))
        .update(last_read_message=up_to)
    )
    if moved:
        message = up_to
        transaction.on_commit(
            lambda: conversation_read.send(
                sender=Conversation, conversation=conversation, user=user, message=message
            )
        )
