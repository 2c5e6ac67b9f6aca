"""The booking pages (issue 4, points 3 and 4): the booking form with its htmx slot list, the
list of my bookings and one booking with the actions its viewer may take."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, DateException
from mylabel.bookings.models import Booking, Status
from mylabel.payments.models import Payment
from tests.bookings.lifecycle_helpers import (
    book,
    booking_in,
    local_start,
    make_service,
    open_every_day,
)
from tests.factories import UserFactory
from tests.htmx import HTMX
from tests.profile_factories import ArtistFactory, AssociateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_buffer(marco: Associate) -> None:
    """Back-to-back hourly bookings, for lists of many rows."""
    Associate.objects.filter(pk=marco.pk).update(buffer_minutes=0)


def book_url(associate: Associate) -> str:
    return reverse("bookings:book", kwargs={"slug": associate.slug})


def action_url(booking: Booking, action: str) -> str:
    return reverse("bookings:transition", kwargs={"pk": booking.pk, "action": action})


def day_of(start, zone: str) -> str:
    return start.astimezone(ZoneInfo(zone)).date().isoformat()


# --- The booking form ---------------------------------------------------------------------------


def test_the_form_lists_active_services_only(artist_client: Client, marco: Associate, service):
    make_service(marco, name="Retired mastering", is_active=False)
    response = artist_client.get(book_url(marco))
    assertContains(response, "Mixing session")
    assertNotContains(response, "Retired mastering")
    assertContains(response, 'hx-target="#slot-list"')


def test_choosing_a_day_lists_its_free_times(artist_client: Client, marco: Associate, service):
    start = local_start(marco)
    query = {"service": service.pk, "date": day_of(start, "Europe/Rome")}
    response = artist_client.get(book_url(marco), query)
    assertContains(response, "10:00–11:00")  # noqa: RUF001
    assertContains(response, f'value="{start.isoformat()}"')
    assertContains(response, "<html", count=1)


def test_htmx_gets_only_the_slot_list(artist_client: Client, marco: Associate, service):
    start = local_start(marco)
    query = {"service": service.pk, "date": day_of(start, "Europe/Rome")}
    response = artist_client.get(book_url(marco), query, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="slot-list"')
    assert "<html" not in html
    assert "10:00–11:00" in html  # noqa: RUF001


def test_slots_are_shown_in_the_viewers_time_zone(
    client: Client, artist: User, marco: Associate, service
):
    artist.time_zone = "America/New_York"
    artist.save()
    client.force_login(artist)
    start = local_start(marco)  # 10:00 in Rome: 04:00 in New York
    response = client.get(
        book_url(marco), {"service": service.pk, "date": day_of(start, "America/New_York")}
    )
    local = start.astimezone(ZoneInfo("America/New_York"))
    assertContains(response, f"{local:%H:%M}–")  # noqa: RUF001
    assertContains(response, "America/New_York")
    assertContains(response, f'value="{start.isoformat()}"')


def test_visitors_see_the_times_in_the_professionals_zone_and_are_asked_to_log_in(
    client: Client, marco: Associate, service
):
    start = local_start(marco)
    response = client.get(
        book_url(marco), {"service": service.pk, "date": day_of(start, "Europe/Rome")}
    )
    assertContains(response, "10:00–11:00")  # noqa: RUF001
    assertContains(response, "Log in to book")


def test_a_booked_time_is_no_longer_offered(artist_client: Client, nina, marco: Associate, service):
    taken = book(ArtistFactory.create(), service)
    response = artist_client.get(
        book_url(marco), {"service": service.pk, "date": day_of(taken.start, "Europe/Rome")}
    )
    assertNotContains(response, f'value="{taken.start.isoformat()}"')
    assertContains(response, "12:00–13:00")  # noqa: RUF001


@pytest.mark.parametrize(
    "query",
    [
        {"service": "nope", "date": "2026-02-30"},
        {"service": "999999", "date": "yesterday"},
        {"date": "1900-01-01"},
    ],
)
def test_nonsense_in_the_query_shows_no_times_rather_than_failing(
    artist_client: Client, marco: Associate, service, query
):
    response = artist_client.get(book_url(marco), query)
    assert response.status_code == 200


def test_another_professionals_service_is_not_accepted(
    artist_client: Client, marco: Associate, service
):
    other = AssociateFactory.create()
    foreign = make_service(other, name="Someone else's")
    response = artist_client.get(
        book_url(marco), {"service": str(foreign.pk), "date": "2030-01-01"}
    )
    assertContains(response, "Select a valid choice")


def test_posting_a_free_time_sends_the_request(
    artist_client: Client, nina: Artist, marco: Associate, service
):
    start = local_start(marco)
    response = artist_client.post(
        book_url(marco),
        {
            "service": service.pk,
            "date": day_of(start, "Europe/Rome"),
            "start": start.isoformat(),
            "message": "Two songs, soul",
        },
    )
    booking = Booking.objects.get()
    assertRedirects(response, booking.get_absolute_url())
    assert (booking.artist, booking.service, booking.start, booking.message) == (
        nina,
        service,
        start,
        "Two songs, soul",
    )


def test_tampered_price_and_status_are_ignored(artist_client: Client, marco: Associate, service):
    start = local_start(marco)
    artist_client.post(
        book_url(marco),
        {
            "service": service.pk,
            "date": day_of(start, "Europe/Rome"),
            "start": start.isoformat(),
            "price": "0.01",
            "currency": "XXX",
            "status": "paid",
            "deposit_percent": "0",
        },
    )
    booking = Booking.objects.get()
    assert (booking.price, booking.currency, booking.status) == (
        Decimal("200.00"),
        "EUR",
        Status.REQUESTED,
    )


def test_a_taken_time_is_refused_with_a_clear_message(
    artist_client: Client, marco: Associate, service
):
    taken = book(ArtistFactory.create(), service)
    response = artist_client.post(
        book_url(marco),
        {
            "service": service.pk,
            "date": day_of(taken.start, "Europe/Rome"),
            "start": taken.start.isoformat(),
        },
    )
    assert response.status_code == 200
    assertContains(response, "already booked")
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("", "Choose one of the free times."),
        ("not-a-time", "Choose one of the free times."),
        ("2030-01-01T10:00:00", "Choose one of the free times."),  # naive
        ("2001-01-01T10:00:00+00:00", "in the past"),
    ],
)
def test_a_bad_time_is_refused_with_a_clear_message(
    artist_client: Client, marco: Associate, service, start, message
):
    response = artist_client.post(
        book_url(marco), {"service": service.pk, "date": "2030-01-01", "start": start}
    )
    assert response.status_code == 200
    assertContains(response, message)
    assert not Booking.objects.exists()


def test_a_professional_cannot_book_their_own_profile(
    associate_client: Client, marco: Associate, service
):
    ArtistFactory.create(user=marco.user)
    start = local_start(marco)
    response = associate_client.post(
        book_url(marco),
        {"service": service.pk, "date": day_of(start, "Europe/Rome"), "start": start.isoformat()},
    )
    assertContains(response, "cannot book yourself")
    assert not Booking.objects.exists()


def test_a_user_without_an_artist_profile_is_told_to_make_one(
    stranger_client: Client, marco: Associate, service
):
    start = local_start(marco)
    assertContains(stranger_client.get(book_url(marco)), "You need an artist profile")
    response = stranger_client.post(
        book_url(marco),
        {"service": service.pk, "date": day_of(start, "Europe/Rome"), "start": start.isoformat()},
    )
    assertContains(response, "You need an artist profile")
    assert not Booking.objects.exists()


def test_a_visitor_posting_is_sent_to_log_in(client: Client, marco: Associate, service):
    response = client.post(book_url(marco), {"service": service.pk})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Booking.objects.exists()


def test_an_unknown_professional_has_no_booking_form(artist_client: Client):
    assert artist_client.get("/associates/nobody-here/book/").status_code == 404


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_my_bookings_on_both_sides(client: Client, nina: Artist, service):
    user = nina.user
    own_associate = AssociateFactory.create(user=user)
    open_every_day(own_associate)
    mine_as_professional = book(
        ArtistFactory.create(stage_name="Oskar Lind"),
        make_service(own_associate, name="Vocal coaching"),
    )
    mine_as_artist = book(nina, service)
    someone_elses = book(
        ArtistFactory.create(), service, start=local_start(service.associate, hour=15)
    )
    client.force_login(user)

    response = client.get(reverse("bookings:list"))

    assertContains(response, mine_as_artist.get_absolute_url())
    assertContains(response, mine_as_professional.get_absolute_url())
    assertNotContains(response, someone_elses.get_absolute_url())
    assertContains(response, "for Oskar Lind")
    assertContains(response, "with Marco Riva")

    as_artist = client.get(reverse("bookings:list"), {"role": "artist"})
    assertContains(as_artist, mine_as_artist.get_absolute_url())
    assertNotContains(as_artist, mine_as_professional.get_absolute_url())
    as_professional = client.get(reverse("bookings:list"), {"role": "professional"})
    assertNotContains(as_professional, mine_as_artist.get_absolute_url())
    assertContains(as_professional, mine_as_professional.get_absolute_url())


def test_the_list_filters_by_status_and_htmx_gets_the_list_only(
    artist_client: Client, nina: Artist, service
):
    requested = book(nina, service)
    declined = booking_in(
        Status.DECLINED, nina, service, start=local_start(service.associate, hour=15)
    )

    response = artist_client.get(reverse("bookings:list"), {"status": "declined"}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="booking-list"')
    assert declined.get_absolute_url() in html
    assert requested.get_absolute_url() not in html


def test_bad_filters_fall_back_to_all_bookings(artist_client: Client, nina: Artist, service):
    booking = book(nina, service)
    response = artist_client.get(
        reverse("bookings:list"), {"status": "bogus", "role": "x", "page": "zz"}
    )
    assertContains(response, booking.get_absolute_url())


def test_the_list_needs_a_login(client: Client):
    response = client.get(reverse("bookings:list"))
    assert response.status_code == 302


def test_the_list_is_paginated(artist_client: Client, nina: Artist, service, no_buffer):
    for hour in range(8, 21):
        for days in (3, 4):
            book(nina, service, start=local_start(service.associate, days=days, hour=hour))
    assert Booking.objects.count() == 26
    first = artist_client.get(reverse("bookings:list"))
    assertContains(first, "26 bookings")
    assertContains(first, 'class="booking-row card"', count=20)
    second = artist_client.get(reverse("bookings:list"), {"page": 2})
    assertContains(second, 'class="booking-row card"', count=6)


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    artist_client: Client, nina: Artist, service, no_buffer, rows, django_assert_num_queries
):
    for hour in range(8, 8 + rows):
        booking_in(Status.ACCEPTED, nina, service, start=local_start(service.associate, hour=hour))
    # session, user, the menu's two permission reads (is_label_admin), the bell's unread count,
    # count, and the rows with the service and both profiles joined
    with django_assert_num_queries(7):
        response = artist_client.get(reverse("bookings:list"), {"status": "accepted"})
    assertContains(response, 'class="booking-row card"', count=rows)


def test_the_lists_rows_join_only_what_a_row_shows(artist_client: Client, nina: Artist, service):
    """Each joined table costs PostgreSQL planning time on every request (the users and the
    payment took the list's query from 0.8 to 5.3 ms): a row needs the service and the two
    profiles only."""
    booking_in(Status.ACCEPTED, nina, service)
    with CaptureQueriesContext(connection) as queries:
        response = artist_client.get(reverse("bookings:list"))
    assertContains(response, 'class="booking-row card"', count=1)
    (rows,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "bookings_booking"."id"')
    ]
    joined = set(re.findall(r'JOIN "(\w+)"', rows))
    assert joined == {"artists_artist", "associates_associate", "associates_service"}


# --- One booking --------------------------------------------------------------------------------


def test_the_detail_shows_times_in_the_viewers_zone_with_price_and_policy(
    client: Client, artist: User, nina: Artist, service
):
    artist.time_zone = "Asia/Tokyo"
    artist.save()
    service.deposit_percent = 20
    service.save()
    booking = book(nina, service, message="Bring the stems")
    client.force_login(artist)

    response = client.get(booking.get_absolute_url())

    local = booking.start.astimezone(ZoneInfo("Asia/Tokyo"))
    assertContains(response, f"{local:%H:%M}")
    assertContains(response, "Asia/Tokyo")
    assertContains(response, "200.00 EUR")
    assertContains(response, "20% (40.00 EUR)")
    assertContains(response, "Full refund if cancelled by")
    assertContains(response, "Bring the stems")
    assertContains(response, "Requested")
    assertContains(response, reverse("bookings:ics", kwargs={"pk": booking.pk}))


def test_strangers_get_a_404(stranger_client: Client, nina: Artist, service):
    booking = book(nina, service)
    assert stranger_client.get(booking.get_absolute_url()).status_code == 404
    assert (
        stranger_client.post(action_url(booking, "cancel"), {"cancel-reason": "x"}).status_code
        == 404
    )
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_an_unknown_action_is_a_404(associate_client: Client, nina: Artist, service):
    booking = book(nina, service)
    assert associate_client.post(action_url(booking, "teleport")).status_code == 404


def test_a_label_admin_can_read_any_booking(
    client: Client, label_admin: User, nina: Artist, service
):
    booking = book(nina, service)
    client.force_login(label_admin)
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "Nothing to do here right now.")


def test_the_professional_is_offered_accept_and_decline_and_the_artist_cancel(
    client: Client, nina: Artist, marco: Associate, service
):
    booking = book(nina, service)
    client.force_login(marco.user)
    response = client.get(booking.get_absolute_url())
    assertContains(response, action_url(booking, "accept"))
    assertContains(response, action_url(booking, "decline"))
    client.force_login(nina.user)
    response = client.get(booking.get_absolute_url())
    assertNotContains(response, action_url(booking, "accept"))
    assertContains(response, action_url(booking, "cancel"))


def test_accepting_with_htmx_swaps_the_actions_status_and_history(
    associate_client: Client, nina: Artist, service, django_capture_on_commit_callbacks
):
    booking = book(nina, service)
    with django_capture_on_commit_callbacks(execute=True):
        response = associate_client.post(action_url(booking, "accept"), headers=HTMX)

    booking.refresh_from_db()
    assert booking.status == Status.ACCEPTED
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="booking-actions"')
    assert '<section id="booking-status" class="card booking-status"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'id="booking-history"' in html
    assert "Booking accepted" in html  # the toast
    assert action_url(booking, "confirm-payment") in html


def test_accepting_without_javascript_redirects_to_the_booking(
    associate_client: Client, nina: Artist, service
):
    booking = book(nina, service)
    response = associate_client.post(action_url(booking, "accept"))
    assertRedirects(response, booking.get_absolute_url())
    booking.refresh_from_db()
    assert booking.status == Status.ACCEPTED


def test_the_artist_posting_accept_is_refused_with_a_clear_message(
    artist_client: Client, nina: Artist, service
):
    booking = book(nina, service)
    response = artist_client.post(action_url(booking, "accept"), headers=HTMX)
    assert response.status_code == 200
    assertContains(response, "Only the professional can answer a booking request.")
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_accepting_twice_is_refused_with_a_clear_message(
    associate_client: Client, nina: Artist, service
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    response = associate_client.post(action_url(booking, "accept"), follow=True)
    assertContains(response, "no longer a request")
    assert Payment.objects.count() == 1


def test_the_artist_sees_the_pay_link_of_a_stripe_payment(
    artist_client: Client, nina: Artist, service
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    assert booking.payment is not None
    Payment.objects.filter(pk=booking.payment.pk).update(
        gateway="stripe", checkout_url="https://checkout.stripe.com/c/pay/cs_test_1"
    )
    response = artist_client.get(booking.get_absolute_url())
    assertContains(response, 'href="https://checkout.stripe.com/c/pay/cs_test_1"')


def test_the_professional_confirms_an_offline_payment_and_the_booking_is_paid(
    associate_client: Client, nina: Artist, service, django_capture_on_commit_callbacks
):
    booking = booking_in(Status.ACCEPTED, nina, service)
    page = associate_client.get(booking.get_absolute_url())
    assertContains(page, "I received the payment")

    with django_capture_on_commit_callbacks(execute=True):
        response = associate_client.post(action_url(booking, "confirm-payment"), headers=HTMX)

    booking.refresh_from_db()
    assert booking.status == Status.PAID
    assert booking.payment is not None
    assert booking.payment.status == Payment.Status.SUCCEEDED
    assertContains(response, "Paid")


def test_cancelling_needs_a_reason(artist_client: Client, nina: Artist, service):
    booking = book(nina, service)
    response = artist_client.post(
        action_url(booking, "cancel"), {"cancel-reason": ""}, headers=HTMX
    )
    assertContains(response, "This field is required.")
    assertContains(response, '<details class="booking-action" open>')
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_the_artist_cancels_with_a_reason(artist_client: Client, nina: Artist, service):
    booking = book(nina, service)
    response = artist_client.post(
        action_url(booking, "cancel"), {"cancel-reason": "Song not ready"}, follow=True
    )
    assertContains(response, "Booking cancelled.")
    assertContains(response, "Song not ready")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_completing_a_requested_booking_is_refused(associate_client: Client, nina: Artist, service):
    booking = book(nina, service)
    response = associate_client.post(action_url(booking, "complete"), headers=HTMX)
    assertContains(response, "only a paid booking can be completed")
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_a_completed_booking_offers_a_dispute_and_a_label_admin_resolves_it(
    client: Client, nina: Artist, service, label_admin: User
):
    booking = booking_in(Status.COMPLETED, nina, service)
    client.force_login(nina.user)
    client.post(action_url(booking, "dispute"), {"dispute-reason": "Mix never delivered"})
    booking.refresh_from_db()
    assert booking.status == Status.DISPUTED

    client.force_login(label_admin)
    assertContains(client.get(booking.get_absolute_url()), action_url(booking, "resolve"))
    response = client.post(
        action_url(booking, "resolve"),
        {"resolve-outcome": "cancelled", "resolve-note": "Refund agreed"},
        headers=HTMX,
    )
    assertContains(response, "Dispute resolved.")
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert booking.payment is not None
    assert booking.payment.refunded_amount == Decimal("200.00")


def test_a_tampered_resolve_outcome_is_refused(
    client: Client, nina: Artist, service, label_admin: User
):
    booking = booking_in(Status.DISPUTED, nina, service)
    client.force_login(label_admin)
    response = client.post(
        action_url(booking, "resolve"),
        {"resolve-outcome": "paid", "resolve-note": "x"},
        headers=HTMX,
    )
    assertContains(response, "Select a valid choice")
    booking.refresh_from_db()
    assert booking.status == Status.DISPUTED


def test_the_booking_pages_need_get_or_post_as_designed(artist_client: Client, nina, service):
    booking = book(nina, service)
    assert artist_client.get(action_url(booking, "cancel")).status_code == 405
    assert artist_client.post(booking.get_absolute_url()).status_code == 405


def test_a_user_with_both_profiles_sees_both_sides(client: Client, nina: Artist, service):
    other_user = UserFactory.create()
    booking = book(nina, service)
    client.force_login(other_user)
    assert client.get(booking.get_absolute_url()).status_code == 404
    assert timezone.now() < booking.start + timedelta(days=1)


def test_a_label_admin_lists_every_dispute(
    client: Client, label_admin: User, nina: Artist, service
):
    disputed = booking_in(Status.DISPUTED, nina, service)
    paid = booking_in(Status.PAID, nina, service, start=local_start(service.associate, hour=15))
    client.force_login(label_admin)

    response = client.get(reverse("bookings:list"), {"role": "disputes"})

    assertContains(response, disputed.get_absolute_url())
    assertNotContains(response, paid.get_absolute_url())
    assertContains(response, "Nina Vale with Marco Riva")


def test_only_label_admins_can_list_disputes(artist_client: Client, nina: Artist, service):
    disputed = booking_in(Status.DISPUTED, nina, service)
    response = artist_client.get(reverse("bookings:list"), {"role": "disputes"})
    assertNotContains(response, "Disputes to resolve")
    # An unknown role falls back to the user's own bookings.
    assertContains(response, disputed.get_absolute_url())


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "Choose a date until"),
        ("0001-01-01", "Choose today or a later date."),
        ("2020-01-01", "Choose today or a later date."),
    ],
)
def test_a_date_out_of_range_says_so(
    artist_client: Client, marco: Associate, service, day, message
):
    response = artist_client.get(
        book_url(marco), {"service": service.pk, "date": day}, headers=HTMX
    )
    assertContains(response, message)


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+05:00"])
def test_a_time_at_the_end_of_the_calendar_is_refused(
    artist_client: Client, marco: Associate, service, start
):
    response = artist_client.post(
        book_url(marco), {"service": service.pk, "date": "9999-12-31", "start": start}
    )
    assertContains(response, "Choose one of the free times.")
    assert not Booking.objects.exists()


def test_the_profiles_book_link_opens_on_the_first_day_with_free_times(
    artist_client: Client, marco: Associate, service
):
    mastering = make_service(marco, name="Mastering", duration_minutes=90)
    # 06:00 at Marco's: with the default notice of 24 hours, tomorrow is open from its first hour
    # (at 10:00 the first free time would be tomorrow's 10:00, and the page would not show 08:00).
    tz = ZoneInfo(marco.user.time_zone)
    early = datetime.combine(timezone.now().astimezone(tz).date(), time(6), tzinfo=tz)
    with time_machine.travel(early, tick=False):
        response = artist_client.get(book_url(marco), {"service": mastering.pk})
        first_open = local_start(marco, days=1)
    assert response.context["service"] == mastering
    assert response.context["day"] == first_open.astimezone(tz).date()
    assertContains(response, "08:00–09:30")  # noqa: RUF001  (08:00 plus 90 minutes)
    assertNotContains(response, "This field is required")


@pytest.mark.parametrize("service_id", ["99999999999999999999999", "-1", "1e3", ""])
def test_an_impossible_service_id_is_no_error_page(
    artist_client: Client, marco: Associate, service, service_id
):
    response = artist_client.get(book_url(marco), {"service": service_id})
    assert response.status_code == 200


def test_the_first_free_day_costs_the_same_queries_however_far_it_is(
    artist_client: Client, marco: Associate, service
):
    """The page looks for its first free day over two weeks at once, not one day at a time."""
    tz = ZoneInfo(marco.user.time_zone)
    today = timezone.now().astimezone(tz).date()

    def opening() -> tuple[date, int]:
        with CaptureQueriesContext(connection) as queries:
            response = artist_client.get(book_url(marco))
        return response.context["day"], len(queries.captured_queries)

    opening()  # caches the permissions the navigation reads
    near_day, near_queries = opening()
    for offset in range(10):
        DateException.objects.create(
            associate=marco, date=today + timedelta(days=offset), kind=DateException.Kind.BLOCKED
        )
    far_day, far_queries = opening()

    assert far_day == today + timedelta(days=10)
    assert near_day < far_day
    assert far_queries == near_queries


@pytest.mark.parametrize("viewer_zone", ["Europe/Rome", "Asia/Tokyo", "America/Los_Angeles"])
def test_the_opening_day_lists_the_same_free_times_as_its_own_address(
    artist_client: Client, artist: User, nina: Artist, marco: Associate, service, viewer_zone
):
    """The page reuses the free times it found while looking for the first free day: they are
    the ones the day's own address lists, taken times and the viewer's zone included."""
    artist.time_zone = viewer_zone
    artist.save()
    tz = ZoneInfo(marco.user.time_zone)
    today = timezone.now().astimezone(tz).date()
    for offset in range(2):  # the first two days closed, so the opening day is a later one
        DateException.objects.create(
            associate=marco, date=today + timedelta(days=offset), kind=DateException.Kind.BLOCKED
        )
    book(nina, service, start=local_start(marco, days=2, hour=10))
    book(nina, service, start=local_start(marco, days=2, hour=15))

    opened = artist_client.get(book_url(marco))
    asked = artist_client.get(
        book_url(marco), {"service": service.pk, "date": opened.context["day"].isoformat()}
    )

    assert opened.context["slots"], "the opening day has free times"
    assert opened.context["slots"] == asked.context["slots"]


def test_the_booking_page_costs_a_fixed_number_of_queries(
    artist_client: Client, marco: Associate, service, django_assert_num_queries
):
    make_service(marco, name="Mastering", duration_minutes=90)
    # session, user, the professional, their active services (once: the defaults, the select
    # and its validation share them), the free times (weekly rules, date exceptions, bookings,
    # busy times: once, the first free day's times reused), whether the viewer is an artist,
    # the menu's two permission reads and the bell's unread count
    with django_assert_num_queries(12):
        response = artist_client.get(book_url(marco))
    assertContains(response, "Mastering")
    assert response.context["slots"]


def test_a_service_of_another_professional_is_refused_when_posting_too(
    artist_client: Client, marco: Associate, service
):
    foreign = make_service(AssociateFactory.create(), name="Someone else's")
    start = local_start(marco)
    response = artist_client.post(
        book_url(marco),
        {"service": foreign.pk, "date": day_of(start, "Europe/Rome"), "start": start.isoformat()},
    )
    assertContains(response, "Select a valid choice")
    assert not Booking.objects.exists()
