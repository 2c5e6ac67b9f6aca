"""The artist page and each of its fragments run a fixed number of queries, however many
releases, portfolio items and genres the artist has (issue 3, point 8)."""

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from tests.htmx import HTMX
from tests.profile_factories import PortfolioItemFactory, ReleaseFactory, genres

pytestmark = pytest.mark.django_db

# A signed-in request adds its session and user (2) to what the view runs.
SIGNED_IN = 2


@pytest.fixture(params=[1, 50], ids=["1-item", "50-items"])
def full_profile(request: pytest.FixtureRequest, nina: Artist) -> Artist:
    count = request.param
    nina.genres.set(genres(min(count, 30)))
    for _ in range(count):
        ReleaseFactory.create(artist=nina)
        PortfolioItemFactory.create(owner=nina.user)
    PortfolioItemFactory.create(owner=nina.user, image=True)
    return nina


def test_visitor_page(client: Client, full_profile: Artist, django_assert_num_queries) -> None:
    # artist + user, genres, releases, portfolio
    with django_assert_num_queries(4):
        response = client.get(full_profile.get_absolute_url())
    assert response.status_code == 200


def test_owner_page(artist_client: Client, full_profile: Artist, django_assert_num_queries) -> None:
    # + the header: the label-admin check (user and group permissions) and the bell's unread
    # count
    with django_assert_num_queries(SIGNED_IN + 3 + 4):
        response = artist_client.get(full_profile.get_absolute_url())
    assert response.status_code == 200


def test_label_admin_page(
    client: Client, label_admin: User, full_profile: Artist, django_assert_num_queries
) -> None:
    client.force_login(label_admin)
    with django_assert_num_queries(SIGNED_IN + 3 + 4):
        response = client.get(full_profile.get_absolute_url())
    assert b'name="on_roster"' in response.content


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("edit/about/", 3),
        ("edit/links/", 3),
        ("edit/genres/", 3 + 1),  # + every genre to choose from
        ("releases/add/", 3),
        ("sections/about/", 3),
        ("sections/releases/", 3),
        ("sections/genres/", 3),
    ],
)
def test_htmx_fragments(
    artist_client: Client,
    full_profile: Artist,
    django_assert_num_queries,
    path: str,
    queries: int,
) -> None:
    # artist + user, genres and releases (for_profile); no portfolio in these fragments
    with django_assert_num_queries(SIGNED_IN + queries):
        response = artist_client.get(f"/artists/{full_profile.slug}/{path}", headers=HTMX)
    assert response.status_code == 200


def test_htmx_release_edit_fragment(
    artist_client: Client, full_profile: Artist, django_assert_num_queries
) -> None:
    release = full_profile.releases.first()
    assert release is not None
    with django_assert_num_queries(SIGNED_IN + 3):
        response = artist_client.get(
            f"/artists/{full_profile.slug}/releases/{release.pk}/edit/", headers=HTMX
        )
    assert response.status_code == 200


def test_saving_about(
    artist_client: Client, full_profile: Artist, django_assert_num_queries
) -> None:
    about = {
        "stage_name": "Nina",
        "bio": "New",
        "city": "Genova",
        "country": "IT",
        "slug": "nina-vale",
    }
    # read (3), the form's slug check (1); the service: savepoint, user and uniqueness checks
    # (3), update, search columns, release (7); read again (3) and the header's roster
    # permission check (2)
    with django_assert_num_queries(SIGNED_IN + 3 + 1 + 7 + 3 + 2):
        response = artist_client.post(
            f"/artists/{full_profile.slug}/edit/about/", about, headers=HTMX
        )
    assert response.status_code == 200
