"""In-app notifications from domain events (issue 6 point 4): booking transitions, published
reviews and messages.

The receivers (connected in ``apps.py``) only schedule a task once the transaction that caused
the event commits; the task, run by the worker, writes one notification per recipient through
``services.notify``, in the recipient's language and time zone. Who hears about a booking
transition is the booking e-mails' rule (``tasks.recipients_for``): nobody is told about their
own action.
"""

import logging
from typing import Any

from django.db import transaction
from django.tasks import task
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking, BookingEvent
from mylabel.messaging.models import Conversation, Message, Participant
from mylabel.notifications import services
from mylabel.notifications.models import Event, Notification
from mylabel.notifications.tasks import (
    headline_for,
    recipient_locale,
    recipients_for,
    subject_for,
)
from mylabel.reviews.models import Direction, Review

logger = logging.getLogger(__name__)

SNIPPET_WORDS = 30


def conversation_thread(conversation_id: int) -> str:
    """The ``thread_key`` that folds a conversation's unread messages into one notification."""
    return f"conversation:{conversation_id}"


# --- Bookings -----------------------------------------------------------------------------------


@task()
def notify_booking_status(booking_id: int, event_id: int) -> int:
    """One notification per person ``event`` concerns; returns how many were created."""
    event = (
        BookingEvent.objects.select_related(
            "actor", "booking__service", "booking__artist__user", "booking__associate__user"
        )
        .filter(pk=event_id, booking_id=booking_id)
        .first()
    )
    if event is None:
        logger.info(
            "Booking event %s of booking %s is gone; no notification.", event_id, booking_id
        )
        return 0
    booking = event.booking
    created = 0
    for recipient in recipients_for(booking, event):
        with recipient_locale(recipient):
            when = formats.date_format(timezone.localtime(booking.start), "DATETIME_FORMAT")
            title = subject_for(event.to_status, {"service": booking.service.name, "when": when})
            body = headline_for(event.to_status, event.actor.name if event.actor else "MyLabel")
        notification = services.notify(
            recipient=recipient,
            event=f"booking_{event.to_status}",
            title=title,
            body=body,
            url=booking.get_absolute_url(),
            actor=event.actor,
        )
        created += notification is not None
    return created


def schedule_booking_notifications(
    sender: type[Booking], *, booking: Booking, event: BookingEvent, **kwargs: Any
) -> None:
    booking_id, event_id = booking.pk, event.pk
    transaction.on_commit(lambda: notify_booking_status.enqueue(booking_id, event_id))


# --- Reviews ------------------------------------------------------------------------------------


@task()
def notify_review_published(review_id: int) -> int:
    """Tell the person ``review_id`` is about that it is public; 0 when it is gone or hidden."""
    review = (
        Review.objects.select_related("author", "artist__user", "associate__user")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not review.is_published:
        return 0
    if review.direction == Direction.OF_ASSOCIATE:
        recipient, reviewer = review.associate.user, review.artist.stage_name
        path = reverse("reviews:associate-reviews", kwargs={"slug": review.associate.slug})
    else:
        recipient, reviewer = review.artist.user, review.associate.display_name
        path = reverse("reviews:artist-reviews", kwargs={"slug": review.artist.slug})
    with translation.override(recipient.language):
        title = _("%(reviewer)s reviewed you: %(rating)d out of 5") % {
            "reviewer": reviewer,
            "rating": review.rating,
        }
    notification = services.notify(
        recipient=recipient,
        event=Event.REVIEW_PUBLISHED,
        title=title,
        body=Truncator(review.text).words(SNIPPET_WORDS),
        url=f"{path}#review-{review.pk}",
        actor=review.author,
    )
    return int(notification is not None)


def schedule_review_notification(sender: type[Review], *, review: Review, **kwargs: Any) -> None:
    review_id = review.pk
    transaction.on_commit(lambda: notify_review_published.enqueue(review_id))


# --- Messages -----------------------------------------------------------------------------------


def _conversation_url(conversation_id: int) -> str:
    try:
        return reverse("messaging:conversation", kwargs={"pk": conversation_id})
    except NoReverseMatch:  # the messaging pages are not mounted (yet): the address
        return f"/messages/{conversation_id}/"


@task()
def notify_message_sent(message_id: int) -> int:
    """Tell every other participant of the message's conversation about it: one unread line per
    conversation, updated while unread. Someone who has already read it (the page was open)
    is not told."""
    message = Message.objects.select_related("sender").filter(pk=message_id).first()
    if message is None:
        return 0
    participants = Participant.objects.filter(
        conversation_id=message.conversation_id
    ).select_related("user")
    if message.sender_id is not None:  # a deleted sender's messages still reach everyone
        participants = participants.exclude(user_id=message.sender_id)
    thread = conversation_thread(message.conversation_id)
    sender_name = message.sender.name if message.sender else "MyLabel"
    created = 0
    for participant in participants:
        if participant.last_read_message_id and participant.last_read_message_id >= message.pk:
            continue
        recipient = participant.user
        pending = (
            Notification.objects.filter(recipient=recipient, thread_key=thread, read_at=None)
            .values_list("count", flat=True)
            .first()
            or 0
        )
        with translation.override(recipient.language):
            title = ngettext(
                "%(sender)s sent you a message",
                "%(count)d new messages from %(sender)s",
                pending + 1,
            ) % {"sender": sender_name, "count": pending + 1}
            body = Truncator(message.body).words(SNIPPET_WORDS) or _("Sent a file.")
        notification = services.notify(
            recipient=recipient,
            event=Event.MESSAGE_RECEIVED,
            title=title,
            body=body,
            url=_conversation_url(message.conversation_id),
            actor=message.sender,
            thread_key=thread,
        )
        created += notification is not None
    return created


def schedule_message_notifications(sender: Any, *, message: Message, **kwargs: Any) -> None:
    message_id = message.pk
    transaction.on_commit(lambda: notify_message_sent.enqueue(message_id))


def clear_conversation_notification(
    sender: Any,
    *,
    conversation: Conversation,
    user: User,
    message: Message | None = None,
    **kwargs: Any,
) -> None:
    """The reader has seen the conversation: its unread line goes (right away: it is one
    cheap update, and the badge should drop while they look at the messages)."""
    if message is not None:
        newer = (
            Message.objects.filter(conversation_id=conversation.pk, pk__gt=message.pk)
            .exclude(sender_id=user.pk)
            .exists()
        )
        if newer:
            return
    services.mark_thread_read(user=user, thread_key=conversation_thread(conversation.pk))
