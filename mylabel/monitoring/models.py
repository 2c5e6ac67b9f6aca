from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

# Upper edges of the stored latency buckets, in milliseconds; the last column counts the rest.
# 200 ms is the response-time KPI. Changing these needs a migration and leaves old rows in the
# old buckets: add edges, never move one.
LATENCY_BUCKET_EDGES_MS = (5, 10, 25, 50, 100, 200, 300, 500, 1000, 2500, 5000, 10000)
BUCKET_FIELDS = (*(f"le_{edge}" for edge in LATENCY_BUCKET_EDGES_MS), "le_inf")


class RequestRollupQuerySet(models.QuerySet["RequestRollup"]):
    def in_window(self, start: datetime, end: datetime) -> "RequestRollupQuerySet":
        """Rows of the minutes that start in [start, end)."""
        return self.filter(minute__gte=start, minute__lt=end)

    def per_route(self) -> "models.QuerySet[Any, dict[str, Any]]":
        """One row per route with its summed requests, errors and bucket counts (one query)."""
        sums = {field: Sum(field) for field in ("requests", "errors", *BUCKET_FIELDS)}
        return self.values("route").annotate(**sums).order_by("route")


class RequestRollup(models.Model):
    """What one server process saw of one route in one minute: request and 5xx counts and the
    latency histogram (per-bucket counts, not cumulative).

    Insert-only: each process writes its own rows when it flushes (mylabel/monitoring/rollups.py),
    so a minute may have a row per process; readers sum. Rows past the retention are pruned.
    """

    minute = models.DateTimeField(_("minute"), db_index=True)
    route = models.CharField(_("route"), max_length=200)
    requests = models.PositiveIntegerField(_("requests"))
    errors = models.PositiveIntegerField(_("server errors"))
    le_5 = models.PositiveIntegerField(default=0)
    le_10 = models.PositiveIntegerField(default=0)
    le_25 = models.PositiveIntegerField(default=0)
    le_50 = models.PositiveIntegerField(default=0)
    le_100 = models.PositiveIntegerField(default=0)
    le_200 = models.PositiveIntegerField(default=0)
    le_300 = models.PositiveIntegerField(default=0)
    le_500 = models.PositiveIntegerField(default=0)
    le_1000 = models.PositiveIntegerField(default=0)
    le_2500 = models.PositiveIntegerField(default=0)
    le_5000 = models.PositiveIntegerField(default=0)
    le_10000 = models.PositiveIntegerField(default=0)
    le_inf = models.PositiveIntegerField(default=0)

    objects = RequestRollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("request rollup")
        verbose_name_plural = _("request rollups")

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.route}: {self.requests}"
