"""Races on PostgreSQL: the two sides reviewing one booking at the same moment still publish
both reviews (the second always sees the first), and a double submit by one side writes one
review and refuses the other clearly."""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from mylabel.bookings.models import Booking, Status
from mylabel.reviews import services
from mylabel.reviews.models import Review
from tests.bookings.lifecycle_helpers import booking_in, local_start, make_service, open_every_day
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

OF_ASSOCIATE = dict.fromkeys(
    ["quality", "communication", "professionalism", "punctuality", "value"], 4
)
OF_ARTIST = dict.fromkeys(["communication", "professionalism", "punctuality"], 4)
ROUNDS = 5
DOUBLE_SUBMITS = 8


def run_at_once(calls: list[Callable[[], Review]]) -> list[Review | Exception]:
    """Run ``calls`` in threads released together; every outcome, in no particular order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Review | Exception] = []
    lock = threading.Lock()

    def run(call: Callable[[], Review]) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcome: Review | Exception = call()
            except Exception as error:  # noqa: BLE001  (every outcome is asserted)
                outcome = error
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def completed_bookings(count: int) -> list[Booking]:
    associate = AssociateFactory.create(user=UserFactory.create())
    open_every_day(associate)
    service = make_service(associate)
    artist = ArtistFactory.create()
    return [
        booking_in(
            Status.COMPLETED,
            artist,
            service,
            start=local_start(associate, days=4 + day),
        )
        for day in range(count)
    ]


def by_artist(booking: Booking) -> Callable[[], Review]:
    return lambda: services.submit_review(
        booking=booking, author=booking.artist.user, rating=5, text="Great", criteria=OF_ASSOCIATE
    )


def by_associate(booking: Booking) -> Callable[[], Review]:
    return lambda: services.submit_review(
        booking=booking, author=booking.associate.user, rating=4, text="Fine", criteria=OF_ARTIST
    )


# Committed data, so every thread's connection sees it. Afterwards Django empties every table
# and serialized_rollback puts back what the migrations seeded (criteria, professions, groups).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_sides_reviewing_at_once_publish_both(transactional_db):
    for booking in completed_bookings(ROUNDS):
        outcomes = run_at_once([by_artist(booking), by_associate(booking)])

        assert all(isinstance(outcome, Review) for outcome in outcomes), outcomes
        reviews = Review.objects.filter(booking=booking)
        assert reviews.count() == 2
        assert all(review.published_at is not None for review in reviews)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submit_writes_one_review(transactional_db):
    (booking,) = completed_bookings(1)

    outcomes = run_at_once([by_artist(booking)] * DOUBLE_SUBMITS)

    assert Review.objects.filter(booking=booking).count() == 1
    written = [outcome for outcome in outcomes if isinstance(outcome, Review)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Review)]
    assert len(written) == 1
    assert len(refused) == DOUBLE_SUBMITS - 1
    for refusal in refused:
        assert isinstance(refusal, ValidationError), refusal
        assert refusal.messages == ["You have already reviewed this booking."]
