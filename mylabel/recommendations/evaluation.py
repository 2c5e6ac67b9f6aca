"""Offline evaluation of "book next": hold out each artist's last booking, recommend from the
rest, and see where the held-out professional lands (hit rate and NDCG at k).

Each artist has exactly one relevant item, so NDCG@k is 1 / log2(rank + 1) when it is in the
top k (rank from 1) and 0 otherwise, averaged over the artists."""

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mylabel.recommendations.engine import Community, Recommender


@dataclass(frozen=True)
class Scores:
    hit_rate: float
    ndcg: float


@dataclass(frozen=True)
class Evaluation:
    artists: int
    recommender: Scores
    popularity: Scores
    random: Scores
    training_seconds: float
    scoring_ms_per_artist: float


def scores(ranks: Sequence[int | None], k: int) -> Scores:
    """Hit rate and NDCG at ``k`` of held-out items found at ``ranks`` (1-based; ``None`` when
    not recommended at all)."""
    if not ranks:
        return Scores(0.0, 0.0)
    hits = [rank for rank in ranks if rank is not None and rank <= k]
    return Scores(
        hit_rate=len(hits) / len(ranks),
        ndcg=sum(1 / math.log2(rank + 1) for rank in hits) / len(ranks),
    )


def rank_of(target: int, ranking: Sequence[int]) -> int | None:
    return ranking.index(target) + 1 if target in ranking else None


def hold_out_last(community: Community) -> tuple[Community, dict[int, int]]:
    """The community without each artist's last booking (by time), and those bookings as
    {artist: professional}. Artists with a single booking keep it: holding it out would test
    the cold start, not the collaborative part."""
    by_artist: dict[int, list[int]] = {}
    for position, interaction in enumerate(community.interactions):
        by_artist.setdefault(interaction.artist_pk, []).append(position)
    held_positions = {}
    for positions in by_artist.values():
        if len(positions) >= 2:
            last = max(positions, key=lambda p: (community.interactions[p].at, p))
            held_positions[last] = community.interactions[last]
    training = [
        interaction
        for position, interaction in enumerate(community.interactions)
        if position not in held_positions
    ]
    held = {
        interaction.artist_pk: interaction.associate_pk for interaction in held_positions.values()
    }
    return replace(community, interactions=training), held


def evaluate(community: Community, *, k: int = 10, seed: int = 0) -> Evaluation:
    training, held = hold_out_last(community)
    started = time.perf_counter()
    recommender = Recommender(training).fit()
    training_seconds = time.perf_counter() - started

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    ranks: dict[str, list[int | None]] = {"recommender": [], "popularity": [], "random": []}
    scoring = 0.0
    for artist_pk in sorted(held):
        target = held[artist_pk]
        started = time.perf_counter()
        suggested = [s.target_pk for s in recommender.book_next(artist_pk, k)]
        scoring += time.perf_counter() - started
        ranks["recommender"].append(rank_of(target, suggested))
        ranks["popularity"].append(rank_of(target, recommender.popular(artist_pk, k)))
        candidates = recommender.candidates(artist_pk)
        ranks["random"].append(rank_of(target, rng.sample(candidates, min(k, len(candidates)))))
    return Evaluation(
        artists=len(held),
        recommender=scores(ranks["recommender"], k),
        popularity=scores(ranks["popularity"], k),
        random=scores(ranks["random"], k),
        training_seconds=training_seconds,
        scoring_ms_per_artist=1000 * scoring / len(held) if held else 0.0,
    )
