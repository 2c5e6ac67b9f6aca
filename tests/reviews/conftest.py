"""Fixtures of the reviews tests: the offline payment gateway, a bookable service of the
associate persona, and completed bookings between the personas reached through the booking
services (so they have their completion event and, unless free, a succeeded payment)."""

from collections.abc import Callable

import pytest

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, Status
from tests.bookings.lifecycle_helpers import booking_in, local_start, make_service, open_every_day


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)


@pytest.fixture
def make_completed_booking(nina: Artist, service: Service) -> Callable[..., Booking]:
    """``make_completed_booking(days=4)``: another completed, paid booking of nina with marco
    (``days`` picks a different slot, so several can coexist)."""

    def make(days: int = 4, hour: int = 10) -> Booking:
        return booking_in(
            Status.COMPLETED,
            nina,
            service,
            start=local_start(service.associate, days=days, hour=hour),
        )

    return make


@pytest.fixture
def booking(make_completed_booking: Callable[..., Booking]) -> Booking:
    """A completed booking of nina with marco, paid offline through the platform."""
    return make_completed_booking()
