"""The booking race of the HTML side (tests/bookings/test_concurrency.py) through the API: many
clients POST the same time at once; exactly one gets 201, every other one 409 in the error
shape, and one booking exists."""

import threading

import pytest
from django.db import connections
from django.urls import reverse
from rest_framework.test import APIClient

from mylabel.api.services import create_api_token
from mylabel.bookings.models import Booking
from tests.api.helpers import assert_error
from tests.bookings.lifecycle_helpers import local_start, make_service, open_every_day
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

CLIENTS = 12


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


# Committed data, so every thread's connection sees it; serialized_rollback restores the
# migrations' reference data afterwards (see test_concurrency.py for why not available_apps).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clients_racing_for_one_slot_get_one_201_and_409s(transactional_db):
    associate = AssociateFactory.create(user=UserFactory.create())
    open_every_day(associate)
    service = make_service(associate)
    body = {"service": service.pk, "start": local_start(associate).isoformat()}
    clients = []
    for _ in range(CLIENTS):
        _token, key = create_api_token(user=ArtistFactory.create().user, name="race")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients.append(client)
    barrier = threading.Barrier(CLIENTS)
    responses = []
    lock = threading.Lock()

    def post(client: APIClient) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(reverse("api:booking-list"), body, format="json")
            with lock:
                responses.append(response)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(responses) == CLIENTS
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * (CLIENTS - 1), [r.content for r in responses]
    for loser in (response for response in responses if response.status_code == 409):
        assert_error(loser, 409, code="booked", fields=[])
    assert Booking.objects.filter(associate=associate).count() == 1
