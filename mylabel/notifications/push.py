"""Web Push (issue 6 point 6): browser subscriptions and delivery through the push services.

Configured by ``VAPID_PUBLIC_KEY`` / ``VAPID_PRIVATE_KEY`` (``manage.py vapid_keys`` makes a
pair) and ``VAPID_SUBJECT``; without both keys everything here is a no-op and the opt-in is not
shown. ``services.notify`` calls ``push_after_commit`` for every notification; it checks the
recipient's push preference for the event and enqueues ``tasks.send_web_push`` once the
transaction commits. Delivery encrypts the payload to each subscription's keys (RFC 8291,
aes128gcm) with pywebpush; a 404 or 410 from the push service means the browser dropped the
subscription, so the row is deleted.
"""

import ipaddress
import json
import logging
from email.utils import parseaddr
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from mylabel.accounts.models import User
from mylabel.notifications.models import Channel, PushSubscription

logger = logging.getLogger(__name__)

# Push services keep an undelivered message this long (the browser may be offline); a
# notification older than a day is better read in the centre.
TTL_SECONDS = 24 * 60 * 60
# Payloads must stay under the push services' 4 KB limit once encrypted.
TITLE_CHARS = 120
BODY_CHARS = 300
SEND_TIMEOUT_SECONDS = 10
GONE_STATUSES = frozenset({404, 410})

ENDPOINT_MAX = PushSubscription._meta.get_field("endpoint").max_length or 1000
KEY_MAX = PushSubscription._meta.get_field("p256dh").max_length or 200
AUTH_MAX = PushSubscription._meta.get_field("auth").max_length or 100
USER_AGENT_MAX = PushSubscription._meta.get_field("user_agent").max_length or 300


def is_enabled() -> bool:
    """Whether Web Push is configured (both VAPID keys set)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def vapid_subject() -> str:
    """Who the push services may contact about our traffic: ``VAPID_SUBJECT``, else the
    sender address of the site's e-mails."""
    if settings.VAPID_SUBJECT:
        return str(settings.VAPID_SUBJECT)
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


# --- Subscriptions ------------------------------------------------------------------------------


def _check_endpoint(endpoint: str) -> None:
    # The worker POSTs to this URL, so it must not be a way to reach our own network: only
    # https on a named host (push services are public hosts), never an IP literal or localhost.
    error = ValidationError(
        {"endpoint": _("This browser gave an address that is not a push service.")},
        code="endpoint",
    )
    if not endpoint or len(endpoint) > ENDPOINT_MAX:
        raise error
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https" or not host or "." not in host or host.endswith(".localhost"):
        raise error
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return
    raise error


def _check_key(name: str, value: str, limit: int) -> None:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
    if not value or len(value) > limit or not set(value) <= allowed:
        raise ValidationError(
            {name: _("This browser gave a push key that cannot be used.")}, code="key"
        )


@transaction.atomic
def subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Store (or refresh) a browser's subscription for ``user``. A browser has one
    subscription: subscribing it again under another account moves it to that account, so a
    shared computer never pushes the previous person's notifications.

    Raises ValidationError (keys ``endpoint``, ``p256dh``, ``auth``) when push is not
    configured or the subscription is malformed; nothing changes then."""
    if not is_enabled():
        raise ValidationError(_("Browser push is not available on this site."), code="disabled")
    _check_endpoint(endpoint)
    _check_key("p256dh", p256dh, KEY_MAX)
    _check_key("auth", auth, AUTH_MAX)
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": Truncator(user_agent).chars(USER_AGENT_MAX),
        },
    )
    return subscription


@transaction.atomic
def unsubscribe(*, user: User, endpoint: str) -> bool:
    """Forget ``user``'s subscription at ``endpoint``; whether there was one. Another user's
    subscription is never touched."""
    deleted, _details = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)


# --- Sending ------------------------------------------------------------------------------------


def payload_for(*, title: str, body: str, url: str, tag: str = "") -> dict[str, str]:
    """What the service worker shows: title, text, the path to open, and a ``tag`` under
    which a newer notification replaces an older one (one per conversation)."""
    return {
        "title": Truncator(title).chars(TITLE_CHARS),
        "body": Truncator(body).chars(BODY_CHARS),
        "url": url or "/notifications/",
        "tag": tag,
    }


def push_after_commit(
    *, recipient: User, event: str, title: str, body: str, url: str, tag: str = ""
) -> bool:
    """Enqueue a push of this notification to ``recipient``'s browsers once the current
    transaction commits, if push is configured, they turned it on for ``event`` and they have a
    subscription. Returns whether one was scheduled. Costs no query when push is off."""
    # Both import this module (tasks through services): imported when first used.
    from mylabel.notifications.services import wants
    from mylabel.notifications.tasks import send_web_push

    if not is_enabled() or not recipient.is_active:
        return False
    if not wants(recipient, event, Channel.PUSH):
        return False
    if not PushSubscription.objects.filter(user=recipient).exists():
        return False
    user_id = recipient.pk
    payload = payload_for(title=title, body=body, url=url, tag=tag)
    transaction.on_commit(lambda: send_web_push.enqueue(user_id, payload))
    return True


def deliver_to_user(user_id: int, payload: dict[str, str]) -> int:
    """Send ``payload`` to each of the user's subscriptions; returns how many accepted it."""
    if not is_enabled():
        return 0
    return sum(deliver(subscription, payload) for subscription in _subscriptions(user_id))


def _subscriptions(user_id: int) -> list[PushSubscription]:
    return list(PushSubscription.objects.filter(user_id=user_id))


def deliver(subscription: PushSubscription, payload: dict[str, str]) -> bool:
    """Encrypt ``payload`` to one subscription and hand it to its push service. Never raises:
    a push is a courtesy on top of the notification that is already saved."""
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            # A fresh dict each time: pywebpush writes the audience of this endpoint into it.
            vapid_claims={"sub": vapid_subject()},
            ttl=TTL_SECONDS,
            timeout=SEND_TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE_STATUSES:
            logger.info("Push subscription %s is gone (%s); deleted.", subscription.pk, status)
            subscription.delete()
        else:
            logger.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return False
    except (requests.RequestException, ValueError) as error:
        logger.warning("Push to subscription %s failed: %s", subscription.pk, error)
        return False
    PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return True
