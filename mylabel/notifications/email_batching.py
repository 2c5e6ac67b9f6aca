"""Message e-mails, batched the way Zulip does it (issue 6 point 5).

A message does not mail anyone at once. For each other participant who wants message e-mails,
the first unread message opens a *batch* of that (user, conversation), due
``MESSAGE_EMAIL_DELAY_MINUTES`` later; messages arriving meanwhile join it (one pending batch per
pair, not one per message). When the batch is due, the task worker mails the messages that are
still unread (after the reader's marker), in one e-mail, in the reader's language and time zone;
if they read the conversation meanwhile, nothing goes out.

Scheduling: ``message_sent`` → (after commit) ``tasks.plan_message_emails`` opens batches →
``tasks.send_message_email`` deferred with ``run_after`` to the batch's due time. A backend that
cannot defer (the embedded in-process one) has no worker to wake: there ``manage.py
send_message_emails`` (cron, every minute or so) sends the due batches, like the other
time-driven jobs of the project.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.accounts.models import User
from mylabel.messaging.models import Conversation, Message, Participant
from mylabel.notifications.models import Channel, Event, MessageEmailBatch
from mylabel.notifications.services import wants
from mylabel.notifications.tasks import (
    compose_email,
    plan_message_emails,
    recipient_locale,
    send_message_email,
)

logger = logging.getLogger(__name__)

# One e-mail lists at most this many messages; the rest are counted ("and 12 more").
MAX_LISTED = 20

__all__ = [
    "close_batch_on_read",
    "open_batches",
    "schedule_message_emails",
    "send_batch",
    "send_due_batches",
]


def delay() -> timedelta:
    return timedelta(minutes=settings.MESSAGE_EMAIL_DELAY_MINUTES)


# --- Opening batches ----------------------------------------------------------------------------


def schedule_message_emails(sender: Any, *, message: Message, **kwargs: Any) -> None:
    """Receiver of ``message_sent``: plan the e-mails once the message is committed."""
    message_id = message.pk
    transaction.on_commit(lambda: plan_message_emails.enqueue(message_id))


def open_batches(message_id: int) -> int:
    """Open (or join) the e-mail batch of every other participant of the message's
    conversation who wants message e-mails and has not read it; returns how many batches were
    opened (joined ones do not count: their e-mail is already scheduled). The delay runs from
    the message's creation, however late the worker gets to this."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    participants = Participant.objects.filter(
        conversation_id=message.conversation_id
    ).select_related("user")
    if message.sender_id is not None:
        participants = participants.exclude(user_id=message.sender_id)
    opened = 0
    for participant in participants:
        user = participant.user
        if participant.last_read_message_id and participant.last_read_message_id >= message.pk:
            continue  # the page was open: already read
        if not (user.is_active and user.email):
            continue
        if not wants(user, Event.MESSAGE_RECEIVED, Channel.EMAIL):
            continue
        due_at = _open_batch(user, message)
        if due_at is not None:
            opened += 1
            _wake_worker_at(user.pk, message.conversation_id, due_at)
    return opened


@transaction.atomic
def _open_batch(user: User, message: Message) -> datetime | None:
    """Start ``user``'s batch for the conversation with ``message``; ``None`` when one is
    already pending (the message joins it) or the message was mailed already."""
    batch, _created = MessageEmailBatch.objects.get_or_create(
        user=user, conversation_id=message.conversation_id
    )
    # Locked: a sending batch (send_batch holds this lock) finishes first, so this message
    # either was in its e-mail (emailed_up_to_id covers it) or opens the next batch.
    batch = MessageEmailBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.pending_from_id is not None or message.pk <= batch.emailed_up_to_id:
        return None
    batch.pending_from_id = message.pk
    batch.due_at = message.created_at + delay()
    batch.save(update_fields=["pending_from_id", "due_at"])
    return batch.due_at


def _wake_worker_at(user_id: int, conversation_id: int, due_at: datetime) -> None:
    if not send_message_email.get_backend().supports_defer:
        return  # no worker to wake: manage.py send_message_emails sends due batches
    transaction.on_commit(
        lambda: send_message_email.using(run_after=due_at).enqueue(user_id, conversation_id)
    )


