"""Rating summaries of profiles, served from the cache (issue 5 point 7).

A summary is built from the published, non-hidden reviews about one profile with three
aggregate queries, and cached (Redis in production) until a service invalidates it after its
commit: a new or published review, a reply, a moderation. A cache outage never breaks a page:
every cache call falls back to computing from the database.

Keys: each subject has a *generation* token under its own key, and the summary is stored under
that token (combined with the criteria's token, so editing the criteria forgets every summary at
once: ``invalidate_all``). ``invalidate`` deletes the subject's token, so the next reader starts
a new generation. That also keeps a slow reader from putting a stale summary back: one that
computed from the database before the change committed stores it under the old generation,
which nobody reads any more.
Bump ``SCHEMA`` when ``RatingSummary`` changes shape, so old pickles are never read.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.core import cached
from mylabel.reviews.eligibility import criteria_for
from mylabel.reviews.models import MAX_RATING, MIN_RATING, CriterionRating, Direction, Review

WHAT = "Review summary"
SCHEMA = 1
# A safety net only: invalidation is what keeps summaries fresh. It bounds how long a summary
# survives an invalidation lost to a cache outage.
TIMEOUT_SECONDS = 6 * 60 * 60
TWO_PLACES = Decimal("0.01")
CRITERIA_GENERATION_KEY = f"reviews:summary:v{SCHEMA}:criteria:generation"


@dataclass(frozen=True)
class CriterionAverage:
    slug: str
    name: str
    average: Decimal | None
    count: int


@dataclass(frozen=True)
class StarShare:
    stars: int
    count: int
    percent: int


@dataclass(frozen=True)
class RatingSummary:
    """What a profile's reviews add up to. ``distribution`` runs from 5 stars down to 1;
    ``percent`` is the share of reviews with that many stars, rounded to a whole number."""

    count: int
    average: Decimal | None
    criteria: list[CriterionAverage]
    distribution: list[StarShare]


def to_two_places(value: float | Decimal | None) -> Decimal | None:
    """An average as shown and stored: two decimals, half up; ``None`` stays ``None``."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def reviews_about(subject: Artist | Associate) -> Any:
    """The published, non-hidden reviews about ``subject`` (a ``ReviewQuerySet``)."""
    if isinstance(subject, Associate):
        return Review.objects.published().of_associate(subject)
    return Review.objects.published().of_artist(subject)


def summary_for(subject: Artist | Associate) -> RatingSummary:
    """The rating summary of ``subject``: from the cache, else from the database (then cached)."""
    generation = _generation(subject)
    key = _summary_key(subject, generation) if generation else None
    if key is not None:
        cached = _cache_call("get", key)
        if isinstance(cached, RatingSummary):
            return cached
    summary = compute_summary(subject)
    if key is not None:
        _cache_call("set", key, summary, TIMEOUT_SECONDS)
    return summary


def compute_summary(subject: Artist | Associate) -> RatingSummary:
    """The summary straight from the database, three queries whatever the number of reviews."""
    reviews = reviews_about(subject)
    stars = range(MAX_RATING, MIN_RATING - 1, -1)
    totals = reviews.order_by().aggregate(
        count=Count("pk"),
        average=Avg("rating"),
        **{f"stars_{n}": Count("pk", filter=Q(rating=n)) for n in stars},
    )
    count: int = totals["count"]
    distribution = [
        StarShare(
            stars=n,
            count=totals[f"stars_{n}"],
            percent=_percent(totals[f"stars_{n}"], count),
        )
        for n in stars
    ]
    per_criterion = {
        row["criterion_id"]: row
        for row in CriterionRating.objects.filter(review__in=reviews.order_by().values("pk"))
        .values("criterion_id", "criterion__slug", "criterion__name", "criterion__position")
        .annotate(average=Avg("rating"), count=Count("pk"))
        .order_by()
    }
    direction = Direction.OF_ASSOCIATE if isinstance(subject, Associate) else Direction.OF_ARTIST
    associate = subject if isinstance(subject, Associate) else None
    no_ratings: dict[str, Any] = {"average": None, "count": 0}
    criteria = [
        CriterionAverage(
            slug=criterion.slug,
            name=criterion.name,
            average=to_two_places(per_criterion.get(criterion.pk, no_ratings)["average"]),
            count=per_criterion.get(criterion.pk, no_ratings)["count"],
        )
        for criterion in criteria_for(direction, associate)
    ]
    # Ratings of criteria that no longer apply to this profile (its professions changed) still
    # count: they were given, and dropping them would rewrite history.
    shown = {criterion.slug for criterion in criteria}
    extra = sorted(
        (row for row in per_criterion.values() if row["criterion__slug"] not in shown),
        key=lambda row: (row["criterion__position"], row["criterion_id"]),
    )
    criteria.extend(
        CriterionAverage(
            slug=row["criterion__slug"],
            name=row["criterion__name"],
            average=to_two_places(row["average"]),
            count=row["count"],
        )
        for row in extra
    )
    return RatingSummary(
        count=count,
        average=to_two_places(totals["average"]),
        criteria=criteria,
        distribution=distribution,
    )


def invalidate(subject: Artist | Associate) -> None:
    """Forget ``subject``'s summary now. Services call ``invalidate_on_commit`` instead."""
    _cache_call("delete", _generation_key(subject))


def invalidate_on_commit(subject: Artist | Associate) -> None:
    """Forget ``subject``'s summary once the current transaction commits (at once outside
    one), so no reader caches the state from before the change."""
    transaction.on_commit(lambda: invalidate(subject))


def invalidate_all() -> None:
    """Forget every summary now: the criteria changed (added, renamed, switched off)."""
    _cache_call("delete", CRITERIA_GENERATION_KEY)


def invalidate_all_on_commit() -> None:
    transaction.on_commit(invalidate_all)


def _percent(part: int, whole: int) -> int:
    if not whole:
        return 0
    return int((Decimal(part) * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _kind(subject: Artist | Associate) -> str:
    return "associate" if isinstance(subject, Associate) else "artist"


def _generation_key(subject: Artist | Associate) -> str:
    return f"reviews:summary:v{SCHEMA}:{_kind(subject)}:{subject.pk}:generation"


def _summary_key(subject: Artist | Associate, generation: str) -> str:
    return f"reviews:summary:v{SCHEMA}:{_kind(subject)}:{subject.pk}:{generation}"


def _generation(subject: Artist | Associate) -> str | None:
    """The current generation of ``subject``'s summary: its own token and the token of the
    criteria (which every summary lists). ``None`` when the cache cannot be reached."""
    return cached.generation(WHAT, [_generation_key(subject), CRITERIA_GENERATION_KEY])


def _cache_call(method: str, *args: Any) -> Any:
    return cached.call(WHAT, method, *args)
