"""No double booking (issue 4, point 5): the database keeps two active bookings of one
professional from overlapping, however many requests race for the same time."""

import threading
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mylabel.artists.models import Artist
from mylabel.associates.models import Service
from mylabel.bookings import services
from mylabel.bookings.models import Booking
from mylabel.bookings.slots import Slot
from tests.bookings.lifecycle_helpers import book, local_start, make_service, open_every_day
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

REQUESTS = 24
TAKEN = "That time has just been booked"


# Committed data, so every thread's connection sees it. Django empties every table afterwards;
# serialized_rollback puts back the reference data the migrations seed (professions, genres,
# groups, review criteria) for the tests that run after this one. (Limiting the flush with
# ``available_apps`` instead also limits the app registry during the test, which breaks
# relations across apps depending on which tests ran first.)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_for_one_slot_make_exactly_one_booking(transactional_db):
    associate = AssociateFactory.create(user=UserFactory.create())
    open_every_day(associate)
    service = make_service(associate)
    start = local_start(associate)
    artists = [ArtistFactory.create() for _ in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS)
    outcomes: list[Booking | Exception] = []
    lock = threading.Lock()

    def request(artist: Artist) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcome: Booking | Exception = services.request_booking(
                    artist=artist, service=service, start=start
                )
            except Exception as error:  # noqa: BLE001  (every outcome is asserted below)
                outcome = error
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(artist,)) for artist in artists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == REQUESTS
    bookings = [outcome for outcome in outcomes if isinstance(outcome, Booking)]
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, Booking)]
    assert len(bookings) == 1
    assert Booking.objects.filter(associate=associate).count() == 1
    assert all(isinstance(refusal, ValidationError) for refusal in refusals), refusals
    # Most lose the race at the exclusion constraint; any that start after the winner
    # committed are refused by the overlap checks, with a message as clear.
    for refusal in refusals:
        assert isinstance(refusal, ValidationError)
        message = " ".join(refusal.messages)
        assert TAKEN in message or "booked" in message, message


def test_the_recheck_refuses_a_request_that_validation_let_through(
    nina: Artist, monkeypatch: pytest.MonkeyPatch, db
):
    """Simulates a request whose slot check ran before a competing booking committed: the
    re-check inside the transaction (with SQLite's write lock held) still refuses it."""
    associate = AssociateFactory.create(user=UserFactory.create())
    open_every_day(associate)
    service: Service = make_service(associate)
    first = book(nina, service)

    def stale_validation(*, associate, service, start: datetime, now=None) -> Slot:
        return Slot(start=start, end=start + service.duration)

    monkeypatch.setattr(services, "validate_slot", stale_validation)
    with pytest.raises(ValidationError, match=TAKEN):
        services.request_booking(artist=ArtistFactory.create(), service=service, start=first.start)
    assert Booking.objects.filter(associate=associate).count() == 1


@pytest.mark.postgres
def test_the_exclusion_constraint_refuses_what_every_python_check_missed(
    nina: Artist, monkeypatch: pytest.MonkeyPatch, db
):
    associate = AssociateFactory.create(user=UserFactory.create())
    open_every_day(associate)
    service = make_service(associate)
    first = book(nina, service)

    monkeypatch.setattr(
        services,
        "validate_slot",
        lambda *, associate, service, start, now=None: Slot(start, start + service.duration),
    )
    monkeypatch.setattr(services, "_overlaps_active_booking", lambda *args: False)
    with pytest.raises(ValidationError, match=TAKEN):
        services.request_booking(artist=ArtistFactory.create(), service=service, start=first.start)
    assert Booking.objects.filter(associate=associate).count() == 1
    # The refused insert was rolled back to its savepoint: the transaction is still usable.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
