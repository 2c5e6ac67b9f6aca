"""In-app notifications and per-user delivery preferences (DESIGN.md §2.7, issue 6 point 4).

A ``Notification`` is one line in a user's centre. A ``Preference`` row exists only where the
user changed a default: ``notifications.preferences.DEFAULTS`` is the single source of what
happens when there is no row, so adding an event never needs a data migration.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mylabel.accounts.models import User


class Event(models.TextChoices):
    """What happened. Booking values mirror ``bookings.models.Status`` with a prefix."""

    BOOKING_REQUESTED = "booking_requested", _("Booking requested")
    BOOKING_ACCEPTED = "booking_accepted", _("Booking accepted")
    BOOKING_DECLINED = "booking_declined", _("Booking declined")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    BOOKING_PAID = "booking_paid", _("Booking paid")
    BOOKING_COMPLETED = "booking_completed", _("Booking completed")
    BOOKING_EXPIRED = "booking_expired", _("Booking request expired")
    BOOKING_DISPUTED = "booking_disputed", _("Booking disputed")
    REVIEW_PUBLISHED = "review_published", _("A review about you was published")
    MESSAGE_RECEIVED = "message_received", _("New message")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Browser push")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_list(self) -> "NotificationQuerySet":
        """Newest first with the actor joined, so a page of the centre is one query."""
        return self.select_related("actor").order_by("-created_at", "-pk")


class Notification(models.Model):
    """One thing a user should know about. ``url`` is a site-relative path (what to open).

    ``thread_key`` groups notifications that should coalesce while unread (all the unread
    messages of one conversation are one line: ``conversation:<id>``); blank means "never
    coalesce".
    """

    # Indexed through notification_recipient_new, whose leading column it is.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=2000, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    thread_key = models.CharField(max_length=100, blank=True)
    # How many events this line stands for (coalesced messages); shown as "3 new messages".
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects: ClassVar[NotificationQuerySet] = NotificationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            # The bell counts unread rows on every page: a partial index keeps that cheap.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            # At most one unread line per thread, so concurrent messages coalesce instead of
            # racing each other into duplicates (services.notify retries into the update).
            models.UniqueConstraint(
                fields=["recipient", "thread_key"],
                condition=Q(read_at__isnull=True) & ~Q(thread_key=""),
                name="one_unread_notification_per_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A user's choice for one event on one channel, overriding ``preferences.DEFAULTS``."""

    # Indexed through the unique constraint, whose leading column it is.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        db_index=False,
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="one_preference_per_event_channel"
            )
        ]

    def __str__(self) -> str:
        state = "on" if self.enabled else "off"
        return f"{self.user_id} {self.event}/{self.channel}: {state}"


class MessageEmailBatch(models.Model):
    """The message e-mail state of one user in one conversation (helper N2, issue 6 point 5).

    Zulip's rule: the first unread message starts a batch due ``MESSAGE_EMAIL_DELAY_MINUTES``
    later (``pending_from_id`` and ``due_at`` set); later messages join it; when it is due, the
    messages still unread are mailed in one e-mail and the batch closes. ``emailed_up_to_id``
    survives the batch, so a message that raced the sending is never mailed twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's leading column
    )
    conversation = models.ForeignKey(
        "messaging.Conversation", on_delete=models.CASCADE, related_name="+"
    )
    # The first message of the open batch; null when no e-mail is pending.
    pending_from_id = models.BigIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The newest message already mailed (0: none), whatever the read marker says.
    emailed_up_to_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conversation"], name="one_message_email_batch_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}: due {self.due_at}"


class PushSubscription(models.Model):
    """One browser (one device) that accepted Web Push for ``user`` (helper N2, issue 6 point 6).

    ``endpoint`` is the push service's URL for that browser; ``p256dh`` and ``auth`` are the
    browser's public key and auth secret (base64url) that payloads are encrypted to. The push
    service answering 404/410 means the browser dropped it: the row is deleted then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # Unique: the same browser subscribing again (or for another account) moves the row.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Push for {self.user_id} ({self.endpoint[:40]}…)"
