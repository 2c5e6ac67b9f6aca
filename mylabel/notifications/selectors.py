"""Reads of the notification centre: one permission-checked getter, the list, the unread
count and the preference grid."""

from dataclasses import dataclass

from django.http import Http404

from mylabel.accounts.models import User
from mylabel.notifications.models import (
    Channel,
    Event,
    Notification,
    NotificationQuerySet,
    Preference,
)
from mylabel.notifications.preferences import default_for


def get_notification_for(user: User, pk: int) -> Notification:
    """``user``'s notification ``pk``; 404 for anyone else's (no hint that it exists)."""
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


def notifications_for_list(user: User) -> NotificationQuerySet:
    return Notification.objects.for_user(user).for_list()


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread (one query on a partial index)."""
    return Notification.objects.for_user(user).unread().count()


@dataclass(frozen=True)
class PreferenceRow:
    event: Event
    cells: list[tuple[Channel, bool]]  # every channel, in Channel order


def preference_grid(user: User) -> list[PreferenceRow]:
    """Every event and channel with ``user``'s effective setting (stored choice or default).
    One query."""
    stored = {
        (event, channel): enabled
        for event, channel, enabled in Preference.objects.filter(user_id=user.pk).values_list(
            "event", "channel", "enabled"
        )
    }
    return [
        PreferenceRow(
            event=event,
            cells=[
                (channel, stored.get((event.value, channel.value), default_for(event, channel)))
                for channel in Channel
            ],
        )
        for event in Event
    ]
