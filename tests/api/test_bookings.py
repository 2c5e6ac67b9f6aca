"""/api/v1/bookings/: the booking pages' rules through the API (issue 7): requests, the list
with its filters, one booking, and every transition, with the permission matrix and bad input."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import responses
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services
from mylabel.bookings.api.serializers import BookingCreateSerializer
from mylabel.bookings.api.views import _booking_request_error
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.slots import Slot
from mylabel.payments.models import Payment
from tests.api.helpers import assert_error
from tests.bookings.lifecycle_helpers import (
    book,
    booking_in,
    local_start,
    make_service,
    open_every_day,
)
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

LIST = reverse("api:booking-list")


def detail_url(booking: Booking | int) -> str:
    return reverse("api:booking-detail", args=[getattr(booking, "pk", booking)])


def action_url(booking: Booking, action: str) -> str:
    return reverse(f"api:booking-{action}", args=[booking.pk])


def state() -> list[tuple[Any, ...]]:
    """Everything an API call could change, to assert that a refused one changed nothing."""
    return [
        *Booking.objects.order_by("pk").values_list("pk", "status", "payment_id", "ical_sequence"),
        ("events", BookingEvent.objects.count()),
        *Payment.objects.order_by("pk").values_list("pk", "status", "refunded_amount"),
    ]


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)


def request_body(bookable: Service, **fields: Any) -> dict[str, Any]:
    return {
        "service": bookable.pk,
        "start": local_start(bookable.associate).isoformat(),
        "message": "Two songs, stems ready.",
        **fields,
    }


# --- Requesting ---------------------------------------------------------------------------------


def test_an_artist_requests_a_booking_and_gets_it_back_in_full(
    artist_api: APIClient, service: Service, nina: Artist
):
    start = local_start(service.associate)
    response = artist_api.post(
        LIST,
        request_body(service, start=start.astimezone(timezone.get_fixed_timezone(120)).isoformat()),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert booking.artist == nina
    assert booking.start == start
    assert booking.message == "Two songs, stems ready."
    assert body["id"] == booking.pk
    assert body["status"] == "requested"
    assert body["service"] == {"id": service.pk, "name": "Mixing session"}
    assert body["artist"] == {"name": "Nina Vale", "slug": "nina-vale"}
    assert body["associate"] == {"name": "Marco Riva", "slug": "marco-riva"}
    assert (body["price"], body["currency"], body["deposit_percent"]) == ("200.00", "EUR", 0)
    assert body["amount_due"] == "200.00"
    assert body["cancellation_policy"]["free_cancellation_hours"] == 48
    assert body["cancellation_policy"]["late_cancellation_refund_percent"] == 50
    assert body["payment"] is None
    assert body["payment_status"] is None
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in body["events"]] == [
        ("", "requested", "Nina Vale")
    ]
    assert body["available_actions"] == ["cancel"]


def test_a_naive_start_is_refused_on_the_field(artist_api: APIClient, service: Service):
    naive = local_start(service.associate).replace(tzinfo=None).isoformat()
    response = artist_api.post(LIST, request_body(service, start=naive))
    body = assert_error(response, 400, fields=["start"])
    assert "UTC offset" in body["fields"]["start"][0]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "start",
    ["tomorrow", "", "2026-02-30T10:00:00+00:00", "0001-01-01T00:00:00+14:00", 20260504],
)
def test_a_start_that_is_no_moment_is_refused_on_the_field(
    artist_api: APIClient, service: Service, start: Any
):
    assert_error(artist_api.post(LIST, request_body(service, start=start)), 400, fields=["start"])
    assert not Booking.objects.exists()


def test_a_time_the_service_does_not_offer_gets_its_reason_on_the_start_field(
    artist_api: APIClient, service: Service
):
    at_night = local_start(service.associate, hour=3)
    response = artist_api.post(LIST, request_body(service, start=at_night.isoformat()))
    body = assert_error(response, 400, fields=["start"])
    assert body["fields"]["start"] == ["This time is outside the professional's availability."]
    assert not Booking.objects.exists()


def test_a_past_time_is_refused_on_the_start_field(artist_api: APIClient, service: Service):
    past = timezone.now() - timedelta(days=1)
    response = artist_api.post(LIST, request_body(service, start=past.isoformat()))
    body = assert_error(response, 400, fields=["start"])
    assert body["fields"]["start"] == ["This time is in the past."]


def test_an_unknown_or_inactive_service_is_refused_on_the_field(
    artist_api: APIClient, service: Service
):
    inactive = make_service(service.associate, name="Old service", is_active=False)
    for service_id in (inactive.pk, 999_999, 2**70, -1, float(service.pk) + 0.5, True, "x", None):
        response = artist_api.post(LIST, request_body(service, service=service_id))
        assert_error(response, 400, fields=["service"])
    assert not Booking.objects.exists()


def test_a_service_of_a_deactivated_professional_cannot_be_requested(
    artist_api: APIClient, service: Service, associate: User
):
    associate.is_active = False
    associate.save(update_fields=["is_active"])
    response = artist_api.post(LIST, request_body(service))
    body = assert_error(response, 400, fields=["service"])
    assert body["fields"]["service"] == ["There is no bookable service with this id."]


def test_a_service_switched_off_after_validation_is_refused_on_the_field(
    artist_api: APIClient, service: Service, monkeypatch: pytest.MonkeyPatch
):
    """The serializer saw it active; request_booking reads it again under lock."""
    # DRF builds each request's fields from these arguments.
    declared: Any = BookingCreateSerializer._declared_fields["service"]
    monkeypatch.setitem(declared._kwargs, "queryset", Service.objects.all())
    Service.objects.filter(pk=service.pk).update(is_active=False)
    response = artist_api.post(LIST, request_body(service))
    body = assert_error(response, 400, fields=["service"])
    assert body["fields"]["service"] == ["This service cannot be booked at the moment."]


def test_a_taken_time_is_a_409_conflict_and_changes_nothing(
    artist_api: APIClient, service: Service
):
    book(ArtistFactory.create(), service)
    before = state()
    response = artist_api.post(LIST, request_body(service))
    body = assert_error(response, 409, code="booked", fields=[])
    assert body["detail"] == "This time is already booked."
    assert state() == before


def test_a_time_taken_between_the_check_and_the_write_is_a_409_too(
    artist_api: APIClient, service: Service, monkeypatch: pytest.MonkeyPatch
):
    """The slot check passed before a competing request committed; the re-check refuses."""

    first = book(ArtistFactory.create(), service)
    monkeypatch.setattr(
        services,
        "validate_slot",
        lambda *, associate, service, start, now=None: Slot(start, start + service.duration),
    )
    response = artist_api.post(LIST, request_body(service, start=first.start.isoformat()))
    body = assert_error(response, 409, code="booked")
    assert body["detail"] == "That time has just been booked. Please choose another time."
    assert Booking.objects.count() == 1


def test_the_second_request_for_one_slot_gets_409(api_as, service: Service):
    first, second = (api_as(ArtistFactory.create().user) for _ in range(2))
    assert first.post(LIST, request_body(service)).status_code == 201
    assert_error(second.post(LIST, request_body(service)), 409, code="booked")
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("persona", ["associate_api", "stranger_api", "admin_api"])
def test_only_a_user_with_an_artist_profile_can_request(
    persona: str, request: pytest.FixtureRequest, service: Service
):
    client: APIClient = request.getfixturevalue(persona)
    body = assert_error(client.post(LIST, request_body(service)), 403, code="permission_denied")
    assert body["detail"] == "You need an artist profile to book a professional."
    assert not Booking.objects.exists()


def test_booking_ones_own_service_is_refused(api_as, service: Service, associate: User):
    ArtistFactory.create(user=associate)
    response = api_as(associate).post(LIST, request_body(service))
    assert_error(response, 400, code="self_booking")
    assert not Booking.objects.exists()


def test_requesting_needs_a_token(api_client: APIClient, service: Service):
    assert_error(api_client.post(LIST, request_body(service)), 401)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"colour": "red"}, ["colour"]),
        ({"message": "x" * 2001}, ["message"]),
        ({"message": 42, "start": None}, ["start"]),
    ],
)
def test_bad_request_bodies_are_refused_field_by_field(
    artist_api: APIClient, service: Service, body: dict[str, Any], fields: list[str]
):
    response = artist_api.post(LIST, request_body(service, **body))
    assert_error(response, 400, fields=fields)
    assert not Booking.objects.exists()


@pytest.mark.parametrize("payload", ['{"service": ', "[1, 2]", '"a string"'])
def test_malformed_or_non_object_json_is_a_400(artist_api: APIClient, payload: str):
    response = artist_api.post(LIST, payload, content_type="application/json")
    assert_error(response, 400)
    assert not Booking.objects.exists()


# --- The list -----------------------------------------------------------------------------------


@pytest.fixture
def my_bookings(nina: Artist, service: Service, associate: User) -> dict[str, Booking]:
    """Nina booked Marco twice; Marco (also an artist) booked another professional once."""
    other = AssociateFactory.create()
    open_every_day(other)
    marco_as_artist = ArtistFactory.create(user=associate)
    return {
        "requested": book(nina, service, local_start(service.associate, days=3)),
        "accepted": booking_in(Status.ACCEPTED, nina, service),
        "marco_books": book(marco_as_artist, make_service(other), local_start(other, days=5)),
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_holds_my_bookings_on_both_sides_latest_start_first(
    associate_api: APIClient, artist_api: APIClient, stranger_api: APIClient, my_bookings
):
    assert ids(associate_api.get(LIST)) == [
        my_bookings["marco_books"].pk,
        my_bookings["accepted"].pk,
        my_bookings["requested"].pk,
    ]
    assert ids(artist_api.get(LIST)) == [my_bookings["accepted"].pk, my_bookings["requested"].pk]
    assert ids(stranger_api.get(LIST)) == []


def test_a_list_row_names_the_parties_the_service_and_the_payment_state(
    artist_api: APIClient, my_bookings
):
    row = artist_api.get(LIST).json()["results"][0]
    assert row == {
        "id": my_bookings["accepted"].pk,
        "status": "accepted",
        "start": row["start"],
        "end": row["end"],
        "service": {"id": my_bookings["accepted"].service_id, "name": "Mixing session"},
        "artist": {"name": "Nina Vale", "slug": "nina-vale"},
        "associate": {"name": "Marco Riva", "slug": "marco-riva"},
        "price": "200.00",
        "currency": "EUR",
        "payment_status": "pending",
    }


def test_the_list_filters_by_role_status_and_start(associate_api: APIClient, my_bookings):
    as_artist = associate_api.get(LIST, {"role": "artist"})
    assert ids(as_artist) == [my_bookings["marco_books"].pk]
    as_associate = associate_api.get(LIST, {"role": "associate"})
    assert ids(as_associate) == [my_bookings["accepted"].pk, my_bookings["requested"].pk]
    assert ids(associate_api.get(LIST, {"status": "requested", "role": "associate"})) == [
        my_bookings["requested"].pk
    ]
    accepted_start = my_bookings["accepted"].start
    window = {"start_after": accepted_start.isoformat(), "start_before": "2100-01-01T00:00:00Z"}
    assert ids(associate_api.get(LIST, window)) == [
        my_bookings["marco_books"].pk,
        my_bookings["accepted"].pk,
    ]
    before = {"start_before": accepted_start.isoformat()}
    assert ids(associate_api.get(LIST, before)) == [my_bookings["requested"].pk]


def test_disputes_are_listed_for_label_admins_only(
    admin_api: APIClient, artist_api: APIClient, nina: Artist, service: Service
):
    disputed = booking_in(Status.DISPUTED, nina, service)
    book(nina, service)
    assert ids(admin_api.get(LIST, {"role": "disputes"})) == [disputed.pk]
    assert ids(admin_api.get(LIST)) == []
    assert ids(artist_api.get(LIST, {"role": "disputes"})) == []


def test_bookings_starting_together_are_ordered_by_id(artist_api: APIClient, nina: Artist):
    start = None
    made = []
    for _ in range(3):
        other = AssociateFactory.create()
        open_every_day(other)
        start = start or local_start(other)
        made.append(book(nina, make_service(other), start))
    assert ids(artist_api.get(LIST)) == [booking.pk for booking in reversed(made)]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"role": "label"},
        {"start_after": "yesterday"},
        {"start_before": "0001-01-01T00:00:00+14:00"},
        {"start_after": "9999-12-31T23:59:59-14:00"},
        {"page": "0"},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_list_parameters_are_a_clear_error(
    artist_api: APIClient, my_bookings, query: dict[str, str]
):
    response = artist_api.get(LIST, query)
    if "page" in query:
        assert_error(response, 404)
    else:
        assert_error(response, 400, fields=list(query))


def test_the_list_needs_a_token(api_client: APIClient):
    assert_error(api_client.get(LIST), 401)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_1_and_50_rows(
    artist_api: APIClient, nina: Artist, service: Service, django_assert_num_queries, rows: int
):
    for index in range(rows):
        # Two hours apart, so the professional's buffer never joins two of them.
        start = local_start(service.associate, days=2 + index // 7, hour=8 + 2 * (index % 7))
        booking = book(nina, service, start)
        if index % 2:  # half of them accepted, so rows with a payment are measured too
            services.accept_booking(booking=booking, by=service.associate.user)
    artist_api.get(LIST)  # the token's first use records it (once a minute at most)
    # token and user, count, page
    with django_assert_num_queries(3):
        response = artist_api.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == rows


# --- One booking --------------------------------------------------------------------------------


@pytest.fixture
def requested(nina: Artist, service: Service) -> Booking:
    return book(nina, service, message="Two songs.")


@pytest.mark.parametrize("persona", ["artist_api", "associate_api", "admin_api"])
def test_the_parties_and_label_admins_see_a_booking(
    persona: str, request: pytest.FixtureRequest, requested: Booking
):
    client: APIClient = request.getfixturevalue(persona)
    response = client.get(detail_url(requested))
    assert response.status_code == 200, response.content
    assert response.json()["id"] == requested.pk
    assert response.json()["message"] == "Two songs."


def test_a_stranger_gets_404_as_for_a_booking_that_does_not_exist(
    stranger_api: APIClient, artist_api: APIClient, requested: Booking
):
    assert_error(stranger_api.get(detail_url(requested)), 404, code="not_found")
    assert_error(artist_api.get(detail_url(requested.pk + 1000)), 404, code="not_found")
    assert_error(artist_api.get(detail_url(10**30)), 404)
    assert_error(artist_api.get(f"{LIST}abc/"), 404)


def test_a_booking_needs_a_token(api_client: APIClient, requested: Booking):
    assert_error(api_client.get(detail_url(requested)), 401)


def test_each_party_is_offered_its_own_actions(
    artist_api: APIClient, associate_api: APIClient, admin_api: APIClient, requested: Booking
):
    def actions(client: APIClient) -> list[str]:
        return client.get(detail_url(requested)).json()["available_actions"]

    assert actions(associate_api) == ["accept", "decline", "cancel"]
    assert actions(artist_api) == ["cancel"]
    assert actions(admin_api) == []


# --- Transitions --------------------------------------------------------------------------------


def test_the_professional_accepts_and_the_offline_payment_starts(
    associate_api: APIClient, artist_api: APIClient, requested: Booking, associate: User
):
    response = associate_api.post(action_url(requested, "accept"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted"
    assert body["payment"]["status"] == "pending"
    assert body["payment"]["gateway"] == "offline"
    assert body["payment"]["amount"] == "200.00"
    assert body["available_actions"] == ["confirm-payment", "cancel"]
    assert [e["to_status"] for e in body["events"]] == ["requested", "accepted"]
    assert body["events"][1]["actor"] == "Marco Riva"
    requested.refresh_from_db()
    assert requested.status == Status.ACCEPTED
    assert artist_api.get(detail_url(requested)).json()["available_actions"] == ["cancel", "pay"]


@pytest.mark.parametrize("persona", ["artist_api", "admin_api"])
def test_a_party_or_admin_without_the_right_gets_403_and_nothing_changes(
    persona: str, request: pytest.FixtureRequest, requested: Booking
):
    client: APIClient = request.getfixturevalue(persona)
    before = state()
    for action in ("accept", "decline", "complete", "confirm-payment"):
        assert_error(client.post(action_url(requested, action)), 403, code="permission_denied")
    assert state() == before


def test_a_stranger_gets_404_for_every_action(stranger_api: APIClient, requested: Booking):
    before = state()
    for action in ("accept", "decline", "cancel", "complete", "pay", "confirm-payment", "dispute"):
        assert_error(stranger_api.post(action_url(requested, action), {"reason": "x"}), 404)
    assert state() == before


def test_actions_need_a_token(api_client: APIClient, requested: Booking):
    assert_error(api_client.post(action_url(requested, "accept")), 401)
    assert Booking.objects.get().status == Status.REQUESTED


def test_an_action_in_the_wrong_state_is_a_400_invalid_state(
    associate_api: APIClient, nina: Artist, service: Service
):
    declined = booking_in(Status.DECLINED, nina, service)
    before = state()
    body = assert_error(
        associate_api.post(action_url(declined, "accept")), 400, code="invalid_state"
    )
    assert body["detail"] == "This booking is declined: it is no longer a request."
    assert state() == before


def test_accepting_an_expired_request_says_so(associate_api: APIClient, requested: Booking):
    with time_machine.travel(requested.expires_at + timedelta(minutes=1)):
        body = assert_error(associate_api.post(action_url(requested, "accept")), 400)
    assert body["code"] == "expired"
    assert Booking.objects.get().status == Status.REQUESTED


def test_an_action_refuses_input_it_does_not_take(associate_api: APIClient, requested: Booking):
    assert_error(
        associate_api.post(action_url(requested, "accept"), {"force": True}), 400, fields=["force"]
    )
    response = associate_api.post(
        action_url(requested, "accept"), "[]", content_type="application/json"
    )
    assert_error(response, 400)
    assert Booking.objects.get().status == Status.REQUESTED


def test_the_professional_declines_with_an_optional_reason(
    associate_api: APIClient, requested: Booking, nina: Artist, service: Service
):
    response = associate_api.post(action_url(requested, "decline"), {"reason": "  Booked out. "})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert response.json()["events"][-1]["note"] == "Booked out."
    other = book(nina, service, local_start(service.associate, days=5))
    assert associate_api.post(action_url(other, "decline")).json()["status"] == "declined"


def test_cancelling_needs_a_reason(artist_api: APIClient, requested: Booking):
    before = state()
    assert_error(artist_api.post(action_url(requested, "cancel")), 400, fields=["reason"])
    body = assert_error(
        artist_api.post(action_url(requested, "cancel"), {"reason": "   "}), 400, fields=["reason"]
    )
    assert body["fields"]["reason"] == ["Please give a reason."]
    assert_error(
        artist_api.post(action_url(requested, "cancel"), {"reason": "x" * 2001}),
        400,
        fields=["reason"],
    )
    assert state() == before


def test_the_professional_cancelling_a_paid_booking_refunds_it_in_full(
    associate_api: APIClient, nina: Artist, service: Service
):
    paid = booking_in(Status.PAID, nina, service)
    response = associate_api.post(action_url(paid, "cancel"), {"reason": "Studio flooded"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["payment"]["status"] == "refunded"
    assert body["payment"]["refunded_amount"] == "200.00"
    assert body["events"][-1]["note"] == "Studio flooded (refund: 200.00 EUR)"


def test_the_professional_completes_a_paid_booking_once_it_has_started(
    associate_api: APIClient, nina: Artist, service: Service
):
    paid = booking_in(Status.PAID, nina, service)
    body = assert_error(associate_api.post(action_url(paid, "complete")), 400)
    assert body["detail"] == "You can mark the booking completed once it has started."
    with time_machine.travel(paid.start + timedelta(minutes=5)):
        response = associate_api.post(action_url(paid, "complete"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"


def test_the_artist_asks_how_to_pay_an_offline_payment_and_nothing_changes(
    artist_api: APIClient, nina: Artist, service: Service
):
    accepted = booking_in(Status.ACCEPTED, nina, service)
    before = state()
    response = artist_api.post(action_url(accepted, "pay"))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "pending",
        "gateway": "offline",
        "amount": "200.00",
        "currency": "EUR",
        "checkout_url": "",
        "confirmed_by": "professional",
    }
    assert state() == before


def test_only_the_artist_pays_and_only_while_a_payment_is_awaited(
    artist_api: APIClient, associate_api: APIClient, admin_api: APIClient, requested: Booking
):
    body = assert_error(artist_api.post(action_url(requested, "pay")), 400, code="invalid_state")
    assert body["detail"] == "This booking is requested: no payment is awaited."
    associate_api.post(action_url(requested, "accept"))
    before = state()
    assert_error(associate_api.post(action_url(requested, "pay")), 403)
    assert_error(admin_api.post(action_url(requested, "pay")), 403)
    assert_error(artist_api.post(action_url(requested, "pay"), {"card": "4242"}), 400)
    assert state() == before


def test_the_professional_confirms_the_offline_payment_and_the_booking_is_paid(
    associate_api: APIClient,
    artist_api: APIClient,
    nina: Artist,
    service: Service,
    django_capture_on_commit_callbacks,
):
    accepted = booking_in(Status.ACCEPTED, nina, service)
    assert_error(artist_api.post(action_url(accepted, "confirm-payment")), 403)
    with django_capture_on_commit_callbacks(execute=True):
        response = associate_api.post(action_url(accepted, "confirm-payment"))
    assert response.status_code == 200, response.content
    assert response.json()["payment"]["status"] == "succeeded"
    accepted.refresh_from_db()
    assert accepted.status == Status.PAID
    assert accepted.payment is not None
    assert accepted.payment.status == Payment.Status.SUCCEEDED
    assert_error(associate_api.post(action_url(accepted, "confirm-payment")), 400)


def test_with_stripe_the_artist_gets_the_checkout_url(
    settings, associate_api: APIClient, artist_api: APIClient, requested: Booking
):
    settings.STRIPE_SECRET_KEY = "sk_test_mylabel"
    with responses.RequestsMock() as stripe_api:
        stripe_api.post(
            "https://api.stripe.com/v1/checkout/sessions",
            json={
                "id": "cs_test_b1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_b1",
            },
        )
        assert associate_api.post(action_url(requested, "accept")).status_code == 200
    response = artist_api.post(action_url(requested, "pay"))
    assert response.status_code == 200, response.content
    assert response.json()["checkout_url"] == "https://checkout.stripe.com/c/pay/cs_test_b1"
    assert response.json()["gateway"] == "stripe"
    assert response.json()["confirmed_by"] == "provider"
    body = assert_error(associate_api.post(action_url(requested, "confirm-payment")), 400)
    assert body["detail"] == "This payment is confirmed by the payment provider."


def test_a_dispute_is_opened_by_a_party_and_resolved_by_a_label_admin(
    artist_api: APIClient,
    associate_api: APIClient,
    admin_api: APIClient,
    nina: Artist,
    service: Service,
):
    paid = booking_in(Status.PAID, nina, service)
    assert_error(
        artist_api.post(action_url(paid, "dispute"), {"reason": ""}), 400, fields=["reason"]
    )
    response = artist_api.post(action_url(paid, "dispute"), {"reason": "No-show"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "disputed"
    assert admin_api.get(detail_url(paid)).json()["available_actions"] == ["resolve"]

    decision = {"outcome": "cancelled", "note": "The professional did not come."}
    assert_error(associate_api.post(action_url(paid, "resolve"), decision), 403)
    assert_error(
        admin_api.post(action_url(paid, "resolve"), {**decision, "outcome": "paid"}),
        400,
        fields=["outcome"],
    )
    response = admin_api.post(action_url(paid, "resolve"), decision)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["payment"]["refunded_amount"] == "200.00"


def test_a_deposit_booking_asks_only_for_the_deposit(
    associate_api: APIClient, nina: Artist, marco: Associate
):
    open_every_day(marco)
    with_deposit = make_service(marco, deposit_percent=30, price=Decimal("150.00"))
    booking = book(nina, with_deposit)
    body = associate_api.get(detail_url(booking)).json()
    assert (body["deposit_percent"], body["amount_due"]) == (30, "45.00")
    accepted = associate_api.post(action_url(booking, "accept")).json()
    assert accepted["payment"]["amount"] == "45.00"


def test_two_users_of_different_personas_never_see_each_others_rows(
    api_as, service: Service, nina: Artist
):
    """An artist who is nobody's party in a booking cannot act on it by id."""
    mine = book(nina, service)
    other_artist = UserFactory.create()
    ArtistFactory.create(user=other_artist)
    client = api_as(other_artist)
    assert ids(client.get(LIST)) == []
    assert_error(client.post(action_url(mine, "cancel"), {"reason": "mine now"}), 404)
    assert Booking.objects.get().status == Status.REQUESTED


def test_a_service_error_about_a_field_keeps_its_field():
    """request_booking's own field errors (its message limit) pass through as they are."""
    error = ValidationError({"message": "Keep the message under 2000 characters."})
    assert _booking_request_error(error) is error


# --- The schema ---------------------------------------------------------------------------------


def test_the_schema_documents_the_conflict_the_filters_and_every_action(db):
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "409" in paths["/api/v1/bookings/"]["post"]["responses"]
    parameters = {p["name"] for p in paths["/api/v1/bookings/"]["get"]["parameters"]}
    assert {"status", "role", "start_after", "start_before", "page", "page_size"} <= parameters
    for action in ("accept", "decline", "cancel", "complete", "pay", "confirm-payment"):
        operation = paths[f"/api/v1/bookings/{{id}}/{action}/"]["post"]
        assert "invalid_state" in operation["description"]
        assert operation["parameters"][0]["schema"] == {"type": "integer"}
