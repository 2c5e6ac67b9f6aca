"""Background work of the associates app: importing a professional's external calendar.

``sync_external_calendar`` fetches the iCal URL (http or https only, a time limit, a size cap,
private and loopback addresses refused unless ``CALENDAR_FETCH_ALLOW_PRIVATE``), expands
recurring events over the booking horizon and replaces the associate's busy times with them. A
failure keeps the last good busy times and records a message the owner sees on the availability
page.
"""

import ipaddress
import logging
import socket
import time
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import requests
from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mylabel.associates.availability import (
    BusyPeriod,
    import_busy_times,
    record_calendar_sync_error,
)
from mylabel.associates.models import Associate

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
# A calendar that expands to more events than this over the horizon is refused rather than
# stored: no honest calendar is that busy, and the rows would slow every slot query.
MAX_BUSY_PERIODS = 5000
CHUNK_BYTES = 64 * 1024


class CalendarFetchError(Exception):
    """A sync failure, with a message for the calendar's owner."""


# --- Fetching -----------------------------------------------------------------------------------


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise CalendarFetchError(_("Only http and https calendar addresses can be imported."))
    if settings.CALENDAR_FETCH_ALLOW_PRIVATE:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except (socket.gaierror, UnicodeError):
        raise CalendarFetchError(_("The calendar's server could not be found.")) from None
    # Checked before connecting; requests resolves again, a window a DNS-rebinding attacker would
    # need to win within milliseconds, for a response that is only parsed as iCal, never shown.
    for address in addresses:
        if not ipaddress.ip_address(str(address).split("%")[0]).is_global:
            raise CalendarFetchError(_("This calendar address points to a private network."))


def fetch_calendar(url: str) -> bytes:
    """The body at ``url``, or ``CalendarFetchError`` saying why not. Follows a few redirects,
    each checked like the first address."""
    seconds = settings.CALENDAR_FETCH_TIMEOUT_SECONDS
    max_bytes = settings.CALENDAR_FETCH_MAX_BYTES
    deadline = time.monotonic() + seconds
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "MyLabel calendar sync"}
    too_slow = _("The calendar's server did not answer within %(seconds)s seconds.") % {
        "seconds": f"{seconds:g}"
    }
    too_big = _("The calendar is larger than %(megabytes)s MB.") % {
        "megabytes": f"{max_bytes / (1024 * 1024):g}"
    }
    for _redirect in range(MAX_REDIRECTS + 1):
        _check_address(url)
        try:
            response = requests.get(
                url, headers=headers, timeout=seconds, stream=True, allow_redirects=False
            )
        except requests.Timeout:
            raise CalendarFetchError(too_slow) from None
        except requests.RequestException:
            raise CalendarFetchError(_("The calendar's server could not be reached.")) from None
        with response:
            if response.is_redirect and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise CalendarFetchError(
                    _("The calendar's server answered with error %(status)s.")
                    % {"status": response.status_code}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise CalendarFetchError(too_big)
            body = bytearray()
            try:
                for chunk in response.iter_content(CHUNK_BYTES):
                    body += chunk
                    if len(body) > max_bytes:
                        raise CalendarFetchError(too_big)
                    if time.monotonic() > deadline:
                        raise CalendarFetchError(too_slow)
            except requests.Timeout:
                raise CalendarFetchError(too_slow) from None
            except requests.RequestException:
                raise CalendarFetchError(
                    _("The calendar's server closed the connection too early.")
                ) from None
            return bytes(body)
    raise CalendarFetchError(_("The calendar's address redirects too many times."))


# --- Parsing ------------------------------------------------------------------------------------


def _as_aware(value: date | datetime, tz: ZoneInfo) -> datetime:
    """Event times as aware datetimes: all-day dates start at midnight and floating times are
    read in the calendar owner's zone."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=tz)
    return value


def parse_busy_periods(
    data: bytes, *, tz: ZoneInfo, start: datetime, end: datetime
) -> list[BusyPeriod]:
    """Busy periods of the iCal ``data`` overlapping [start, end), recurrences expanded. Events
    marked free (TRANSP:TRANSPARENT) or cancelled are not busy."""
    not_ical = _("This address does not serve an iCal calendar.")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise CalendarFetchError(not_ical)
    try:
        calendar = icalendar.Calendar.from_ical(data)
        events: list[Any] = []
        for event in recurring_ical_events.of(calendar).between(start, end):
            events.append(event)
            if len(events) > MAX_BUSY_PERIODS:
                raise CalendarFetchError(
                    _("The calendar has more than %(count)s events in the booking horizon.")
                    % {"count": MAX_BUSY_PERIODS}
                )
    except CalendarFetchError:
        raise
    except Exception:
        logger.info("Unreadable iCal data", exc_info=True)
        raise CalendarFetchError(not_ical) from None
    periods = []
    for event in events:
        if event.name != "VEVENT":
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        try:
            event_start, event_end = _as_aware(event.start, tz), _as_aware(event.end, tz)
        except (KeyError, ValueError, TypeError, icalendar.InvalidCalendar):
            continue  # an event without a usable time blocks nothing
        if event_end > event_start:
            periods.append(
                BusyPeriod(
                    start=event_start.astimezone(ZoneInfo("UTC")),
                    end=event_end.astimezone(ZoneInfo("UTC")),
                    summary=str(event.get("SUMMARY", ""))[:200],
                )
            )
    return periods


# --- The task -----------------------------------------------------------------------------------


@task()
def sync_external_calendar(associate_id: int) -> int:
    """Import the associate's external calendar as busy times; returns how many were stored
    (0 after a failure, which is recorded on the associate instead of raised)."""
    associate = Associate.objects.select_related("user").filter(pk=associate_id).first()
    if associate is None or not associate.external_calendar_url:
        return 0
    tz = ZoneInfo(associate.user.time_zone)
    now = timezone.now()
    until = now + timedelta(days=associate.horizon_days + 2)
    with translation.override(associate.user.language):
        try:
            data = fetch_calendar(associate.external_calendar_url)
            periods = parse_busy_periods(data, tz=tz, start=now - timedelta(days=1), end=until)
        except CalendarFetchError as error:
            record_calendar_sync_error(associate=associate, error=str(error))
            return 0
    return import_busy_times(associate=associate, periods=periods, synced_at=now)
