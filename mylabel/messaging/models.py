"""Conversations between users: one-to-one, or one per booking (DESIGN.md §2.6).

A ``Participant`` row is the membership *and* the read marker: everything after
``last_read_message`` not sent by that user is unread. Messages are ordered by their primary key
(monotonic per database), which is what pagination ("before=<id>") and read markers compare.
Attachments are stored through the storage API under unguessable names and are only ever served
through the permission-checked download view, never by their storage URL.
"""

import posixpath
import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mylabel.bookings.models import Booking

MESSAGE_MAX_LENGTH = 5000


def direct_key_for(first_user_id: int, second_user_id: int) -> str:
    """The key that makes a one-to-one conversation unique per pair, whatever the order."""
    low, high = sorted((first_user_id, second_user_id))
    return f"{low}:{high}"


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def involving(self, user_id: int) -> "ConversationQuerySet":
        return self.filter(participants__user_id=user_id)

    def for_inbox(self, user_id: int) -> "ConversationQuerySet":
        """``user_id``'s conversations, most recently active first, each with ``others`` (the
        other participants, users loaded), ``booking`` (with its service), ``unread_count`` and
        the last message as ``last_message_id``, ``last_body``, ``last_sender_id``,
        ``last_has_attachment``. Two queries, whatever the number of rows."""
        messages = Message.objects.filter(conversation=OuterRef("pk")).order_by("-pk")
        my_marker = Participant.objects.filter(
            conversation=OuterRef(OuterRef("pk")), user_id=user_id
        ).values("last_read_message_id")[:1]
        unread = (
            Message.objects.filter(conversation=OuterRef("pk"))
            .filter(pk__gt=Coalesce(Subquery(my_marker), Value(0)))
            .exclude(sender_id=user_id)
            .order_by()
            .values("conversation")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            self.involving(user_id)
            .select_related("booking__service")
            .annotate(
                last_message_id=Subquery(messages.values("pk")[:1]),
                last_body=Subquery(messages.values("body")[:1]),
                last_sender_id=Subquery(messages.values("sender_id")[:1]),
                last_has_attachment=Exists(
                    Attachment.objects.filter(message_id=OuterRef("last_message_id"))
                ),
                unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
            )
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=Participant.objects.exclude(user_id=user_id).select_related("user"),
                    to_attr="others",
                )
            )
            .order_by(F("last_message_at").desc(nulls_last=True), "-created_at", "-pk")
        )


class Conversation(models.Model):
    """A conversation: either direct (``direct_key`` set, unique per pair of users) or the one
    of a booking (``booking`` set). Who may read and post is the ``Participant`` rows."""

    booking = models.OneToOneField(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
    )
    direct_key = models.CharField(max_length=41, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalised so the inbox can order by activity without aggregating every message.
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects: ClassVar[ConversationQuerySet] = ConversationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(Q(booking__isnull=False) & Q(direct_key__isnull=False)),
                name="conversation_direct_or_booking",
            )
        ]

    def __str__(self) -> str:
        if self.booking_id:
            return f"Conversation {self.pk} (booking {self.booking_id})"
        return f"Conversation {self.pk} ({self.direct_key})"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", kwargs={"pk": self.pk})


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_memberships"
    )
    # The newest message this user has seen; null means nothing read yet.
    last_read_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_once_per_conversation"
            )
        ]
        indexes = [models.Index(fields=["user", "conversation"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation_id}"


class MessageQuerySet(models.QuerySet["Message"]):
    def for_display(self) -> "MessageQuerySet":
        return self.select_related("sender").prefetch_related("attachments")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="messages_sent",
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[MessageQuerySet] = MessageQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "id"])]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"


def attachment_upload_to(attachment: "Attachment", filename: str) -> str:
    # The user's file name never reaches storage (it is kept in ``original_name``); the random
    # part makes the stored path unguessable, since some storages serve media publicly.
    extension = posixpath.splitext(filename)[1].lower()[:10]
    return f"messages/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{extension}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    # Detected from the file's bytes, not the browser's claim; sent back on download.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("messaging:attachment", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
