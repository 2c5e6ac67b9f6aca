"""Fixtures of the booking tests: the offline payment gateway (whatever the environment says)
and a bookable service of the associate persona, open every day."""

import pytest

from mylabel.associates.models import Associate, Service
from tests.bookings.lifecycle_helpers import make_service, open_every_day


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)
