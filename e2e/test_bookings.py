"""The booking journey in a real browser (issue 4, point 11): an artist requests a session with a
professional, who accepts it, confirms the offline payment and completes it; both take the
booking home as an ``.ics`` file."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import Member, check_page
from e2e.people import lisbon_artist, mixing_engineer, open_for_bookings
from mylabel.bookings.models import Booking, Status

SERVICE_NAME = "Mixing session"
MESSAGE = "Three songs, stems ready. Warm, a little tape saturation."

# A property on ``window`` lives exactly as long as the document: if it is still there after an
# action, htmx swapped a fragment in and the browser did not load a new page.
_MARK_DOCUMENT = "() => { window.e2eSameDocument = true; }"
_IS_SAME_DOCUMENT = "() => window.e2eSameDocument === true"

# Toasts fade out over six seconds and check_page waits for every finite animation; once the
# journey has read a toast it fast-forwards the fade instead of sitting through it.
_FINISH_TOAST_FADES = """
() => document.querySelectorAll(".toast--transient")
  .forEach((toast) => toast.getAnimations().forEach((animation) => animation.finish()))
"""


@dataclass(frozen=True)
class Studio:
    """The professional's side of the journey: who logs in and what they sell."""

    member: Member
    slug: str


def mark_document(page: Page) -> None:
    page.evaluate(_MARK_DOCUMENT)


def assert_same_document(page: Page) -> None:
    assert page.evaluate(_IS_SAME_DOCUMENT), "the page was reloaded instead of swapped in place"


def read_toast(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()
    page.evaluate(_FINISH_TOAST_FADES)


def log_in(page: Page, member: Member) -> None:
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("status")).to_contain_text("Successfully signed in")


