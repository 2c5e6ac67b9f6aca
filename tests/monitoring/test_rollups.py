"""The KPI page's data (issue 8 point 5): percentiles from buckets, error rate and availability
against hand-computed figures, windows (empty, edges, the viewer's midnight), the in-memory
recorder and its once-a-minute flush, pruning."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from mylabel.monitoring import rollups
from mylabel.monitoring.forms import KpiWindowForm
from mylabel.monitoring.models import BUCKET_FIELDS, RequestRollup
from mylabel.monitoring.rollups import Figures, RollupRecorder, kpi_report, percentile
from tests.monitoring.helpers import buckets, rollup

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# --- Percentiles from buckets ------------------------------------------------------------------


def test_percentiles_interpolate_inside_the_bucket_where_the_rank_falls():
    # 5 requests in (25, 50] ms and 5 in (100, 200] ms.
    counts = buckets(le_50=5, le_200=5)
    assert percentile(counts, 0.5) == 50.0  # rank 5: the top of the first bucket
    assert percentile(counts, 0.95) == 190.0  # rank 9.5: 100 + 100 x 4.5/5


def test_a_single_request_in_the_first_bucket_is_halfway_up_it_at_the_median():
    assert percentile(buckets(le_5=1), 0.5) == 2.5


def test_a_percentile_in_the_open_bucket_is_the_top_finite_edge():
    assert percentile(buckets(le_inf=3), 0.95) == 10000.0


def test_no_requests_have_no_percentile():
    assert percentile(buckets(), 0.5) is None


def test_every_latency_lands_in_the_first_bucket_whose_edge_holds_it():
    assert rollups.bucket_index(0.3) == 0
    assert rollups.bucket_index(5) == 0
    assert rollups.bucket_index(5.01) == 1
    assert rollups.bucket_index(200) == BUCKET_FIELDS.index("le_200")
    assert rollups.bucket_index(10_000.1) == BUCKET_FIELDS.index("le_inf")


# --- Figures against the KPIs -------------------------------------------------------------------


def test_an_error_rate_of_exactly_a_tenth_of_a_percent_breaches_the_kpi():
    figures = Figures(route="home", requests=1000, errors=1, buckets=buckets(le_100=1000))
    assert figures.error_rate == 0.001
    assert figures.errors_breached
    assert not figures.latency_breached  # p95 = 50 + 50 x 950/1000 = 97.5 ms
    assert figures.p95 == 97.5


def test_a_p95_at_the_200_ms_edge_meets_the_kpi_and_above_it_breaches():
    at_edge = Figures(route="a", requests=20, errors=0, buckets=buckets(le_200=20))
    above = Figures(route="b", requests=20, errors=0, buckets=buckets(le_300=20))
    assert at_edge.p95 == 195.0
    assert not at_edge.breached
    assert above.p95 == 295.0
    assert above.latency_breached
    assert above.breached


# --- The report over a window -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_sums_routes_and_processes_and_reads_availability_from_probes():
    rollup(minute=T0, route="home", errors=1, le_100=1000)
    rollup(minute=T0, route="readyz", le_5=59)
    rollup(minute=T0 + timedelta(minutes=1), route="readyz", errors=1, le_5=1)
    # Two processes' rows for the same minute and route.
    rollup(minute=T0, route="search", le_300=10)
    rollup(minute=T0, route="search", le_300=10)

    report = kpi_report(start=T0, end=T0 + timedelta(hours=1))

    assert [(f.route, f.requests, f.errors) for f in report.routes] == [
        ("home", 1000, 1),
        ("readyz", 60, 1),
        ("search", 20, 0),
    ]
    search = report.routes[2]
    assert search.p95 == 295.0
    assert search.latency_breached
    assert report.overall.requests == 1080
    assert report.overall.errors == 2
    assert report.overall.error_rate == pytest.approx(2 / 1080)
    # Overall p95: rank 1026 of 60 (≤ 5 ms), 1000 (50-100 ms), 20 (200-300 ms):
    # 50 + 50 x (1026 - 60)/1000 = 98.3 ms.
    assert report.overall.p95 == pytest.approx(98.3)
    assert report.availability_source == "probes"
    assert report.availability == pytest.approx(59 / 60)
    assert report.availability_breached
    assert report.breached


@pytest.mark.django_db
def test_without_probes_availability_is_the_share_of_requests_without_a_server_error():
    rollup(minute=T0, route="home", errors=1, le_50=1999)
    rollup(minute=T0, route="home", le_50=1)

    report = kpi_report(start=T0, end=T0 + timedelta(minutes=1))

    assert report.availability_source == "requests"
    assert report.availability == pytest.approx(1 - 1 / 2000)
    assert not report.availability_breached
    assert report.overall.error_rate == 0.0005
    assert not report.breached


@pytest.mark.django_db
def test_a_window_includes_its_first_minute_and_excludes_its_end():
    rollup(minute=T0 - timedelta(minutes=1), route="before", le_5=1)
    rollup(minute=T0, route="first", le_5=1)
    rollup(minute=T0 + timedelta(minutes=59), route="last", le_5=1)
    rollup(minute=T0 + timedelta(hours=1), route="after", le_5=1)

    report = kpi_report(start=T0, end=T0 + timedelta(hours=1))

    assert {figures.route for figures in report.routes} == {"first", "last"}


@pytest.mark.django_db
def test_an_empty_window_has_no_figures_and_breaches_nothing():
    rollup(minute=T0 - timedelta(days=2), route="home", errors=5, le_inf=5)

    report = kpi_report(start=T0, end=T0 + timedelta(hours=1))

    assert report.routes == []
    assert report.overall.requests == 0
    assert report.overall.p95 is None
    assert report.overall.error_rate is None
    assert report.availability is None
    assert report.availability_source is None
    assert not report.breached


@pytest.mark.django_db
def test_today_starts_at_midnight_in_the_viewers_time_zone():
    # 23:30 UTC on 10 March is 00:30 on 11 March in Rome (UTC+1).
    now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    rollup(minute=datetime(2026, 3, 10, 22, 59, tzinfo=UTC), route="yesterday", le_5=1)
    rollup(minute=datetime(2026, 3, 10, 23, 0, tzinfo=UTC), route="today", le_5=1)
    form = KpiWindowForm.from_query({"window": "today"})

    with timezone.override(ZoneInfo("Europe/Rome")):
        start, end = form.bounds(now)
    report = kpi_report(start=start, end=end)

    assert start == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    assert end == now
    assert [figures.route for figures in report.routes] == ["today"]
    with timezone.override(ZoneInfo("America/New_York")):
        assert form.bounds(now)[0] == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("window", "span"),
    [("hour", timedelta(hours=1)), ("day", timedelta(days=1)), ("month", timedelta(days=30))],
)
def test_rolling_windows_end_now(window, span):
    start, end = KpiWindowForm.from_query({"window": window}).bounds(T0)
    assert (start, end) == (T0 - span, T0)


def test_an_unknown_window_is_refused_with_a_message_and_the_last_day_shown():
    form = KpiWindowForm.from_query({"window": "forever"})
    assert not form.is_valid()
    assert "Unknown window" in form.errors["window"][0]
    assert form.bounds(T0) == (T0 - timedelta(days=1), T0)


# --- The recorder: memory first, one write per interval ----------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_recorder_aggregates_requests_per_minute_and_route_in_memory():
    recorder = RollupRecorder(clock=FakeClock())
    recorder.record(route="home", milliseconds=30, server_error=False, at=T0)
    recorder.record(
        route="home", milliseconds=150, server_error=True, at=T0 + timedelta(seconds=59)
    )
    recorder.record(route="home", milliseconds=4, server_error=False, at=T0 + timedelta(minutes=1))

    pending = recorder.pending()

    first = pending[(T0, "home")]
    assert first[:2] == [2, 1]
    assert dict(zip(BUCKET_FIELDS, first[2:], strict=True)) == dict.fromkeys(BUCKET_FIELDS, 0) | {
        "le_50": 1,
        "le_200": 1,
    }
    assert pending[(T0 + timedelta(minutes=1), "home")][:3] == [1, 0, 1]


def test_only_one_caller_claims_the_flush_once_the_interval_has_passed():
    clock = FakeClock()
    recorder = RollupRecorder(clock=clock)
    assert not recorder.claim_flush(60)
    clock.now += 60
    assert recorder.claim_flush(60)
    assert not recorder.claim_flush(60)
    clock.now += 59
    assert not recorder.claim_flush(60)


@pytest.mark.django_db
def test_a_flush_writes_every_pending_minute_in_one_query_and_empties_the_recorder(
    django_assert_num_queries,
):
    recorder = RollupRecorder(clock=FakeClock())
    recorder._last_prune = recorder._clock()  # no prune in this flush
    for route in ["home", "search", "readyz"]:
        for second in range(3):
            recorder.record(
                route=route, milliseconds=12, server_error=False, at=T0 + timedelta(seconds=second)
            )

    with django_assert_num_queries(1):
        written = recorder.flush()

    assert written == 3
    assert recorder.pending() == {}
    assert sorted(RequestRollup.objects.values_list("route", "requests", "le_25")) == [
        ("home", 3, 3),
        ("readyz", 3, 3),
        ("search", 3, 3),
    ]
    assert str(RequestRollup.objects.get(route="home")) == "2026-03-10 12:00 home: 3"


@pytest.mark.django_db
def test_the_first_flush_and_then_one_an_hour_also_prunes_old_rollups():
    clock = FakeClock()
    recorder = RollupRecorder(clock=clock)
    with time_machine.travel(T0, tick=False):
        old = rollup(minute=T0 - timedelta(days=32), route="old", le_5=1)
        recorder.flush()
        assert not RequestRollup.objects.filter(pk=old.pk).exists()

        older = rollup(minute=T0 - timedelta(days=40), route="old", le_5=1)
        clock.now += 1800
        recorder.flush()
        assert RequestRollup.objects.filter(pk=older.pk).exists()
        clock.now += 1800
        recorder.flush()
        assert not RequestRollup.objects.filter(pk=older.pk).exists()


@pytest.mark.django_db
def test_a_failed_flush_is_logged_and_drops_the_minute_instead_of_raising(monkeypatch, caplog):
    recorder = RollupRecorder(clock=FakeClock())
    recorder.record(route="home", milliseconds=1, server_error=False, at=T0)

    def fail(*args, **kwargs):
        raise DatabaseError("database is down")

    monkeypatch.setattr(RequestRollup.objects, "bulk_create", fail)

    assert recorder.flush() == 0
    assert recorder.pending() == {}
    assert "1 row(s) dropped" in caplog.text


@pytest.mark.django_db
def test_the_prune_command_deletes_rollups_past_the_retention(settings):
    settings.METRICS_ROLLUP_RETENTION_DAYS = 7
    with time_machine.travel(T0, tick=False):
        rollup(minute=T0 - timedelta(days=7, minutes=1), route="old", le_5=1)
        kept = rollup(minute=T0 - timedelta(days=6), route="recent", le_5=1)
        out = StringIO()
        call_command("prune_request_rollups", stdout=out)

    assert list(RequestRollup.objects.all()) == [kept]
    assert out.getvalue().strip() == "1 request rollup(s) deleted."


# --- Through the middleware ---------------------------------------------------------------------


@pytest.fixture
def live_recorder(settings, monkeypatch) -> tuple[RollupRecorder, FakeClock]:
    """Rollups on (the test settings turn them off), with a recorder of the test's own."""
    settings.METRICS_ROLLUP_FLUSH_SECONDS = 60
    clock = FakeClock()
    recorder = RollupRecorder(clock=clock)
    monkeypatch.setattr(rollups, "recorder", recorder)
    return recorder, clock


