"""PostgreSQL full-text search (issue 3 point 7): the stored vector's GIN index serves the
directory's query, and the rank puts name matches above bio matches."""

import pytest
from django.db import connection
from django.test import Client

from mylabel.associates.models import Associate
from mylabel.demo.scale import seed_scale
from tests.directory.factories import make_artist, make_associate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GIN_INDEX = "associates_search_vector_gin"


def directory_query(query: str):
    """The rows query of ``/associates/?q=…``, as the view builds it."""
    return (
        Associate.objects.listed()
        .search(query)
        .filter_directory()
        .directory_order("relevance")
        .for_directory()
    )


@pytest.fixture
def thousands_of_associates() -> None:
    """Enough rows for the planner to prefer the index for a selective prefix: on a few hundred
    a sequential scan is rightly cheaper."""
    seed_scale(artists=0, associates=6000, seed=7)
    make_associate("Zephyrine Quist", headline="Theremin player", professions=["session-musician"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE associates_associate")
        cursor.execute("ANALYZE accounts_user")


def test_search_filters_on_the_stored_vector_not_on_the_fly():
    sql = str(directory_query("prod").query)

    assert '"associates_associate"."search_vector" @@' in sql
    assert "to_tsvector" not in sql  # the vector is read from the column the index covers
    assert "'prod:*'" in sql or "prod:*" in sql


def test_a_selective_search_uses_the_gin_index(thousands_of_associates):
    plan = directory_query("zephyr").explain()

    assert GIN_INDEX in plan, plan
    assert [associate.display_name for associate in directory_query("zephyr")] == [
        "Zephyrine Quist"
    ]


def test_prefix_searches_can_use_the_gin_index(thousands_of_associates):
    """A common prefix matches too many rows for the planner to prefer the index on 3,000 rows;
    with sequential scans priced out the plan shows that the index can answer it."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = directory_query("prod").explain()

    assert GIN_INDEX in plan, plan
    assert directory_query("prod").count() > 0


def test_stage_name_match_ranks_above_bio_match(client: Client):
    # By name the bio match would come first: only the rank can put "Harbour Lights" on top.
    make_artist("Aaron Plain", bio="Plays with the harbour lights on Sundays.")
    make_artist("Harbour Lights")

    response = client.get("/artists/", {"q": "harbour"})

    html = response.content.decode()
    assert html.index(">Harbour Lights<") < html.index(">Aaron Plain<")


def test_headline_match_ranks_above_genre_and_bio_matches(client: Client):
    make_associate("Ada Bio", headline="Engineer", bio="I love soul records.")
    make_associate("Bea Genre", headline="Engineer", genres=["soul"])
    make_associate("Cleo Headline", headline="Soul producer")

    response = client.get("/associates/", {"q": "soul"})

    html = response.content.decode()
    positions = [html.index(f">{name}<") for name in ["Cleo Headline", "Bea Genre", "Ada Bio"]]
    assert positions == sorted(positions)


def test_short_prefix_finds_longer_words(client: Client):
    make_associate("Ada", professions=["producer"], headline="Beats")

    response = client.get("/associates/", {"q": "pr"})

    assert ">Ada<" in response.content.decode()
