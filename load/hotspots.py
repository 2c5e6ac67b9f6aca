"""Where a request of the load mix spends its time: ``.venv/bin/python load/hotspots.py [N]``.

Runs in-process (Django's test client, so no uvicorn and no network) with the production
settings of ``make load`` on its seeded database (``bin/load`` must have run once), and for each
kind of request of the mix prints the median wall time and the database queries of N requests
(default 30); ``--top K`` adds cProfile's K most expensive functions per request kind, by
cumulative time (``--sort tottime``: by their own time). A tool for finding hot spots, not a
benchmark of record: locust's numbers are.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "load"))

import run as load_run  # noqa: E402 - load/run.py: the server environment of make load

RUN_DIR = ROOT / "var" / "load" / "profile"
RUN_DIR.mkdir(parents=True, exist_ok=True)
os.environ.update(load_run.server_env(0, RUN_DIR))
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

DATA = json.loads(load_run.DATA_FILE.read_text())
SEARCHES = ["mixing", "prod", "mastering engineer", "soul", "berlin", "session"]


def visitor() -> Client:
    return Client()


def member() -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": DATA["accounts"][0], "password": DATA["password"]})
    return client


def conversation(client: Client) -> str:
    """The member's conversation with the first bookable professional (started if need be)."""
    response = client.post(f"/messages/with/professional/{DATA['bookable'][0]}/")
    return str(response.headers["Location"])


def api_client() -> Client:
    from mylabel.api.models import ApiToken

    # Each run makes a token; an account may hold 20.
    ApiToken.objects.filter(user__email=DATA["accounts"][1]).delete()
    token = Client().post(
        "/api/v1/auth/token/",
        {"email": DATA["accounts"][1], "password": DATA["password"], "name": "hotspots"},
        content_type="application/json",
    )
    return Client(headers={"Authorization": f"Token {token.json()['token']}"})


def requests(rng: random.Random) -> dict[str, tuple[Callable[[], Client], Callable[[], str], bool]]:
    """Name -> (client factory, path factory, htmx)."""
    pick = rng.choice
    conversation_path = conversation(member())
    return {
        "page /": (visitor, lambda: "/", False),
        "page /associates/?filters": (
            visitor,
            lambda: f"/associates/?genre={pick(DATA['genres'])}",
            False,
        ),
        "page /associates/?q=": (visitor, lambda: f"/associates/?q={pick(SEARCHES)}", False),
        "fragment /associates/?q=": (visitor, lambda: f"/associates/?q={pick(SEARCHES)}", True),
        "page /artists/": (visitor, lambda: "/artists/", False),
        "page /associates/[slug]/": (
            visitor,
            lambda: f"/associates/{pick(DATA['associates'])}/",
            False,
        ),
        "page /artists/[slug]/": (visitor, lambda: f"/artists/{pick(DATA['artists'])}/", False),
        "page /associates/[slug]/book/": (
            member,
            lambda: f"/associates/{pick(DATA['bookable'])}/book/",
            False,
        ),
        "page /bookings/": (member, lambda: "/bookings/", False),
        "page /messages/": (member, lambda: "/messages/", False),
        "page /messages/[pk]/": (member, lambda: conversation_path, False),
        "api /api/v1/associates/?q=": (
            api_client,
            lambda: f"/api/v1/associates/?q={pick(SEARCHES)}",
            False,
        ),
        "api /api/v1/associates/": (api_client, lambda: "/api/v1/associates/", False),
        "api /api/v1/bookings/": (api_client, lambda: "/api/v1/bookings/", False),
        "bare /healthz": (visitor, lambda: "/healthz", False),
        # What being signed in costs before any page: the session and the user.
        "bare /healthz (member)": (member, lambda: "/healthz", False),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=30)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--only", default="", help="only request kinds containing this text")
    parser.add_argument(
        "--sort", default="cumulative", choices=["cumulative", "tottime"], help="--top's order"
    )
    args = parser.parse_args()
    rng = random.Random(1)  # noqa: S311 - repeatable picks, not a secret
    clients: dict[Callable[[], Client], Client] = {}
    print(f"{'request':34} {'median ms':>9} {'p90 ms':>7} {'queries':>7}")
    for name, (factory, path, htmx) in requests(rng).items():
        if args.only not in name:
            continue
        if factory not in clients:
            clients[factory] = factory()
        client = clients[factory]
        headers = {"HX-Request": "true"} if htmx else {}
        client.get(path(), headers=headers)  # warm: templates, URL resolver, connections
        times, queries = [], []
        profiler = cProfile.Profile() if args.top else None
        for _ in range(args.n):
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                response = client.get(path(), headers=headers)
                if profiler:
                    profiler.disable()
                times.append((time.perf_counter() - started) * 1000)
            queries.append(counter.count)
            if response.status_code != 200:
                print(f"  {name}: {response.status_code}")
        deciles = statistics.quantiles(times, n=10)
        print(
            f"{name:34} {statistics.median(times):9.1f} {deciles[-1]:7.1f} "
            f"{statistics.median(queries):7.0f}"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


if __name__ == "__main__":
    sys.exit(main())