@pytest.mark.django_db
def test_requests_add_no_database_write_until_the_interval_has_passed(
    client, live_recorder, django_assert_num_queries
):
    recorder, clock = live_recorder
    healthz = reverse("healthz")

    with django_assert_num_queries(0):
        for _ in range(5):
            client.get(healthz)
        client.get("/no-such-page-at-all/")
    assert RequestRollup.objects.count() == 0

    clock.now += 60
    client.get(healthz)

    assert sorted(RequestRollup.objects.values_list("route", "requests", "errors")) == [
        ("healthz", 6, 0),
        ("unmatched", 1, 0),
    ]
    assert recorder.pending() == {}


@pytest.mark.django_db
def test_with_rollups_off_requests_record_nothing(client, settings, monkeypatch):
    settings.METRICS_ROLLUP_FLUSH_SECONDS = None
    recorder = RollupRecorder()
    monkeypatch.setattr(rollups, "recorder", recorder)

    client.get(reverse("healthz"))

    assert recorder.pending() == {}


@pytest.mark.django_db
def test_an_orderly_exit_flushes_what_is_pending(live_recorder):
    recorder, _clock = live_recorder
    rollups._flush_at_exit()
    assert RequestRollup.objects.count() == 0

    recorder.record(route="home", milliseconds=1, server_error=False, at=timezone.now())
    rollups._flush_at_exit()

    assert RequestRollup.objects.get().route == "home"
