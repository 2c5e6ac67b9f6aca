"""The directories' rating: stars and count on the cards, the minimum-rating filter and the
best-rated sort (issue 3 point 6), all from the profiles' denormalised rating columns."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from tests.directory.factories import make_artist, make_associate
from tests.directory.test_query_counts import ARTIST_QUERIES, ASSOCIATE_QUERIES, HTMX

pytestmark = pytest.mark.django_db


def rated[Profile: (Associate, Artist)](
    profile: Profile, average: str | None, count: int
) -> Profile:
    """Set the rating the reviews services keep, without writing reviews."""
    type(profile).objects.filter(pk=profile.pk).update(
        rating_average=Decimal(average) if average is not None else None, rating_count=count
    )
    return profile


def card_names(content: bytes) -> list[str]:
    return re.findall(r'class="profile-card__link" href="[^"]*">([^<]+)</a>', content.decode())


@pytest.fixture
def professionals() -> dict[str, Associate]:
    return {
        name: rated(make_associate(name), average, count)
        for name, average, count in [
            ("Ada Top", "4.80", 3),
            ("Bea Busy", "4.80", 40),
            ("Cy Good", "4.20", 5),
            ("Di Fair", "3.00", 2),
            ("Ed Low", "2.50", 4),
            ("Fay New", None, 0),
        ]
    }


@pytest.mark.parametrize(
    ("minimum", "names"),
    [
        ("3", {"Ada Top", "Bea Busy", "Cy Good", "Di Fair"}),
        ("4", {"Ada Top", "Bea Busy", "Cy Good"}),
        ("4.5", {"Ada Top", "Bea Busy"}),
    ],
)
def test_minimum_rating_keeps_profiles_rated_at_least_that(
    client: Client, professionals: dict[str, Associate], minimum: str, names: set[str]
):
    response = client.get("/associates/", {"min_rating": minimum})

    assert set(card_names(response.content)) == names  # unrated profiles drop out too


def test_best_rated_sort_puts_more_reviews_first_on_a_tie_and_unrated_last(
    client: Client, professionals: dict[str, Associate]
):
    response = client.get("/associates/", {"sort": "rating"})

    assert card_names(response.content) == [
        "Bea Busy",
        "Ada Top",
        "Cy Good",
        "Di Fair",
        "Ed Low",
        "Fay New",
    ]


def test_best_rated_sort_keeps_filters_and_pushes_a_shareable_address(
    client: Client, professionals: dict[str, Associate]
):
    response = client.get(
        "/associates/", {"sort": "rating", "min_rating": "4", "q": ""}, headers=HTMX
    )

    assert card_names(response.content) == ["Bea Busy", "Ada Top", "Cy Good"]
    assert response["HX-Push-Url"] == "/associates/?min_rating=4&sort=rating"


def test_unknown_minimum_rating_is_explained_and_ignored(
    client: Client, professionals: dict[str, Associate]
):
    response = client.get("/associates/", {"min_rating": "9"})

    assert response.status_code == 200
    assert "“9” is not a minimum rating to choose" in response.content.decode()
    assert len(card_names(response.content)) == len(professionals)


def test_cards_show_stars_and_count_only_when_rated(
    client: Client, professionals: dict[str, Associate]
):
    page = client.get("/associates/", {"sort": "name"}).content.decode()
    cards = page.split('<article class="profile-card">')[1:]

    ada = next(card for card in cards if "Ada Top" in card)
    fay = next(card for card in cards if "Fay New" in card)
    assert "4.8" in ada
    assert "(3 reviews)" in ada
    assert "out of 5 stars" in ada
    assert "profile-card__rating" not in fay


def test_artist_directory_filters_and_sorts_by_rating(client: Client):
    for name, average, count in [
        ("Nova", "3.50", 2),
        ("Lumen", "4.90", 8),
        ("Quiet", None, 0),
    ]:
        rated(make_artist(name), average, count)

    best_first = client.get("/artists/", {"sort": "rating"})
    four_up = client.get("/artists/", {"min_rating": "4"})
    bad = client.get("/artists/", {"min_rating": "zero"})

    assert card_names(best_first.content) == ["Lumen", "Nova", "Quiet"]
    assert card_names(four_up.content) == ["Lumen"]
    assert "(8 reviews)" in four_up.content.decode()
    assert bad.status_code == 200
    assert "not a minimum rating to choose" in bad.content.decode()
    assert len(card_names(bad.content)) == 3


@pytest.mark.parametrize("rows", [1, 30], ids=["1-result", "30-results"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_rating_filter_and_sort_cost_no_query(
    client: Client, django_assert_num_queries, rows: int, headers: dict[str, str]
):
    for index in range(rows):
        rated(make_associate(f"Pro {index}", professions=["producer"]), "4.50", index + 1)
        rated(make_artist(f"Singer {index}"), "4.50", index + 1)

    with django_assert_num_queries(ASSOCIATE_QUERIES):
        associates = client.get("/associates/?min_rating=4&sort=rating", headers=headers)
    with django_assert_num_queries(ARTIST_QUERIES):
        artists = client.get("/artists/?min_rating=4.5&sort=rating", headers=headers)

    assert len(card_names(associates.content)) == min(rows, 20)
    assert len(card_names(artists.content)) == min(rows, 20)
