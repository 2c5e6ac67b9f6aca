"""Notifications for the demo accounts (issue 6 point 10), so the bell has something to say.

The demo bookings, reviews and messages go through the real services, whose events create the
notifications after the commit. That only happens at once with the immediate task backend and
when ``seed_demo`` is the outermost transaction; otherwise (a task worker, or a test's
transaction around it) ``seed_notifications`` builds them from the same history with the same
tasks, run in-process. Either way the newest few stay unread and the rest are marked seen, so
the centre shows both.

Idempotent: nothing is created once a demo account has notifications.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mylabel.accounts.demo import DEMO_ACCOUNTS
from mylabel.accounts.models import User
from mylabel.bookings.models import BookingEvent
from mylabel.messaging.models import Message
from mylabel.notifications.in_app import (
    notify_booking_status,
    notify_message_sent,
    notify_review_published,
)
from mylabel.notifications.models import Notification
from mylabel.reviews.models import Review

KEEP_UNREAD = 4


@transaction.atomic
def seed_notifications() -> int:
    """Create the demo accounts' notifications if they have none; returns how many."""
    users = User.objects.filter(email__in=[email for email, _name, _admin in DEMO_ACCOUNTS])
    created = 0
    if not Notification.objects.filter(recipient__in=users).exists():
        events = BookingEvent.objects.filter(
            Q(booking__artist__user__in=users) | Q(booking__associate__user__in=users)
        ).order_by("created_at", "pk")
        for event in events:
            created += notify_booking_status.call(event.booking_id, event.pk)
        reviews = (
            Review.objects.filter(published_at__isnull=False)
            .filter(Q(artist__user__in=users) | Q(associate__user__in=users))
            .order_by("published_at", "pk")
        )
        for review in reviews:
            created += notify_review_published.call(review.pk)
        messages = (
            Message.objects.filter(conversation__participants__user__in=users)
            .distinct()
            .order_by("pk")
        )
        for message in messages:
            created += notify_message_sent.call(message.pk)
    now = timezone.now()
    for user in users:
        newest = list(
            Notification.objects.filter(recipient=user)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:KEEP_UNREAD]
        )
        Notification.objects.filter(recipient=user, read_at=None).exclude(pk__in=newest).update(
            read_at=now
        )
    return created
