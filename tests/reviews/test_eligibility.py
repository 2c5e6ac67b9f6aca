"""Who may review a booking (issue 5 point 1): each side of a completed booking, once, within the
review window, never themselves; each refusal with its own reason. Which criteria they rate."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Profession, Service
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.reviews import services
from mylabel.reviews.eligibility import completed_at, criteria_for, review_eligibility
from mylabel.reviews.models import Criterion, Direction, Review
from tests.bookings.lifecycle_helpers import booking_in
from tests.profile_factories import ArtistFactory
from tests.reviews.factories import completed_booking

pytestmark = pytest.mark.django_db

ASSOCIATE_CRITERIA = ["quality", "communication", "professionalism", "punctuality", "value"]
ARTIST_CRITERIA = ["communication", "professionalism", "punctuality"]


def scores(criteria: list[Criterion], value: int = 4) -> dict[str, int]:
    return {criterion.slug: value for criterion in criteria}


def completion_time(booking: Booking):
    return BookingEvent.objects.get(booking=booking, to_status=Status.COMPLETED).created_at


# --- Allowed ------------------------------------------------------------------------------------


def test_the_artist_may_review_the_professional_on_every_criterion(booking: Booking, artist):
    eligibility = review_eligibility(booking=booking, user=artist)

    assert eligibility.allowed
    assert eligibility.reason == ""
    assert eligibility.direction == Direction.OF_ASSOCIATE
    assert [criterion.slug for criterion in eligibility.criteria] == ASSOCIATE_CRITERIA


def test_the_professional_may_review_the_artist_on_the_criteria_about_artists(
    booking: Booking, associate
):
    eligibility = review_eligibility(booking=booking, user=associate)

    assert eligibility.allowed
    assert eligibility.direction == Direction.OF_ARTIST
    assert [criterion.slug for criterion in eligibility.criteria] == ARTIST_CRITERIA


def test_the_window_closes_review_window_days_after_completion(booking: Booking, artist, settings):
    settings.REVIEW_WINDOW_DAYS = 10

    eligibility = review_eligibility(booking=booking, user=artist)

    assert eligibility.window_closes_at == completion_time(booking) + timedelta(days=10)


def test_the_window_runs_from_the_last_completion_after_a_resolved_dispute(
    booking: Booking, artist, label_admin
):
    first_completion = completion_time(booking)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        bookings.open_dispute(booking=booking, by=artist, reason="The mix was late")
    resolved_at = timezone.now() + timedelta(days=5)
    with time_machine.travel(resolved_at, tick=False):
        bookings.resolve_dispute(
            booking=booking, by=label_admin, outcome=Status.COMPLETED, note="Delivered in the end"
        )
        eligibility = review_eligibility(booking=booking, user=artist)

    assert completed_at(booking) == resolved_at
    assert eligibility.window_closes_at == resolved_at + timedelta(days=14)
    assert eligibility.window_closes_at > first_completion + timedelta(days=14)


def test_a_booking_without_a_completion_event_counts_from_its_end(nina: Artist, marco: Associate):
    booking = completed_booking(nina, marco)

    eligibility = review_eligibility(booking=booking, user=nina.user)

    assert eligibility.allowed
    assert eligibility.window_closes_at == booking.end + timedelta(days=14)


def test_one_side_having_reviewed_does_not_stop_the_other(booking: Booking, artist, associate):
    mine = review_eligibility(booking=booking, user=artist)
    services.submit_review(
        booking=booking, author=artist, rating=5, text="Great", criteria=scores(mine.criteria)
    )

    assert review_eligibility(booking=booking, user=associate).allowed


# --- Refused, each with its reason --------------------------------------------------------------


def test_an_anonymous_visitor_is_refused(booking: Booking):
    eligibility = review_eligibility(booking=booking, user=AnonymousUser())

    assert not eligibility.allowed
    assert eligibility.code == "not_signed_in"
    assert eligibility.reason == "Sign in to review a booking."
    assert eligibility.criteria == []


@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_else_than_the_two_sides_is_refused(booking: Booking, request, persona: str):
    user = request.getfixturevalue(persona)

    eligibility = review_eligibility(booking=booking, user=user)

    assert not eligibility.allowed
    assert eligibility.code == "not_a_party"
    assert eligibility.reason == "Only the artist and the professional of a booking can review it."
    assert eligibility.direction is None


def test_nobody_reviews_themselves(associate: User, marco: Associate):
    # One account holding both profiles booked itself (the booking service refuses this; the
    # reviews must not rely on that).
    own_artist = ArtistFactory.create(user=associate)
    booking = completed_booking(own_artist, marco)

    eligibility = review_eligibility(booking=booking, user=associate)

    assert not eligibility.allowed
    assert eligibility.code == "own_booking"
    assert eligibility.reason == "You cannot review yourself."
    with pytest.raises(ValidationError) as refused:
        services.submit_review(
            booking=booking, author=associate, rating=5, text="Me, great", criteria={}
        )
    assert refused.value.messages == ["You cannot review yourself."]
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        Status.REQUESTED,
        Status.ACCEPTED,
        Status.PAID,
        Status.DECLINED,
        Status.CANCELLED,
        Status.EXPIRED,
        Status.DISPUTED,
    ],
)
def test_a_booking_that_is_not_completed_cannot_be_reviewed(
    nina: Artist, service: Service, artist, associate, status: Status
):
    booking = booking_in(status, nina, service)

    for user in (artist, associate):
        eligibility = review_eligibility(booking=booking, user=user)
        assert not eligibility.allowed
        assert eligibility.code == "not_completed"
        label = status.label.lower()
        assert eligibility.reason == (
            f"This booking is {label}: you can review it once it is completed."
        )
        with pytest.raises(ValidationError) as refused:
            services.submit_review(
                booking=booking, author=user, rating=5, text="Great", criteria={}
            )
        assert refused.value.messages == [eligibility.reason]
    assert not Review.objects.exists()


def test_a_second_review_by_the_same_side_is_refused(booking: Booking, artist):
    criteria = review_eligibility(booking=booking, user=artist).criteria
    services.submit_review(
        booking=booking, author=artist, rating=5, text="Great", criteria=scores(criteria)
    )

    eligibility = review_eligibility(booking=booking, user=artist)

    assert not eligibility.allowed
    assert eligibility.code == "already_reviewed"
    assert eligibility.reason == "You have already reviewed this booking."
    with pytest.raises(ValidationError) as refused:
        services.submit_review(
            booking=booking,
            author=artist,
            rating=1,
            text="Changed my mind",
            criteria=scores(criteria, 1),
        )
    assert refused.value.messages == ["You have already reviewed this booking."]
    assert Review.objects.get().rating == 5


def test_a_race_to_a_second_review_ends_in_the_same_refusal(booking: Booking, artist, monkeypatch):
    """Two submits at once both pass the check; the unique constraint stops the second."""
    eligibility = review_eligibility(booking=booking, user=artist)
    services.submit_review(
        booking=booking,
        author=artist,
        rating=5,
        text="Great",
        criteria=scores(eligibility.criteria),
    )
    monkeypatch.setattr(services, "review_eligibility", lambda **kwargs: eligibility)

    with pytest.raises(ValidationError) as refused:
        services.submit_review(
            booking=booking,
            author=artist,
            rating=2,
            text="Twice",
            criteria=scores(eligibility.criteria),
        )

    assert refused.value.code == "already_reviewed"
    assert refused.value.messages == ["You have already reviewed this booking."]
    assert Review.objects.count() == 1


def test_the_window_is_open_until_its_last_moment_and_then_closed(booking: Booking, artist):
    closes_at = completion_time(booking) + timedelta(days=14)

    just_before = review_eligibility(
        booking=booking, user=artist, now=closes_at - timedelta(seconds=1)
    )
    at_close = review_eligibility(booking=booking, user=artist, now=closes_at)

    assert just_before.allowed
    assert not at_close.allowed
    assert at_close.code == "window_closed"
    assert at_close.reason.startswith("The time to review this booking ended on ")
    assert at_close.window_closes_at == closes_at


def test_after_the_window_the_service_refuses_too(booking: Booking, artist):
    criteria = review_eligibility(booking=booking, user=artist).criteria

    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(ValidationError) as refused,
    ):
        services.submit_review(
            booking=booking, author=artist, rating=5, text="Late", criteria=scores(criteria)
        )

    assert refused.value.code == "window_closed"
    assert not Review.objects.exists()


# --- Criteria as data ---------------------------------------------------------------------------


def test_a_criterion_for_some_professions_applies_only_to_professionals_with_one(
    booking: Booking, artist, marco: Associate
):
    engineer = Profession.objects.get(slug="mixing-engineer")
    sound = Criterion.objects.create(
        slug="sound", name="Sound quality", applies_to=Direction.OF_ASSOCIATE, position=9
    )
    sound.professions.set([engineer])

    without = review_eligibility(booking=booking, user=artist).criteria
    marco.professions.add(engineer)
    with_it = review_eligibility(booking=booking, user=artist).criteria

    assert "sound" not in [criterion.slug for criterion in without]
    assert [criterion.slug for criterion in with_it] == [*ASSOCIATE_CRITERIA, "sound"]


def test_inactive_criteria_and_those_of_the_other_direction_are_left_out(marco: Associate):
    Criterion.objects.filter(slug="punctuality").update(is_active=False)

    of_associate = [c.slug for c in criteria_for(Direction.OF_ASSOCIATE, marco)]
    of_artist = [c.slug for c in criteria_for(Direction.OF_ARTIST, marco)]

    assert of_associate == ["quality", "communication", "professionalism", "value"]
    assert of_artist == ["communication", "professionalism"]


def test_eligibility_of_an_allowed_side_costs_a_fixed_number_of_queries(
    booking: Booking, artist, django_assert_num_queries
):
    booking = Booking.objects.select_related("artist", "associate").get(pk=booking.pk)

    # Completion time, existing review, criteria.
    with django_assert_num_queries(3):
        review_eligibility(booking=booking, user=artist)
