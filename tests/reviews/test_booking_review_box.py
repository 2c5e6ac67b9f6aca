"""The reviews box of the booking page: nothing before completion; then "Write your review"
while allowed, one's own review marked hidden while blind, both reviews once published, and why
not when the window has closed (issue 5 points 1 and 2 as the parties see them)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Service
from mylabel.bookings.models import Booking, Status
from mylabel.reviews import services
from mylabel.reviews.models import Moderation, Review
from tests.bookings.lifecycle_helpers import booking_in
from tests.htmx import HTMX

pytestmark = pytest.mark.django_db

ARTIST_CRITERIA = ["quality", "communication", "professionalism", "punctuality", "value"]
ASSOCIATE_CRITERIA = ["communication", "professionalism", "punctuality"]
WRITE = "Write your review"
# The booking page of a completed booking, once a request has cached the member's permissions:
# session, user, the bell's unread count, booking and its events; for the box the reviews, the
# completion event, whether the viewer reviewed already, then either the criteria to rate (may
# review) or the reviews' criterion ratings.
BOOKING_PAGE_QUERIES = 9


def submit(booking: Booking, user: User, text: str, rating: int = 4) -> Review:
    criteria = ARTIST_CRITERIA if user == booking.artist.user else ASSOCIATE_CRITERIA
    return services.submit_review(
        booking=booking,
        author=user,
        rating=rating,
        text=text,
        criteria=dict.fromkeys(criteria, rating),
    )


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.ACCEPTED, Status.PAID])
def test_there_is_no_review_box_before_completion(
    artist_client: Client, nina: Artist, service: Service, status: Status
):
    booking = booking_in(status, nina, service)
    response = artist_client.get(booking.get_absolute_url())
    assertContains(response, '<div id="booking-reviews"></div>', html=True)
    assertNotContains(response, WRITE)


def test_each_side_is_invited_to_review_a_completed_booking(
    artist_client: Client, associate: User, booking: Booking
):
    response = artist_client.get(booking.get_absolute_url())
    assertContains(response, WRITE)
    assertContains(response, f'href="{reverse("reviews:write", kwargs={"pk": booking.pk})}"')
    assertContains(response, "You can review this booking until")
    artist_client.force_login(associate)
    assertContains(artist_client.get(booking.get_absolute_url()), WRITE)


def test_my_review_is_marked_hidden_while_blind_and_the_other_side_cannot_read_it(
    client: Client, booking: Booking, artist: User, associate: User
):
    review = submit(booking, artist, "Warm, patient, precise.", rating=5)
    client.force_login(artist)
    response = client.get(booking.get_absolute_url())
    assertNotContains(response, WRITE)
    assertContains(response, "Your review")
    assertContains(response, "Warm, patient, precise.")
    assertContains(response, "Hidden until the other side reviews too, or until")
    assertContains(response, local(review.window_closes_at))
    assertContains(response, 'aria-label="5 out of 5 stars"')

    client.force_login(associate)
    response = client.get(booking.get_absolute_url())
    assertContains(response, WRITE)
    assertNotContains(response, "Warm, patient, precise.")


def test_both_reviews_show_once_published(
    client: Client, booking: Booking, artist: User, associate: User
):
    submit(booking, artist, "Marco made the mix sing.")
    submit(booking, associate, "Nina came prepared.", rating=3)
    for user, own, theirs in [
        (artist, "Marco made the mix sing.", "Nina came prepared."),
        (associate, "Nina came prepared.", "Marco made the mix sing."),
    ]:
        client.force_login(user)
        response = client.get(booking.get_absolute_url())
        assertNotContains(response, WRITE)
        assertNotContains(response, "Hidden until")
        assertContains(response, own)
        assertContains(response, theirs)
        assertContains(response, "Published on", count=2)
    assertContains(response, "Nina Vale's review")
    assertContains(response, "Verified booking", count=2)
    assertContains(response, "Communication: 3/5")


def test_a_blind_review_publishes_when_the_window_closes(
    client: Client, booking: Booking, artist: User, associate: User
):
    submit(booking, artist, "Marco made the mix sing.")
    later = timezone.now() + timedelta(days=settings.REVIEW_WINDOW_DAYS + 1)
    with time_machine.travel(later):
        services.publish_due_reviews()
        client.force_login(associate)
        response = client.get(booking.get_absolute_url())
    assertContains(response, "Marco made the mix sing.")
    assertNotContains(response, WRITE)
    # Why marco cannot review any more, now that the window has closed.
    assertContains(response, "The time to review this booking ended on")


def test_a_review_hidden_by_moderation_is_gone_for_the_other_side_but_marked_for_its_author(
    client: Client, booking: Booking, artist: User, associate: User
):
    review = submit(booking, artist, "Something rude.")
    submit(booking, associate, "Fine.")
    Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)
    client.force_login(associate)
    assertNotContains(client.get(booking.get_absolute_url()), "Something rude.")
    client.force_login(artist)
    response = client.get(booking.get_absolute_url())
    assertContains(response, "Something rude.")
    assertContains(response, "Hidden by the label's moderators.")


def test_a_label_admin_sees_the_published_reviews_and_why_they_cannot_write_one(
    client: Client, booking: Booking, artist: User, associate: User, label_admin: User
):
    submit(booking, artist, "Marco made the mix sing.")
    submit(booking, associate, "Nina came prepared.")
    client.force_login(label_admin)
    response = client.get(booking.get_absolute_url())
    assertContains(response, "Marco made the mix sing.")
    assertContains(response, "Nina came prepared.")
    assertNotContains(response, WRITE)
    assertContains(response, "Only the artist and the professional of a booking can review it.")


def test_completing_with_htmx_swaps_the_review_box_in(
    associate_client: Client, nina: Artist, service: Service
):
    booking = booking_in(Status.PAID, nina, service)
    Booking.objects.filter(pk=booking.pk).update(
        start=booking.start - timedelta(days=10),
        end=booking.end - timedelta(days=10),
        blocked_until=booking.blocked_until - timedelta(days=10),
    )
    url = reverse("bookings:transition", kwargs={"pk": booking.pk, "action": "complete"})
    response = associate_client.post(url, headers=HTMX)
    html = response.content.decode()
    assert '<section id="booking-reviews"' in html
    assert 'hx-swap-oob="true"' in html
    assert WRITE in html


def test_the_review_box_costs_the_same_queries_whatever_the_reviews(
    client: Client,
    make_completed_booking: Callable[..., Booking],
    artist: User,
    associate: User,
    django_assert_num_queries,
):
    """Criteria ratings and authors come with the reviews: the box has no query per review."""
    empty, reviewed = make_completed_booking(days=4), make_completed_booking(days=5)
    submit(reviewed, artist, "One.")
    submit(reviewed, associate, "Two.")
    client.force_login(artist)
    client.get(empty.get_absolute_url())  # warm the session and the cached permissions
    for booking in (empty, reviewed):
        with django_assert_num_queries(BOOKING_PAGE_QUERIES):
            response = client.get(booking.get_absolute_url())
        assert response.status_code == 200
