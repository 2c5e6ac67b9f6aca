"""Notifications as JSON (the centre's lines)."""

from typing import Any

from rest_framework import serializers

from mylabel.notifications.models import Notification


class ActorSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    """One line of the centre. ``url`` is a path on the site (what the line opens); ``count``
    says how many events the line stands for (e.g. three new messages of one conversation);
    ``actor`` is null for events nobody in particular caused."""

    actor = ActorSerializer(allow_null=True)
    unread = serializers.BooleanField(source="is_unread")

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "title",
            "body",
            "url",
            "actor",
            "count",
            "unread",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class MarkedReadSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many notifications were unread until now.")
