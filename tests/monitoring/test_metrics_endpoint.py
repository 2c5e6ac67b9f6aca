"""/metrics (issue 8 point 4): hidden unless configured, a token or an allowed address gets the
Prometheus exposition, what the request middleware counts, and several processes' values read
together through the multiprocess directory."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from tests.processes import run_python

METRICS_URL = reverse("monitoring:metrics")
TOKEN = "s3cret-scrape-token"


def samples(body: bytes) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, keyed by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def value(body: bytes, name: str, **labels: str) -> float:
    return samples(body).get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def scrape(settings, client: Client):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []

    def get() -> bytes:
        response = client.get(METRICS_URL, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        return response.content

    return get


# --- Access ------------------------------------------------------------------------------------


def test_without_a_token_or_addresses_configured_the_endpoint_does_not_exist(settings, client):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get(METRICS_URL).status_code == 404
    assert client.get(METRICS_URL, headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", f"Token {TOKEN}", f"Bearer {TOKEN}x", "Bearer", "Basic abc"],
)
def test_a_missing_or_wrong_token_is_refused(settings, client, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get(METRICS_URL, headers=headers)

    assert response.status_code == 403
    assert b"mylabel_" not in response.content


def test_the_right_bearer_token_gets_the_prometheus_exposition(scrape, settings, client):
    response = client.get(METRICS_URL, headers={"Authorization": f"bearer  {TOKEN} "})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    names = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {
        "mylabel_http_request_duration_seconds",
        "mylabel_http_responses",
        "mylabel_websocket_connections_open",
        "mylabel_task_duration_seconds",
        "mylabel_booking_transitions",
    } <= names


@pytest.mark.parametrize(
    ("allowed", "address", "status"),
    [
        (["10.0.0.5"], "10.0.0.5", 200),
        (["10.0.0.0/24"], "10.0.0.77", 200),
        (["::1"], "::1", 200),
        (["10.0.0.0/24"], "10.0.1.1", 403),
        (["not-an-address", "10.0.0.5"], "10.0.0.5", 200),
        (["not-an-address"], "10.0.0.5", 403),
        (["10.0.0.5"], "garbage", 403),
    ],
)
def test_configured_client_addresses_are_let_in_without_a_token(
    settings, client, allowed, address, status
):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = allowed

    response = client.get(METRICS_URL, REMOTE_ADDR=address)

    assert response.status_code == status


def test_a_forwarded_for_header_does_not_count_as_the_clients_address(settings, client):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]

    response = client.get(METRICS_URL, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.5")

    assert response.status_code == 403


def test_only_safe_methods_are_answered(scrape, client):
    response = client.post(METRICS_URL, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405


# --- What requests record ---------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_url_name_method_and_status_class(scrape, client):
    before = scrape()

    for _ in range(3):
        client.get(reverse("healthz"))
    client.head(reverse("healthz"))
    client.get("/no/such/page/4711/")
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    histogram = "mylabel_http_request_duration_seconds"
    assert delta(f"{histogram}_count", route="healthz", method="GET") == 3
    assert delta(f"{histogram}_count", route="healthz", method="HEAD") == 1
    assert delta(f"{histogram}_count", route="unmatched", method="GET") == 1
    # Never the raw path as a label value. (Checked on the labels: a float in the exposition, such
    # as a duration sum, may contain the digits 4711 by chance.)
    label_values = {label for _, labels in samples(after) for _, label in labels}
    assert not any("4711" in label_value for label_value in label_values)
    assert delta(f"{histogram}_bucket", route="healthz", method="GET", le="+Inf") == 3
    assert delta("mylabel_http_responses_total", status_class="4xx") == 1
    # The scrape itself: 2xx too.
    assert delta("mylabel_http_responses_total", status_class="2xx") == 5


def test_unknown_methods_are_counted_as_other(scrape, client):
    before = scrape()

    client.generic("BREW", reverse("healthz"))
    after = scrape()

    name = "mylabel_http_request_duration_seconds_count"
    assert (
        value(after, name, route="healthz", method="other")
        - value(before, name, route="healthz", method="other")
        == 1
    )
    assert value(after, name, route="healthz", method="BREW") == 0


@pytest.mark.django_db
def test_server_errors_are_counted_per_route(scrape, monkeypatch):
    from mylabel.core import health

    def broken() -> dict[str, str | None]:
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "run_checks", broken)
    failing = Client(raise_request_exception=False)
    before = scrape()

    response = failing.get(reverse("readyz"))
    after = scrape()

    assert response.status_code == 500
    errors = "mylabel_http_server_errors_total"
    assert value(after, errors, route="readyz") - value(before, errors, route="readyz") == 1
    responses = "mylabel_http_responses_total"
    assert (
        value(after, responses, status_class="5xx") - value(before, responses, status_class="5xx")
        == 1
    )


# --- Several processes ------------------------------------------------------------------------

WORKER = """
from mylabel.monitoring import metrics
metrics.REQUEST_LATENCY.labels("home", "GET").observe(0.05)
metrics.REQUEST_LATENCY.labels("home", "GET").observe(0.3)
metrics.RESPONSES.labels("2xx").inc(2)
metrics.WEBSOCKET_CONNECTIONS_OPEN.inc()
metrics.WEBSOCKET_CONNECTIONS.inc()
from prometheus_client import values
assert values.ValueClass is not values.MutexValue, "not in multiprocess mode"
"""


def test_values_of_several_processes_are_exposed_together(scrape, tmp_path: Path, monkeypatch):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    for _worker in range(2):
        completed = run_python(["-c", WORKER], tmp_path, PROMETHEUS_MULTIPROC_DIR=str(directory))
        assert completed.returncode == 0, completed.stderr
    assert len(list(directory.glob("*.db"))) >= 2

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    body = scrape()

    histogram = "mylabel_http_request_duration_seconds"
    assert value(body, f"{histogram}_count", route="home", method="GET") == 4
    assert value(body, f"{histogram}_bucket", route="home", method="GET", le="0.05") == 2
    assert value(body, f"{histogram}_sum", route="home", method="GET") == pytest.approx(0.7)
    assert value(body, "mylabel_http_responses_total", status_class="2xx") == 4
    assert value(body, "mylabel_websocket_connections_total") == 2
    # Both workers exited in order: their open sockets no longer count.
    assert value(body, "mylabel_websocket_connections_open") == 0
    # This process's own values are not in the directory (it is not in multiprocess mode).
    assert value(body, f"{histogram}_count", route="monitoring:metrics", method="GET") == 0
