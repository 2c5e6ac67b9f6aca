"""Every write of the Spotify app (CONVENTIONS.md "Layers"): linking, fetching, backing off.

A fetch talks to Spotify for up to ``client.REQUEST_TIMEOUT_SECONDS`` twice, so it never runs
inside a transaction: a link is *claimed* first (its ``next_attempt_at`` moved past the fetch, by
a conditional UPDATE only one worker can win), then fetched, then written back only if it still
points at the same Spotify artist. A refresh never raises to its caller: failures are recorded on
the link and retried later.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mylabel.artists.models import Artist
from mylabel.core.models import Genre
from mylabel.core.page_cache import forget_public_pages
from mylabel.spotify import client
from mylabel.spotify.links import artist_id_of
from mylabel.spotify.models import SpotifyArtist

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_CAP = timedelta(hours=12)
# How long a claimed link is left alone by other workers; longer than two timed-out requests.
CLAIM_FOR = timedelta(minutes=5)
# Spotify's rate limit is per application, not per artist: while it lasts, no link is fetched.
RATE_LIMIT_KEY = "spotify:rate-limited-until"
DEFAULT_RETRY_AFTER = timedelta(minutes=1)


class Outcome(StrEnum):
    FETCHED = "fetched"
    NOT_FOUND = "not_found"
    FAILED = "failed"
    RATE_LIMITED = "rate_limited"
    SKIPPED = "skipped"  # not due, claimed by another worker, unlinked, or not configured


def sync_spotify_link(artist: Artist) -> None:
    """Bring the profile's Spotify link record in line with ``artist.spotify_url`` as just saved
    (call inside the saving transaction). A new or changed artist starts over and is fetched
    after the commit; an unchanged one is left alone; a cleared one is forgotten. Without
    credentials the record still waits, due, for the day they are configured."""
    spotify_id = artist_id_of(artist.spotify_url) if artist.spotify_url else None
    current = SpotifyArtist.objects.filter(artist=artist).only("spotify_id").first()
    if spotify_id is None:
        if current is not None:
            current.delete()
        return
    if current is not None and current.spotify_id == spotify_id:
        return
    # A new row with the same primary key overwrites every column: nothing of the previous
    # Spotify artist (data, errors, genres added) carries over.
    SpotifyArtist(artist=artist, spotify_id=spotify_id, next_attempt_at=timezone.now()).save()
    if client.is_configured():
        from mylabel.spotify.tasks import fetch_spotify_artist  # the task calls this module

        artist_pk = artist.pk
        transaction.on_commit(lambda: fetch_spotify_artist.enqueue(artist_pk))


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th consecutive failure: 5 min, 10, 20, … capped at 12 h."""
    # The exponent is bounded so a long outage cannot overflow timedelta.
    return min(BACKOFF_BASE * 2 ** min(max(attempts - 1, 0), 16), BACKOFF_CAP)


def _genre_key(name: str) -> str:
    # From names on both sides: the seeded slug of "R&B" ("randb") lost its word boundaries.
    return slugify(name.replace("&", " and "))


def match_genres(spotify_genres: list[str]) -> list[Genre]:
    """The MyLabel genres that Spotify's genre names stand for.

    Spotify has thousands of micro-genres, mostly "<qualifier> <genre>" ("italian hip hop",
    "dream pop"). Each maps to the genre of the same name, else to the longest genre name that
    ends it on a word boundary ("italian hip hop" → Hip-Hop); the rest have no MyLabel genre and
    are only shown. They are not created as genres: the list is curated reference data that the
    directory filters by, and "escape room" or "gen z singer-songwriter" would flood it.
    """
    genres = [(_genre_key(genre.name), genre) for genre in Genre.objects.only("name", "slug")]
    matched: dict[int, Genre] = {}
    for name in spotify_genres:
        key = _genre_key(name)
        candidates = [
            (genre_key, genre)
            for genre_key, genre in genres
            if key == genre_key or key.endswith(f"-{genre_key}")
        ]
        if candidates:
            best = max(candidates, key=lambda candidate: len(candidate[0]))[1]
            matched.setdefault(best.pk, best)
    return sorted(matched.values(), key=lambda genre: genre.name)


def _claim(link: SpotifyArtist, now: datetime) -> bool:
    claimed = SpotifyArtist.objects.filter(
        pk=link.pk, spotify_id=link.spotify_id, next_attempt_at=link.next_attempt_at
    ).update(next_attempt_at=now + CLAIM_FOR)
    return claimed == 1


