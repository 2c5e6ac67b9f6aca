"""The Prometheus metrics of every MyLabel process, and their exposition at ``/metrics``.

Several server processes (uvicorn workers, the task worker) each count their own requests. With
``PROMETHEUS_MULTIPROC_DIR`` set in their environment *before they start*, prometheus-client keeps
every value in a memory-mapped file of that directory and ``/metrics`` reads them all through a
``MultiProcessCollector``, so whichever process answers the scrape reports the whole server. The
directory must exist, be shared by the processes of one server and be emptied when the server
(re)starts (prometheus-client's multiprocess documentation); without it each process exposes its
own default registry, which is right for one process (``runserver``, tests).

Label values are bounded: routes are URL names (never raw paths), statuses are classes
(``2xx``…), tasks are their module paths, booking statuses are the model's choices.

This module imports nothing from Django, so a process can count before Django is set up (and the
multiprocess test can write values from plain subprocesses).
"""

import atexit
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

# Seconds. 0.2 is the response-time KPI, so it is a bucket edge.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)

REQUEST_LATENCY = Histogram(
    "mylabel_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by URL name and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "mylabel_http_responses",
    "HTTP responses by status class (2xx, 3xx, 4xx, 5xx).",
    ["status_class"],
)
SERVER_ERRORS = Counter(
    "mylabel_http_server_errors",
    "Responses with a 5xx status, by URL name.",
    ["route"],
)
WEBSOCKET_CONNECTIONS_OPEN = Gauge(
    "mylabel_websocket_connections_open",
    "WebSocket connections open now.",
    # Summed over the live processes: a dead worker's sockets are gone with it.
    multiprocess_mode="livesum",
)
WEBSOCKET_CONNECTIONS = Counter(
    "mylabel_websocket_connections",
    "WebSocket connections accepted.",
)
WEBSOCKET_MESSAGES = Counter(
    "mylabel_websocket_messages",
    "WebSocket frames received from and sent to browsers.",
    ["direction"],
)
TASK_DURATION = Histogram(
    "mylabel_task_duration_seconds",
    "Run time of background tasks, by task.",
    ["task"],
    buckets=TASK_BUCKETS,
)
TASK_FAILURES = Counter(
    "mylabel_task_failures",
    "Background tasks that raised, by task.",
    ["task"],
)
BOOKING_TRANSITIONS = Counter(
    "mylabel_booking_transitions",
    "Booking status changes, from one status to another ('none' for a new booking).",
    ["from_status", "to_status"],
)


if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # A worker that exits in order takes its open-connection gauge with it; its counters stay.
    # (One killed outright leaves its gauge file until the directory is emptied at restart.)
    atexit.register(mark_process_dead, os.getpid())


def status_class(status_code: int) -> str:
    return f"{status_code // 100}xx"


def multiprocess_directory() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def exposition() -> tuple[bytes, str]:
    """The current values in Prometheus' text format, and its content type."""
    directory = multiprocess_directory()
    if directory:
        # A fresh registry per scrape: the collector reads the files as they are now.
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
