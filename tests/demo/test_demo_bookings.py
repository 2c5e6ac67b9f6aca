"""seed_demo creates bookings in every state between the demo accounts (issue 4 §10), through
the booking services, so a newcomer sees a living calendar."""

import io
import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from mylabel.bookings.models import Booking, Status
from mylabel.demo.bookings import DEMO_ARTISTS
from tests.demo.conftest import FAST_HASHERS, seeded_in_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), seeded_in_transaction(run_on_commit=False):
        yield


@pytest.fixture
def seeded(_demo: None, settings) -> None:
    # Tests that run seed_demo again need debug mode, as the first run did.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = FAST_HASHERS


def demo_bookings():
    return Booking.objects.filter(
        Q(artist__user__email__in=DEMO_ARTISTS) | Q(associate__user__email__in=DEMO_ARTISTS)
    ).prefetch_related("events")


def test_every_status_is_among_the_demo_accounts_bookings(seeded):
    statuses = set(demo_bookings().values_list("status", flat=True))

    assert statuses == set(Status.values)


def test_the_demo_professional_marco_has_bookings(seeded):
    assert Booking.objects.filter(associate__user__email="associate@example.com").count() >= 3


def test_each_history_starts_with_the_request_and_ends_in_the_booking_status(seeded):
    for booking in demo_bookings():
        events = list(booking.events.all())

        assert (events[0].from_status, events[0].to_status) == ("", Status.REQUESTED)
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.created_at >= before.created_at
        assert events[-1].to_status == booking.status


def test_paid_bookings_have_a_succeeded_offline_payment(seeded):
    paid = demo_bookings().filter(status__in=[Status.PAID, Status.COMPLETED, Status.DISPUTED])

    assert paid.exists()
    for booking in paid.select_related("payment"):
        assert booking.payment is not None
        assert booking.payment.gateway == "offline"
        assert booking.payment.status == "succeeded"


def test_completed_and_expired_bookings_are_in_the_past_and_upcoming_ones_ahead(seeded):
    now = timezone.now()
    bookings = demo_bookings()

    for booking in bookings.filter(status__in=[Status.COMPLETED, Status.EXPIRED]):
        assert booking.start < now
    upcoming = bookings.filter(status__in=[Status.REQUESTED, Status.ACCEPTED, Status.PAID])
    assert upcoming.exists()
    for booking in upcoming:
        assert now < booking.start < now + timedelta(weeks=4)


def test_upcoming_active_bookings_of_a_professional_do_not_overlap(seeded):
    by_associate = defaultdict(list)
    for booking in Booking.objects.active().filter(start__gte=timezone.now()):
        by_associate[booking.associate_id].append((booking.start, booking.blocked_until))

    for intervals in by_associate.values():
        intervals.sort()
        for (_start, blocked_until), (next_start, _end) in itertools.pairwise(intervals):
            assert blocked_until <= next_start


def test_running_it_again_adds_no_bookings(seeded):
    bookings = Booking.objects.count()
    events = sum(booking.events.count() for booking in Booking.objects.all())

    call_command("seed_demo", stdout=io.StringIO())

    assert Booking.objects.count() == bookings
    assert sum(booking.events.count() for booking in Booking.objects.all()) == events