def _write(link: SpotifyArtist, **fields: Any) -> bool:
    """Store ``fields`` unless the artist changed the link meanwhile (their new link has a
    fetch of its own). The artist's public page shows them: an ``update()`` sends no signal, so
    the cached copies are forgotten here."""
    written = SpotifyArtist.objects.filter(pk=link.pk, spotify_id=link.spotify_id).update(**fields)
    if written:
        forget_public_pages()
    return written > 0


def _schedule_retry(link: SpotifyArtist, at: datetime) -> None:
    """Wake a worker at ``at`` where the task backend can defer; elsewhere ``manage.py
    refresh_spotify`` from cron picks the link up when due."""
    from mylabel.spotify.tasks import fetch_spotify_artist

    if fetch_spotify_artist.get_backend().supports_defer:
        fetch_spotify_artist.using(run_after=at).enqueue(link.pk)


def _rate_limited(link: SpotifyArtist, until: datetime) -> Outcome:
    _write(link, next_attempt_at=until, last_error=SpotifyArtist.Error.RATE_LIMITED)
    _schedule_retry(link, until)
    return Outcome.RATE_LIMITED


@transaction.atomic
def _store(link: SpotifyArtist, data: client.ArtistData, now: datetime) -> Outcome:
    from mylabel.artists.services import refresh_artist_search  # artists calls this module

    stored = _write(
        link,
        state=SpotifyArtist.State.FRESH,
        name=data.name[:200],
        followers=data.followers,
        popularity=data.popularity,
        genres=data.genres,
        images=data.images,
        top_tracks=data.top_tracks,
        fetched_at=now,
        last_error="",
        attempts=0,
        next_attempt_at=now + timedelta(hours=settings.SPOTIFY_REFRESH_HOURS),
    )
    if not stored:
        return Outcome.SKIPPED
    new_genres = [
        genre for genre in match_genres(data.genres) if genre.slug not in link.genres_added
    ]
    if new_genres:
        link.artist.genres.add(*new_genres)
        _write(link, genres_added=[*link.genres_added, *(genre.slug for genre in new_genres)])
        refresh_artist_search(link.artist)
    return Outcome.FETCHED


def refresh_spotify_artist(*, artist_pk: int) -> Outcome:
    """Fetch the Spotify data of the profile ``artist_pk`` if its link is due, and record the
    result or the failure with when to try again (see the module docstring). Never raises for
    anything Spotify or the network does."""
    if not client.is_configured():
        return Outcome.SKIPPED
    now = timezone.now()
    link = SpotifyArtist.objects.due(now).select_related("artist").filter(pk=artist_pk).first()
    if link is None:
        return Outcome.SKIPPED
    blocked_until: datetime | None = cache.get(RATE_LIMIT_KEY)
    if blocked_until is not None and blocked_until > now:
        return _rate_limited(link, blocked_until)
    if not _claim(link, now):
        return Outcome.SKIPPED
    try:
        data = client.fetch_artist(link.spotify_id)
    except client.RateLimited as error:
        wait = (
            timedelta(seconds=error.retry_after)
            if error.retry_after is not None
            else DEFAULT_RETRY_AFTER
        )
        cache.set(RATE_LIMIT_KEY, now + wait, timeout=int(wait.total_seconds()) + 1)
        logger.warning("Spotify rate limit: no fetches for %s s", int(wait.total_seconds()))
        return _rate_limited(link, now + wait)
    except client.ArtistNotFound:
        _write(
            link,
            state=SpotifyArtist.State.NOT_FOUND,
            last_error=SpotifyArtist.Error.NOT_FOUND,
            attempts=0,
            next_attempt_at=None,
        )
        return Outcome.NOT_FOUND
    except client.SpotifyError as error:
        attempts = link.attempts + 1
        retry_at = now + backoff(attempts)
        logger.warning("Spotify fetch of %s failed (%s), attempt %d", link.pk, error, attempts)
        _write(
            link,
            state=SpotifyArtist.State.RETRYING,
            last_error=SpotifyArtist.Error.UNREACHABLE,
            attempts=attempts,
            next_attempt_at=retry_at,
        )
        _schedule_retry(link, retry_at)
        return Outcome.FAILED
    return _store(link, data, now)


def refresh_due_spotify_artists(*, limit: int = 100) -> Counter[Outcome]:
    """Refresh up to ``limit`` due links, oldest first; stops at a rate limit (the rest stay
    due). Returns how many links ended in each outcome."""
    outcomes: Counter[Outcome] = Counter()
    if not client.is_configured():
        return outcomes
    due = SpotifyArtist.objects.due(timezone.now()).values_list("pk", flat=True)[:limit]
    for artist_pk in list(due):
        outcome = refresh_spotify_artist(artist_pk=artist_pk)
        outcomes[outcome] += 1
        if outcome is Outcome.RATE_LIMITED:
            break
    return outcomes
