"""Writing the precomputed recommendations. Called by the task (on a schedule and after
bookings) and by ``manage.py refresh_recommendations``; nothing else writes ``Recommendation``."""

from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from mylabel.recommendations.data import load_community
from mylabel.recommendations.engine import Recommender
from mylabel.recommendations.models import Kind, Recommendation

# Rows kept per artist and kind: more than a page shows, so targets hidden at serving time
# (a deactivated account, a professional without services) leave the list still full.
KEEP = 20


def fit() -> Recommender:
    """The model fitted on the whole community as it is now."""
    return Recommender(load_community()).fit()


def refresh_recommendations(
    *, artist_pks: Collection[int] | None = None, recommender: Recommender | None = None
) -> int:
    """Recompute the suggestions of the listed artists (or only of ``artist_pks``) and replace
    their rows; returns how many rows were written.

    The model is fitted on the whole community either way (one artist's suggestions depend on
    everyone's bookings), unless ``recommender`` is one fitted recently enough for the caller.
    An unlisted artist's rows are removed, not recomputed."""
    recommender = recommender or fit()
    community = recommender.community
    scope = {artist.pk for artist in community.artists}
    if artist_pks is not None:
        scope &= set(artist_pks)
    now = timezone.now()
    rows: list[Recommendation] = []
    for artist in community.artists:
        if artist.pk not in scope or not artist.listed:
            continue
        for kind, suggestions in (
            (Kind.ASSOCIATE, recommender.book_next(artist.pk, KEEP)),
            (Kind.ARTIST, recommender.similar_artists(artist.pk, KEEP)),
        ):
            rows.extend(
                Recommendation(
                    artist_id=artist.pk,
                    kind=kind,
                    target_associate_id=s.target_pk if kind == Kind.ASSOCIATE else None,
                    target_artist_id=s.target_pk if kind == Kind.ARTIST else None,
                    score=s.score,
                    rank=rank,
                    reason=s.reason,
                    computed_at=now,
                )
                for rank, s in enumerate(suggestions, start=1)
            )
    with transaction.atomic():
        stale = Recommendation.objects.all()
        if artist_pks is not None:
            stale = stale.filter(artist_id__in=artist_pks)
        stale.delete()
        Recommendation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
