"""An associate's services (issue 4 point 1): the services that change them, the profile section
that shows them to visitors and lets the owner add, edit, reorder and remove them inline, and how
their terms read."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates import services
from mylabel.associates.models import Associate, Service
from mylabel.associates.templatetags.service_display import (
    cancellation_policy,
    deposit,
    duration,
    money,
    service_price,
)
from mylabel.bookings.models import Booking, Status
from tests.factories import UserFactory
from tests.htmx import HTMX
from tests.profile_factories import AssociateFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Mixing, one song",
    "description": "Stems in, a radio-ready mix out.",
    "price": "120",
    "currency": "EUR",
    "pricing_unit": "session",
    "duration_minutes": "90",
    "deposit_percent": "30",
    "free_cancellation_hours": "48",
    "late_cancellation_refund_percent": "50",
    "is_active": "on",
}


def make_service(associate: Associate, **fields: Any) -> Service:
    values: dict[str, Any] = {"name": "Mixing", "price": Decimal("120")} | fields
    return services.add_service(associate=associate, by=associate.user, **values)


def book(service: Service, artist: Artist, status: str = Status.COMPLETED) -> Booking:
    start = timezone.now() - timedelta(days=3)
    return Booking.objects.create(
        artist=artist,
        associate=service.associate,
        service=service,
        start=start,
        end=start + service.duration,
        blocked_until=start + service.duration,
        status=status,
        price=service.price,
        currency=service.currency,
        expires_at=start,
    )


def services_url(marco: Associate, name: str, *args: Any) -> str:
    return reverse(f"associates:{name}", args=[marco.slug, *args])


# --- Services (the write side) ------------------------------------------------------------------


def test_added_services_go_to_the_end_of_the_list_with_decimal_prices(marco: Associate):
    first = make_service(marco, name="Mixing", price=Decimal("120.50"))
    second = make_service(marco, name="Mastering", price=Decimal("0"))

    assert list(Service.objects.for_profile(marco, include_inactive=True)) == [first, second]
    first.refresh_from_db()
    assert first.price == Decimal("120.50")
    assert first.currency == "EUR"


def test_only_the_owner_can_add_a_service(marco: Associate, outsider: User):
    with pytest.raises(PermissionDenied):
        services.add_service(associate=marco, by=outsider, name="Mixing", price=Decimal("1"))

    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"price": Decimal("-1")}, "price"),
        ({"price": Decimal("10.555")}, "price"),
        ({"currency": "XYZ"}, "currency"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"deposit_percent": 101}, "deposit_percent"),
        ({"name": "   "}, "name"),
        ({"pricing_unit": "forever"}, "pricing_unit"),
    ],
)
def test_a_service_with_bad_terms_is_refused_and_nothing_is_saved(
    marco: Associate, fields: dict[str, Any], field: str
):
    with pytest.raises(ValidationError) as error:
        make_service(marco, **fields)

    assert field in error.value.message_dict
    assert not Service.objects.exists()


def test_a_float_price_is_a_programming_error(marco: Associate):
    with pytest.raises(TypeError):
        make_service(marco, price=120.5)


def test_the_owner_updates_a_service_and_nobody_else_can(marco: Associate, outsider: User):
    service = make_service(marco)

    services.update_service(service=service, by=marco.user, price=Decimal("99.90"))
    with pytest.raises(PermissionDenied):
        services.update_service(service=service, by=outsider, price=Decimal("1"))

    service.refresh_from_db()
    assert service.price == Decimal("99.90")


def test_a_service_without_bookings_is_deleted(marco: Associate):
    service = make_service(marco)

    assert services.delete_or_deactivate_service(service=service, by=marco.user) is True

    assert not Service.objects.exists()


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.COMPLETED, Status.CANCELLED])
def test_a_service_with_bookings_is_deactivated_never_deleted(
    marco: Associate, nina: Artist, status: str
):
    service = make_service(marco)
    booking = book(service, nina, status)

    assert services.delete_or_deactivate_service(service=service, by=marco.user) is False

    service.refresh_from_db()
    assert service.is_active is False
    booking.refresh_from_db()
    assert booking.service_id == service.pk


def test_only_the_owner_can_remove_a_service(marco: Associate, outsider: User):
    service = make_service(marco)

    with pytest.raises(PermissionDenied):
        services.delete_or_deactivate_service(service=service, by=outsider)

    assert Service.objects.filter(pk=service.pk, is_active=True).exists()


def test_moving_a_service_reorders_and_stays_put_at_either_end(marco: Associate):
    a, b, c = (make_service(marco, name=name) for name in "ABC")

    services.move_service(service=c, by=marco.user, offset=-1)
    services.move_service(service=a, by=marco.user, offset=-1)  # already first
    services.move_service(service=b, by=marco.user, offset=1)  # already last now

    assert [s.name for s in Service.objects.for_profile(marco, include_inactive=True)] == [
        "A",
        "C",
        "B",
    ]


def test_only_the_owner_can_move_a_service(marco: Associate, outsider: User):
    make_service(marco, name="A")
    b = make_service(marco, name="B")

    with pytest.raises(PermissionDenied):
        services.move_service(service=b, by=outsider, offset=-1)


# --- How terms read -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("120"), "EUR", "€120"),
        (Decimal("49.5"), "EUR", "€49.50"),
        (Decimal("1200"), "GBP", "£1,200"),
        (Decimal("0"), "USD", "$0"),
        (Decimal("80"), "CHF", "CHF 80"),
    ],
)
def test_money_reads_with_its_currency(amount: Decimal, currency: str, shown: str):
    assert money(amount, currency) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("120"), "EUR", "120\u00a0€"),
        (Decimal("49.5"), "EUR", "49,50\u00a0€"),
        (Decimal("1234.5"), "EUR", "1.234,50\u00a0€"),
        (Decimal("1200"), "GBP", "1.200\u00a0£"),
        (Decimal("80"), "CHF", "80\u00a0CHF"),
    ],
)
def test_money_reads_the_italian_way_in_italian(amount: Decimal, currency: str, shown: str):
    with translation.override("it"):
        assert money(amount, currency) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"), [(45, "45 min"), (60, "1 h"), (90, "1 h 30 min"), (720, "12 h")]
)
def test_durations_read_in_hours_and_minutes(minutes: int, shown: str):
    assert duration(minutes) == shown


def test_price_deposit_and_policy_read_as_sentences():
    service = Service(
        price=Decimal("120"),
        currency="EUR",
        pricing_unit=Service.PricingUnit.HOUR,
        deposit_percent=30,
        free_cancellation_hours=48,
        late_cancellation_refund_percent=50,
    )

    assert service_price(service) == "€120 per hour"
    assert deposit(service) == "30% up front (€36)"
    assert cancellation_policy(service) == (
        "Full refund if cancelled at least 48 hours before the start; 50% refund after that."
    )
    service.late_cancellation_refund_percent = 0
    service.free_cancellation_hours = 1
    assert cancellation_policy(service) == (
        "Full refund if cancelled at least 1 hour before the start; no refund after that."
    )
    service.late_cancellation_refund_percent = 100
    assert cancellation_policy(service) == "Free cancellation up to the start."
    service.deposit_percent = 0
    assert deposit(service) == "No deposit"


# --- The profile section: visitors --------------------------------------------------------------


def test_visitors_see_active_services_with_their_terms_and_a_book_link(
    client: Client, marco: Associate
):
    service = make_service(
        marco,
        name="Vocal coaching",
        description="Breath & range.",
        price=Decimal("45"),
        pricing_unit="hour",
        duration_minutes=90,
        deposit_percent=20,
    )
    make_service(marco, name="Secret project", is_active=False)

    page = client.get(marco.get_absolute_url()).content.decode()

    assert 'id="section-services"' in page
    assert "Vocal coaching" in page
    assert "Breath &amp; range." in page
    assert "€45 per hour" in page
    assert "1 h 30 min" in page
    assert "20% up front (€9)" in page
    assert "Full refund if cancelled at least 48 hours before the start" in page
    book_url = reverse("bookings:book", args=[marco.slug])
    assert f'href="{book_url}?service={service.pk}"' in page
    assert "Secret project" not in page


def test_visitors_see_no_services_section_without_active_services(client: Client, marco: Associate):
    make_service(marco, is_active=False)

    page = client.get(marco.get_absolute_url()).content.decode()

    assert 'id="section-services"' not in page


def test_the_owner_sees_inactive_services_marked_and_no_book_link(
    associate_client: Client, marco: Associate
):
    make_service(marco, name="Secret project", is_active=False)

    page = associate_client.get(marco.get_absolute_url()).content.decode()

    assert "Secret project" in page
    assert "Not bookable: only you can see it." in page
    assert reverse("bookings:book", args=[marco.slug]) not in page
    assert services_url(marco, "services-edit") in page


@pytest.fixture(params=[1, 50], ids=["1-service", "50-services"])
def service_count(request: pytest.FixtureRequest, marco: Associate) -> int:
    Service.objects.bulk_create(
        Service(associate=marco, name=f"Service {n}", price=Decimal(n), position=n)
        for n in range(request.param)
    )
    return request.param


def test_the_profile_page_query_count_does_not_grow_with_services(
    client: Client, marco: Associate, service_count: int, django_assert_num_queries
):
    # associate + user, genres, professions, portfolio, services
    with django_assert_num_queries(5):
        page = client.get(marco.get_absolute_url()).content.decode()

    assert page.count('class="service"') == service_count


def test_the_owner_pages_of_the_services_section_cost_fixed_queries(
    associate_client: Client, marco: Associate, service_count: int, django_assert_num_queries
):
    # session, user; associate + user, genres, professions (get_associate_for); services
    with django_assert_num_queries(2 + 3 + 1):
        response = associate_client.get(services_url(marco, "services-edit"), headers=HTMX)

    assert response.content.decode().count('class="service"') == service_count


# --- The profile section: the owner's inline editing --------------------------------------------


def test_the_owner_opens_the_add_form_with_htmx_and_without(
    associate_client: Client, marco: Associate
):
    fragment = associate_client.get(services_url(marco, "service-add"), headers=HTMX)
    page = associate_client.get(services_url(marco, "service-add"))

    assert fragment.content.decode().lstrip().startswith('<section id="section-services"')
    assert 'name="price"' in fragment.content.decode()
    assert "<html" in page.content.decode()
    assert 'name="price"' in page.content.decode()


def test_adding_a_service_with_htmx_swaps_the_section_and_shows_a_toast(
    associate_client: Client, marco: Associate
):
    response = associate_client.post(services_url(marco, "service-add"), VALID, headers=HTMX)

    service = Service.objects.get()
    assert service.price == Decimal("120")
    assert service.duration_minutes == 90
    assert service.deposit_percent == 30
    html = response.content.decode()
    assert 'id="section-services"' in html
    assert "is added to your services" in html
    assert "€120 per session" in html


def test_adding_a_service_without_javascript_redirects_to_the_section(
    associate_client: Client, marco: Associate
):
    response = associate_client.post(services_url(marco, "service-add"), VALID)

    assert response.status_code == 302
    assert response["Location"] == services_url(marco, "services-edit") + "#section-services"
    assert Service.objects.count() == 1


def test_a_decimal_comma_is_accepted(associate_client: Client, marco: Associate):
    associate_client.post(services_url(marco, "service-add"), VALID | {"price": "49,50"})

    assert Service.objects.get().price == Decimal("49.50")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "-5", "The price cannot be negative."),
        ("price", "abc", "Enter the price as a number, like 120 or 49.50."),
        ("price", "1e3", "Enter the price as a number, like 120 or 49.50."),
        ("price", "Infinity", "Enter the price as a number, like 120 or 49.50."),
        ("price", "12.345", "A price has at most two decimals, like 49.50."),
        ("price", "", "Enter a price; 0 if it is free."),
        ("price", "123456789012", "That price is too high."),
        ("currency", "XYZ", "Choose one of the listed currencies."),
        ("pricing_unit", "forever", "Choose per session, per hour or per track."),
        ("duration_minutes", "10", "A service lasts at least 15 minutes."),
        ("duration_minutes", "721", "A service lasts at most 12 hours (720 minutes)."),
        ("duration_minutes", "1.5", "Enter the duration in whole minutes, like 60."),
        ("deposit_percent", "101", "The deposit is between 0 and 100%."),
        ("deposit_percent", "-1", "The deposit is between 0 and 100%."),
        ("late_cancellation_refund_percent", "150", "The refund is between 0 and 100%."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_tampered_or_bad_values_are_refused_with_a_clear_message_and_nothing_saved(
    associate_client: Client, marco: Associate, field: str, value: str, message: str, headers
):
    response = associate_client.post(
        services_url(marco, "service-add"), VALID | {field: value}, headers=headers
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was saved. Please correct the highlighted fields." in response.content.decode()
    assert not Service.objects.exists()


def test_editing_a_service_changes_it(associate_client: Client, marco: Associate):
    service = make_service(marco)

    form = associate_client.get(services_url(marco, "service-edit", service.pk), headers=HTMX)
    response = associate_client.post(
        services_url(marco, "service-edit", service.pk),
        VALID | {"name": "Mastering", "price": "80.00", "is_active": ""},
        headers=HTMX,
    )

    assert 'value="Mixing"' in form.content.decode()
    service.refresh_from_db()
    assert (service.name, service.price, service.is_active) == ("Mastering", Decimal("80"), False)
    assert "“Mastering” is saved." in response.content.decode()


def test_a_bad_edit_keeps_the_saved_service(associate_client: Client, marco: Associate):
    service = make_service(marco)

    response = associate_client.post(
        services_url(marco, "service-edit", service.pk), VALID | {"price": "-1"}, headers=HTMX
    )

    assert "The price cannot be negative." in response.content.decode()
    service.refresh_from_db()
    assert service.price == Decimal("120")


def test_moving_and_removing_through_the_section(associate_client: Client, marco: Associate):
    a = make_service(marco, name="A")
    b = make_service(marco, name="B")

    moved = associate_client.post(services_url(marco, "service-move-up", b.pk), headers=HTMX)
    removed = associate_client.post(services_url(marco, "service-remove", a.pk))

    assert moved.content.decode().index(">B</h3>") < moved.content.decode().index(">A</h3>")
    assert removed.status_code == 302
    assert list(Service.objects.values_list("name", flat=True)) == ["B"]


def test_removing_a_booked_service_says_it_is_kept(
    associate_client: Client, marco: Associate, nina: Artist
):
    service = make_service(marco)
    book(service, nina)

    response = associate_client.post(
        services_url(marco, "service-remove", service.pk), headers=HTMX
    )

    assert "has bookings, so it is kept" in response.content.decode()
    assert Service.objects.filter(pk=service.pk, is_active=False).exists()


@pytest.mark.parametrize(
    ("name", "method", "with_pk"),
    [
        ("services-edit", "get", False),
        ("service-add", "post", False),
        ("service-edit", "post", True),
        ("service-move-down", "post", True),
        ("service-remove", "post", True),
    ],
)
def test_nobody_but_the_owner_reaches_the_editing_routes(
    client: Client, marco: Associate, name: str, method: str, with_pk: bool
):
    service = make_service(marco)
    url = services_url(marco, name, *([service.pk] if with_pk else []))
    client.force_login(UserFactory.create(email="eve@example.com"))

    response = getattr(client, method)(url, VALID)

    assert response.status_code == 404
    service.refresh_from_db()
    assert (service.name, service.is_active, Service.objects.count()) == ("Mixing", True, 1)


def test_an_associate_cannot_edit_another_associates_service_through_their_own_address(
    associate_client: Client, marco: Associate
):
    other = AssociateFactory.create()
    theirs = make_service(other, name="Theirs")

    response = associate_client.post(
        services_url(marco, "service-edit", theirs.pk), VALID | {"name": "Mine now"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_editing_routes_refuse_the_wrong_method(associate_client: Client, marco: Associate):
    service = make_service(marco)

    assert (
        associate_client.get(services_url(marco, "service-remove", service.pk)).status_code == 405
    )
    assert Service.objects.filter(pk=service.pk).exists()


def test_done_returns_the_section_in_display_mode_and_plain_requests_go_to_the_profile(
    associate_client: Client, marco: Associate
):
    make_service(marco)

    fragment = associate_client.get(services_url(marco, "services"), headers=HTMX)
    plain = associate_client.get(services_url(marco, "services"))

    assert 'id="section-services"' in fragment.content.decode()
    assert "service__controls" not in fragment.content.decode()
    assert plain["Location"] == f"{marco.get_absolute_url()}#section-services"
