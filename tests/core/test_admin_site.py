"""The admin site refuses a NUL character in the query (mylabel/core/admin_site.py): PostgreSQL
text cannot hold one, so a list filter or search with it was a 500 there."""

import pytest
from django.contrib import admin
from django.test import Client

from mylabel.core.admin_site import AdminSite

pytestmark = pytest.mark.django_db


def test_it_is_the_admin_site():
    assert isinstance(admin.site._wrapped, AdminSite)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "address",
    [
        "/admin/payments/payment/?currency=%00",
        "/admin/portfolio/portfolioitem/?q=a%00b",
        # A third-party app's admin goes through the same site.
        "/admin/django_tasks_database/dbtaskresult/?status__exact=%00",
    ],
)
def test_a_nul_in_the_query_is_a_clear_400(admin_client: Client, address: str):
    response = admin_client.get(address)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_the_lists_still_filter_and_search(admin_client: Client):
    assert admin_client.get("/admin/payments/payment/?currency=eur").status_code == 200
    assert admin_client.get("/admin/portfolio/portfolioitem/?q=studio").status_code == 200
