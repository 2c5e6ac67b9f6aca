""" "Recommended for you" on the artist's home page and in the professionals directory: shown to
signed-in artists only, in one query whatever the number of rows."""

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.recommendations.models import Kind, Recommendation
from mylabel.recommendations.services import refresh_recommendations
from tests.profile_factories import ArtistFactory
from tests.recommendations.helpers import bookable_associate, scene

pytestmark = pytest.mark.django_db

SECTION = 'id="recommended-for-you"'


def recommend(artist: Artist, count: int) -> None:
    """``count`` stored suggestions of each kind for ``artist``."""
    rows = []
    for rank in range(1, count + 1):
        rows.append(
            Recommendation(
                artist=artist,
                kind=Kind.ASSOCIATE,
                target_associate=bookable_associate(),
                score=1 / rank,
                rank=rank,
                reason={"genres": ["soul"], "similar_artists": 2},
                computed_at="2026-11-01T00:00:00Z",
            )
        )
        rows.append(
            Recommendation(
                artist=artist,
                kind=Kind.ARTIST,
                target_artist=ArtistFactory.create(),
                score=1 / rank,
                rank=rank,
                reason={"genres": ["soul"]},
                computed_at="2026-11-01T00:00:00Z",
            )
        )
    Recommendation.objects.bulk_create(rows)


def test_the_home_page_shows_an_artist_both_kinds_with_reasons(
    artist_client: Client, nina: Artist, marco: Associate
):
    setting = scene(nina, marco)
    refresh_recommendations()

    page = artist_client.get("/").content.decode()

    assert SECTION in page
    assert "Professional to book next" in page
    assert "Similar artist" in page
    assert setting.next_up.display_name in page
    assert "booked by 2 artists like you" in page
    assert setting.booked.display_name not in page


def test_the_directory_shows_only_professionals_and_not_in_its_results_fragment(
    artist_client: Client, nina: Artist, marco: Associate
):
    scene(nina, marco)
    refresh_recommendations()

    page = artist_client.get("/associates/").content.decode()
    fragment = artist_client.get("/associates/", headers={"HX-Request": "true"}).content.decode()

    assert SECTION in page
    assert "Professional to book next" in page
    assert "Similar artist" not in page
    assert SECTION not in fragment


@pytest.mark.parametrize("url", ["/", "/associates/"])
def test_visitors_professionals_and_artists_without_rows_see_no_section(
    client: Client, associate_client: Client, artist_client: Client, url: str
):
    for visitor in (client, associate_client, artist_client):
        assert SECTION not in visitor.get(url).content.decode()


def test_hidden_targets_are_left_out_when_serving(
    artist_client: Client, nina: Artist, marco: Associate
):
    setting = scene(nina, marco)
    refresh_recommendations()
    setting.next_up.services.update(is_active=False)
    User.objects.filter(pk=marco.user_id).update(is_active=False)

    page = artist_client.get("/").content.decode()

    assert setting.next_up.display_name not in page
    assert "Marco Riva" not in page


def test_a_profile_of_the_artists_own_made_since_is_left_out(
    artist_client: Client, artist: User, nina: Artist
):
    recommend(nina, 1)
    row = Recommendation.objects.get(artist=nina, kind=Kind.ASSOCIATE)
    Associate.objects.filter(pk=row.target.pk).update(user=artist, display_name="Nina At The Desk")

    assert "Nina At The Desk" not in artist_client.get("/").content.decode()


@pytest.mark.parametrize("rows", [1, 20], ids=["1-row", "20-rows"])
@pytest.mark.parametrize(("url", "extra"), [("/", 0), ("/associates/", 6)])
def test_the_section_costs_one_query_whatever_the_rows(
    artist_client: Client, nina: Artist, django_assert_num_queries, rows: int, url: str, extra: int
):
    """A signed-in page's layout costs 5 queries (session, user, permissions x2, the bell);
    the directory's own 6 come on top; the section adds one."""
    recommend(nina, rows)

    with django_assert_num_queries(5 + extra + 1):
        page = artist_client.get(url).content.decode()

    assert page.count('class="recommendation"') == (min(rows, 6) * (2 if url == "/" else 1))
