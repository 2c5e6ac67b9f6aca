"""/api/v1/associates/: the professionals directory (the site's rules and filters), profiles
and the owner's edits (issue 7 §2). Services and free times: test_services.py, test_slots.py."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mylabel.associates.models import Associate, Profession
from mylabel.associates.services import refresh_associate_search
from tests.api.helpers import assert_error
from tests.bookings.lifecycle_helpers import make_service
from tests.profile_factories import AssociateFactory, genres

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/associates/"


def detail_url(slug: str) -> str:
    return f"/api/v1/associates/{slug}/"


def searchable(associate: Associate) -> Associate:
    """``associate`` with the search columns its service would have written."""
    refresh_associate_search(associate)
    return associate


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [card["slug"] for card in response.json()["results"]]


def snapshot(associate: Associate) -> dict:
    row = Associate.objects.filter(pk=associate.pk).values().get()
    return {
        **row,
        "genres": sorted(associate.genres.values_list("slug", flat=True)),
        "professions": sorted(associate.professions.values_list("slug", flat=True)),
    }


# --- The directory ------------------------------------------------------------------------------


def test_anyone_lists_the_professionals_whose_accounts_are_active(api_client: APIClient, marco):
    hidden = AssociateFactory.create(user__is_active=False)
    make_service(marco, price=Decimal("80.00"))
    response = api_client.get(LIST_URL)
    assert slugs(response) == ["marco-riva"]
    assert hidden.slug not in response.content.decode()
    card = response.json()["results"][0]
    assert card["headline"] == "Mixing engineer for indie and soul"
    assert card["professions"] == [{"slug": "producer", "name": "Producer"}]
    assert (card["lowest_price"], card["lowest_price_currency"]) == ("80.00", "EUR")
    assert "bio" not in card


def test_the_list_searches_filters_and_sorts_like_the_directory(api_client: APIClient, marco):
    jazz = genres(1)[0]
    engineer = Profession.objects.exclude(slug="producer").first()
    assert engineer is not None
    lena = searchable(
        AssociateFactory.create(
            display_name="Lena Kraus",
            city="Berlin",
            works_remotely=False,
            professions=[engineer],
            genres=[jazz],
        )
    )
    make_service(lena, price=Decimal("40.00"))
    make_service(marco, price=Decimal("300.00"))
    Associate.objects.filter(pk=lena.pk).update(rating_average=Decimal("4.20"), rating_count=2)
    assert slugs(api_client.get(LIST_URL, {"q": "lena"})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"profession": engineer.slug})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"genre": jazz.slug})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"city": "berlin"})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"remote": "true"})) == ["marco-riva"]
    assert slugs(api_client.get(LIST_URL, {"min_rating": "4"})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"max_price": "50"})) == [lena.slug]
    assert slugs(api_client.get(LIST_URL, {"min_price": "100,00"})) == ["marco-riva"]
    assert slugs(api_client.get(LIST_URL, {"sort": "price_asc"})) == [lena.slug, "marco-riva"]
    assert slugs(api_client.get(LIST_URL, {"sort": "price_desc"})) == ["marco-riva", lena.slug]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"profession": "astronaut"}, "profession"),
        ({"genre": "no-such-genre"}, "genre"),
        ({"sort": "cheapest"}, "sort"),
        ({"min_price": "-5"}, "min_price"),
        ({"min_price": "1e3"}, "min_price"),
        ({"max_price": "12.345"}, "max_price"),
        ({"max_price": "NaN"}, "max_price"),
        ({"min_price": "100", "max_price": "50"}, "max_price"),
        ({"min_rating": "2"}, "min_rating"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(api_client: APIClient, marco, query, field):
    assert_error(api_client.get(LIST_URL, query), 400, fields=[field])


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_one_or_fifty_professionals(
    api_client: APIClient, django_assert_num_queries, rows: int
):
    for associate in AssociateFactory.create_batch(rows, genres=genres(2)):
        make_service(associate)
    # The count, the page's rows (lowest price in the same query), genres, professions.
    with django_assert_num_queries(4):
        response = api_client.get(LIST_URL, {"page_size": "50", "sort": "price_asc"})
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_a_signed_in_search_costs_the_same_queries_for_one_or_fifty_professionals(
    associate_api: APIClient, django_assert_num_queries, rows: int
):
    for associate in AssociateFactory.create_batch(rows, display_name="Echo Lane"):
        searchable(associate)
    associate_api.get(LIST_URL)  # the token's last use is recorded once, on the first request
    # The token, the profession, the count, the rows, genres, professions.
    with django_assert_num_queries(6):
        response = associate_api.get(
            LIST_URL, {"page_size": "50", "q": "echo lane", "profession": "producer"}
        )
    assert len(response.json()["results"]) == rows


@pytest.mark.postgres
def test_a_search_is_paged_by_its_ranking_with_the_count_in_it(api_client: APIClient):
    """On PostgreSQL a relevance-sorted search pages through ``ranked_page`` (no separate
    COUNT), and its pages still add up to every match, with DRF's links and errors."""
    expected = sorted(
        searchable(AssociateFactory.create(display_name=f"Echo Lane {index}")).slug
        for index in range(5)
    )
    seen: list[str] = []
    url: str | None = f"{LIST_URL}?q=echo&page_size=2"
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url)
        body = response.json()
        assert body["count"] == 5
        assert not any('AS "__count"' in query["sql"] for query in queries.captured_queries)
        seen += slugs(response)
        url = body["next"]

    assert sorted(seen) == expected
    assert len(seen) == 5
    assert_error(api_client.get(LIST_URL, {"q": "echo", "page_size": "2", "page": "4"}), 404)
    assert_error(api_client.get(LIST_URL, {"q": "echo", "page": "0"}), 404)


