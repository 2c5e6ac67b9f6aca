"""Calendar integration: the private iCal feed (no login: calendar apps cannot log in, the token
is the credential), the per-booking ``.ics`` download and the settings page of the feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from mylabel.accounts.models import User
from mylabel.bookings import feeds
from mylabel.bookings.calendar import calendar_for, feed_bookings
from mylabel.bookings.models import CalendarFeed
from mylabel.bookings.selectors import get_booking_for
from mylabel.core.htmx import render_fragments

ICALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# new_feed_token() makes 43 characters; anything much longer is not worth a query.
MAX_TOKEN_LENGTH = 64


# HEAD too: some calendar clients check the feed with it before fetching.
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed's bookings in two queries, whatever their number."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    user = feed.user
    # The calendar app fetching the feed speaks for its owner: write it in their language.
    with translation.override(user.language):
        content = calendar_for(
            feed_bookings(user),
            viewer=user,
            name=_("MyLabel bookings of %(name)s") % {"name": user.name},
        )
    response = HttpResponse(content, content_type=ICALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="mylabel.ics"'
    # The URL is a secret: keep it out of shared caches and search engines.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    booking = get_booking_for(user, pk)
    content = calendar_for([booking], viewer=user)
    response = HttpResponse(content, content_type=ICALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Shows the private feed URL (creating the feed on the first visit); POST regenerates it."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        feed = feeds.regenerate_feed(user=user)
        messages.success(
            request, _("You have a new calendar address. The old one no longer works.")
        )
        if getattr(request, "htmx", False):
            return render_fragments(
                request,
                "bookings/calendar_settings.html",
                ["calendar-feed"],
                feed_context(request, feed),
            )
        return redirect("bookings:calendar_settings")
    feed = feeds.get_or_create_feed(user=user)
    return render(request, "bookings/calendar_settings.html", feed_context(request, feed))


def feed_context(request: HttpRequest, feed: CalendarFeed) -> dict[str, str]:
    feed_url = request.build_absolute_uri(feed.get_absolute_url())
    return {
        "feed_url": feed_url,
        # webcal:// opens the subscribe dialog of Apple Calendar and Outlook.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }
