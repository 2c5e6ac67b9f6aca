"""Prices in the professionals directory (issue 4 point 1): cards say "from €X" (the cheapest
active service), the list filters by a price range over active services and sorts by price, bad
price values are dropped with a message, and the query count stays fixed."""

from decimal import Decimal

import pytest
from django.test import Client

from mylabel.associates.models import Associate, Service
from mylabel.associates.services import add_service
from tests.directory.factories import make_associate
from tests.directory.test_query_counts import ASSOCIATE_QUERIES
from tests.htmx import HTMX

pytestmark = pytest.mark.django_db


def priced(name: str, *prices: str, inactive: tuple[str, ...] = (), currency: str = "EUR"):
    associate = make_associate(name)
    for price in prices:
        add_service(
            associate=associate,
            by=associate.user,
            name="S",
            price=Decimal(price),
            currency=currency,
        )
    for price in inactive:
        add_service(
            associate=associate,
            by=associate.user,
            name="Old",
            price=Decimal(price),
            is_active=False,
        )
    return associate


def names(response) -> list[str]:
    return [associate.display_name for associate in response.context["page_obj"].object_list]


def test_cards_show_the_cheapest_active_service(client: Client):
    priced("Cheap Ada", "250", "80.50", inactive=("10",))
    priced("Pound Bo", "1200", currency="GBP")
    make_associate("No Services Cy")
    priced("Only Retired Di", inactive=("5",))

    page = client.get("/associates/?sort=name").content.decode()

    assert "from €80.50" in page
    assert "from £1,200" in page
    assert "€10" not in page
    assert "€5" not in page
    assert page.count('class="profile-card__price"') == 2


def test_a_free_service_shows_as_from_zero(client: Client):
    priced("Free Fay", "0")

    assert "from €0" in client.get("/associates/").content.decode()


def test_the_price_range_keeps_those_with_an_active_service_within_it(client: Client):
    priced("Ada", "50")
    priced("Bo", "100", "400")
    priced("Cy", "300")
    priced("Di", "500", inactive=("150",))
    make_associate("Ed")

    response = client.get("/associates/?min_price=100&max_price=200&sort=name")

    assert names(response) == ["Bo"]  # ends are inclusive; Di's 150 is retired
    assert names(client.get("/associates/?min_price=301&sort=name")) == ["Bo", "Di"]
    assert names(client.get("/associates/?max_price=99.99&sort=name")) == ["Ada"]


def test_each_associate_appears_once_however_many_services_match(client: Client):
    priced("Ada", "10", "20", "30")

    assert names(client.get("/associates/?max_price=100")) == ["Ada"]


def test_sorting_by_price_puts_those_without_services_last(client: Client):
    priced("Ada", "300")
    priced("Bo", "50", "900")
    make_associate("Cy")
    priced("Di", "120", inactive=("1",))

    assert names(client.get("/associates/?sort=price_asc")) == ["Bo", "Di", "Ada", "Cy"]
    assert names(client.get("/associates/?sort=price_desc")) == ["Ada", "Di", "Bo", "Cy"]


def test_sorting_by_price_works_with_a_search(client: Client):
    priced("Producer Ada", "300")
    priced("Producer Bo", "50")

    response = client.get("/associates/?q=producer&sort=price_asc", headers=HTMX)

    assert names(response) == ["Producer Bo", "Producer Ada"]


def test_the_price_filters_and_sorts_are_offered_and_kept_in_the_address(client: Client):
    for index in range(25):
        priced(f"Pro {index:02}", str(100 + index))

    page = client.get("/associates/?min_price=100&sort=price_asc")
    fragment = client.get("/associates/?min_price=100&max_price=&sort=price_asc", headers=HTMX)

    html = page.content.decode()
    assert 'name="min_price"' in html
    assert 'name="max_price"' in html
    assert '<option value="price_asc" selected>' in html
    assert '<option value="price_desc">' in html
    assert "min_price=100&amp;sort=price_asc&amp;page=2" in html
    assert fragment["HX-Push-Url"] == "/associates/?min_price=100&sort=price_asc"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("min_price=abc", "A price is a number, like 120, so the results are not filtered"),
        ("max_price=-5", "A price cannot be negative, so the results are not filtered"),
        ("min_price=1e9", "A price is a number, like 120, so the results are not filtered"),
        ("max_price=10.555", "A price has at most two decimals, so the results are not filtered"),
        ("max_price=123456789012", "That price is too high, so the results are not filtered"),
        (
            "min_price=100&max_price=50",
            "The maximum price is below the minimum, so the results are not filtered by maximum",
        ),
        ("sort=price_sideways", "is not a way to sort this list"),
    ],
)
def test_bad_price_values_are_dropped_with_a_message(client: Client, query: str, problem: str):
    priced("Ada", "50")
    priced("Bo", "150")

    response = client.get(f"/associates/?{query}")

    assert response.status_code == 200
    assert problem in response.content.decode()
    # Only the bad value is dropped: a good minimum still filters.
    expected = ["Bo"] if query.startswith("min_price=100") else ["Ada", "Bo"]
    assert sorted(names(response)) == expected


def test_a_decimal_comma_filters_too(client: Client):
    priced("Ada", "49.50")
    priced("Bo", "49.60")

    assert names(client.get("/associates/?max_price=49,50")) == ["Ada"]


@pytest.fixture(params=[1, 50], ids=["1-result", "50-results"])
def priced_associates(request: pytest.FixtureRequest) -> list[Associate]:
    associates = [
        make_associate(f"Producer {index}", genres=["soul"], city="Milan")
        for index in range(request.param)
    ]
    Service.objects.bulk_create(
        Service(associate=associate, name=f"S{n}", price=Decimal(10 * n + index), position=n)
        for index, associate in enumerate(associates)
        for n in range(1, 4)
    )
    return associates


@pytest.mark.parametrize(
    "url",
    [
        "/associates/?sort=price_asc",
        "/associates/?sort=price_desc&min_price=5&max_price=1000",
        "/associates/?genre=soul&city=milan&min_price=10",
        "/associates/?q=prod&sort=price_asc&max_price=1000",
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_price_filters_and_sorts_cost_no_extra_query(
    client: Client, django_assert_num_queries, priced_associates: list, url: str, headers: dict
):
    with django_assert_num_queries(ASSOCIATE_QUERIES):
        response = client.get(url, headers=headers)

    html = response.content.decode()
    assert html.count('class="profile-card__price"') == min(len(priced_associates), 20)