# --- A profile ----------------------------------------------------------------------------------


def test_anyone_reads_a_profile(api_client: APIClient, marco):
    response = api_client.get(detail_url("marco-riva"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Marco Riva"
    assert body["languages"] == ["it", "en"]
    assert body["page_url"] == "/associates/marco-riva/"


def test_a_profile_of_an_inactive_account_is_404_even_to_a_label_admin(admin_api: APIClient):
    hidden = AssociateFactory.create(user__is_active=False)
    assert_error(admin_api.get(detail_url(hidden.slug)), 404)


# --- The owner's changes ------------------------------------------------------------------------


def test_the_owner_changes_fields_professions_and_genres(associate_api: APIClient, marco):
    jazz = genres(1)[0]
    engineer = Profession.objects.exclude(slug="producer").first()
    assert engineer is not None
    response = associate_api.patch(
        detail_url("marco-riva"),
        {
            "headline": "Mastering for vinyl",
            "works_remotely": False,
            "years_experience": 12,
            "languages": ["en", "fr"],
            "professions": [engineer.slug],
            "genres": [jazz.slug],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["professions"] == [{"slug": engineer.slug, "name": engineer.name}]
    assert body["genres"] == [{"slug": jazz.slug, "name": jazz.name}]
    marco.refresh_from_db()
    assert (marco.headline, marco.works_remotely, marco.years_experience, marco.languages) == (
        "Mastering for vinyl",
        False,
        12,
        ["en", "fr"],
    )
    assert "mastering" in marco.search_text


def test_a_new_address_is_lower_cased_and_a_taken_one_refused(associate_api: APIClient, marco):
    AssociateFactory.create(slug="taken")
    assert_error(
        associate_api.patch(detail_url("marco-riva"), {"slug": "Taken"}), 400, fields=["slug"]
    )
    response = associate_api.patch(detail_url("marco-riva"), {"slug": "Marco-Mixes"})
    assert response.status_code == 200, response.content
    assert response.json()["page_url"] == "/associates/marco-mixes/"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"professions": []}, "professions"),
        ({"professions": ["astronaut"]}, "professions"),
        ({"languages": ["xx"]}, "languages.0"),
        ({"languages": "en"}, "languages"),
        ({"years_experience": 81}, "years_experience"),
        ({"years_experience": "many"}, "years_experience"),
        ({"works_remotely": "perhaps"}, "works_remotely"),
        ({"headline": ""}, "headline"),
        ({"website_url": "example dot com"}, "website_url"),
        ({"country": "Italy"}, "country"),
        ({"buffer_minutes": 10}, "buffer_minutes"),
    ],
)
def test_invalid_changes_are_refused_naming_the_field_and_nothing_changes(
    associate_api: APIClient, marco, payload: dict, field: str
):
    before = snapshot(marco)
    assert_error(associate_api.patch(detail_url("marco-riva"), payload), 400, fields=[field])
    assert snapshot(marco) == before


def test_only_the_owner_changes_a_profile(
    api_client: APIClient, stranger_api: APIClient, admin_api: APIClient, marco
):
    before = snapshot(marco)
    assert_error(api_client.patch(detail_url("marco-riva"), {"city": "Roma"}), 401)
    assert_error(stranger_api.patch(detail_url("marco-riva"), {"city": "Roma"}), 404)
    assert_error(admin_api.patch(detail_url("marco-riva"), {"city": "Roma"}), 404)
    assert snapshot(marco) == before
