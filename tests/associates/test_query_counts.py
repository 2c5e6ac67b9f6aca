"""The professional's page and each of its fragments run a fixed number of queries, however
many portfolio items, genres and professions they have (issue 3, point 8)."""

import pytest
from django.test import Client

from mylabel.associates.models import Associate, Profession
from mylabel.portfolio.models import ProfileKind
from tests.htmx import HTMX
from tests.profile_factories import PortfolioItemFactory, genres

pytestmark = pytest.mark.django_db

SIGNED_IN = 2  # session and user


@pytest.fixture(params=[1, 50], ids=["1-item", "50-items"])
def full_profile(request: pytest.FixtureRequest, marco: Associate) -> Associate:
    count = request.param
    marco.genres.set(genres(min(count, 30)))
    marco.professions.set(Profession.objects.all()[:count])
    for _ in range(count):
        PortfolioItemFactory.create(owner=marco.user, profile_kind=ProfileKind.ASSOCIATE)
    PortfolioItemFactory.create(owner=marco.user, profile_kind=ProfileKind.ASSOCIATE, image=True)
    return marco


def test_visitor_page(client: Client, full_profile: Associate, django_assert_num_queries) -> None:
    # associate + user, genres, professions, portfolio, services
    with django_assert_num_queries(5):
        response = client.get(full_profile.get_absolute_url())
    assert response.status_code == 200


def test_owner_page(
    associate_client: Client, full_profile: Associate, django_assert_num_queries
) -> None:
    # + the header: the label-admin check (user and group permissions) and the bell's unread
    # count
    with django_assert_num_queries(SIGNED_IN + 3 + 5):
        response = associate_client.get(full_profile.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("edit/about/", 3),
        ("edit/details/", 3),
        ("edit/links/", 3),
        ("edit/professions/", 3 + 2),  # + every profession and genre to choose from
        ("sections/about/", 3),
        ("sections/details/", 3),
        ("sections/professions/", 3),
    ],
)
def test_htmx_fragments(
    associate_client: Client,
    full_profile: Associate,
    django_assert_num_queries,
    path: str,
    queries: int,
) -> None:
    # associate + user, genres and professions (for_profile); no portfolio in these fragments
    with django_assert_num_queries(SIGNED_IN + queries):
        response = associate_client.get(f"/associates/{full_profile.slug}/{path}", headers=HTMX)
    assert response.status_code == 200


def test_saving_details(
    associate_client: Client, full_profile: Associate, django_assert_num_queries
) -> None:
    details = {"city": "Torino", "country": "IT", "years_experience": "3", "languages": ["it"]}
    # read (3); the service: savepoint, user and uniqueness checks (3), update, search columns
    # (the profile's plain text and its search-table row, one statement each), release (8);
    # read again (3)
    with django_assert_num_queries(SIGNED_IN + 3 + 8 + 3):
        response = associate_client.post(
            f"/associates/{full_profile.slug}/edit/details/", details, headers=HTMX
        )
    assert response.status_code == 200
