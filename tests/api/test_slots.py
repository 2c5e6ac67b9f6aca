"""/api/v1/associates/{slug}/slots/: a service's free times over a range of days, computed as
the booking page computes them (mylabel.bookings.slots), with the range checked (issue 7 §2)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from mylabel.associates.models import Associate, Service
from mylabel.bookings.slots import available_slots
from tests.api.helpers import assert_error
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day
from tests.profile_factories import AssociateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/associates/marco-riva/slots/"
ROME = ZoneInfo("Europe/Rome")
# A Monday morning in Rome; every test runs at this instant.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service(marco: Associate) -> Service:
    """Marco, in Rome, open 08:00-22:00 every day, with an hour's session (24 h notice, 15
    minutes' buffer, 60 days ahead: the defaults)."""
    marco.user.time_zone = "Europe/Rome"
    marco.user.save(update_fields=["time_zone"])
    open_every_day(marco)
    return make_service(marco)


def booking_page_slots(service: Service, first: date, last: date, tz: ZoneInfo) -> list[dict]:
    """What the booking page offers on each day from ``first`` to ``last``, as the API shows it."""
    associate = Associate.objects.select_related("user").get(pk=service.associate_id)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [
        {
            "start": slot.start.astimezone(tz).isoformat(),
            "end": slot.end.astimezone(tz).isoformat(),
        }
        for day in days
        for slot in available_slots(associate=associate, service=service, day=day, tz=tz)
    ]


def as_utc(response_slots: list[dict]) -> list[tuple[datetime, datetime]]:
    return [
        (datetime.fromisoformat(s["start"]).astimezone(UTC), datetime.fromisoformat(s["end"]))
        for s in response_slots
    ]


def expected(service: Service, first: date, last: date, tz: ZoneInfo) -> list:
    return as_utc(booking_page_slots(service, first, last, tz))


# --- The free times -----------------------------------------------------------------------------


def test_anyone_gets_the_free_times_the_booking_page_offers(api_client: APIClient, service):
    first, last = TODAY, TODAY + timedelta(days=9)
    response = api_client.get(URL, {"service": service.pk, "from": first, "to": last})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Europe/Rome"  # a visitor reads the professional's dates
    assert (body["date_from"], body["date_to"]) == (first.isoformat(), last.isoformat())
    assert as_utc(body["slots"]) == expected(service, first, last, ROME)
    # Today and tomorrow morning are inside the 24 hours' notice; the day after is open.
    starts = [datetime.fromisoformat(s["start"]) for s in body["slots"]]
    assert starts[0] == datetime(2026, 3, 3, 9, 0, tzinfo=ROME)
    assert len([s for s in starts if s.date() == date(2026, 3, 4)]) == 27  # 08:00 … 21:00


def test_a_booked_time_is_not_offered(api_client: APIClient, service, nina):
    start = datetime(2026, 3, 5, 10, 0, tzinfo=ROME)
    book(nina, service, start)
    response = api_client.get(
        URL, {"service": service.pk, "from": "2026-03-05", "to": "2026-03-05"}
    )
    starts = [datetime.fromisoformat(s["start"]) for s in response.json()["slots"]]
    assert start not in starts
    # The buffer keeps the neighbouring half hours free of overlaps too.
    assert datetime(2026, 3, 5, 9, 30, tzinfo=ROME) not in starts
    assert datetime(2026, 3, 5, 8, 30, tzinfo=ROME) in starts
    assert as_utc(response.json()["slots"]) == expected(
        service, date(2026, 3, 5), date(2026, 3, 5), ROME
    )


def test_a_signed_in_viewer_reads_the_dates_in_their_own_time_zone(
    artist_api: APIClient, artist, service
):
    artist.time_zone = "America/New_York"
    artist.save(update_fields=["time_zone"])
    new_york = ZoneInfo("America/New_York")
    response = artist_api.get(
        URL, {"service": service.pk, "from": "2026-03-05", "to": "2026-03-06"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["time_zone"] == "America/New_York"
    assert as_utc(response.json()["slots"]) == expected(
        service, date(2026, 3, 5), date(2026, 3, 6), new_york
    )


def test_a_viewer_zone_that_no_longer_exists_falls_back_to_the_professionals(
    artist_api: APIClient, artist, service
):
    # A zone tzdata has since dropped (the settings form refuses unknown ones).
    type(artist).objects.filter(pk=artist.pk).update(time_zone="Atlantis/Capital")
    response = artist_api.get(URL, {"service": service.pk})
    assert response.json()["time_zone"] == "Europe/Rome"


def test_without_dates_the_week_from_today_is_listed(api_client: APIClient, service):
    body = api_client.get(URL, {"service": service.pk}).json()
    assert (body["date_from"], body["date_to"]) == ("2026-03-02", "2026-03-08")
    assert as_utc(body["slots"]) == expected(service, TODAY, date(2026, 3, 8), ROME)


def test_days_past_the_horizon_have_no_free_times(api_client: APIClient, service):
    first = TODAY + timedelta(days=61)  # the horizon is 60 days
    response = api_client.get(URL, {"service": service.pk, "from": first, "to": first})
    assert response.json()["slots"] == []


@pytest.mark.parametrize("days", [1, 62])
def test_the_same_queries_for_one_day_or_sixty_two(
    api_client: APIClient, service, django_assert_num_queries, days: int
):
    # From the day after tomorrow: today and tomorrow are inside the notice, so cost no query.
    first = TODAY + timedelta(days=2)
    last = first + timedelta(days=days - 1)
    # The profile (with its user, genres, professions), the service, then the calendar's four:
    # weekly rules, date exceptions, bookings, busy times.
    with django_assert_num_queries(8):
        response = api_client.get(URL, {"service": service.pk, "from": first, "to": last})
    assert response.json()["slots"]


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"service": "abc"}, "service"),
        ({"service": "0"}, "service"),
        ({"service": str(2**70)}, "service"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "tomorrow"}, "from"),
        ({"from": "2026-03-01"}, "from"),  # yesterday
        ({"from": "2027-03-03"}, "from"),  # further than any professional's horizon
        ({"to": "2026-03-01"}, "to"),  # before from (today)
        ({"from": "2026-03-02", "to": "2026-05-03"}, "to"),  # 63 days
        ({"to": "9999-12-31"}, "to"),
    ],
)
def test_a_bad_service_or_range_is_a_400_naming_it(
    api_client: APIClient, service, query: dict, field: str
):
    assert_error(api_client.get(URL, {"service": service.pk, **query}), 400, fields=[field])


def test_the_service_is_required(api_client: APIClient, service):
    assert_error(api_client.get(URL), 400, fields=["service"])


def test_a_service_not_bookable_or_of_another_professional_is_refused(
    api_client: APIClient, service, marco
):
    retired = make_service(marco, is_active=False)
    theirs = make_service(AssociateFactory.create())
    for other in (retired, theirs):
        body = assert_error(api_client.get(URL, {"service": other.pk}), 400, fields=["service"])
        assert body["fields"]["service"] == [
            "This professional offers no bookable service with this id."
        ]


def test_an_unknown_or_unlisted_professional_is_404(api_client: APIClient, service):
    hidden = AssociateFactory.create(user__is_active=False)
    assert_error(api_client.get("/api/v1/associates/nobody/slots/", {"service": service.pk}), 404)
    assert_error(api_client.get(f"/api/v1/associates/{hidden.slug}/slots/"), 404)
