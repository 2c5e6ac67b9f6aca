"""Calendar integration (issue 4 §6): the iCalendar output, the private feed and its token, the
per-booking .ics download and the feed's settings page."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from mylabel.bookings import feeds
from mylabel.bookings.calendar import booking_event, calendar_for
from mylabel.bookings.models import CalendarFeed, Status
from tests.bookings.calendar_helpers import make_booking, make_service, record_event
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/bookings/calendar/"


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def events_of(content: bytes) -> list[icalendar.Component]:
    return parse(content).walk("VEVENT")


def feed_url(user) -> str:
    return feeds.get_or_create_feed(user=user).get_absolute_url()


# --- The iCalendar output -----------------------------------------------------------------------


def test_a_booking_event_carries_uid_times_in_utc_summary_and_link(nina, marco, associate):
    start = datetime(2026, 12, 14, 9, 30, tzinfo=UTC)
    booking = make_booking(artist=nina, associate=marco, start=start)

    event = events_of(calendar_for([booking], viewer=associate))[0]

    assert str(event["UID"]) == f"booking-{booking.pk}@localhost"
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == start + timedelta(minutes=90)
    # UTC on the wire (…Z), so clients need no VTIMEZONE.
    assert event["DTSTART"].to_ical() == b"20261214T093000Z"
    assert "DTSTAMP" in event
    assert str(event["SUMMARY"]) == "Mixing session with Nina Vale"
    assert f"http://localhost:8000/bookings/{booking.pk}/" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert event["SEQUENCE"] == 0


def test_the_summary_names_the_other_party_for_each_side(nina, marco, artist, associate):
    booking = make_booking(artist=nina, associate=marco)

    assert str(booking_event(booking, viewer=artist)["SUMMARY"]) == "Mixing session with Marco Riva"
    assert str(booking_event(booking, viewer=associate)["SUMMARY"]) == (
        "Mixing session with Nina Vale"
    )
    assert str(booking_event(booking)["SUMMARY"]) == "Mixing session: Nina Vale with Marco Riva"


def test_the_uid_stays_and_the_sequence_bumps_when_the_booking_changes(nina, marco):
    booking = make_booking(artist=nina, associate=marco)
    before = events_of(calendar_for([booking]))[0]

    record_event(booking, to_status=Status.ACCEPTED)
    after = events_of(calendar_for([booking]))[0]

    assert str(after["UID"]) == str(before["UID"])
    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 1
    assert str(after["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize(
    ("status", "ical_status"),
    [
        (Status.REQUESTED, "TENTATIVE"),
        (Status.ACCEPTED, "CONFIRMED"),
        (Status.PAID, "CONFIRMED"),
        (Status.COMPLETED, "CONFIRMED"),
        (Status.DISPUTED, "CONFIRMED"),
        (Status.CANCELLED, "CANCELLED"),
        (Status.DECLINED, "CANCELLED"),
        (Status.EXPIRED, "CANCELLED"),
    ],
)
def test_each_booking_status_maps_to_an_icalendar_status(nina, marco, status, ical_status):
    booking = make_booking(artist=nina, associate=marco, status=status)

    assert str(events_of(calendar_for([booking]))[0]["STATUS"]) == ical_status


def test_a_cancelled_booking_is_cancelled_and_frees_the_time(nina, marco):
    booking = make_booking(artist=nina, associate=marco, status=Status.ACCEPTED)
    record_event(booking, to_status=Status.CANCELLED, note="Ill")

    event = events_of(calendar_for([booking]))[0]

    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_the_calendar_declares_prodid_version_method_and_name(nina, marco):
    booking = make_booking(artist=nina, associate=marco)

    calendar = parse(calendar_for([booking], name="Nina's bookings"))

    assert str(calendar["PRODID"]) == "-//MyLabel//Bookings//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Nina's bookings"


def test_times_stay_in_utc_whatever_the_active_time_zone(nina, marco):
    start = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # the night Europe/Rome moves to CEST
    booking = make_booking(artist=nina, associate=marco, start=start)

    with timezone.override("America/New_York"):
        event = events_of(calendar_for([booking]))[0]

    assert event["DTSTART"].to_ical() == b"20270328T003000Z"
    assert event["DTEND"].to_ical() == b"20270328T020000Z"


# --- The private feed ---------------------------------------------------------------------------


def test_the_feed_lists_bookings_as_artist_and_as_associate_without_logging_in(client, nina, marco):
    # Marco is both: booked by Nina as a professional, and booking Olga as an artist.
    olga = AssociateFactory.create(display_name="Olga Pro")
    marco_as_artist = ArtistFactory.create(user=marco.user, stage_name="Marco the Artist")
    as_associate = make_booking(artist=nina, associate=marco)
    as_artist = make_booking(
        artist=marco_as_artist, associate=olga, start=timezone.now() + timedelta(days=10)
    )
    make_booking(artist=nina, associate=olga, start=timezone.now() + timedelta(days=12))

    response = client.get(feed_url(marco.user))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    uids = {str(event["UID"]) for event in events_of(response.content)}
    assert uids == {f"booking-{as_associate.pk}@localhost", f"booking-{as_artist.pk}@localhost"}


def test_the_feed_starts_30_days_ago_and_leaves_out_declined_and_expired(client, nina, marco):
    now = timezone.now()
    recent = make_booking(
        artist=nina, associate=marco, start=now - timedelta(days=29), status=Status.COMPLETED
    )
    make_booking(artist=nina, associate=marco, start=now - timedelta(days=31))
    cancelled = make_booking(
        artist=nina, associate=marco, start=now + timedelta(days=2), status=Status.CANCELLED
    )
    make_booking(
        artist=nina, associate=marco, start=now + timedelta(days=3), status=Status.DECLINED
    )
    make_booking(artist=nina, associate=marco, start=now + timedelta(days=4), status=Status.EXPIRED)

    events = events_of(client.get(feed_url(nina.user)).content)

    assert [str(event["UID"]) for event in events] == [
        f"booking-{recent.pk}@localhost",
        f"booking-{cancelled.pk}@localhost",
    ]
    assert str(events[1]["STATUS"]) == "CANCELLED"


def test_an_unknown_feed_token_is_not_found(client, artist):
    feeds.get_or_create_feed(user=artist)

    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 500 + ".ics").status_code == 404


def test_the_feed_of_a_deactivated_account_is_not_found(client, artist):
    url = feed_url(artist)
    artist.is_active = False
    artist.save()

    assert client.get(url).status_code == 404


def test_regenerating_the_feed_revokes_the_old_address_at_once(client, artist):
    old_url = feed_url(artist)
    assert client.get(old_url).status_code == 200

    feed = feeds.regenerate_feed(user=artist)

    assert feed.get_absolute_url() != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(feed.get_absolute_url()).status_code == 200


def test_get_or_create_feed_keeps_one_token_per_user(artist):
    first = feeds.get_or_create_feed(user=artist)

    assert feeds.get_or_create_feed(user=artist).token == first.token
    assert CalendarFeed.objects.filter(user=artist).count() == 1


@pytest.mark.parametrize("rows", [1, 25])
def test_the_feed_takes_two_queries_whatever_the_number_of_bookings(
    client, nina, marco, rows, django_assert_num_queries
):
    service = make_service(marco)
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    for index in range(rows):
        make_booking(
            artist=nina, associate=marco, service=service, start=start + timedelta(hours=3 * index)
        )
    url = feed_url(nina.user)

    # The feed with its user, then the bookings with service, artist and associate.
    with django_assert_num_queries(2):
        response = client.get(url)

    assert len(events_of(response.content)) == rows


# --- The per-booking download -------------------------------------------------------------------


def test_both_sides_can_download_the_booking_ics(client, nina, marco, artist, associate):
    booking = make_booking(artist=nina, associate=marco)
    url = reverse("bookings:ics", kwargs={"pk": booking.pk})

    for user in (artist, associate):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="booking-{booking.pk}.ics"'
        )
        assert str(events_of(response.content)[0]["UID"]) == f"booking-{booking.pk}@localhost"


def test_a_stranger_cannot_download_the_booking_ics(stranger_client, nina, marco):
    booking = make_booking(artist=nina, associate=marco)

    response = stranger_client.get(reverse("bookings:ics", kwargs={"pk": booking.pk}))

    assert response.status_code == 404


def test_the_booking_ics_needs_a_log_in(client, nina, marco):
    booking = make_booking(artist=nina, associate=marco)
    url = reverse("bookings:ics", kwargs={"pk": booking.pk})

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_booking_ics_is_not_found(artist_client):
    assert artist_client.get("/bookings/999999/booking.ics").status_code == 404


# --- The settings page --------------------------------------------------------------------------


def test_the_settings_page_creates_the_feed_and_shows_its_address(artist_client, artist):
    response = artist_client.get(SETTINGS_URL)

    feed = CalendarFeed.objects.get(user=artist)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="http://testserver/calendar/{feed.token}.ics"' in html
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in html
    assert '<label for="calendar-feed-url"' in html
    assert "style=" not in html


def test_the_settings_page_needs_a_log_in(client):
    response = client.get(SETTINGS_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={SETTINGS_URL}"


def test_regenerating_from_the_settings_page_replaces_the_address(artist_client, artist):
    old_token = feeds.get_or_create_feed(user=artist).token

    response = artist_client.post(SETTINGS_URL, follow=True)

    new_token = CalendarFeed.objects.get(user=artist).token
    assert new_token != old_token
    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    html = response.content.decode()
    assert new_token in html
    assert old_token not in html
    assert "The old one no longer works." in html
    assert artist_client.get(f"/calendar/{old_token}.ics").status_code == 404


def test_regenerating_with_htmx_answers_with_the_feed_fragment(artist_client, artist):
    old_token = feeds.get_or_create_feed(user=artist).token

    response = artist_client.post(SETTINGS_URL, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="calendar-feed"')
    assert "<html" not in html
    assert old_token not in html
    assert CalendarFeed.objects.get(user=artist).token in html


def test_the_account_settings_page_links_to_the_calendar_page(artist_client):
    response = artist_client.get("/account/settings/")

    assert f'href="{SETTINGS_URL}"' in response.content.decode()


def test_another_users_feed_is_untouched_by_regeneration(artist_client, artist):
    other = UserFactory.create()
    other_token = feeds.get_or_create_feed(user=other).token

    artist_client.post(SETTINGS_URL)

    assert CalendarFeed.objects.get(user=other).token == other_token


def test_a_label_admin_may_download_the_booking_ics_as_they_may_read_the_booking(
    client, nina, marco, label_admin
):
    # get_booking_for is the one getter of bookings: label admins read every booking.
    booking = make_booking(artist=nina, associate=marco)
    client.force_login(label_admin)

    response = client.get(reverse("bookings:ics", kwargs={"pk": booking.pk}))

    assert response.status_code == 200


def test_calendar_clients_may_check_the_feed_with_head(client, artist):
    assert client.head(feed_url(artist)).status_code == 200
    assert client.post(feed_url(artist)).status_code == 405
