"""A/B of the directory's relevance ranking, in one process, request by request: the ranking on
the narrow search table (``AssociateQuerySet.ranked_page``) against the same queryset paginated
as one windowed rows query (``ranked_page`` switched off). Not part of ``make bench``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mylabel_bench \\
        .venv/bin/python bench/_directory_ab.py 15

Needs a database seeded as ``bench/directory.py`` leaves it. Prints fragment p50 per search and
p50/p95 over all, for both variants; each round alternates which variant goes first.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.update(
    DJANGO_DEBUG="false",
    SECRET_KEY="bench-only-not-a-secret",  # noqa: S106 - as bench/directory.py
    ALLOWED_HOSTS="*",
    SECURE_SSL_REDIRECT="false",
)

import django

django.setup()

from django.test import Client  # noqa: E402

from mylabel.associates.models import AssociateQuerySet  # noqa: E402

SEARCHES = [
    "/associates/?q=mixing",
    "/associates/?q=prod&genre=hip-hop",
    "/associates/?q=mastering+engineer&city=Berlin",
    "/associates/?q=vocal+coach&page=2",
    "/associates/?q=milan+producer",
    "/associates/?q=marco+rossi",
    "/associates/?q=photo&city=lisbon",
    "/associates/?q=atmos",
]
NARROW = AssociateQuerySet.ranked_page


def windowed(self: AssociateQuerySet, start: int, size: int) -> None:
    return None  # paginate() then slices the queryset with COUNT(*) OVER ()


def use(variant: str) -> None:
    AssociateQuerySet.ranked_page = NARROW if variant == "narrow" else windowed  # type: ignore[method-assign]


def main(rounds: int) -> None:
    client = Client()
    timings: dict[str, dict[str, list[float]]] = {"windowed": {}, "narrow": {}}
    for variant in timings:  # warm both
        use(variant)
        for path in SEARCHES:
            client.get(path, headers={"HX-Request": "true"})
    for round_number in range(rounds):
        for path in SEARCHES:
            for variant in ("narrow", "windowed")[:: 1 if round_number % 2 else -1]:
                use(variant)
                started = time.perf_counter()
                client.get(path, headers={"HX-Request": "true"})
                elapsed = (time.perf_counter() - started) * 1000
                timings[variant].setdefault(path, []).append(elapsed)
    print("| Fragment | one windowed query p50 (ms) | ranking on the search table p50 (ms) |")
    print("|---|---:|---:|")
    for path in SEARCHES:
        windowed_p50 = statistics.median(timings["windowed"][path])
        narrow_p50 = statistics.median(timings["narrow"][path])
        print(f"| `{path}` | {windowed_p50:.1f} | {narrow_p50:.1f} |")
    for variant, by_path in timings.items():
        values = sorted(value for path_values in by_path.values() for value in path_values)
        p95 = values[round(0.95 * (len(values) - 1))]
        print(f"{variant}: n={len(values)} p50 {statistics.median(values):.1f} p95 {p95:.1f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
