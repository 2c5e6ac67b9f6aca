"""Query budgets of review lists (issue 5 point 10): the reviews page, its htmx fragment and the
profile pages with reviews run the same number of queries with 1 review as with 30.

Reviews page: the profile (profile + user, then its prefetched genres and professions or
releases: ``get_*_for``), the criteria to filter by, the count, the page's rows with both
profiles joined, and the rows' criterion ratings with their criteria.
The rating summary comes from the cache (warmed here; ``reviews.cache`` pins its own misses).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews.cache import summary_for
from mylabel.reviews.models import Direction
from mylabel.reviews.services import refresh_rating
from tests.htmx import HTMX
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

# profile (3), criteria, count, rows, criterion ratings
REVIEWS_PAGE = 7
# A signed-in visitor adds the session and the user; base.html adds the label-admin check (the
# user's and groups' permissions) and the bell's unread count, on full pages only.
SIGNED_IN = 2
NAVIGATION = 3
# The profile pages' own budgets (tests/associates and tests/artists) plus the latest reviews.
ASSOCIATE_PAGE = 5 + 1
ARTIST_PAGE = 4 + 1


@pytest.fixture(params=[1, 30], ids=["1-review", "30-reviews"])
def reviewed_marco(request: pytest.FixtureRequest, marco: Associate) -> Associate:
    for index in range(request.param):
        review = ReviewFactory.create(
            associate=marco,
            rating=1 + index % 5,
            verified=index % 2 == 0,
            published_at=timezone.now() - timedelta(hours=index),
            reply="Thank you!" if index % 3 == 0 else "",
            replied_at=timezone.now() if index % 3 == 0 else None,
        )
    refresh_rating(review)
    marco.refresh_from_db()
    summary_for(marco)  # warm the cache, as any earlier visit would
    return marco


@pytest.fixture(params=[1, 30], ids=["1-review", "30-reviews"])
def reviewed_nina(request: pytest.FixtureRequest, nina: Artist) -> Artist:
    for index in range(request.param):
        review = ReviewFactory.create(
            artist=nina,
            direction=Direction.OF_ARTIST,
            rating=1 + index % 5,
            published_at=timezone.now() - timedelta(hours=index),
        )
    refresh_rating(review)
    nina.refresh_from_db()
    summary_for(nina)
    return nina


def associate_reviews(associate: Associate) -> str:
    return reverse("reviews:associate-reviews", kwargs={"slug": associate.slug})


QUERIES = [
    "",
    "?verified=on",
    "?stars=1",
    "?criterion=quality&stars=1&sort=highest",
    "?sort=lowest&page=2",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_reviews_page_query_count_is_fixed(
    client: Client,
    django_assert_num_queries,
    reviewed_marco: Associate,
    query: str,
    headers: dict[str, str],
) -> None:
    """Every filter matches the first review (1 star, verified), so each list has rows."""
    with django_assert_num_queries(REVIEWS_PAGE):
        response = client.get(associate_reviews(reviewed_marco) + query, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("headers", "navigation"), [({}, NAVIGATION), (HTMX, 0)], ids=["page", "fragment"]
)
def test_signed_in_reviews_page_query_count_is_fixed(
    client: Client,
    django_assert_num_queries,
    reviewed_marco: Associate,
    outsider: User,
    headers: dict[str, str],
    navigation: int,
) -> None:
    """Report links and, for the reviewee, reply checks read nothing more."""
    for user in (outsider, reviewed_marco.user):
        client.force_login(user)
        with django_assert_num_queries(SIGNED_IN + navigation + REVIEWS_PAGE):
            response = client.get(associate_reviews(reviewed_marco), headers=headers)
        assert response.status_code == 200


def test_artist_reviews_page_query_count_is_fixed(
    client: Client, django_assert_num_queries, reviewed_nina: Artist
) -> None:
    url = reverse("reviews:artist-reviews", kwargs={"slug": reviewed_nina.slug})
    with django_assert_num_queries(REVIEWS_PAGE):
        response = client.get(url)
    assert response.status_code == 200


def test_associate_profile_with_reviews_query_count_is_fixed(
    client: Client, django_assert_num_queries, reviewed_marco: Associate
) -> None:
    with django_assert_num_queries(ASSOCIATE_PAGE):
        response = client.get(reviewed_marco.get_absolute_url())
    assert response.content.decode().count('class="review"') == min(reviewed_marco.rating_count, 3)


def test_artist_profile_with_reviews_query_count_is_fixed(
    client: Client, django_assert_num_queries, reviewed_nina: Artist
) -> None:
    with django_assert_num_queries(ARTIST_PAGE):
        response = client.get(reviewed_nina.get_absolute_url())
    assert response.content.decode().count('class="review"') == min(reviewed_nina.rating_count, 3)
