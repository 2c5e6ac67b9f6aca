"""Writing a review (issue 5 points 1 and 3): overall rating, one rating per criterion and a text,
all checked; the verified badge; what happens after the commit."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django_tasks_db.models import DBTaskResult

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.payments import services as payments
from mylabel.payments.models import Payment
from mylabel.reviews import services
from mylabel.reviews.eligibility import review_eligibility
from mylabel.reviews.models import CriterionRating, Direction, Review
from mylabel.reviews.signals import review_published, review_submitted
from tests.bookings.lifecycle_helpers import book, local_start, make_service
from tests.reviews.factories import completed_booking

pytestmark = pytest.mark.django_db

ASSOCIATE_SCORES = {
    "quality": 5,
    "communication": 4,
    "professionalism": 3,
    "punctuality": 2,
    "value": 1,
}


def submit(booking: Booking, author, **overrides) -> Review:
    values: dict[str, Any] = {
        "rating": 4,
        "text": "Warm, punchy mixes, on time.",
        "criteria": ASSOCIATE_SCORES,
    }
    values.update(overrides)
    return services.submit_review(booking=booking, author=author, **values)


def refused_fields(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- What is stored -----------------------------------------------------------------------------


def test_a_review_is_stored_blind_with_its_ratings_and_window(
    booking: Booking, artist, nina: Artist, marco: Associate
):
    closes_at = review_eligibility(booking=booking, user=artist).window_closes_at

    review = submit(booking, artist, text="  Warm, punchy mixes.\n")

    review.refresh_from_db()
    assert review.author == artist
    assert review.direction == Direction.OF_ASSOCIATE
    assert (review.artist, review.associate) == (nina, marco)
    assert review.subject == marco
    assert review.rating == 4
    assert review.text == "Warm, punchy mixes."
    assert review.window_closes_at == closes_at
    assert review.published_at is None
    ratings = {
        rating.criterion.slug: rating.rating
        for rating in CriterionRating.objects.filter(review=review).select_related("criterion")
    }
    assert ratings == ASSOCIATE_SCORES


def test_the_professional_rates_the_artist_on_the_artist_criteria(booking: Booking, associate):
    review = submit(
        booking,
        associate,
        criteria={"communication": 5, "professionalism": 5, "punctuality": 3},
    )

    assert review.direction == Direction.OF_ARTIST
    assert review.criterion_ratings.count() == 3


def test_ratings_given_as_text_digits_are_accepted(booking: Booking, artist):
    review = submit(
        booking, artist, rating="5", criteria={slug: str(v) for slug, v in ASSOCIATE_SCORES.items()}
    )

    assert review.rating == 5
    assert sorted(review.criterion_ratings.values_list("rating", flat=True)) == [1, 2, 3, 4, 5]


def test_html_in_the_text_is_stored_as_plain_text(booking: Booking, artist):
    """Stored as written; the templates escape it (their tests assert the escaped output)."""
    review = submit(booking, artist, text="<script>alert(1)</script> <b>Great</b>")

    assert Review.objects.get(pk=review.pk).text == "<script>alert(1)</script> <b>Great</b>"


def test_a_text_of_exactly_the_limit_is_accepted(booking: Booking, artist):
    review = submit(booking, artist, text="a" * 5000)

    assert len(review.text) == 5000


# --- Bad input: field errors, nothing saved -----------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, -1, 3.5, "abc", "", None, True, "4 stars"])
def test_an_overall_rating_outside_1_to_5_is_a_field_error(booking: Booking, artist, rating):
    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, rating=rating)

    assert refused_fields(refused.value) == {
        "rating": ["Choose an overall rating from 1 to 5 stars."]
    }
    assert not Review.objects.exists()


def test_a_missing_criterion_is_an_error_on_that_criterion(booking: Booking, artist):
    criteria = {slug: 4 for slug in ASSOCIATE_SCORES if slug != "punctuality"}

    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, criteria=criteria)

    assert refused_fields(refused.value) == {
        "criterion_punctuality": ["Rate Punctuality from 1 to 5 stars."]
    }
    assert not Review.objects.exists()
    assert not CriterionRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "x", None, ""])
def test_a_criterion_rating_outside_1_to_5_is_an_error_on_that_criterion(
    booking: Booking, artist, score
):
    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, criteria={**ASSOCIATE_SCORES, "value": score})

    assert refused_fields(refused.value) == {
        "criterion_value": ["Rate Value for money from 1 to 5 stars."]
    }
    assert not Review.objects.exists()


def test_a_criterion_that_does_not_apply_is_refused(booking: Booking, associate):
    """ "quality" is about professionals: the professional reviewing the artist cannot rate it."""
    with pytest.raises(ValidationError) as refused:
        submit(
            booking,
            associate,
            criteria={"communication": 5, "professionalism": 5, "punctuality": 3, "quality": 1},
        )

    assert refused_fields(refused.value) == {
        NON_FIELD_ERRORS: ["These criteria do not apply to this review: quality."]
    }
    assert not Review.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n\t ", None])
def test_a_review_needs_a_text(booking: Booking, artist, text):
    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, text=text)

    assert refused_fields(refused.value) == {
        "text": ["Please write a few words about the booking."]
    }
    assert not Review.objects.exists()


def test_a_text_over_5000_characters_is_refused(booking: Booking, artist):
    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, text="a" * 5001)

    assert refused_fields(refused.value) == {"text": ["Keep the review under 5000 characters."]}
    assert not Review.objects.exists()


def test_every_bad_field_is_reported_at_once(booking: Booking, artist):
    with pytest.raises(ValidationError) as refused:
        submit(booking, artist, rating=9, text="", criteria={"quality": 7})

    assert set(refused_fields(refused.value)) == {
        "rating",
        "text",
        "criterion_quality",
        "criterion_communication",
        "criterion_professionalism",
        "criterion_punctuality",
        "criterion_value",
    }


def test_a_stranger_cannot_review_someone_elses_booking(booking: Booking, outsider):
    with pytest.raises(ValidationError) as refused:
        submit(booking, outsider)

    assert refused.value.code == "not_a_party"
    assert not Review.objects.exists()


# --- The verified badge -------------------------------------------------------------------------


def test_a_completed_booking_paid_through_the_platform_gives_a_verified_review(
    booking: Booking, artist
):
    assert booking.payment is not None
    assert booking.payment.status == Payment.Status.SUCCEEDED

    assert submit(booking, artist).verified


def test_a_partly_refunded_payment_still_verifies(booking: Booking, artist):
    assert booking.payment is not None
    payments.refund_payment(
        payment=booking.payment, amount=Decimal("50.00"), idempotency_key="test-partial"
    )

    assert Payment.objects.get(pk=booking.payment.pk).status == Payment.Status.PARTIALLY_REFUNDED
    assert submit(booking, artist).verified


def test_a_fully_refunded_payment_does_not_verify(booking: Booking, artist):
    assert booking.payment is not None
    payments.refund_payment(
        payment=booking.payment,
        amount=booking.payment.refundable_amount,
        idempotency_key="test-full",
    )

    assert Payment.objects.get(pk=booking.payment.pk).status == Payment.Status.REFUNDED
    assert not submit(booking, artist).verified


def test_a_free_booking_is_not_verified(nina: Artist, marco: Associate, service: Service, artist):
    free = make_service(marco, name="Free consultation", price=Decimal("0.00"))
    booking = book(nina, free, start=local_start(marco, days=6))
    bookings.accept_booking(booking=booking, by=marco.user)  # nothing to pay: paid at once
    Booking.objects.filter(pk=booking.pk).update(
        start=booking.start - timedelta(days=10),
        end=booking.end - timedelta(days=10),
        blocked_until=booking.blocked_until - timedelta(days=10),
    )
    booking.refresh_from_db()
    bookings.complete_booking(booking=booking, by=marco.user)
    assert booking.status == Status.COMPLETED
    assert booking.payment is None

    assert not submit(booking, artist).verified


def test_a_booking_written_without_a_payment_is_not_verified(nina: Artist, marco: Associate):
    booking = completed_booking(nina, marco)

    assert not submit(booking, nina.user).verified


# --- After the commit ---------------------------------------------------------------------------


def test_review_submitted_is_sent_after_the_commit_only(
    booking: Booking, artist, django_capture_on_commit_callbacks
):
    received: list[Review] = []

    def receiver(sender, *, review: Review, **kwargs) -> None:
        received.append(review)

    review_submitted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            review = submit(booking, artist)
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        review_submitted.disconnect(receiver)

    assert received == [review]


def test_a_blind_review_is_not_announced_as_published(
    booking: Booking, artist, django_capture_on_commit_callbacks
):
    published: list[Review] = []

    def receiver(sender, *, review: Review, **kwargs) -> None:
        published.append(review)

    review_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            submit(booking, artist)
    finally:
        review_published.disconnect(receiver)

    assert published == []


def test_a_blind_review_schedules_its_publication_on_a_worker_backend(
    booking: Booking, artist, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        review = submit(booking, artist)

    scheduled = DBTaskResult.objects.get(task_path__endswith="publish_reviews")
    assert scheduled.run_after == review.window_closes_at


def test_with_in_process_tasks_nothing_is_scheduled(
    booking: Booking, artist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(booking, artist)

    assert not DBTaskResult.objects.exists()
    assert Review.objects.get(pk=review.pk).published_at is None


def test_the_window_of_a_review_comes_from_the_completion_event(booking: Booking, artist):
    completed = BookingEvent.objects.get(booking=booking, to_status=Status.COMPLETED).created_at

    review = submit(booking, artist)

    assert review.window_closes_at == completed + timedelta(days=14)
