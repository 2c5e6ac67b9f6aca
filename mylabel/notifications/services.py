"""Writes of the notification centre (CONVENTIONS.md "Layers"): creating a notification,
marking read, and saving preferences. Every change that the bell shows is pushed to the user's
open pages after the commit (``live.push_after_commit``).

Callers are the tasks in ``in_app.py`` (domain events), the centre's views and the consumer;
nothing else writes these models.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.notifications import live, push
from mylabel.notifications.models import Channel, Event, Notification, Preference
from mylabel.notifications.preferences import default_for

TITLE_MAX = Notification._meta.get_field("title").max_length or 200
BODY_MAX = Notification._meta.get_field("body").max_length or 2000


def wants(user: User, event: str, channel: str) -> bool:
    """Whether ``user`` wants to hear about ``event`` on ``channel``: their stored choice, else
    the default of ``preferences.DEFAULTS``. One query."""
    stored = (
        Preference.objects.filter(user_id=user.pk, event=event, channel=channel)
        .values_list("enabled", flat=True)
        .first()
    )
    return default_for(event, channel) if stored is None else stored


def _check_url(url: str) -> None:
    # Notifications are rendered as links: only paths on this site, never another host
    # ("//evil.example") or a script URL.
    if url and not (url.startswith("/") and not url.startswith("//")):
        raise ValueError(f"A notification links to a path on this site, not {url!r}.")


@transaction.atomic
def notify(
    *,
    recipient: User,
    event: str,
    title: str,
    url: str,
    actor: User | None = None,
    body: str = "",
    thread_key: str = "",
) -> Notification | None:
    """Put a notification in ``recipient``'s centre, unless they turned ``event`` off in the app
    (then ``None``). ``url`` is a path on this site.

    With ``thread_key`` (e.g. ``conversation:<id>``) an unread notification of the same thread
    is updated instead (its ``count`` grows and it moves to the top), so a busy conversation is
    one line, not fifty. The update/create race is settled by the partial unique constraint.
    """
    _check_url(url)
    # Web Push follows its own preference, whatever the in-app one says (helper N2's push.py).
    push.push_after_commit(
        recipient=recipient, event=event, title=title, body=body, url=url, tag=thread_key
    )
    if not recipient.is_active or not wants(recipient, event, Channel.IN_APP):
        return None
    fields = {
        "event": event,
        "title": Truncator(title).chars(TITLE_MAX),
        "body": Truncator(body).chars(BODY_MAX),
        "url": url,
        "actor": actor,
    }
    notification: Notification | None = None
    if thread_key:
        notification = _bump_unread(recipient, thread_key, fields)
    created = notification is None
    if notification is None:
        try:
            with transaction.atomic():  # a savepoint: the race below must not doom the caller
                notification = Notification.objects.create(
                    recipient=recipient, thread_key=thread_key, **fields
                )
        except IntegrityError:
            # Another worker created the thread's unread line between our read and our insert.
            notification = _bump_unread(recipient, thread_key, fields)
            created = False
            if notification is None:
                raise
    live.push_after_commit(recipient.pk, notification_id=notification.pk, created=created)
    return notification


def _bump_unread(recipient: User, thread_key: str, fields: dict) -> Notification | None:
    """Fold one more event into the unread line of ``thread_key``; ``None`` when there is none."""
    notification = (
        Notification.objects.select_for_update()
        .filter(recipient=recipient, thread_key=thread_key, read_at__isnull=True)
        .first()
    )
    if notification is None:
        return None
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.count += 1
    notification.created_at = timezone.now()  # newest activity first in the centre
    notification.save()
    return notification


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of ``user``'s notifications read (idempotent). Someone else's: PermissionDenied
    (views get it through ``selectors.get_notification_for``, which 404s first)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
        if changed:
            live.push_after_commit(user.pk)
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        live.push_after_commit(user.pk)
    return changed


@transaction.atomic
def mark_thread_read(*, user: User, thread_key: str) -> int:
    """Mark ``user``'s unread line of ``thread_key`` read (they read the conversation)."""
    if not thread_key:
        return 0
    changed = Notification.objects.filter(
        recipient=user, thread_key=thread_key, read_at__isnull=True
    ).update(read_at=timezone.now())
    if changed:
        live.push_after_commit(user.pk)
    return changed


@transaction.atomic
def set_preferences(*, user: User, choices: Mapping[tuple[str, str], bool]) -> None:
    """Save ``user``'s choices for the given ``(event, channel)`` pairs; pairs not given keep
    their current setting. Only choices that differ from the defaults are stored.

    Raises ValidationError for an unknown event or channel, and changes nothing then.
    """
    for event, channel in choices:
        if event not in Event.values or channel not in Channel.values:
            raise ValidationError(
                _("There is no notification setting for %(event)s by %(channel)s."),
                params={"event": event, "channel": channel},
            )
    for (event, channel), enabled in choices.items():
        if enabled == default_for(event, channel):
            Preference.objects.filter(user=user, event=event, channel=channel).delete()
        else:
            Preference.objects.update_or_create(
                user=user, event=event, channel=channel, defaults={"enabled": enabled}
            )
