import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from mylabel.accounts.models import User
from mylabel.recommendations.data import load_community
from mylabel.recommendations.evaluation import evaluate
from mylabel.recommendations.models import Recommendation
from mylabel.recommendations.services import refresh_recommendations
from mylabel.recommendations.synthetic import generate_community

SERVING_SAMPLES = 200


class Command(BaseCommand):
    help = (
        "Generate a community with genre-coherent bookings, hold out each artist's last "
        "booking and print hit-rate@k and NDCG@k of the recommender, the popularity baseline "
        "and random, with training time and serving latency. Everything it writes is rolled "
        "back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--artists", type=int, default=300)
        parser.add_argument("--associates", type=int, default=120)
        parser.add_argument("--scenes", type=int, default=8)
        parser.add_argument("--coherence", type=float, default=0.85)
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            self._run(options)
            transaction.set_rollback(True)

    def _run(self, options: dict[str, Any]) -> None:
        k = options["k"]
        generated = generate_community(
            artists=options["artists"],
            associates=options["associates"],
            scenes=options["scenes"],
            coherence=options["coherence"],
            seed=options["seed"],
        )
        community = load_community(
            artist_pks=generated.artist_pks, associate_pks=generated.associate_pks
        )
        result = evaluate(community, k=k, seed=options["seed"])
        write = self.stdout.write
        write(
            f"database {connection.vendor}; {len(generated.artist_pks)} artists, "
            f"{len(generated.associate_pks)} professionals, {generated.bookings} bookings, "
            f"{options['scenes']} scenes, coherence {options['coherence']}, seed "
            f"{options['seed']}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
        )
        write(f"held out: the last booking of {result.artists} artists")
        write(f"{'method':<12} {f'hit-rate@{k}':>12} {f'NDCG@{k}':>10}")
        for name, scores in (
            ("recommender", result.recommender),
            ("popularity", result.popularity),
            ("random", result.random),
        ):
            write(f"{name:<12} {scores.hit_rate:>12.3f} {scores.ndcg:>10.3f}")
        write(f"training: {result.training_seconds * 1000:.1f} ms")
        write(f"scoring one artist: {result.scoring_ms_per_artist:.2f} ms")

        started = time.perf_counter()
        written = refresh_recommendations(artist_pks=generated.artist_pks)
        write(f"refresh (fit + write {written} rows): {time.perf_counter() - started:.2f} s")
        user_ids = [artist.user_id for artist in community.artists[:SERVING_SAMPLES]]
        users = list(User.objects.filter(pk__in=user_ids).order_by("pk"))
        timings = []
        for user in users:
            started = time.perf_counter()
            list(Recommendation.objects.visible_to(user))
            timings.append(time.perf_counter() - started)
        # The floor on this machine at this load: a query that reads nothing.
        floor = []
        with connection.cursor() as cursor:
            for _ in users:
                started = time.perf_counter()
                cursor.execute("SELECT 1")
                cursor.fetchall()
                floor.append(time.perf_counter() - started)
        if timings:
            write(
                "serving (one artist's rows, one query): "
                f"p50 {_percentile(timings, 50):.2f} ms, p95 {_percentile(timings, 95):.2f} ms; "
                f"SELECT 1: p50 {_percentile(floor, 50):.2f} ms"
            )


def _percentile(seconds: list[float], percent: int) -> float:
    """In milliseconds, nearest rank."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, len(ordered) * percent // 100)] * 1000