def log_out(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Log out").click()
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()


def status_heading(page: Page, status: str) -> None:
    expect(page.get_by_role("heading", level=2, name=f"Status: {status}")).to_be_visible()


def download_ics(page: Page) -> icalendar.Event:
    """Download the booking's ``.ics`` through its link, as the viewer would, and return its
    only event."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    download = download_info.value
    assert re.fullmatch(r"booking-\d+\.ics", download.suggested_filename)
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 1, calendar.to_ical()
    event = events[0]
    assert isinstance(event, icalendar.Event)
    return event


def assert_event_matches(event: icalendar.Event, booking: Booking, *, uid: str) -> None:
    assert str(event["UID"]) == uid
    start = event.decoded("DTSTART")
    # Written in UTC (``…Z``): every calendar client reads it without a VTIMEZONE.
    assert start.utcoffset() == timedelta(0)
    assert start == booking.start.astimezone(UTC)
    assert event.decoded("DTEND") == booking.end.astimezone(UTC)


@pytest.fixture
def studio() -> Studio:
    """A mixing engineer with one active service, open from 09:00 to 18:00 every day."""
    associate, member = mixing_engineer()
    open_for_bookings(
        associate,
        service=SERVICE_NAME,
        description="A day's mix of up to three songs, with one round of revisions.",
    )
    return Studio(member=member, slug=associate.slug)


@pytest.fixture
def artist_member() -> Member:
    return lisbon_artist("Nina Vega", "Nina Vega & The Tides")[1]


def test_artist_books_associate_accepts_payment_is_confirmed_and_both_download_the_ics(
    page: Page,
    visitor_page: Page,
    url: Callable[[str], str],
    studio: Studio,
    artist_member: Member,
) -> None:
    # --- The artist asks for a session --------------------------------------------------------
    page.goto(url(f"/accounts/login/?next=/associates/{studio.slug}/"))
    log_in(page, artist_member)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Brandt")
    page.get_by_role("link", name=f"Book “{SERVICE_NAME}”").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Book Lena Brandt")
    expect(page.get_by_label("Service")).to_have_value(re.compile(r"^\d+$"))
    date_input = page.get_by_label("Date")
    # The form opens on the first day with free times; the day after it is open as well.
    first_open_day = date.fromisoformat(date_input.input_value())
    chosen_day = first_open_day + timedelta(days=1)
    slot_list = page.locator("#slot-list")
    expect(slot_list.get_by_role("radio")).not_to_have_count(0)
    check_page(page, "40-booking-form")

    mark_document(page)
    date_input.fill(chosen_day.isoformat())
    day_label = f"{chosen_day:%A} {chosen_day.day} {chosen_day:%B %Y}"
    times = page.get_by_role("group", name=f"Free times on {day_label}")
    expect(times).to_be_visible()
    expect(page).to_have_url(re.compile(rf"date={chosen_day.isoformat()}"))
    assert_same_document(page)
    # Hour-long sessions on a 30-minute grid from 09:00 to 18:00: 09:00, 09:30 … 17:00.
    expect(times.get_by_role("radio")).to_have_count(17)
    first_time = times.get_by_role("radio", name="09:00–10:00")  # noqa: RUF001
    first_time.check()
    chosen_start = datetime.fromisoformat(first_time.get_attribute("value") or "")
    page.get_by_label("Message to the professional").fill(MESSAGE)
    check_page(page, "41-booking-form-time-chosen")
    page.get_by_role("button", name="Send booking request").click()

    expect(page).to_have_url(re.compile(r"/bookings/\d+/$"))
    read_toast(page, "Your request is sent.")
    status_heading(page, "Requested")
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE_NAME)
    booking = Booking.objects.get()
    assert booking.start == chosen_start
    assert booking.message == MESSAGE
    assert page.url == url(booking.get_absolute_url())
    check_page(page, "42-booking-requested-artist")

    # The calendar file already holds the requested time; its UID never changes afterwards.
    requested_event = download_ics(page)
    uid = str(requested_event["UID"])
    assert uid.startswith(f"booking-{booking.pk}@")
    assert_event_matches(requested_event, booking, uid=uid)
    assert str(requested_event["STATUS"]) == "TENTATIVE"
    log_out(page)

    # --- The professional answers, in a browser of their own ----------------------------------
    pro = visitor_page
    pro.goto(url("/accounts/login/?next=/bookings/"))
    log_in(pro, studio.member)
    expect(pro.get_by_role("heading", level=1)).to_have_text("My bookings")
    row = pro.get_by_role("listitem").filter(has_text="Nina Vega & The Tides")
    expect(row).to_contain_text("As professional")
    expect(row).to_contain_text("Requested")
    check_page(pro, "43-bookings-list-professional")
    row.get_by_role("link", name=SERVICE_NAME).click()

    expect(pro).to_have_url(url(booking.get_absolute_url()))
    status_heading(pro, "Requested")
    status_region = pro.get_by_role("region", name=re.compile(r"^Status"))
    expect(status_region.get_by_text(MESSAGE)).to_be_visible()
    check_page(pro, "44-booking-requested-professional")

    actions = pro.get_by_role("region", name="What you can do")
    mark_document(pro)
    actions.get_by_role("button", name="Accept").click()
    read_toast(pro, "Booking accepted.")
    status_heading(pro, "Accepted")
    assert_same_document(pro)

    actions.get_by_role("button", name="I received the payment").click()
    read_toast(pro, "Payment confirmed: the booking is paid.")
    status_heading(pro, "Paid")
    assert_same_document(pro)
    expect(actions.get_by_role("button", name="Mark completed")).to_have_count(0)
    check_page(pro, "45-booking-paid-professional")

    # A session can be marked completed only once it has started, and the browser cannot wait
    # hours for that: the booking is moved to have started an hour ago, as the clock would have.
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    booking.refresh_from_db()
    length = booking.end - booking.start
    buffer = booking.blocked_until - booking.end
    Booking.objects.filter(pk=booking.pk).update(
        start=started, end=started + length, blocked_until=started + length + buffer
    )
    pro.reload()
    mark_document(pro)
    actions.get_by_role("button", name="Mark completed").click()
    read_toast(pro, "Booking completed.")
    status_heading(pro, "Completed")
    assert_same_document(pro)
    history = pro.get_by_role("region", name="History")
    expect(history.get_by_role("listitem")).to_have_count(4)
    check_page(pro, "46-booking-completed-professional")

    booking.refresh_from_db()
    assert booking.status == Status.COMPLETED
    pro_event = download_ics(pro)
    assert_event_matches(pro_event, booking, uid=uid)
    assert str(pro_event["SUMMARY"]) == f"{SERVICE_NAME} with Nina Vega & The Tides"
    # Every change bumped the sequence, so calendars replace their copy.
    assert pro_event.decoded("SEQUENCE") > requested_event.decoded("SEQUENCE")

    # --- The artist comes back to the finished booking ----------------------------------------
    page.goto(url(f"/accounts/login/?next={booking.get_absolute_url()}"))
    log_in(page, artist_member)
    expect(page).to_have_url(url(booking.get_absolute_url()))
    status_heading(page, "Completed")
    check_page(page, "47-booking-completed-artist")
    artist_event = download_ics(page)
    assert_event_matches(artist_event, booking, uid=uid)
    assert str(artist_event["SUMMARY"]) == f"{SERVICE_NAME} with Lena Brandt"
