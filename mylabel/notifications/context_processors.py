"""The bell's unread count for server-rendered pages, so the badge is right without JavaScript
(the socket only keeps it current afterwards)."""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from mylabel.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """``unread_notifications``: a callable the template engine calls when the bell reads it,
    so pages that do not show the bell (fragments, anonymous pages) spend no query, and a page
    that reads it several times counts once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": cache(lambda: unread_count(user))}
