"""Query budget of the directory pages (issue 3 point 8): fixed whatever the number of results.

Associates: genres + professions (the form's choices), the count, the page's rows, and the
prefetched genres and professions of those rows. Artists: the same without professions.
Searches sorted by relevance count in the rows query (one query fewer): ranking visits every
match anyway. On PostgreSQL, professionals' searches rank and count on their narrow search table
first and then fetch the page's rows by key (AssociateQuerySet.ranked_page): the query saved
there comes back, so those pages cost the same as unranked ones.
A signed-in visitor adds what base.html needs for them: the session, the user, the user's
and groups' permissions (the "Label admin" link) and the bell's unread count.
"""

import pytest
from django.db import connection
from django.test import Client

from mylabel.accounts.models import User
from tests.directory.factories import make_artist, make_associate

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ASSOCIATE_QUERIES = 6
ARTIST_QUERIES = 4
RANKED = -1  # the count rides along with the rows


def associate_ranked() -> int:
    """What a relevance-sorted professionals' search adds (see the module docstring)."""
    return 0 if connection.vendor == "postgresql" else RANKED


SIGNED_IN_EXTRA = 5
# The professionals' page (not its results fragment) shows a signed-in visitor's "Recommended
# for you" rows: one query whatever their number (recommendations/templatetags).
RECOMMENDED_FOR_YOU = 1


@pytest.fixture(params=[1, 50], ids=["1-result", "50-results"])
def rows(request) -> int:
    return request.param


def associates(count: int) -> None:
    for index in range(count):
        make_associate(
            f"Producer {index}",
            professions=["producer", "mixing-engineer"],
            genres=["soul", "jazz"],
            city="Milan",
        )


def artists(count: int) -> None:
    for index in range(count):
        make_artist(f"Singer {index}", genres=["soul", "pop"], city="Milan")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/associates/", ASSOCIATE_QUERIES),
        ("/associates/?genre=soul&profession=producer&city=milan&remote=", ASSOCIATE_QUERIES),
        ("/associates/?q=prod&genre=soul&profession=producer&sort=name", ASSOCIATE_QUERIES),
        ("/associates/?q=prod&genre=soul&city=milan", None),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_associate_directory_query_count_is_fixed(
    client: Client,
    django_assert_num_queries,
    rows: int,
    url: str,
    queries: int | None,
    headers: dict,
):
    associates(rows)
    if queries is None:
        queries = ASSOCIATE_QUERIES + associate_ranked()

    with django_assert_num_queries(queries):
        response = client.get(url, headers=headers)

    assert response.content.decode().count('class="profile-card"') == min(rows, 20)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/artists/", ARTIST_QUERIES),
        ("/artists/?q=sing&genre=soul&city=milan&sort=newest", ARTIST_QUERIES),
        ("/artists/?q=sing&genre=soul", ARTIST_QUERIES + RANKED),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_artist_directory_query_count_is_fixed(
    client: Client, django_assert_num_queries, rows: int, url: str, queries: int, headers: dict
):
    artists(rows)

    with django_assert_num_queries(queries):
        response = client.get(url, headers=headers)

    assert response.content.decode().count('class="profile-card"') == min(rows, 20)


def test_last_page_and_bad_values_cost_no_extra_query(client: Client, django_assert_num_queries):
    associates(25)

    with django_assert_num_queries(ASSOCIATE_QUERIES):
        response = client.get("/associates/?page=7&genre=polka&sort=up", headers=HTMX)

    assert response.content.decode().count('class="profile-card"') == 5


def test_a_ranked_page_past_the_end_counts_then_shows_the_last_page(
    client: Client, django_assert_num_queries
):
    """The empty page's query could not count, so a bad page number costs two queries more.
    (On PostgreSQL the empty ranking query is the only one the empty page makes: the same.)"""
    associates(25)

    with django_assert_num_queries(ASSOCIATE_QUERIES + RANKED + 2):
        response = client.get("/associates/?q=producer&page=7", headers=HTMX)

    assert response.content.decode().count('class="profile-card"') == 5
    assert "the last page is 2" in response.content.decode()


def test_signed_in_visitors_add_only_what_the_layout_needs(
    client: Client, django_assert_num_queries, artist: User, rows: int
):
    associates(rows)
    client.force_login(artist)

    with django_assert_num_queries(ASSOCIATE_QUERIES + SIGNED_IN_EXTRA + RECOMMENDED_FOR_YOU):
        client.get("/associates/?genre=soul")
