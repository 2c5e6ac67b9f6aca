"""Schemathesis over the whole OpenAPI schema (issue 7 §8): every operation, anonymous and with a
token, answers only documented status codes and content types, with bodies matching the
documented schemas, and never a server error.

Derandomized (a fixed seed per operation) with a bounded number of examples, so a run is
repeatable and fits in the normal test run. The database holds the personas with real objects
(a booking request, a completed booking with its review, a conversation with a message, a
notification), and every case whose path names an object is sent twice: as generated (almost
always an unknown id: 404) and with a real id, so detail endpoints and their actions run too.
"""

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mylabel.accounts.models import User
from mylabel.api.models import ApiToken
from mylabel.api.services import create_api_token
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.messaging.services import send_message, start_direct_conversation
from mylabel.notifications.models import Event
from mylabel.notifications.services import notify
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day
from tests.profile_factories import PortfolioItemFactory
from tests.reviews.factories import ReviewFactory

# Few examples per operation: the schema grows with every endpoint, and the whole module should
# stay near a minute on SQLite. Only the fuzzing phase: the coverage phase sends hundreds of
# boundary cases per operation, which belongs to a nightly run, not to every test run.
MAX_EXAMPLES = 5
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 7,
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Built when the module is collected (pytest-django has set Django up by then), so each operation
# is a test of its own.
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=CONFIG
)
APP = WSGIHandler()


# --- The data the cases run against -------------------------------------------------------------


@pytest.fixture
def real_ids(
    artist: User, nina: Artist, associate: User, marco: Associate, outsider: User
) -> dict[str, dict[str, Any]]:
    """Real objects the personas can see, by the resource (first path segment after /api/v1/)."""
    open_every_day(marco)
    service = make_service(marco)
    request = book(nina, service)
    review = ReviewFactory.create(associate=marco, artist=nina)
    conversation = start_direct_conversation(user=artist, other=associate)
    send_message(conversation=conversation, sender=associate, body="Hi Nina!")
    notification = notify(
        recipient=artist,
        event=Event.BOOKING_REQUESTED,
        title="Marco accepted your booking",
        url="/bookings/",
        actor=associate,
    )
    assert notification is not None
    item = PortfolioItemFactory.create(owner=artist)
    # Every name the resources' path parameters go by, with the object the artist may see.
    return {
        "artists": {"slug": nina.slug},
        "associates": {"slug": marco.slug, "id": service.pk},
        "bookings": {"id": request.pk},
        "reviews": {"id": review.pk},
        "conversations": {"id": conversation.pk, "conversation_pk": conversation.pk},
        "notifications": {"id": notification.pk},
        "portfolio": {"id": item.pk},
        "me": {},
    }


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes stale database connections when a request starts and ends; its test client
    turns that off so the test's transaction survives, and so must a test calling the WSGI
    application directly (with PostgreSQL's pool the connection would go back mid-test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttling(settings) -> None:
    """Hundreds of requests a minute from one address are the point here, not abuse."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }


@pytest.fixture
def token_headers(artist: User) -> dict[str, str]:
    _token, key = create_api_token(user=artist, name="fuzz")
    return {"Authorization": f"Token {key}"}


def with_real_ids(case: Any, ids: dict[str, dict[str, Any]]) -> bool:
    """Put real ids into ``case``'s path parameters; False if its resource has none."""
    resource = case.path.removeprefix("/api/v1/").split("/", 1)[0]
    known = ids.get(resource, {})
    names = [name for name in case.path_parameters or {} if name in known]
    for name in names:
        case.path_parameters[name] = known[name]
    return bool(names)


def call_and_check(case: Any, headers: dict[str, str] | None = None) -> None:
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)


SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_anonymous_requests_conform_to_the_schema(case, real_ids) -> None:
    call_and_check(case)
    if with_real_ids(case, real_ids):
        call_and_check(case)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_token_requests_conform_to_the_schema(case, real_ids, token_headers, artist) -> None:
    # DELETE /auth/token/ revokes the token it is sent with: give each example a live one.
    if not ApiToken.objects.filter(user=artist, name="fuzz").exists():
        _token, key = create_api_token(user=artist, name="fuzz")
        token_headers["Authorization"] = f"Token {key}"
    call_and_check(case, token_headers)
    if with_real_ids(case, real_ids):
        call_and_check(case, token_headers)


def test_the_fuzzed_schema_covers_the_token_endpoint() -> None:
    """The schema the cases come from is the served one, with at least the token operations
    (it grows as endpoints are added; a broken include would silently fuzz nothing)."""
    operations = {
        (result.ok().method.upper(), result.ok().path)
        for result in schema.get_all_operations()
        if isinstance(result, Ok)
    }
    assert ("POST", "/api/v1/auth/token/") in operations
    assert ("DELETE", "/api/v1/auth/token/") in operations
