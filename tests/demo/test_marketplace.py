"""seed_demo gives every demo professional services and opening hours (issue 4 §10), so the
booking form has something to offer on a newcomer's first visit."""

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from mylabel.associates.models import Associate, Service, WeeklyRule
from mylabel.bookings.slots import available_slots_between
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


def next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def test_every_professional_has_active_services_and_weekday_hours(seeded):
    associates = Associate.objects.all()

    assert associates.count() > 40
    for associate in associates:
        assert Service.objects.filter(associate=associate, is_active=True).exists()
        assert set(
            WeeklyRule.objects.filter(associate=associate).values_list("weekday", flat=True)
        ) >= {0, 1, 2, 3, 4}


def test_the_demo_professional_can_be_booked_next_week(seeded):
    """Some day of next week has free times. Not necessarily its Monday: on a Sunday that is
    tomorrow, inside the professional's notice, and the demo's own upcoming bookings (placed on
    the first free slots from today) may have taken it."""
    marco = Associate.objects.select_related("user").get(user__email="associate@example.com")
    service = marco.services.all()[0]
    zone = ZoneInfo(marco.user.time_zone)
    monday = next_monday(datetime.now(zone).date())

    slots = available_slots_between(
        associate=marco,
        service=service,
        first_day=monday,
        last_day=monday + timedelta(days=4),
        tz=zone,
    )

    assert slots
    assert all(slot.end - slot.start == service.duration for slot in slots)


def test_running_it_again_adds_no_services_or_hours(seeded):
    services, rules = Service.objects.count(), WeeklyRule.objects.count()

    call_command("seed_demo", stdout=io.StringIO())

    assert (Service.objects.count(), WeeklyRule.objects.count()) == (services, rules)
