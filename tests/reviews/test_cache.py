"""Rating summaries and the profiles' rating (issue 5 point 7): built by aggregation in a fixed
number of queries, served from the cache, forgotten after the commit of any change, and still
served from the database when the cache is down."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache as django_cache
from django.core.cache.backends.base import BaseCache

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking
from mylabel.reviews import cache, services
from mylabel.reviews.cache import RatingSummary, StarShare, summary_for
from mylabel.reviews.models import Direction, Moderation, Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


class BrokenCache(BaseCache):
    """A cache whose server is unreachable: every call raises."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache server unreachable")

    get = set = add = delete = get_many = set_many = incr = touch = has_key = _fail

    # The suite's own isolation empties the cache after each test: let that through.
    def clear(self) -> None:
        pass

    def delete_pattern(self, pattern: str) -> None:
        pass


BROKEN_CACHE = {"default": {"BACKEND": "tests.reviews.test_cache.BrokenCache"}}


def stars(summary: RatingSummary) -> list[tuple[int, int, int]]:
    return [(share.stars, share.count, share.percent) for share in summary.distribution]


def criteria(summary: RatingSummary) -> dict[str, tuple[Decimal | None, int]]:
    return {item.slug: (item.average, item.count) for item in summary.criteria}


def publish_both_sides(booking: Booking, *, artist_rating: int, associate_rating: int) -> None:
    services.submit_review(
        booking=booking,
        author=booking.artist.user,
        rating=artist_rating,
        text="Great sound.",
        criteria=dict.fromkeys(
            ["quality", "communication", "professionalism", "punctuality", "value"], artist_rating
        ),
    )
    services.submit_review(
        booking=booking,
        author=booking.associate.user,
        rating=associate_rating,
        text="Punctual.",
        criteria=dict.fromkeys(["communication", "professionalism", "punctuality"], 4),
    )


# --- What a summary says ------------------------------------------------------------------------


def test_a_summary_averages_counts_and_distributes_the_public_reviews(marco: Associate):
    ReviewFactory.create(associate=marco, rating=5, criterion_ratings={"quality": 3})
    ReviewFactory.create(associate=marco, rating=4)
    ReviewFactory.create(associate=marco, rating=4, criterion_ratings={"quality": 4})

    summary = summary_for(marco)

    assert summary.count == 3
    assert summary.average == Decimal("4.33")
    assert stars(summary) == [(5, 1, 33), (4, 2, 67), (3, 0, 0), (2, 0, 0), (1, 0, 0)]
    assert criteria(summary) == {
        "quality": (Decimal("3.67"), 3),
        "communication": (Decimal("4.33"), 3),
        "professionalism": (Decimal("4.33"), 3),
        "punctuality": (Decimal("4.33"), 3),
        "value": (Decimal("4.33"), 3),
    }
    assert [item.name for item in summary.criteria][:2] == ["Quality of work", "Communication"]


def test_blind_hidden_and_other_peoples_reviews_do_not_count(marco: Associate, nina: Artist):
    ReviewFactory.create(associate=marco, rating=2)
    ReviewFactory.create(associate=marco, rating=5, published_at=None)
    ReviewFactory.create(associate=marco, rating=5, moderation=Moderation.HIDDEN)
    # Marco's review of an artist is about the artist, not about him.
    ReviewFactory.create(associate=marco, artist=nina, rating=5, direction=Direction.OF_ARTIST)
    ReviewFactory.create(rating=5)

    summary = summary_for(marco)

    assert (summary.count, summary.average) == (1, Decimal("2.00"))
    assert summary_for(nina).count == 1


def test_a_profile_without_reviews_has_an_empty_summary(nina: Artist):
    summary = summary_for(nina)

    assert summary.count == 0
    assert summary.average is None
    assert stars(summary) == [(n, 0, 0) for n in (5, 4, 3, 2, 1)]
    assert criteria(summary) == {
        "communication": (None, 0),
        "professionalism": (None, 0),
        "punctuality": (None, 0),
    }


def test_an_artist_summary_uses_the_criteria_about_artists(nina: Artist):
    ReviewFactory.create(artist=nina, direction=Direction.OF_ARTIST, rating=3)

    summary = summary_for(nina)

    assert list(criteria(summary)) == ["communication", "professionalism", "punctuality"]
    assert summary.average == Decimal("3.00")


# --- Queries and caching ------------------------------------------------------------------------


@pytest.mark.parametrize("reviews", [1, 30])
def test_a_summary_costs_three_queries_whatever_the_number_of_reviews(
    marco: Associate, reviews: int, django_assert_num_queries
):
    for rating in range(reviews):
        ReviewFactory.create(associate=marco, rating=rating % 5 + 1)

    # Totals and stars; per-criterion averages; the criteria that apply.
    with django_assert_num_queries(3):
        summary = summary_for(marco)

    assert summary.count == reviews


def test_a_cached_summary_costs_no_query(marco: Associate, django_assert_num_queries):
    ReviewFactory.create(associate=marco)
    first = summary_for(marco)

    with django_assert_num_queries(0):
        again = summary_for(marco)

    assert again == first


