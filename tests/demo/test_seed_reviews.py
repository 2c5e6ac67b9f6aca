"""``seed_demo`` writes reviews through the real services (issue 5 point 11): profiles show
ratings, some reviews have replies, one is reported, one is blind, a couple are in Italian and
scored, and a second run adds nothing."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.urls import reverse

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews.models import CriterionRating, Direction, Report, Review, Sentiment
from mylabel.reviews.moderation import queue_counts
from tests.demo.conftest import FAST_HASHERS, seeded_in_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), seeded_in_transaction(run_on_commit=True):
        yield


@pytest.fixture
def seeded(_demo: None, settings) -> None:
    # Tests that run seed_demo again need debug mode, as the first run did.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = FAST_HASHERS


def review_rows() -> list[tuple]:
    return list(
        Review.objects.order_by("pk").values_list(
            "booking_id", "direction", "rating", "published_at", "reply", "moderation"
        )
    )


def test_marco_gets_several_published_reviews_with_varied_criteria_and_replies(seeded) -> None:
    marco = Associate.objects.get(user__email="associate@example.com")
    published = Review.objects.published().of_associate(marco)

    assert published.count() >= 4
    assert marco.rating_count == published.count()
    assert marco.rating_average is not None
    assert 3 <= marco.rating_average < 5
    assert len(set(published.values_list("rating", flat=True))) >= 3
    assert published.exclude(reply="").count() >= 2
    assert all(review.verified for review in published)
    scores = CriterionRating.objects.filter(review__in=published)
    assert len(set(scores.values_list("criterion__slug", "rating"))) >= 8
    # Reviews read like a history, not like one moment.
    days = {review.published_at.date() for review in published if review.published_at}
    assert len(days) == published.count()


def test_one_review_stays_blind_and_its_window_is_open(seeded) -> None:
    blind = Review.objects.filter(published_at__isnull=True)

    assert blind.count() == 1
    review = blind.get()
    assert review.author.email == "both@example.com"
    assert review.direction == Direction.OF_ASSOCIATE
    assert review.window_closes_at > review.created_at


def test_profiles_of_both_sides_show_ratings(seeded, client) -> None:
    nina = Artist.objects.get(user__email="artist@example.com")
    rated_professionals = Associate.objects.filter(rating_count__gt=0)

    assert nina.rating_count >= 1
    assert rated_professionals.count() >= 4
    marco = Associate.objects.get(user__email="associate@example.com")
    page = client.get(reverse("reviews:associate-reviews", args=[marco.slug]))
    assert page.status_code == 200
    assert page.content.decode().count('class="review"') == marco.rating_count


def test_the_moderation_queue_has_a_reported_and_a_flagged_review(seeded) -> None:
    counts = queue_counts()

    assert counts["reported"] == 1
    assert counts["flagged"] >= 1
    reported = Review.objects.get(reports__isnull=False, reports__reason=Report.Reason.PRIVATE)
    assert reported.reports.count() == 2
    assert reported.is_published


def test_italian_reviews_are_scored_as_italian(seeded) -> None:
    italian = Review.objects.filter(sentiment_language="it")

    assert italian.count() >= 2
    assert all(review.sentiment == Sentiment.SCORED for review in italian)
    assert not Review.objects.filter(sentiment=Sentiment.PENDING).exists()


def test_running_seed_demo_again_adds_no_review(seeded) -> None:
    before = (review_rows(), Report.objects.count(), CriterionRating.objects.count())

    call_command("seed_demo")

    assert (review_rows(), Report.objects.count(), CriterionRating.objects.count()) == before
