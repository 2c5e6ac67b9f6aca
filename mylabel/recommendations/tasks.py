"""Background work of the recommender (Django's tasks framework)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from mylabel.core.memory import release_free_memory
from mylabel.recommendations import services
from mylabel.recommendations.engine import Recommender

DEBOUNCE_KEY = "recommendations:pending:{artist_pk}"
# A booking moves through several states in a few minutes (requested, accepted, paid): one
# recomputation a minute after the first change covers the burst.
DEBOUNCE_SECONDS = 60
_paused: ContextVar[bool] = ContextVar("recommendation_refreshes_paused", default=False)
# Between the clocks of the process that saw a change and the worker's.
CLOCK_MARGIN = timedelta(seconds=1)
FIT_REUSE_FOR = timedelta(seconds=DEBOUNCE_SECONDS)

# The model this worker process fitted last, and when it started reading the community for it.
# Every artist's refresh fits on the whole community; when several artists' bookings change
# within a minute, their runs come due within that minute and all but the first reuse the first
# one's model, as long as it read the data after their change had committed.
_last_fit: tuple[datetime, Recommender] | None = None


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
    """Recompute one artist's recommendations, or everyone's; returns the rows written.

    The worker then hands the memory the run freed back to the system: a fit's temporaries
    are tens of MiB, and the allocator would keep their pages for good (mylabel/core/memory.py).
    """
    try:
        return _refresh(artist_pk)
    finally:
        release_free_memory()


def _refresh(artist_pk: int | None) -> int:
    if artist_pk is None:
        return services.refresh_recommendations()
    key = DEBOUNCE_KEY.format(artist_pk=artist_pk)
    last_change = cache.get(key)
    # Cleared before the work, so a booking that changes while it runs schedules a new run.
    # (A change that lands between these two calls can be missed by a reused model, and its
    # flag, written back just after the delete, can hold off the next run for the flag's ten
    # minutes; the artist's next change after that, or the nightly refresh, catches up.)
    cache.delete(key)
    changed_at = datetime.fromisoformat(last_change) if isinstance(last_change, str) else None
    recommender = _model_seeing(changed_at)
    return services.refresh_recommendations(artist_pks=[artist_pk], recommender=recommender)


def _model_seeing(changed_at: datetime | None) -> Recommender:
    """A model fitted on data read after ``changed_at``: the last one when it was, else a new
    one (always a new one without ``changed_at``)."""
    global _last_fit
    now = timezone.now()
    if _last_fit is not None and changed_at is not None:
        read_at, recommender = _last_fit
        # And recent: a run long after its change should not reuse an old model either.
        age = now - read_at
        if read_at > changed_at + CLOCK_MARGIN and timedelta(0) <= age < FIT_REUSE_FOR:
            return recommender
    # Let the old model go before fitting the new one: holding both raised the worker's peak.
    _last_fit = None
    recommender = services.fit()
    _last_fit = (now, recommender)
    return recommender


def schedule_refresh(artist_pk: int) -> None:
    """Recompute ``artist_pk``'s rows soon, once for a burst of booking changes.

    The first change of a burst sets a flag in the shared cache and enqueues a run
    ``DEBOUNCE_SECONDS`` later; changes until that run starts find the flag and add nothing,
    and the run sees them all. The flag expires on its own, so a lost run (a worker down)
    only delays the next one. A backend that cannot defer (the embedded in-process one) runs
    it at once."""
    if _paused.get():
        return
    key, now = DEBOUNCE_KEY.format(artist_pk=artist_pk), timezone.now()
    # The flag holds the burst's last change (called after its commit): the run must use a
    # model that saw it.
    if not cache.add(key, now.isoformat(), timeout=DEBOUNCE_SECONDS * 10):
        cache.set(key, now.isoformat(), timeout=DEBOUNCE_SECONDS * 10)
        return
    if refresh_recommendations.get_backend().supports_defer:
        run_after = now + timedelta(seconds=DEBOUNCE_SECONDS)
        refresh_recommendations.using(run_after=run_after).enqueue(artist_pk)
    else:
        refresh_recommendations.enqueue(artist_pk)
