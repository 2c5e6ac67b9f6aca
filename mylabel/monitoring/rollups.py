"""Per-minute request rollups behind the KPI page: how they are recorded, kept and read.

Recording adds no database write per request. Each server process aggregates in its own memory
(``recorder``: a dict keyed by minute and route holding the request count, the 5xx count and the
latency histogram's bucket counts, behind a lock because sync views run in threads). Every
``METRICS_ROLLUP_FLUSH_SECONDS`` (60 by default) the first request to finish after the interval
has passed swaps the dict out and writes it with one ``bulk_create`` after its response is
built; so each process writes about one row per active route per minute, whatever the traffic.
The rows are insert-only (a minute may have one row per process and flush) and the readers sum
them, so processes never contend for a row. Once an hour a flush also deletes rows older than
``METRICS_ROLLUP_RETENTION_DAYS``, which keeps the table bounded at about
routes x minutes x processes of the retention (``manage.py prune_request_rollups`` does the same
from cron). A process that dies loses at most its last unflushed minute; an orderly exit flushes.

Percentiles are estimated from the buckets as Prometheus' ``histogram_quantile`` does: linear
interpolation inside the bucket where the rank falls, the top finite edge when it falls in the
open-ended bucket. 200 ms (the KPI) is a bucket edge, so "p95 within 200 ms" is exact.
"""

import atexit
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError

from mylabel.monitoring.models import (
    BUCKET_FIELDS,
    LATENCY_BUCKET_EDGES_MS,
    RequestRollup,
)

logger = logging.getLogger(__name__)

# The platform's KPIs (the seed's monitoring section).
KPI_LATENCY_MS = 200
KPI_ERROR_RATE = 0.001
KPI_AVAILABILITY = 0.999
# Percentile of a route's latency held against the response-time KPI.
KPI_PERCENTILE = 0.95
# Availability is read from the load balancer's probes of this route when there were any.
PROBE_ROUTE = "readyz"
PRUNE_EVERY_SECONDS = 3600


def bucket_index(milliseconds: float) -> int:
    for index, edge in enumerate(LATENCY_BUCKET_EDGES_MS):
        if milliseconds <= edge:
            return index
    return len(LATENCY_BUCKET_EDGES_MS)


def percentile(buckets: Sequence[int], quantile: float) -> float | None:
    """The ``quantile`` (0-1) of the latencies counted in ``buckets`` (per-bucket counts in the
    order of ``BUCKET_FIELDS``), in milliseconds; None when nothing was counted."""
    total = sum(buckets)
    if total == 0:
        return None
    rank = quantile * total
    below = 0
    for index, count in enumerate(buckets):
        if count and below + count >= rank:
            lower = LATENCY_BUCKET_EDGES_MS[index - 1] if index else 0
            if index == len(LATENCY_BUCKET_EDGES_MS):
                return float(lower)
            upper = LATENCY_BUCKET_EDGES_MS[index]
            return lower + (upper - lower) * (rank - below) / count
        below += count
    raise AssertionError("unreachable: the rank is at most the total")  # pragma: no cover


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


