"""Payments fixtures: a signal recorder and Stripe settings with test keys. No network: the
stripe library's ``requests`` calls are stubbed with ``responses``."""

from collections.abc import Iterator
from typing import Any

import pytest
import responses

from mylabel.payments.signals import payment_refunded, payment_succeeded

STRIPE_KEY = "sk_test_mylabel"
WEBHOOK_SECRET = "whsec_test_mylabel"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, sender: Any, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def succeeded() -> Iterator[Recorder]:
    recorder = Recorder()
    payment_succeeded.connect(recorder, weak=False)
    yield recorder
    payment_succeeded.disconnect(recorder)


@pytest.fixture
def refunded() -> Iterator[Recorder]:
    recorder = Recorder()
    payment_refunded.connect(recorder, weak=False)
    yield recorder
    payment_refunded.disconnect(recorder)


@pytest.fixture
def offline(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def stripe_on(settings) -> None:
    settings.STRIPE_SECRET_KEY = STRIPE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def stripe_api(stripe_on) -> Iterator[responses.RequestsMock]:
    """Every HTTP call must be one a test registered; anything else fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
