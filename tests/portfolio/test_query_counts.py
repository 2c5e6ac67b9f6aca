"""The portfolio's edit page and fragments run a fixed number of queries, however many items
the portfolio holds (issue 3, point 8)."""

import pytest
from django.test import Client

from mylabel.artists.models import Artist
from tests.htmx import HTMX
from tests.profile_factories import PortfolioItemFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = 2  # session and user


@pytest.fixture(params=[1, 50], ids=["1-item", "50-items"])
def portfolio(request: pytest.FixtureRequest, nina: Artist) -> Artist:
    for _ in range(request.param):
        PortfolioItemFactory.create(owner=nina.user)
    PortfolioItemFactory.create(owner=nina.user, image=True)
    return nina


@pytest.mark.parametrize(
    ("path", "headers", "queries"),
    [
        # the owner's profile, the items (+ the header's label-admin check and the bell's
        # unread count on a whole page)
        ("/portfolio/artist/edit/", HTMX, 2),
        ("/portfolio/artist/edit/", {}, 2 + 3),
        ("/portfolio/artist/section/", HTMX, 2),
    ],
    ids=["edit-fragment", "edit-page", "section-fragment"],
)
def test_reads(
    artist_client: Client,
    portfolio: Artist,
    django_assert_num_queries,
    path: str,
    headers: dict[str, str],
    queries: int,
) -> None:
    with django_assert_num_queries(SIGNED_IN + queries):
        response = artist_client.get(path, headers=headers)
    assert response.status_code == 200


def test_moving_an_item(
    artist_client: Client, portfolio: Artist, django_assert_num_queries
) -> None:
    item = portfolio.user.portfolio_items.last()
    assert item is not None
    # the item; the service: savepoint, the locked list, one bulk update, release; the
    # section: the owner's profile and the items
    with django_assert_num_queries(SIGNED_IN + 1 + 4 + 2):
        response = artist_client.post(f"/portfolio/items/{item.pk}/up/", headers=HTMX)
    assert response.status_code == 200
