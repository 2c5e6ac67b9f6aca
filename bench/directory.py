"""Directory search benchmark (issue 3 point 10): server time of ``/associates/?q=…``, its htmx
fragment and a bare Django view, over a real uvicorn process on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mylabel .venv/bin/python bench/directory.py

Needs PostgreSQL. The data goes to a database of its own (``mylabel_bench`` on the same server,
or ``BENCH_DATABASE``), recreated and seeded with ``seed_scale`` unless ``--reuse`` finds it
already seeded. The server runs as in production (DEBUG off, collected static files, psycopg
pool), one uvicorn worker; the client sends one request at a time on a keep-alive connection, so
each timing is the server's time plus a loopback round trip (the bare view shows that floor).
It runs twice: with PostgreSQL's default planner settings and with the tuned ones of
``DATABASE_SETTINGS`` (set on the bench database only). Prints markdown tables.
"""

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Realistic searches: broad crafts, prefixes, names, cities, with and without filters and pages.
SEARCHES = [
    "/associates/?q=mixing",
    "/associates/?q=prod&genre=hip-hop",
    "/associates/?q=mastering+engineer&city=Berlin",
    "/associates/?q=soul&remote=on&sort=newest",
    "/associates/?q=vocal+coach&page=2",
    "/associates/?q=milan+producer",
    "/associates/?q=marco+rossi",
    "/associates/?q=jazz&profession=session-musician&sort=name",
    "/associates/?q=photo&city=lisbon",
    "/associates/?q=atmos",
]
BASELINE = "/healthz"
# Each run's server settings, set on the bench database (new connections pick them up). The
# second is the usual advice for a server whose data sits in RAM or on SSD: random reads cost
# about what sequential ones do, and ranking a few thousand matches fits in memory.
DATABASE_SETTINGS: dict[str, dict[str, str]] = {
    "PostgreSQL defaults": {},
    "Tuned: random_page_cost = 1.1, work_mem = 16MB": {
        "random_page_cost": "1.1",
        "work_mem": "16MB",
    },
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--associates", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="per kind (≥ 200)")
    parser.add_argument("--warmup", type=int, default=30, help="per kind, not measured")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--detail", action="store_true", help="also print each search's times")
    args = parser.parse_args()

    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        print("bench/directory.py needs DATABASE_URL=postgres://… (PostgreSQL).", file=sys.stderr)
        return 2
    database = os.environ.get("BENCH_DATABASE", "mylabel_bench")
    bench_url = urlunsplit(urlsplit(source)._replace(path=f"/{database}"))
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # keep the run self-contained
    # The search itself is measured, not the cache of rendered results in front of it (a
    # repeated search would be answered from there; make load measures that).
    env["DIRECTORY_RESULTS_CACHE_SECONDS"] = "0"
    env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"

    prepare_database(source, database, env, args.associates, reuse=args.reuse)
    manage(env, "collectstatic", "--noinput", "-v0")
    print(header(args, database, env["DATABASE_URL"]))
    for title, settings in DATABASE_SETTINGS.items():
        configure_database(env["DATABASE_URL"], database, settings)
        with server(env) as port:
            timings, by_path = measure(port, args.requests, args.warmup)
        print(f"\n### {title}\n")
        report(timings)
        if args.detail:
            report_paths(by_path)
    configure_database(env["DATABASE_URL"], database, {})
    return 0


# --- Data ---------------------------------------------------------------------------------------


def prepare_database(
    source: str, database: str, env: dict, associates: int, *, reuse: bool
) -> None:
    admin_url = urlunsplit(urlsplit(source)._replace(path="/postgres"))
    if reuse and seeded_count(env["DATABASE_URL"]) >= associates:
        print(f"Reusing {database} ({associates:,} associates or more).", file=sys.stderr)
        return
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    seed_env = {**env, "DJANGO_DEBUG": "true"}  # seed_scale refuses production mode
    manage(seed_env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    manage(seed_env, "seed_scale", str(associates), "--seed", "1")
    print(f"seed_scale {associates}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def configure_database(url: str, database: str, settings: dict[str, str]) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{database}" RESET ALL')
        for name, value in settings.items():
            connection.execute(f"ALTER DATABASE \"{database}\" SET {name} = '{value}'")


def seeded_count(url: str) -> int:
    try:
        with psycopg.connect(url) as connection:
            row = connection.execute("SELECT count(*) FROM associates_associate").fetchone()
    except psycopg.Error:
        return 0
    return row[0] if row else 0


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


# --- Server and client --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict) -> Iterator[int]:
    port = free_port()
    command = [
        str(Path(PYTHON).with_name("uvicorn")),
        "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        wait_until_up(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", BASELINE)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz within 30 s")


def timed_get(connection: http.client.HTTPConnection, path: str, headers: dict) -> float:
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200 or not body:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return elapsed * 1000


def measure(
    port: int, requests: int, warmup: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Round-robin over the kinds, so each sees the same conditions over the run."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    kinds = {
        "Search page `/associates/?q=…`": ({}, SEARCHES),
        "Search fragment (`HX-Request`)": ({"HX-Request": "true"}, SEARCHES),
        "Bare Django view `/healthz`": ({}, [BASELINE]),
    }
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    by_path: dict[str, list[float]] = {}
    for round_number in range(warmup + requests):
        for name, (headers, paths) in kinds.items():
            path = paths[round_number % len(paths)]
            elapsed = timed_get(connection, path, headers)
            if round_number >= warmup:
                timings[name].append(elapsed)
                key = f"{path} (htmx)" if headers else path
                by_path.setdefault(key, []).append(elapsed)
    connection.close()
    return timings, by_path


# --- Report -------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def header(args: argparse.Namespace, database: str, url: str) -> str:
    # The bench database itself: the server may have no database named like DATABASE_URL's.
    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return (
        f"{args.associates:,} associates and {args.associates:,} artists in `{database}`; "
        f"{args.requests} measured requests per row after {args.warmup} warm-up, one at a time, "
        f"uvicorn (1 worker, DEBUG off) on 127.0.0.1. PostgreSQL {row[0] if row else '?'}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the start."
    )


def report(timings: dict[str, list[float]]) -> None:
    print("| Request | n | p50 (ms) | p95 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, values in timings.items():
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.1f} "
            f"| {percentile(values, 0.95):.1f} | {max(values):.1f} |"
        )


def report_paths(by_path: dict[str, list[float]]) -> None:
    print("\n| Path | n | p50 (ms) | p95 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    for path, values in sorted(by_path.items(), key=lambda item: -statistics.median(item[1])):
        print(
            f"| `{path}` | {len(values)} | {statistics.median(values):.1f} "
            f"| {percentile(values, 0.95):.1f} | {max(values):.1f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
