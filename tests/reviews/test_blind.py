"""Double-blind publishing (issue 5 point 2): a review stays hidden until the other side has
reviewed too or the review window has closed; then it publishes (the task or the command)."""

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking
from mylabel.reviews import services
from mylabel.reviews.cache import summary_for
from mylabel.reviews.models import Moderation, Review
from mylabel.reviews.signals import review_published
from mylabel.reviews.tasks import publish_reviews

pytestmark = pytest.mark.django_db

OF_ASSOCIATE = {
    "quality": 5,
    "communication": 5,
    "professionalism": 5,
    "punctuality": 5,
    "value": 5,
}
OF_ARTIST = {"communication": 3, "professionalism": 3, "punctuality": 3}


def review_by_artist(booking: Booking, rating: int = 5) -> Review:
    return services.submit_review(
        booking=booking,
        author=booking.artist.user,
        rating=rating,
        text="Lovely to work with.",
        criteria=OF_ASSOCIATE,
    )


def review_by_associate(booking: Booking, rating: int = 3) -> Review:
    return services.submit_review(
        booking=booking,
        author=booking.associate.user,
        rating=rating,
        text="Came prepared.",
        criteria=OF_ARTIST,
    )


@pytest.fixture
def announced() -> Iterator[list[Review]]:
    """The reviews ``review_published`` announced during the test, in order."""
    received: list[Review] = []

    def receiver(sender, *, review: Review, **kwargs) -> None:
        received.append(review)

    review_published.connect(receiver)
    yield received
    review_published.disconnect(receiver)


# --- The other side reviews ---------------------------------------------------------------------


def test_a_review_stays_out_of_public_lists_while_blind(booking: Booking, marco: Associate):
    review = review_by_artist(booking)

    assert review.published_at is None
    assert not review.is_published
    assert not Review.objects.published().exists()
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (None, 0)
    assert summary_for(marco).count == 0


def test_when_the_other_side_reviews_both_publish_at_once(
    booking: Booking,
    nina: Artist,
    marco: Associate,
    announced: list[Review],
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = review_by_artist(booking)
    assert announced == []

    with django_capture_on_commit_callbacks(execute=True):
        second = review_by_associate(booking)

    first.refresh_from_db()
    assert first.published_at is not None
    assert second.published_at == first.published_at
    assert {review.pk for review in announced} == {first.pk, second.pk}
    nina.refresh_from_db()
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (5, 1)
    assert (nina.rating_average, nina.rating_count) == (3, 1)
    assert summary_for(marco).count == 1
    assert summary_for(nina).count == 1


def test_publication_is_announced_only_after_the_commit(
    booking: Booking, announced: list[Review], django_capture_on_commit_callbacks
):
    review_by_artist(booking)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_by_associate(booking)
        assert announced == []

    for callback in callbacks:
        callback()
    assert len(announced) == 2


# --- The window closes --------------------------------------------------------------------------


def test_a_lone_review_publishes_when_its_window_closes(
    booking: Booking, marco: Associate, announced: list[Review], django_capture_on_commit_callbacks
):
    review = review_by_artist(booking, rating=4)
    closes_at = review.window_closes_at

    with time_machine.travel(closes_at - timedelta(minutes=1)):
        assert services.publish_due_reviews() == 0
    assert Review.objects.get(pk=review.pk).published_at is None

    with (
        time_machine.travel(closes_at + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        published = services.publish_due_reviews()
        now = timezone.now()

    assert published == 1
    review.refresh_from_db()
    assert review.published_at == now
    assert review.is_published
    assert [r.pk for r in announced] == [review.pk]
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (4, 1)


def test_publishing_due_reviews_is_idempotent(booking: Booking):
    review = review_by_artist(booking)
    later = review.window_closes_at + timedelta(hours=1)

    assert services.publish_due_reviews(now=later) == 1
    first_published_at = Review.objects.get(pk=review.pk).published_at
    assert services.publish_due_reviews(now=later + timedelta(hours=1)) == 0

    assert Review.objects.get(pk=review.pk).published_at == first_published_at


def test_only_reviews_whose_window_closed_are_published(booking: Booking, make_completed_booking):
    due = review_by_artist(booking)
    newer_booking = make_completed_booking(days=5)
    not_due = review_by_artist(newer_booking)
    Review.objects.filter(pk=not_due.pk).update(
        window_closes_at=due.window_closes_at + timedelta(days=2)
    )

    published = services.publish_due_reviews(now=due.window_closes_at)

    assert published == 1
    assert Review.objects.get(pk=due.pk).published_at is not None
    assert Review.objects.get(pk=not_due.pk).published_at is None


def test_a_review_hidden_while_blind_publishes_but_stays_hidden(booking: Booking, marco: Associate):
    review = review_by_artist(booking)
    Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)

    services.publish_due_reviews(now=review.window_closes_at)

    review.refresh_from_db()
    assert review.published_at is not None
    assert not review.is_published
    marco.refresh_from_db()
    assert marco.rating_count == 0
    assert summary_for(marco).count == 0


def test_the_task_publishes_due_reviews(booking: Booking):
    review = review_by_artist(booking)

    with time_machine.travel(review.window_closes_at + timedelta(seconds=1)):
        result = publish_reviews.enqueue()

    assert result.return_value == 1
    assert Review.objects.get(pk=review.pk).published_at is not None


def test_the_command_publishes_due_reviews(booking: Booking):
    review = review_by_artist(booking)
    out = io.StringIO()

    with time_machine.travel(review.window_closes_at + timedelta(seconds=1)):
        call_command("publish_due_reviews", stdout=out)

    assert "1 review(s) published." in out.getvalue()
    assert Review.objects.get(pk=review.pk).published_at is not None


def test_after_the_window_the_other_side_can_no_longer_review(booking: Booking):
    review = review_by_artist(booking)

    with time_machine.travel(review.window_closes_at + timedelta(seconds=1)):
        services.publish_due_reviews()
        with pytest.raises(ValidationError) as refused:
            review_by_associate(booking)

    assert refused.value.code == "window_closed"
    assert Review.objects.count() == 1
