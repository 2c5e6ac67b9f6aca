"""/api/v1/associates/{slug}/services/: a professional's services, public to read, changed by
their owner only through the services the profile page uses (issue 7 §2)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from mylabel.associates.models import Service
from tests.api.helpers import assert_error
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day
from tests.profile_factories import AssociateFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/associates/marco-riva/services/"


def detail_url(service: Service, slug: str = "marco-riva") -> str:
    return f"/api/v1/associates/{slug}/services/{service.pk}/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [service["name"] for service in response.json()["results"]]


def snapshot() -> list[dict]:
    return [dict(row) for row in Service.objects.order_by("pk").values()]


NEW_SERVICE = {
    "name": "Vocal coaching",
    "price": "49,50",
    "currency": "GBP",
    "pricing_unit": "hour",
    "duration_minutes": 90,
    "deposit_percent": 20,
}


# --- Reading ------------------------------------------------------------------------------------


def test_visitors_see_the_bookable_services_in_the_owners_order(api_client: APIClient, marco):
    second = make_service(marco, name="Mastering", position=2)
    make_service(marco, name="Mixing", position=1)
    make_service(marco, name="Old offer", position=3, is_active=False)
    assert names(api_client.get(LIST_URL)) == ["Mixing", "Mastering"]
    response = api_client.get(detail_url(second))
    assert response.status_code == 200, response.content
    assert response.json()["price"] == "200.00"


def test_the_owner_also_sees_the_services_no_longer_bookable(associate_api: APIClient, marco):
    old = make_service(marco, name="Old offer", is_active=False)
    assert names(associate_api.get(LIST_URL)) == ["Old offer"]
    assert associate_api.get(detail_url(old)).status_code == 200


def test_a_service_not_bookable_or_of_another_profile_is_404_to_visitors(
    stranger_api: APIClient, marco
):
    old = make_service(marco, is_active=False)
    other = make_service(AssociateFactory.create(slug="lena"))
    assert_error(stranger_api.get(detail_url(old)), 404)
    assert_error(stranger_api.get(detail_url(other)), 404)
    assert_error(stranger_api.get("/api/v1/associates/nobody/services/"), 404)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_one_or_fifty_services(
    api_client: APIClient, marco, django_assert_num_queries, rows: int
):
    for position in range(rows):
        make_service(marco, position=position)
    # The profile (with its user, genres, professions), the count, the rows.
    with django_assert_num_queries(5):
        response = api_client.get(LIST_URL, {"page_size": "50"})
    assert len(response.json()["results"]) == rows


# --- Adding -------------------------------------------------------------------------------------


def test_the_owner_adds_a_service_at_the_end_of_the_list(associate_api: APIClient, marco):
    make_service(marco, position=4)
    response = associate_api.post(LIST_URL, NEW_SERVICE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["price"], body["currency"], body["deposit_percent"]) == ("49.50", "GBP", 20)
    service = Service.objects.get(pk=body["id"])
    assert service.price == Decimal("49.50")
    assert service.position == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-5"}, "price"),
        ({"price": "1e3"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": True}, "price"),
        ({"price": ["10"]}, "price"),
        ({"price": "12345678901"}, "price"),
        ({"currency": "JPY"}, "currency"),
        ({"pricing_unit": "day"}, "pricing_unit"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"deposit_percent": 101}, "deposit_percent"),
        ({"free_cancellation_hours": -1}, "free_cancellation_hours"),
        ({"late_cancellation_refund_percent": "half"}, "late_cancellation_refund_percent"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"position": 1}, "position"),
        ({"associate": 1}, "associate"),
    ],
)
def test_an_invalid_service_is_refused_naming_the_field_and_nothing_is_added(
    associate_api: APIClient, marco, changes: dict, field: str
):
    assert_error(associate_api.post(LIST_URL, {**NEW_SERVICE, **changes}), 400, fields=[field])
    assert not Service.objects.exists()


def test_a_name_and_a_price_are_required(associate_api: APIClient, marco):
    assert_error(associate_api.post(LIST_URL, {}), 400, fields=["name", "price"])


def test_only_the_owner_adds_services(
    api_client: APIClient, stranger_api: APIClient, admin_api: APIClient, artist_api, marco
):
    assert_error(api_client.post(LIST_URL, NEW_SERVICE), 401)
    for client in (stranger_api, admin_api, artist_api):
        assert_error(client.post(LIST_URL, NEW_SERVICE), 404)
    assert not Service.objects.exists()


# --- Changing and removing ----------------------------------------------------------------------


def test_the_owner_changes_some_fields_and_the_rest_stays(associate_api: APIClient, marco):
    service = make_service(marco)
    response = associate_api.patch(detail_url(service), {"price": 120, "is_active": False})
    assert response.status_code == 200, response.content
    service.refresh_from_db()
    assert (service.price, service.is_active, service.name) == (
        Decimal("120"),
        False,
        "Mixing session",
    )


def test_an_invalid_change_is_refused_and_nothing_changes(associate_api: APIClient, marco):
    service = make_service(marco)
    before = snapshot()
    assert_error(associate_api.patch(detail_url(service), {"deposit_percent": 150}), 400)
    assert_error(associate_api.patch(detail_url(service), {"id": 9}), 400, fields=["id"])
    assert snapshot() == before


def test_another_users_service_is_404_and_unchanged(
    associate_api: APIClient, stranger_api: APIClient, admin_api: APIClient, marco
):
    lena = AssociateFactory.create(slug="lena")
    theirs = make_service(lena)
    mine = make_service(marco)
    before = snapshot()
    # Marco's own address with Lena's service, and Lena's address: neither reaches it.
    assert_error(associate_api.patch(detail_url(theirs), {"price": "1"}), 404)
    assert_error(associate_api.patch(detail_url(theirs, "lena"), {"price": "1"}), 404)
    assert_error(associate_api.delete(detail_url(theirs, "lena")), 404)
    for client in (stranger_api, admin_api):
        assert_error(client.patch(detail_url(mine), {"price": "1"}), 404)
        assert_error(client.delete(detail_url(mine)), 404)
    assert snapshot() == before


def test_a_service_without_bookings_is_deleted(associate_api: APIClient, marco):
    service = make_service(marco)
    response = associate_api.delete(detail_url(service))
    assert response.status_code == 204
    assert not Service.objects.exists()


def test_a_service_with_bookings_is_kept_but_no_longer_bookable(
    associate_api: APIClient, marco, nina
):
    open_every_day(marco)
    service = make_service(marco)
    book(nina, service)
    response = associate_api.delete(detail_url(service))
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    service.refresh_from_db()
    assert service.is_active is False


def test_an_id_that_is_not_a_number_is_404(associate_api: APIClient, marco):
    assert_error(associate_api.get(LIST_URL + "abc/"), 404)
    assert_error(associate_api.get(LIST_URL + "99999999999999999/"), 404)
