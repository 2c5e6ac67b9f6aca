"""Conversations and messages as JSON, and the input of starting a conversation, sending a
message and marking a conversation read.

Input serializers check shapes and types; the body's length, "a body or a file", the files'
kinds, sizes and number and the sending rate are ``messaging.services``' rules.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.models import User
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.messaging.models import Attachment, Conversation, Message

MAX_ID = 2**63 - 1


class PersonSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LastMessageSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    body = serializers.CharField()
    sender_id = serializers.IntegerField(allow_null=True)
    has_attachment = serializers.BooleanField()


class ConversationSerializer(serializers.ModelSerializer[Conversation]):
    """A conversation of yours, as ``Conversation.objects.for_inbox`` loads it: the other
    participants, the last message (null when there is none) and how many are unread.
    ``booking`` is the booking's id for a booking's conversation, null for a direct one."""

    others = serializers.SerializerMethodField()
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.IntegerField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "booking",
            "others",
            "last_message",
            "last_message_at",
            "unread_count",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(many=True))
    def get_others(self, conversation: Conversation) -> list[dict[str, Any]]:
        return [
            {"id": participant.user_id, "name": participant.user.name}
            for participant in conversation.others  # type: ignore[attr-defined]
        ]

    @extend_schema_field(LastMessageSerializer(allow_null=True))
    def get_last_message(self, conversation: Any) -> dict[str, Any] | None:
        if conversation.last_message_id is None:
            return None
        return {
            "id": conversation.last_message_id,
            "body": conversation.last_body,
            "sender_id": conversation.last_sender_id,
            "has_attachment": conversation.last_has_attachment,
        }


class ConversationStartSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """Whom to talk to: exactly one of a listed artist's or professional's profile (by slug),
    or a booking of yours (its conversation, with its other side)."""

    artist = serializers.SlugField(required=False, help_text=gettext_lazy("An artist's slug."))
    associate = serializers.SlugField(
        required=False, help_text=gettext_lazy("A professional's slug.")
    )
    booking = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=gettext_lazy("A booking's id.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            raise serializers.ValidationError(
                _("Give exactly one of artist, associate or booking."), code="one_target"
            )
        return attrs


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where participants download the file (with their token).")
    )

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return reverse("api:attachment-download", kwargs={"pk": attachment.pk})


class MessageSerializer(serializers.ModelSerializer[Message]):
    """A message; ``sender`` is null when the sender's account was deleted."""

    sender = PersonSerializer(allow_null=True)
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "body", "created_at", "attachments"]
        read_only_fields = fields


class MessageSendSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """A message: JSON ``{"body": …}``, or multipart with files under ``attachments``."""

    body = serializers.CharField(
        required=False, default="", allow_blank=True, trim_whitespace=False
    )
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )


class MarkReadSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """Read up to ``message`` (a message of this conversation); the newest when left out."""

    message = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
