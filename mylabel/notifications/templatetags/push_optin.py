"""``{% push_optin %}``: the browser push opt-in of the notification settings page, rendered
only when Web Push is configured (so the preferences view needs no change for it)."""

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from mylabel.notifications import push

register = template.Library()


@register.simple_tag(takes_context=True)
def push_optin(context: template.Context) -> SafeString | str:
    if not push.is_enabled():
        return ""
    request = context.get("request")
    values: dict[str, Any] = {
        "vapid_key": settings.VAPID_PUBLIC_KEY,
        "worker_url": reverse("push-service-worker"),
        "subscribe_url": reverse("notifications:push-subscribe"),
        "unsubscribe_url": reverse("notifications:push-unsubscribe"),
        "csp_nonce": context.get("csp_nonce", ""),
    }
    return render_to_string("notifications/push_optin.html", values, request)