class RollupRecorder:
    """A process's unflushed rollups. ``record`` is called for every request; ``claim_flush``
    tells exactly one caller when the interval has passed; ``flush`` writes what was recorded."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[tuple[datetime, str], list[int]] = {}
        self._last_flush = clock()
        self._last_prune: float | None = None

    def record(self, *, route: str, milliseconds: float, server_error: bool, at: datetime) -> None:
        key = (minute_of(at), route)
        with self._lock:
            counts = self._pending.get(key)
            if counts is None:
                counts = self._pending[key] = [0] * (2 + len(BUCKET_FIELDS))
            counts[0] += 1
            counts[1] += server_error
            counts[2 + bucket_index(milliseconds)] += 1

    def claim_flush(self, interval: float) -> bool:
        with self._lock:
            if self._clock() - self._last_flush < interval:
                return False
            self._last_flush = self._clock()
            return True

    def pending(self) -> dict[tuple[datetime, str], list[int]]:
        with self._lock:
            return {key: list(counts) for key, counts in self._pending.items()}

    def flush(self) -> int:
        """Write the recorded rollups (one INSERT) and, once an hour, prune old ones; returns
        the rows written. A database error is logged and the minute's data dropped: monitoring
        must never fail a request."""
        with self._lock:
            pending, self._pending = self._pending, {}
            prune = self._last_prune is None or (
                self._clock() - self._last_prune >= PRUNE_EVERY_SECONDS
            )
            if prune:
                self._last_prune = self._clock()
        rows = [
            RequestRollup(
                minute=minute,
                route=route,
                requests=counts[0],
                errors=counts[1],
                **dict(zip(BUCKET_FIELDS, counts[2:], strict=True)),
            )
            for (minute, route), counts in pending.items()
        ]
        try:
            if rows:
                RequestRollup.objects.bulk_create(rows)
            if prune:
                prune_rollups()
        except DatabaseError:
            logger.exception("Request rollups not written: %d row(s) dropped", len(rows))
            return 0
        return len(rows)


recorder = RollupRecorder()


def flush_interval() -> float | None:
    """Seconds between flushes, or None when rollups are off (the test settings)."""
    return getattr(settings, "METRICS_ROLLUP_FLUSH_SECONDS", 60)


def _flush_at_exit() -> None:
    if flush_interval() is not None and recorder.pending():
        recorder.flush()


atexit.register(_flush_at_exit)


def prune_rollups(*, now: datetime | None = None) -> int:
    """Delete rollups older than ``METRICS_ROLLUP_RETENTION_DAYS``; returns how many."""
    from django.utils import timezone

    days = getattr(settings, "METRICS_ROLLUP_RETENTION_DAYS", 31)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = RequestRollup.objects.filter(minute__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class Figures:
    """Requests, errors and latency of one route, or of all of them (``route`` None)."""

    route: str | None
    requests: int
    errors: int
    buckets: tuple[int, ...]

    @property
    def p50(self) -> float | None:
        return percentile(self.buckets, 0.5)

    @property
    def p95(self) -> float | None:
        return percentile(self.buckets, KPI_PERCENTILE)

    @property
    def error_rate(self) -> float | None:
        return self.errors / self.requests if self.requests else None

    @property
    def latency_breached(self) -> bool:
        return self.p95 is not None and self.p95 > KPI_LATENCY_MS

    @property
    def errors_breached(self) -> bool:
        return self.error_rate is not None and self.error_rate >= KPI_ERROR_RATE

    @property
    def breached(self) -> bool:
        return self.latency_breached or self.errors_breached


@dataclass(frozen=True)
class KpiReport:
    start: datetime
    end: datetime
    routes: list[Figures]
    overall: Figures
    availability: float | None
    # "probes" when measured from /readyz probes, "requests" from request success, None: no data.
    availability_source: str | None

    @property
    def availability_breached(self) -> bool:
        return self.availability is not None and self.availability <= KPI_AVAILABILITY

    @property
    def breached(self) -> bool:
        return self.overall.breached or self.availability_breached


def kpi_report(*, start: datetime, end: datetime) -> KpiReport:
    """The KPIs over the minutes in [start, end): one query, summed per route in the database;
    the overall figures add up those per-route sums (a row per route, never per request)."""
    routes = [
        Figures(
            route=row["route"],
            requests=row["requests"],
            errors=row["errors"],
            buckets=tuple(row[field] for field in BUCKET_FIELDS),
        )
        for row in RequestRollup.objects.in_window(start, end).per_route()
    ]
    overall = Figures(
        route=None,
        requests=sum(figures.requests for figures in routes),
        errors=sum(figures.errors for figures in routes),
        buckets=tuple(sum(column) for column in zip(*(f.buckets for f in routes), strict=True))
        or (0,) * len(BUCKET_FIELDS),
    )
    probes = next((figures for figures in routes if figures.route == PROBE_ROUTE), None)
    measured_by = probes or overall
    availability = 1 - measured_by.errors / measured_by.requests if measured_by.requests else None
    source = None if availability is None else ("probes" if probes else "requests")
    routes.sort(key=lambda figures: (-figures.requests, figures.route or ""))
    return KpiReport(
        start=start,
        end=end,
        routes=routes,
        overall=overall,
        availability=availability,
        availability_source=source,
    )
