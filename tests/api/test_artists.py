"""/api/v1/artists/: the directory (the site's rules and filters), profiles, the owner's edits
and the label admins' roster switch (issue 7 §2)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from mylabel.artists.models import Artist
from mylabel.artists.services import refresh_artist_search
from tests.api.helpers import assert_error
from tests.profile_factories import ArtistFactory, ReleaseFactory, genres

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/artists/"


def detail_url(slug: str) -> str:
    return f"/api/v1/artists/{slug}/"


def searchable(artist: Artist) -> Artist:
    """``artist`` with the search columns its service would have written."""
    refresh_artist_search(artist)
    return artist


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [card["slug"] for card in response.json()["results"]]


def snapshot(artist: Artist) -> dict:
    """Every column of ``artist`` and its genres, to show a refused change changed nothing."""
    row = Artist.objects.filter(pk=artist.pk).values().get()
    return {**row, "genres": sorted(artist.genres.values_list("slug", flat=True))}


# --- The directory ------------------------------------------------------------------------------


def test_anyone_lists_the_artists_whose_accounts_are_active(api_client: APIClient, nina):
    hidden = ArtistFactory.create(user__is_active=False)
    response = api_client.get(LIST_URL)
    assert slugs(response) == ["nina-vale"]
    assert hidden.slug not in response.content.decode()
    card = response.json()["results"][0]
    assert card["stage_name"] == "Nina Vale"
    assert card["page_url"] == "/artists/nina-vale/"
    assert card["country"] == "IT"
    assert "bio" not in card  # cards leave out the long columns, as the directory does


def test_the_list_searches_filters_and_sorts_like_the_directory(api_client: APIClient, nina):
    jazz, soul = genres(2)
    bari = searchable(ArtistFactory.create(stage_name="Aldo Bari", city="Bari", genres=[jazz]))
    ArtistFactory.create(stage_name="Zoe Moretti", city="Milano", genres=[soul])
    Artist.objects.filter(pk=bari.pk).update(
        is_on_roster=True, rating_average=Decimal("4.60"), rating_count=3
    )
    assert slugs(api_client.get(LIST_URL, {"q": "aldo"})) == [bari.slug]
    assert slugs(api_client.get(LIST_URL, {"genre": jazz.slug})) == [bari.slug]
    assert slugs(api_client.get(LIST_URL, {"city": "  BARI "})) == [bari.slug]
    assert slugs(api_client.get(LIST_URL, {"roster": "true"})) == [bari.slug]
    assert slugs(api_client.get(LIST_URL, {"min_rating": "4.5"})) == [bari.slug]
    assert slugs(api_client.get(LIST_URL, {"sort": "name"}))[0] == bari.slug
    # Relevance without a query has nothing to rank by: the newest first, as on the site.
    assert slugs(api_client.get(LIST_URL, {"sort": "relevance"})) == slugs(
        api_client.get(LIST_URL, {"sort": "newest"})
    )


def test_profiles_created_at_the_same_moment_keep_one_order_across_pages(api_client: APIClient):
    ArtistFactory.create_batch(5)
    Artist.objects.update(created_at=Artist.objects.first().created_at)  # type: ignore[union-attr]
    pages = [slugs(api_client.get(LIST_URL, {"page_size": 2, "page": n})) for n in (1, 2, 3)]
    listed = [slug for page in pages for slug in page]
    expected = list(Artist.objects.order_by("-pk").values_list("slug", flat=True))
    assert listed == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"genre": "no-such-genre"}, "genre"),
        ({"sort": "popularity"}, "sort"),
        ({"min_rating": "5"}, "min_rating"),
        ({"city": "x" * 81}, "city"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(api_client: APIClient, nina, query, field):
    assert_error(api_client.get(LIST_URL, query), 400, fields=[field])


def test_a_page_past_the_end_is_a_404_in_the_error_shape(api_client: APIClient, nina):
    assert_error(api_client.get(LIST_URL, {"page": 10**12}), 404)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_one_or_fifty_artists(
    api_client: APIClient, django_assert_num_queries, rows: int
):
    ArtistFactory.create_batch(rows, genres=genres(2))
    # The count, the page's rows with their users, their genres.
    with django_assert_num_queries(3):
        response = api_client.get(LIST_URL, {"page_size": "50", "genre": "", "q": ""})
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_a_signed_in_search_costs_the_same_queries_for_one_or_fifty_artists(
    artist_api: APIClient, nina, django_assert_num_queries, rows: int
):
    jazz = genres(1)[0]
    for artist in ArtistFactory.create_batch(rows, stage_name="Echo Lane", genres=[jazz]):
        searchable(artist)
    artist_api.get(LIST_URL)  # the token's last use is recorded once, on the first request
    # The token, the genre, the count, the page's rows, their genres.
    with django_assert_num_queries(5):
        response = artist_api.get(
            LIST_URL, {"page_size": "50", "q": "echo", "genre": jazz.slug, "sort": "name"}
        )
    assert len(response.json()["results"]) == rows


# --- A profile ----------------------------------------------------------------------------------


def test_anyone_reads_a_profile_with_its_releases(api_client: APIClient, nina):
    release = ReleaseFactory.create(artist=nina, title="Harbour Lights")
    response = api_client.get(detail_url("nina-vale"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["bio"] == "Songs from the harbour."
    assert [r["title"] for r in body["releases"]] == [release.title]
    assert body["releases"][0]["cover_url"] is None


def test_a_profile_of_an_inactive_account_is_404_even_to_a_label_admin(admin_api: APIClient):
    hidden = ArtistFactory.create(user__is_active=False)
    assert_error(admin_api.get(detail_url(hidden.slug)), 404)
    assert_error(admin_api.get(detail_url("nobody-here")), 404)


# --- The owner's changes ------------------------------------------------------------------------


def test_the_owner_changes_fields_and_genres_and_the_rest_stays(artist_api: APIClient, nina):
    jazz, soul = genres(2)
    response = artist_api.patch(
        detail_url("nina-vale"),
        {
            "stage_name": "  Nina V. ",
            "city": "Genova",
            "instagram_url": "https://instagram.com/ninavale",
            "genres": [soul.slug, jazz.slug],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage_name"] == "Nina V."
    assert body["instagram_url"] == "https://instagram.com/ninavale"
    assert sorted(g["slug"] for g in body["genres"]) == sorted([jazz.slug, soul.slug])
    nina.refresh_from_db()
    assert (nina.stage_name, nina.city, nina.bio) == (
        "Nina V.",
        "Genova",
        "Songs from the harbour.",
    )
    assert "genova" in nina.search_text  # through the service, which keeps search in step


def test_a_new_address_is_lower_cased_and_the_profile_moves_there(artist_api: APIClient, nina):
    response = artist_api.patch(detail_url("nina-vale"), {"slug": "Nina-Sings"})
    assert response.status_code == 200, response.content
    assert response.json()["page_url"] == "/artists/nina-sings/"
    assert artist_api.get(detail_url("nina-sings")).status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"instagram_url": "https://example.com/nina"}, "instagram_url"),
        ({"website_url": "not a url"}, "website_url"),
        ({"stage_name": ""}, "stage_name"),
        ({"stage_name": "x" * 121}, "stage_name"),
        ({"country": "XX"}, "country"),
        ({"slug": "has spaces"}, "slug"),
        ({"genres": ["no-such-genre"]}, "genres"),
        ({"genres": "jazz"}, "genres"),
        ({"stage_name": ["Nina"]}, "stage_name"),
        ({"is_on_roster": True}, "is_on_roster"),
        ({"rating_average": "5.00"}, "rating_average"),
    ],
)
def test_invalid_changes_are_refused_naming_the_field_and_nothing_changes(
    artist_api: APIClient, nina, payload: dict, field: str
):
    before = snapshot(nina)
    assert_error(artist_api.patch(detail_url("nina-vale"), payload), 400, fields=[field])
    assert snapshot(nina) == before


def test_an_address_someone_else_has_is_refused(artist_api: APIClient, nina):
    ArtistFactory.create(slug="taken")
    assert_error(artist_api.patch(detail_url("nina-vale"), {"slug": "taken"}), 400, fields=["slug"])


def test_malformed_json_is_a_400_and_changes_nothing(artist_api: APIClient, nina):
    before = snapshot(nina)
    response = artist_api.patch(
        detail_url("nina-vale"), '{"city": "Genova"', content_type="application/json"
    )
    assert_error(response, 400, code="parse_error")
    assert snapshot(nina) == before


def test_only_the_owner_changes_a_profile(
    api_client: APIClient, stranger_api: APIClient, admin_api: APIClient, nina
):
    before = snapshot(nina)
    assert_error(api_client.patch(detail_url("nina-vale"), {"city": "Roma"}), 401)
    # Another user, a label admin included, is told the profile's edit address does not exist.
    assert_error(stranger_api.patch(detail_url("nina-vale"), {"city": "Roma"}), 404)
    assert_error(admin_api.patch(detail_url("nina-vale"), {"city": "Roma"}), 404)
    assert snapshot(nina) == before


def test_put_is_not_offered(artist_api: APIClient, nina):
    assert_error(artist_api.put(detail_url("nina-vale"), {"city": "Roma"}), 405)


# --- The roster ---------------------------------------------------------------------------------


def test_a_label_admin_signs_an_artist_to_the_roster_and_takes_them_off(admin_api: APIClient, nina):
    response = admin_api.post(detail_url("nina-vale") + "roster/", {"on_roster": True})
    assert response.status_code == 200, response.content
    assert response.json()["is_on_roster"] is True
    admin_api.post(detail_url("nina-vale") + "roster/", {"on_roster": False})
    nina.refresh_from_db()
    assert nina.is_on_roster is False


def test_nobody_else_changes_the_roster(
    api_client: APIClient, artist_api: APIClient, stranger_api: APIClient, nina
):
    url = detail_url("nina-vale") + "roster/"
    assert_error(api_client.post(url, {"on_roster": True}), 401)
    assert_error(artist_api.post(url, {"on_roster": True}), 403)
    assert_error(stranger_api.post(url, {"on_roster": True}), 403)
    nina.refresh_from_db()
    assert nina.is_on_roster is False


def test_the_roster_switch_needs_a_boolean(admin_api: APIClient, nina):
    url = detail_url("nina-vale") + "roster/"
    assert_error(admin_api.post(url, {}), 400, fields=["on_roster"])
    assert_error(admin_api.post(url, {"on_roster": "perhaps"}), 400, fields=["on_roster"])
    assert_error(admin_api.post(url, {"on_roster": True, "why": "x"}), 400, fields=["why"])
