"""Rollup rows built by hand, bucket by bucket, for the KPI arithmetic tests."""

from datetime import datetime

from mylabel.monitoring.models import BUCKET_FIELDS, RequestRollup


def rollup(*, minute: datetime, route: str, errors: int = 0, **buckets: int) -> RequestRollup:
    """A saved row; ``buckets`` as ``le_100=7``; requests are their sum."""
    assert set(buckets) <= set(BUCKET_FIELDS), buckets
    return RequestRollup.objects.create(
        minute=minute, route=route, requests=sum(buckets.values()), errors=errors, **buckets
    )


def buckets(**counts: int) -> tuple[int, ...]:
    """A bucket tuple in BUCKET_FIELDS order: ``buckets(le_50=5, le_200=5)``."""
    return tuple(counts.get(field, 0) for field in BUCKET_FIELDS)