def close_batch_on_read(
    sender: Any,
    *,
    conversation: Conversation,
    user: User,
    message: Message | None = None,
    **kwargs: Any,
) -> None:
    """Receiver of ``conversation_read``: the reader caught up, so their pending batch has
    nothing left to say. If messages arrived after what they read, the batch now starts at
    the first of those (keeping its due time); otherwise it closes, and the next message
    opens a fresh one with a full delay."""
    if message is None:
        return
    with transaction.atomic():
        batch = (
            MessageEmailBatch.objects.select_for_update()
            .filter(
                user_id=user.pk, conversation_id=conversation.pk, pending_from_id__lte=message.pk
            )
            .first()
        )
        if batch is None:
            return
        newer = (
            Message.objects.filter(conversation_id=conversation.pk, pk__gt=message.pk)
            .exclude(sender_id=user.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        batch.pending_from_id = newer
        if newer is None:
            batch.due_at = None
        batch.save(update_fields=["pending_from_id", "due_at"])


# --- Sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailedMessage:
    """One message as listed in the e-mail (times already in the reader's zone)."""

    sender: str
    sent_at: datetime
    body: str
    attachments: list[str]


def send_batch(*, user_id: int, conversation_id: int, now: datetime | None = None) -> int:
    """Send ``user_id``'s batch of the conversation if it is due; returns 0 or 1 (mails sent).

    The batch closes whatever happens (read meanwhile, preference turned off, account gone),
    so a stale task or a second run sends nothing. The e-mail goes out after the commit: a
    failing mail server loses that e-mail rather than mailing the same messages twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        batch = (
            MessageEmailBatch.objects.select_for_update()
            .select_related("user")
            .filter(
                user_id=user_id,
                conversation_id=conversation_id,
                pending_from_id__isnull=False,
                due_at__lte=now,
            )
            .first()
        )
        if batch is None:
            return 0  # read meanwhile, already sent, or a later batch not due yet
        user = batch.user
        participant = (
            Participant.objects.filter(conversation_id=conversation_id, user_id=user_id)
            .only("last_read_message_id")
            .first()
        )
        messages: list[Message] = []
        total = 0
        if participant is not None and _may_mail(user):
            assert batch.pending_from_id is not None
            floor = max(
                participant.last_read_message_id or 0,
                batch.emailed_up_to_id,
                batch.pending_from_id - 1,
            )
            unread = (
                Message.objects.filter(conversation_id=conversation_id, pk__gt=floor)
                .exclude(sender_id=user_id)
                .order_by("pk")
            )
            # The newest first, and everything else bounded by it: under READ COMMITTED each
            # query sees its own snapshot, so a message committed between two of them must not
            # be marked as mailed without being in the mail. One committed meanwhile is either
            # under the bound and listed, or above it and left to the next batch.
            newest = unread.order_by("-pk").values_list("pk", flat=True).first()
            if newest is not None:
                unread = unread.filter(pk__lte=newest)
                messages = list(
                    unread.select_related("sender").prefetch_related("attachments")[:MAX_LISTED]
                )
                total = len(messages) if len(messages) < MAX_LISTED else unread.count()
                batch.emailed_up_to_id = max(batch.emailed_up_to_id, newest)
        batch.pending_from_id = None
        batch.due_at = None
        batch.save(update_fields=["pending_from_id", "due_at", "emailed_up_to_id"])
    if not messages:
        return 0
    conversation = Conversation.objects.select_related("booking__service").get(pk=conversation_id)
    email = build_message_email(user, conversation, messages, total)
    try:
        return email.send()
    except Exception:
        logger.exception("Could not send the message e-mail of conversation %s.", conversation_id)
        return 0


def _may_mail(user: User) -> bool:
    return bool(
        user.is_active and user.email and wants(user, Event.MESSAGE_RECEIVED, Channel.EMAIL)
    )


def send_due_batches(*, now: datetime | None = None) -> int:
    """Send every batch that is due (for ``manage.py send_message_emails``); returns how many
    e-mails went out. Idempotent: a batch that was sent is closed."""
    now = now or timezone.now()
    due = MessageEmailBatch.objects.filter(
        pending_from_id__isnull=False, due_at__lte=now
    ).values_list("user_id", "conversation_id")
    return sum(
        send_batch(user_id=user_id, conversation_id=conversation_id, now=now)
        for user_id, conversation_id in list(due)
    )


def build_message_email(
    recipient: User, conversation: Conversation, messages: list[Message], total: int
) -> EmailMultiAlternatives:
    """One e-mail listing ``messages`` (``total`` unread in all), in the reader's language and
    time zone."""
    path = reverse("messaging:conversation", kwargs={"pk": conversation.pk})
    with recipient_locale(recipient) as tz:
        listed = [
            MailedMessage(
                sender=message.sender.name if message.sender else "MyLabel",
                sent_at=timezone.localtime(message.created_at),
                body=message.body,
                attachments=[attachment.original_name for attachment in message.attachments.all()],
            )
            for message in messages
        ]
        senders = list(dict.fromkeys(item.sender for item in listed))
        names = ", ".join(senders)
        subject = ngettext(
            "%(count)d new message from %(senders)s",
            "%(count)d new messages from %(senders)s",
            total,
        ) % {"count": total, "senders": names}
        booking = conversation.booking
        context = {
            "recipient": recipient,
            "messages": listed,
            "more": total - len(listed),
            "senders": names,
            "about": booking.service.name if booking else "",
            "time_zone": tz.key,
            "conversation_url": f"{settings.SITE_URL}{path}",
            "preferences_url": f"{settings.SITE_URL}{reverse('notifications:preferences')}",
            "headline": _("You have unread messages on MyLabel."),
        }
        text = render_to_string("notifications/email/messages.txt", context)
        html = render_to_string("notifications/email/messages.html", context)
    return compose_email(recipient=recipient, subject=subject, text=text, html=html)
