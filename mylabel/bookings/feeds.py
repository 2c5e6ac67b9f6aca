"""Writes to users' private calendar feeds (``CalendarFeed``). The token is the feed's only
credential: calendar apps fetch the URL without logging in, so regenerating it is how a user
revokes a URL they shared by mistake."""

from django.db import transaction

from mylabel.accounts.models import User
from mylabel.bookings.models import CalendarFeed, new_feed_token


@transaction.atomic
def get_or_create_feed(*, user: User) -> CalendarFeed:
    """The user's feed, created with a fresh token on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def regenerate_feed(*, user: User) -> CalendarFeed:
    """Give the feed a new token: the old URL stops working at once (404)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
