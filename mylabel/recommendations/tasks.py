"""Background work of the recommender (Django's tasks framework)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from mylabel.recommendations import services

DEBOUNCE_KEY = "recommendations:pending:{artist_pk}"
# A booking moves through several states in a few minutes (requested, accepted, paid): one
# recomputation a minute after the first change covers the burst.
DEBOUNCE_SECONDS = 60
_paused: ContextVar[bool] = ContextVar("recommendation_refreshes_paused", default=False)


@contextmanager
def refreshes_paused() -> Iterator[None]:
    """Booking changes inside schedule no refresh: for bulk writers that refresh everyone once
    afterwards (seed_demo, whose 70 booking changes would otherwise refit the model 70 times)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


@task
def refresh_recommendations(artist_pk: int | None = None) -> int:
    """Recompute one artist's recommendations, or everyone's; returns the rows written."""
    if artist_pk is None:
        return services.refresh_recommendations()
    # Cleared before the work, so a booking that changes while it runs schedules a new run.
    cache.delete(DEBOUNCE_KEY.format(artist_pk=artist_pk))
    return services.refresh_recommendations(artist_pks=[artist_pk])


def schedule_refresh(artist_pk: int) -> None:
    """Recompute ``artist_pk``'s rows soon, once for a burst of booking changes.

    The first change of a burst sets a flag in the shared cache and enqueues a run
    ``DEBOUNCE_SECONDS`` later; changes until that run starts find the flag and add nothing,
    and the run sees them all. The flag expires on its own, so a lost run (a worker down)
    only delays the next one. A backend that cannot defer (the embedded in-process one) runs
    it at once."""
    if _paused.get():
        return
    if not cache.add(DEBOUNCE_KEY.format(artist_pk=artist_pk), 1, timeout=DEBOUNCE_SECONDS * 10):
        return
    if refresh_recommendations.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=DEBOUNCE_SECONDS)
        refresh_recommendations.using(run_after=run_after).enqueue(artist_pk)
    else:
        refresh_recommendations.enqueue(artist_pk)
