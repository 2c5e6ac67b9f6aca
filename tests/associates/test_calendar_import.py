"""Importing a professional's external iCal calendar as busy times (mylabel.associates.tasks),
against a real HTTP server on 127.0.0.1."""

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mylabel.associates.models import Associate, BusyTime, Service, WeeklyRule
from mylabel.associates.tasks import sync_external_calendar
from mylabel.bookings.slots import available_slots
from tests.htmx import HTMX

ROME = ZoneInfo("Europe/Rome")
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # a Monday morning

WEEKLY_ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Calendar//EN\r
BEGIN:VEVENT\r
UID:weekly-rehearsal@example.com\r
DTSTAMP:20251201T000000Z\r
DTSTART;TZID=Europe/Rome:20260105T100000\r
DTEND;TZID=Europe/Rome:20260105T113000\r
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10\r
SUMMARY:Band rehearsal\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:free@example.com\r
DTSTAMP:20251201T000000Z\r
DTSTART:20260106T090000Z\r
DTEND:20260106T100000Z\r
TRANSP:TRANSPARENT\r
SUMMARY:Reminder, not busy\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:holiday@example.com\r
DTSTAMP:20251201T000000Z\r
DTSTART;VALUE=DATE:20260107\r
DTEND;VALUE=DATE:20260108\r
SUMMARY:Day off\r
END:VEVENT\r
END:VCALENDAR\r
"""

type Handler = Callable[[BaseHTTPRequestHandler], None]


class CalendarServer:
    """A local HTTP server whose answer each test chooses by setting ``handler``."""

    def __init__(self) -> None:
        self.handler: Handler = lambda request: None
        self.release = threading.Event()
        outer = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.handler(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/calendar.ics"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)

    def serve(self, body: bytes, status: int = 200, content_type: str = "text/calendar") -> None:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        self.handler = handler


@pytest.fixture
def calendar_server() -> Iterator[CalendarServer]:
    server = CalendarServer()
    server.thread.start()
    yield server
    server.release.set()
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def _local_fetches_allowed(settings) -> None:
    settings.CALENDAR_FETCH_ALLOW_PRIVATE = True


@pytest.fixture
def pro(marco: Associate, calendar_server: CalendarServer) -> Associate:
    marco.user.time_zone = "Europe/Rome"
    marco.user.save(update_fields=["time_zone"])
    marco.external_calendar_url = calendar_server.url
    marco.buffer_minutes = 0
    marco.notice_amount = 0
    marco.horizon_days = 30
    marco.save()
    return marco


def sync(pro: Associate) -> Associate:
    with time_machine.travel(NOW, tick=False):
        sync_external_calendar.call(pro.pk)
    pro.refresh_from_db()
    return pro


def test_a_weekly_event_becomes_one_busy_time_per_week_within_the_horizon(pro, calendar_server):
    calendar_server.serve(WEEKLY_ICS)

    pro = sync(pro)

    rehearsals = BusyTime.objects.filter(associate=pro, summary="Band rehearsal")
    # Mondays from 5 January: the horizon (30 days) ends before the sixth.
    assert [busy.start for busy in rehearsals] == [
        datetime(2026, 1, 5, 9, 0, tzinfo=UTC) + timedelta(weeks=week) for week in range(5)
    ]
    assert all(busy.end - busy.start == timedelta(minutes=90) for busy in rehearsals)
    assert pro.calendar_synced_at == NOW
    assert pro.calendar_sync_error == ""


def test_an_all_day_event_blocks_the_whole_local_day_and_free_events_block_nothing(
    pro, calendar_server
):
    calendar_server.serve(WEEKLY_ICS)

    pro = sync(pro)

    day_off = BusyTime.objects.get(associate=pro, summary="Day off")
    assert day_off.start == datetime(2026, 1, 7, tzinfo=ROME)
    assert day_off.end == datetime(2026, 1, 8, tzinfo=ROME)
    assert not BusyTime.objects.filter(summary="Reminder, not busy").exists()


def test_imported_busy_times_remove_slots(pro, calendar_server):
    calendar_server.serve(WEEKLY_ICS)
    WeeklyRule.objects.create(associate=pro, weekday=0, start_time=time(9, 0), end_time=time(13, 0))
    service = Service.objects.create(
        associate=pro, name="Session", price=Decimal("50"), duration_minutes=60
    )
    pro = sync(pro)
    monday = date(2026, 1, 12)

    slots = available_slots(
        associate=Associate.objects.select_related("user").get(pk=pro.pk),
        service=service,
        day=monday,
        tz=ROME,
        now=NOW,
    )

    assert [slot.start.astimezone(ROME).strftime("%H:%M") for slot in slots] == [
        "09:00", "11:30", "12:00"
    ]  # fmt: skip


def test_a_sync_replaces_the_previous_busy_times(pro, calendar_server):
    BusyTime.objects.create(
        associate=pro, start=NOW + timedelta(days=3), end=NOW + timedelta(days=3, hours=1)
    )
    calendar_server.serve(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR\r\n"
    )

    pro = sync(pro)

    assert not BusyTime.objects.filter(associate=pro).exists()
    assert pro.calendar_sync_error == ""


def refuses(pro: Associate, message: str) -> None:
    """The sync failed with ``message`` and kept the busy times it had."""
    kept = BusyTime.objects.create(
        associate=pro, start=NOW + timedelta(days=3), end=NOW + timedelta(days=3, hours=1)
    )
    pro = sync(pro)
    assert pro.calendar_sync_error == message
    assert pro.calendar_synced_at is None
    assert list(BusyTime.objects.filter(associate=pro)) == [kept]


def test_a_missing_calendar_is_reported_with_the_servers_status(pro, calendar_server):
    calendar_server.serve(b"Not Found", status=404, content_type="text/plain")

    refuses(pro, "The calendar's server answered with error 404.")


def test_a_page_that_is_not_ical_is_refused(pro, calendar_server):
    calendar_server.serve(b"<html><body>Sign in</body></html>", content_type="text/html")

    refuses(pro, "This address does not serve an iCal calendar.")


def test_broken_ical_is_refused(pro, calendar_server):
    calendar_server.serve(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n")

    refuses(pro, "This address does not serve an iCal calendar.")


def test_a_calendar_larger_than_the_cap_is_refused(pro, calendar_server, settings):
    settings.CALENDAR_FETCH_MAX_BYTES = 1024 * 1024
    calendar_server.serve(WEEKLY_ICS + b" " * (2 * 1024 * 1024))

    refuses(pro, "The calendar is larger than 1 MB.")


# 256 MB in chunks of 64 KB unless the client hangs up first: far more than the kernel's socket
# buffers can take in on the client's behalf (Linux grows a loopback connection's receive buffer
# up to tcp_rmem's maximum, 32 MB here; 4 MB once fitted in whole, and a run failed).
ENDLESS_CHUNKS = 4096


def test_a_huge_body_without_a_length_is_cut_off_while_streaming(pro, calendar_server, settings):
    settings.CALENDAR_FETCH_MAX_BYTES = 256 * 1024
    sent = []

    def endless(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/calendar")
        request.end_headers()
        request.wfile.write(b"BEGIN:VCALENDAR\r\n")
        try:
            for _chunk in range(ENDLESS_CHUNKS):
                request.wfile.write(b"X" * 65536)
                sent.append(1)
        except OSError:
            pass

    calendar_server.handler = endless

    refuses(pro, "The calendar is larger than 0.25 MB.")
    assert len(sent) < ENDLESS_CHUNKS


def test_a_server_that_does_not_answer_in_time_is_given_up(pro, calendar_server, settings):
    settings.CALENDAR_FETCH_TIMEOUT_SECONDS = 0.3

    def stalls(request) -> None:
        calendar_server.release.wait(10)  # released when the test ends

    calendar_server.handler = stalls

    refuses(pro, "The calendar's server did not answer within 0.3 seconds.")


def test_an_unreachable_server_is_reported(pro, calendar_server):
    calendar_server.server.server_close()  # nothing listens on the port any more
    calendar_server.server.shutdown()

    refuses(pro, "The calendar's server could not be reached.")


def test_private_addresses_are_refused_unless_allowed(pro, calendar_server, settings):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE = False
    calendar_server.serve(WEEKLY_ICS)

    refuses(pro, "This calendar address points to a private network.")


def test_a_host_that_does_not_resolve_is_reported(pro, calendar_server, settings):
    settings.CALENDAR_FETCH_ALLOW_PRIVATE = False
    pro.external_calendar_url = "http://example.invalid/calendar.ics"
    pro.save()

    refuses(pro, "The calendar's server could not be found.")


def test_a_redirect_is_followed(pro, calendar_server):
    def redirects(request) -> None:
        if request.path == "/calendar.ics":
            request.send_response(302)
            request.send_header("Location", "/moved.ics")
            request.send_header("Content-Length", "0")
            request.end_headers()
        else:
            request.send_response(200)
            request.send_header("Content-Length", str(len(WEEKLY_ICS)))
            request.end_headers()
            request.wfile.write(WEEKLY_ICS)

    calendar_server.handler = redirects

    pro = sync(pro)

    assert BusyTime.objects.filter(associate=pro, summary="Band rehearsal").count() == 5


def test_the_error_is_written_in_the_owners_language(pro, calendar_server):
    pro.user.language = "it"
    pro.user.save(update_fields=["language"])
    calendar_server.serve(b"nope", status=500, content_type="text/plain")

    pro = sync(pro)

    assert pro.calendar_sync_error  # translated when the Italian catalogue has it
    assert "500" in pro.calendar_sync_error


def test_an_associate_without_a_calendar_is_left_alone(pro):
    pro.external_calendar_url = ""
    pro.save()

    assert sync_external_calendar.call(pro.pk) == 0
    assert sync_external_calendar.call(pro.pk + 1000) == 0


def test_sync_now_on_the_page_imports_the_calendar_and_the_page_shows_when(
    pro, calendar_server, associate_client, django_capture_on_commit_callbacks
):
    calendar_server.serve(WEEKLY_ICS)
    page = f"/associates/{pro.slug}/availability/"

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = associate_client.post(f"{page}calendar/sync/", headers=HTMX)
        html = associate_client.get(page).content.decode()

    assert "Your calendar is being synced." in response.content.decode()
    assert BusyTime.objects.filter(associate=pro, summary="Band rehearsal").count() == 5
    assert "Last synced 5 Jan 2026, 09:00" in html  # shown in Marco's zone


def test_a_failed_sync_from_the_page_shows_the_reason(
    pro, calendar_server, associate_client, django_capture_on_commit_callbacks
):
    calendar_server.serve(b"gone", status=410, content_type="text/plain")
    page = f"/associates/{pro.slug}/availability/"

    with django_capture_on_commit_callbacks(execute=True):
        associate_client.post(f"{page}calendar/sync/")

    html = associate_client.get(page).content.decode()
    assert "The last sync failed:" in html
    assert "error 410" in html
