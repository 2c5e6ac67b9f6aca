"""What feeds the metrics besides HTTP requests (issue 8 point 4): WebSocket connections and
frames, background tasks' durations and failures, booking status transitions."""

from types import SimpleNamespace

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.tasks import TaskResultStatus, task
from prometheus_client import REGISTRY

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings import services
from mylabel.monitoring import receivers
from mylabel.monitoring.middleware import WebSocketMetricsMiddleware
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Counted:
    """How much metric samples changed since ``deltas(…)`` started watching them: the registry
    is the process's, shared with every other test."""

    def __init__(self) -> None:
        self._before: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}

    def start(self, name: str, **labels: str) -> None:
        self._before[(name, frozenset(labels.items()))] = sample(name, **labels)

    def __call__(self, name: str, **labels: str) -> float:
        return sample(name, **labels) - self._before[(name, frozenset(labels.items()))]


def deltas(*names: tuple[str, dict[str, str]]) -> Counted:
    counted = Counted()
    for name, labels in names:
        counted.start(name, **labels)
    return counted


# --- WebSockets --------------------------------------------------------------------------------


class Echo(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        if self.scope["path"].endswith("/refuse/"):
            await self.close()
            return
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=f"echo {text_data}")
        await self.send(text_data="and once more")


application = WebSocketMetricsMiddleware(Echo.as_asgi())
OPEN = "mylabel_websocket_connections_open"
ACCEPTED = "mylabel_websocket_connections_total"
MESSAGES = "mylabel_websocket_messages_total"


@pytest.mark.asyncio
@pytest.mark.django_db  # Channels checks the executor thread's connection around each event
async def test_websocket_connections_and_frames_are_counted_while_open_and_after():
    seen = deltas(
        (OPEN, {}),
        (ACCEPTED, {}),
        (MESSAGES, {"direction": "received"}),
        (MESSAGES, {"direction": "sent"}),
    )
    communicator = WebsocketCommunicator(application, "/ws/echo/")

    connected, _ = await communicator.connect()
    assert connected
    assert seen(OPEN) == 1
    await communicator.send_to(text_data="hello")
    assert await communicator.receive_from() == "echo hello"
    assert await communicator.receive_from() == "and once more"
    await communicator.disconnect()

    assert seen(OPEN) == 0
    assert seen(ACCEPTED) == 1
    assert seen(MESSAGES, direction="received") == 1
    assert seen(MESSAGES, direction="sent") == 2


@pytest.mark.asyncio
async def test_a_refused_handshake_counts_no_connection():
    seen = deltas((OPEN, {}), (ACCEPTED, {}))
    communicator = WebsocketCommunicator(application, "/ws/refuse/")

    connected, _ = await communicator.connect()

    assert not connected
    assert seen(ACCEPTED) == 0
    assert seen(OPEN) == 0


def test_the_servers_websocket_router_is_wrapped_by_the_counter():
    from config.asgi import application as server

    assert isinstance(server.application_mapping["websocket"], WebSocketMetricsMiddleware)


# --- Tasks -------------------------------------------------------------------------------------


@task
def succeeding_task() -> int:
    return 1


@task
def failing_task() -> None:
    raise ValueError("expected in this test")


TASK_SECONDS = "mylabel_task_duration_seconds_count"
TASK_FAILURES = "mylabel_task_failures_total"


def test_a_finished_task_records_its_duration_and_a_failed_one_its_failure():
    succeeding = f"{__name__}.succeeding_task"
    failing = f"{__name__}.failing_task"
    seen = deltas(
        (TASK_SECONDS, {"task": succeeding}),
        (TASK_SECONDS, {"task": failing}),
        (TASK_FAILURES, {"task": succeeding}),
        (TASK_FAILURES, {"task": failing}),
    )

    succeeding_task.enqueue()
    failing_task.enqueue()

    assert seen(TASK_SECONDS, task=succeeding) == 1
    assert seen(TASK_FAILURES, task=succeeding) == 0
    assert seen(TASK_SECONDS, task=failing) == 1
    assert seen(TASK_FAILURES, task=failing) == 1


def test_a_task_result_without_times_records_only_its_outcome():
    # A task that failed before it started (the worker could not load it, say).
    result = SimpleNamespace(
        task=SimpleNamespace(module_path="tests.unstarted"),
        started_at=None,
        finished_at=None,
        status=TaskResultStatus.FAILED,
    )

    seen = deltas(
        (TASK_SECONDS, {"task": "tests.unstarted"}), (TASK_FAILURES, {"task": "tests.unstarted"})
    )

    receivers.record_task_finished(task_result=result)  # type: ignore[arg-type]

    assert seen(TASK_SECONDS, task="tests.unstarted") == 0
    assert seen(TASK_FAILURES, task="tests.unstarted") == 1


# --- Bookings ----------------------------------------------------------------------------------

TRANSITIONS = "mylabel_booking_transitions_total"


@pytest.fixture
def _offline_payments(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.mark.django_db
@pytest.mark.usefixtures("_offline_payments")
def test_booking_transitions_are_counted_from_status_to_status_after_the_commit(
    nina: Artist, marco: Associate, django_capture_on_commit_callbacks
):
    open_every_day(marco)
    service = make_service(marco)
    seen = deltas(
        (TRANSITIONS, {"from_status": "none", "to_status": "requested"}),
        (TRANSITIONS, {"from_status": "requested", "to_status": "accepted"}),
    )

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(nina, service)
    assert seen(TRANSITIONS, from_status="none", to_status="requested") == 1

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.accept_booking(booking=booking, by=marco.user)
    assert seen(TRANSITIONS, from_status="requested", to_status="accepted") == 0
    for callback in callbacks:
        callback()
    assert seen(TRANSITIONS, from_status="requested", to_status="accepted") == 1
