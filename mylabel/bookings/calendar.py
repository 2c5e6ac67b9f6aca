"""iCalendar (RFC 5545) output for bookings: the private feeds, the per-booking download and the
attachment of booking e-mails all come from here, so every copy of a booking agrees.

Times are written in UTC (``…Z``), which every calendar client reads without a VTIMEZONE. The
UID never changes for a booking and SEQUENCE follows ``Booking.ical_sequence``, so a client
replaces its copy when the booking changes instead of adding a second event.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking, Status

PRODID = "-//MyLabel//Bookings//EN"

ICAL_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.ACCEPTED: "CONFIRMED",
    Status.PAID: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.DISPUTED: "CONFIRMED",
    Status.DECLINED: "CANCELLED",
    Status.CANCELLED: "CANCELLED",
    Status.EXPIRED: "CANCELLED",
}


def booking_uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "mylabel.example"
    return f"booking-{booking.pk}@{host}"


def booking_url(booking: Booking) -> str:
    return f"{settings.SITE_URL}{booking.get_absolute_url()}"


def _summary(booking: Booking, viewer: User | None) -> str:
    """The service and the party the viewer meets; both parties without a viewer."""
    artist, associate = booking.artist.stage_name, booking.associate.display_name
    if viewer is not None and viewer.pk == booking.associate.user_id:
        return _("%(service)s with %(name)s") % {"service": booking.service.name, "name": artist}
    if viewer is not None and viewer.pk == booking.artist.user_id:
        return _("%(service)s with %(name)s") % {
            "service": booking.service.name,
            "name": associate,
        }
    return _("%(service)s: %(artist)s with %(associate)s") % {
        "service": booking.service.name,
        "artist": artist,
        "associate": associate,
    }


def booking_event(booking: Booking, *, viewer: User | None = None) -> icalendar.Event:
    """The VEVENT of ``booking``; ``viewer`` (one of its two sides) names the other party in
    the summary. Needs ``service``, ``artist`` and ``associate`` loaded (``for_list()``)."""
    event = icalendar.Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("last-modified", booking.updated_at.astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", booking.end.astimezone(UTC))
    event.add("summary", _summary(booking, viewer))
    description = _("Booking status: %(status)s\n%(url)s") % {
        "status": booking.get_status_display(),
        "url": booking_url(booking),
    }
    if booking.message:
        description = f"{booking.message}\n\n{description}"
    event.add("description", description)
    event.add("url", booking_url(booking))
    status = ICAL_STATUS[Status(booking.status)]
    event.add("status", status)
    event.add("sequence", booking.ical_sequence)
    # A cancelled booking no longer holds the time in free/busy look-ups.
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    return event


def calendar_for(
    bookings: Iterable[Booking],
    *,
    viewer: User | None = None,
    name: str = "",
    method: str = "PUBLISH",
) -> bytes:
    """A VCALENDAR of ``bookings``, serialised (CRLF line ends, folded lines)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name or _("MyLabel bookings"))
    for booking in bookings:
        calendar.add_component(booking_event(booking, viewer=viewer))
    return calendar.to_ical()


# How far back a feed reaches: recent past sessions stay visible, old ones drop off.
FEED_PAST_DAYS = 30


def feed_bookings(user: User) -> list[Booking]:
    """The bookings of ``user``'s feed, as artist and as associate, from ``FEED_PAST_DAYS``
    ago on, in one query. Declined and expired requests never held a place in a calendar;
    cancelled ones stay, marked CANCELLED, so subscribed calendars remove their copy."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return list(
        Booking.objects.involving(user)
        .filter(start__gte=since)
        .exclude(status__in=[Status.DECLINED, Status.EXPIRED])
        .select_related("service", "artist", "associate")
        .order_by("start", "pk")
    )