def test_a_change_through_a_service_shows_on_the_very_next_summary(
    booking: Booking, marco: Associate, nina: Artist, django_capture_on_commit_callbacks
):
    assert summary_for(marco).count == 0  # now cached
    assert summary_for(nina).count == 0

    with django_capture_on_commit_callbacks(execute=True):
        publish_both_sides(booking, artist_rating=3, associate_rating=5)

    assert (summary_for(marco).count, summary_for(marco).average) == (1, Decimal("3.00"))
    assert (summary_for(nina).count, summary_for(nina).average) == (1, Decimal("5.00"))


def test_a_moderation_shows_on_the_very_next_summary(
    marco: Associate, django_capture_on_commit_callbacks
):
    """What the moderation services do: change the review, then refresh_rating."""
    kept = ReviewFactory.create(associate=marco, rating=5)
    hidden = ReviewFactory.create(associate=marco, rating=1)
    services.refresh_rating(kept)
    assert summary_for(marco).average == Decimal("3.00")

    with django_capture_on_commit_callbacks(execute=True):
        Review.objects.filter(pk=hidden.pk).update(moderation=Moderation.HIDDEN)
        services.refresh_rating(hidden)

    assert (summary_for(marco).count, summary_for(marco).average) == (1, Decimal("5.00"))


def test_the_cache_is_forgotten_only_when_the_change_commits(
    marco: Associate, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(associate=marco, rating=5)
    assert summary_for(marco).count == 1

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)
        services.refresh_rating(review)
        # Not committed yet: other readers would still see the old state, so it stays cached.
        assert summary_for(marco).count == 1
    for callback in callbacks:
        callback()

    assert summary_for(marco).count == 0


def test_a_slow_reader_cannot_put_a_stale_summary_back(marco: Associate):
    """A reader that computed before a change committed stores under the old generation."""
    generation = cache._generation(marco)
    assert generation is not None
    stale = cache.compute_summary(marco)
    ReviewFactory.create(associate=marco, rating=4)
    cache.invalidate(marco)

    django_cache.set(cache._summary_key(marco, generation), stale)

    assert summary_for(marco).count == 1


def test_an_artist_and_a_professional_with_the_same_id_have_their_own_keys():
    assert cache._generation_key(Artist(pk=7)) != cache._generation_key(Associate(pk=7))
    assert cache._summary_key(Artist(pk=7), "g") != cache._summary_key(Associate(pk=7), "g")


# --- Outage -------------------------------------------------------------------------------------


def test_with_the_cache_down_summaries_come_from_the_database(
    marco: Associate, settings, caplog, django_assert_num_queries
):
    ReviewFactory.create(associate=marco, rating=4)
    settings.CACHES = BROKEN_CACHE

    with django_assert_num_queries(3):
        summary = summary_for(marco)

    assert (summary.count, summary.average) == (1, Decimal("4.00"))
    assert "Review summary cache" in caplog.text


def test_with_the_cache_down_services_still_work(
    booking: Booking, marco: Associate, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = BROKEN_CACHE

    with django_capture_on_commit_callbacks(execute=True):
        publish_both_sides(booking, artist_rating=4, associate_rating=4)
    cache.invalidate(marco)

    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("4.00"), 1)
    assert summary_for(marco).count == 1


def test_an_unreachable_redis_degrades_to_the_database(marco: Associate, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # Nothing listens on port 1.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    ReviewFactory.create(associate=marco, rating=3)

    assert summary_for(marco).count == 1
    cache.invalidate(marco)


@pytest.mark.redis
def test_summaries_live_in_redis_and_invalidation_removes_them(
    marco: Associate, django_capture_on_commit_callbacks
):
    ReviewFactory.create(associate=marco, rating=5)
    summary_for(marco)
    assert isinstance(django_cache.get(cache._generation_key(marco)), str)
    generation = cache._generation(marco)
    assert generation is not None
    stored = django_cache.get(cache._summary_key(marco, generation))
    assert isinstance(stored, RatingSummary)
    assert stored.distribution[0] == StarShare(stars=5, count=1, percent=100)

    with django_capture_on_commit_callbacks(execute=True):
        cache.invalidate_on_commit(marco)

    assert django_cache.get(cache._generation_key(marco)) is None
    ReviewFactory.create(associate=marco, rating=1)
    assert summary_for(marco).count == 2


# --- The profiles' denormalised rating ----------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "average"),
    [([5, 4, 4], Decimal("4.33")), ([5, 5, 4], Decimal("4.67")), ([3], Decimal("3.00"))],
)
def test_refresh_rating_rounds_the_average_to_two_places(
    marco: Associate, ratings: list[int], average: Decimal
):
    reviews = [ReviewFactory.create(associate=marco, rating=rating) for rating in ratings]

    services.refresh_rating(reviews[0])

    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (average, len(ratings))


def test_refresh_rating_without_public_reviews_clears_the_average(marco: Associate):
    review = ReviewFactory.create(associate=marco, rating=5)
    services.refresh_rating(review)
    Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)

    services.refresh_rating(review)

    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (None, 0)
