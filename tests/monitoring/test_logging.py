"""Request ids and structured logs (issue 8 point 6): the id a response echoes, and the request
id, user id and route on every log record of the request, written as JSON."""

import json
import logging
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.test import RequestFactory
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.monitoring import request_context, rollups
from mylabel.monitoring.request_context import RequestContextFilter

KPIS_URL = reverse("monitoring:kpis")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def context_of(record: logging.LogRecord) -> tuple[object, object, object]:
    return tuple(getattr(record, name) for name in ("request_id", "user_id", "route"))


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.records
    root.removeHandler(handler)


# --- Request ids --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["7f1c2d4e-0b9a-4c3e-8d2f-1a2b3c4d5e6f", "lb:trace.0042_x"])
def test_a_sane_incoming_request_id_is_kept(client, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["short", "has spaces in it", "x" * 129, "new\nline-injection", "ünïcödé-id-1"]
)
def test_an_insane_incoming_request_id_is_replaced(client, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


# --- Log records --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_requests_log_records_carry_its_id_user_and_route(artist_client, artist: User, records):
    response = artist_client.get(KPIS_URL, headers={"X-Request-ID": "req-0001-abcdef"})

    assert response.status_code == 403
    forbidden = [record for record in records if record.name == "django.request"]
    assert forbidden, "Django logs the 403"
    record = forbidden[0]
    assert context_of(record) == ("req-0001-abcdef", artist.pk, "monitoring:kpis")


@pytest.mark.django_db
def test_an_unmatched_anonymous_request_logs_no_user_or_route(client, records):
    response = client.get("/nowhere/at/all/")

    record = next(record for record in records if record.name == "django.request")
    assert context_of(record) == (response["X-Request-ID"], None, None)


def test_records_outside_a_request_carry_empty_context(records):
    logging.getLogger("mylabel.tests").warning("no request here")

    record = records[-1]
    assert context_of(record) == (None, None, None)


def test_the_user_is_never_loaded_for_a_log_record():
    request = RequestFactory().get("/")
    request.request_id = "abc"  # type: ignore[attr-defined]
    token = request_context.enter(request)
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        RequestContextFilter().filter(record)
    finally:
        request_context.leave(token)

    # No request.user at all (authentication never ran): nothing is looked up.
    assert context_of(record) == ("abc", None, None)


@pytest.mark.django_db
def test_log_files_are_json_lines_with_the_request_fields(artist_client, artist: User, records):
    file_handler = logging.getHandlerByName("file")
    assert file_handler is not None
    assert any(isinstance(f, RequestContextFilter) for f in file_handler.filters)
    assert type(file_handler).__name__ == "ConcurrentRotatingFileHandler"

    artist_client.get(KPIS_URL)
    record = next(record for record in records if record.name == "django.request")
    line = json.loads(file_handler.format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["message"].startswith("Forbidden")
    assert line["user_id"] == artist.pk
    assert line["route"] == "monitoring:kpis"
    assert line["request_id"] == context_of(record)[0]
    assert "time" in line


# --- Under ASGI -------------------------------------------------------------------------------


@pytest.mark.django_db
async def test_requests_served_through_asgi_get_an_id_and_are_recorded(
    async_client, settings, monkeypatch
):
    settings.METRICS_ROLLUP_FLUSH_SECONDS = 0  # every request is due
    recorder = rollups.RollupRecorder()
    flushes: list[int] = []

    def flush() -> int:
        flushes.append(1)
        return 0

    monkeypatch.setattr(recorder, "flush", flush)
    monkeypatch.setattr(rollups, "recorder", recorder)

    response = await async_client.get(reverse("healthz"), headers={"X-Request-ID": "async-req-1"})

    assert response["X-Request-ID"] == "async-req-1"
    pending = await sync_to_async(recorder.pending)()
    assert [route for _minute, route in pending] == ["healthz"]
    assert flushes == [1]
