"""``make load`` and ``make soak`` (bin/load): locust against the production configuration on
this machine, with a seeded database of its own, and a verdict against issue 10's goals.

    bin/load                      # load test: warm-up, bare view alone, then the mix
    bin/load --soak               # soak: the mix plus WebSocket clients for SOAK_MINUTES (15)
    bin/load --reuse              # keep an already seeded load database

What it starts, as the Procfile does in production: ``bin/web`` (uvicorn, WEB_CONCURRENCY=2
worker processes, DJANGO_DEBUG=false) and ``manage.py db_worker``, on PostgreSQL (its own
database, ``mylabel_load`` unless LOAD_DATABASE_URL names another) and Redis (db 4 unless
LOAD_REDIS_URL), after ``migrate``, ``seed_scale``, ``seed_demo``, ``load/prepare.py`` and
``collectstatic``. Locust runs headless from its own venv (.venv-load, requirements/load.txt),
writing CSV files under var/load/<run>/; the summary and the verdict table are printed at the
end and written to var/load/<run>/verdict.md.

Runs in the app's venv (it uses psycopg); it reads nothing from the caller's DATABASE_URL or
REDIS_URL, so it cannot touch another database by accident.
"""

import argparse
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
LOAD_VENV = ROOT / ".venv-load"
LOCUST = LOAD_VENV / "bin" / "locust"
DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mylabel_load"
)
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/4")
# Written by load/prepare.py when the database is seeded: accounts, slugs, filter values.
DATA_FILE = ROOT / "var" / "load" / "data.json"

# The mix's user classes (load/locustfile.py); the soak adds the WebSocket clients.
MIX = ["Visitor", "Booker", "Chatter", "ApiClient"]
SOAK = [*MIX, "SocketClient"]
BARE = ["BareView"]

# The "people" phase: each of the 20 users waits 1-3 s (uniform) between requests. People read
# a page for longer; the shorter the wait, the more load the 20 put on the server.
PEOPLE_THINK_SECONDS = 2.0

# Issue 10's goals.
PAGE_P95_MS = 100.0
MIX_SHARE_OF_BARE = 0.5
SOAK_ERROR_RATE = 0.001
SOAK_RSS_GROWTH = 0.10
# The soak's memory: RSS sampled every RSS_EVERY seconds, growth judged between the medians of
# the first and the last RSS_WINDOW seconds. The task worker's resident size rises by up to
# 60 MiB for the few seconds of each recommendation fit (about one a minute under the soak's
# bookings): one sample at each end made the verdict a matter of whether either fell inside a
# fit (+15.9 % in one run, -4.9 % in another, the same code). A median over two minutes is the
# memory between fits, which is what a leak raises.
RSS_EVERY = 10
RSS_WINDOW = 120


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--soak", action="store_true", help="soak instead of load")
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "20")))
    parser.add_argument("--associates", type=int, default=20_000, help="seed_scale size")
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="seconds, not measured (20; 180 before a soak: its memory baseline is taken after, "
        "once the processes' caches and the task worker's model are built)",
    )
    parser.add_argument("--bare", type=int, default=30, help="seconds of the bare view alone")
    parser.add_argument("--mix", type=int, default=120, help="seconds of the mix (load test)")
    parser.add_argument(
        "--people", type=int, default=120, help="seconds of the mix with think time (load test)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=PEOPLE_THINK_SECONDS,
        help="mean seconds between one person's requests in that phase",
    )
    parser.add_argument(
        "--minutes",
        type=float,
        default=float(os.environ.get("SOAK_MINUTES", "15")),
        help="soak length (SOAK_MINUTES)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = 180 if args.soak else 20

    ensure_load_venv()
    run_dir = ROOT / "var" / "load" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    env = server_env(port, run_dir)
    prepare_database(env, args.associates, DATA_FILE, reuse=args.reuse)
    if static_files_stale():
        manage(env, "collectstatic", "--noinput", "-v0")

    facts = [f"Started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {socket.gethostname()}, "
             f"{os.cpu_count()} CPUs; load average before: {load_average()}"]  # fmt: skip
    print(facts[0], flush=True)
    flush_redis()
    locust_env = locust_environment(port)
    with servers(env, port, run_dir) as processes:
        # The soak's warm-up runs its own users, sockets included: whatever the processes load
        # or cache the first time a kind of request or task comes (the socket consumers, the
        # message notifications they queue for the task worker) is then in the baseline,
        # not counted as growth.
        warmup_users = SOAK if args.soak else MIX
        locust(locust_env, run_dir / "warmup", warmup_users, args.users, args.warmup)
        if args.soak:
            sampler = RssSampler(processes, run_dir / "rss.csv")
            locust(locust_env, run_dir / "soak", SOAK, args.users, int(args.minutes * 60), sampler)
        else:
            locust(locust_env, run_dir / "bare", BARE, args.users, args.bare)
            locust(locust_env, run_dir / "mix", MIX, args.users, args.mix)
            people_env = {**locust_env, "LOAD_THINK_SECONDS": str(args.think)}
            # People arrive one a second, not all in the same instant.
            locust(people_env, run_dir / "people", MIX, args.users, args.people, spawn_rate=1)
    facts.append(f"Finished {datetime.now(UTC):%H:%M} UTC; load average after: {load_average()}")
    print(facts[1])

    if args.soak:
        text = soak_verdict(run_dir / "soak_stats.csv", sampler.samples, args)
    else:
        text = load_verdict(run_dir, args)
    text = "\n".join(facts) + "\n\n" + text
    (run_dir / "verdict.md").write_text(text)
    print("\n" + text)
    print(f"CSV and logs: {run_dir.relative_to(ROOT)}/")
    return 0


# --- Environment, data ----------------------------------------------------------------------------


def ensure_load_venv() -> None:
    """Locust lives in .venv-load (requirements/load.txt): gevent's monkey-patching and locust's
    pytest plugin stay out of the app's venv."""
    requirements = ROOT / "requirements" / "load.txt"
    stamp = LOAD_VENV / ".installed-load"
    if stamp.exists() and stamp.stat().st_mtime >= requirements.stat().st_mtime:
        return
    if not LOAD_VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOAD_VENV)], check=True)  # noqa: S603
    pip = [str(LOAD_VENV / "bin" / "python"), "-m", "pip", "install", "-qq"]
    subprocess.run([*pip, "--disable-pip-version-check", "-r", str(requirements)], check=True)  # noqa: S603
    stamp.touch()


def server_env(port: int, run_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "SENTRY_DSN"}
    }
    (run_dir / "metrics").mkdir(parents=True, exist_ok=True)
    return {
        **env,
        "PATH": f"{PYTHON.parent}{os.pathsep}{env.get('PATH', '')}",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "CHANNEL_LAYER_PREFIX": "load",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "load-test-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "TASKS_BACKEND": "database",
        "WEB_CONCURRENCY": os.environ.get("LOAD_WEB_CONCURRENCY", "2"),
        "PORT": str(port),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_URL": "dummymail://",
        "MEDIA_ROOT": str(ROOT / "var" / "load" / "media"),
        "LOG_DIR": str(run_dir),
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "metrics"),
        # The API's token endpoint allows 10 new tokens a minute per address; every load client
        # comes from 127.0.0.1, so each API user's one token would soon be refused (load
        # configuration only; the per-user and per-address request throttles stay as they are).
        "API_THROTTLE_TOKEN": "1000/min",
        # Log-in: allauth counts every attempt in the per-address bucket of "login_failed" (a
        # success clears only the account's), so 5 in 30 minutes from 127.0.0.1 would lock out
        # all but the first five load users; the per-account limit stays at 5.
        "LOGIN_FAILED_RATE_LIMIT": "10000/30m/ip,5/30m/key",
        # Booking requests: 10 per artist an hour is a product rule; a load user in a closed loop
        # asks for one every 20 s (load/locustfile.py), so the limit is raised here only.
        "BOOKING_REQUESTS_PER_HOUR": "1000",
        # Each request's sync code runs in a thread of its own and holds a pooled connection
        # until it ends, and the balancer may hand all 20 users' requests to one worker (all 20
        # log in at once, each hashing a password for seconds on a saturated machine): sized
        # for that, as the README asks of production, instead of 503s after the 2 s wait.
        "DATABASE_POOL_MAX_SIZE": "20",
    }


def flush_redis() -> None:
    """Empties the load run's Redis db: no rate-limit counter or cached page of an earlier run."""
    redis.Redis.from_url(REDIS_URL).flushdb()


def locust_environment(port: int) -> dict[str, str]:
    return {**os.environ, "LOAD_DATA": str(DATA_FILE), "LOAD_HOST": f"http://127.0.0.1:{port}"}


def prepare_database(env: dict[str, str], associates: int, data_file: Path, *, reuse: bool) -> None:
    database = urlsplit(DATABASE_URL).path.lstrip("/")
    seed_env = {**env, "DJANGO_DEBUG": "true", "TASKS_BACKEND": "immediate"}
    seed_env.pop("PROMETHEUS_MULTIPROC_DIR")  # the commands' metrics are of no interest
    if reuse and seeded_count() >= associates:
        print(f"Reusing {database} ({associates:,} associates or more).", flush=True)
        manage(seed_env, "migrate", "--noinput", "-v0")
    else:
        admin_url = urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
        started = time.perf_counter()
        manage(seed_env, "migrate", "--noinput", "-v0")
        # seed_demo first: it gives services and opening hours to every professional it finds,
        # which on 20,000 seed_scale profiles would take the better part of an hour.
        manage(seed_env, "seed_demo")
        manage(seed_env, "seed_scale", str(associates), "--seed", "1")
        print(f"Seeded {database} in {time.perf_counter() - started:.0f} s.", flush=True)
    run(seed_env, str(PYTHON), "load/prepare.py", str(data_file))
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        # As the README asks of production's database (and docker-compose sets): on SSDs or in
        # memory, random reads cost about what sequential ones do, and at the default 4 the
        # planner scans 20,000 profiles to count a genre's 1,200.
        connection.execute(f'ALTER DATABASE "{database}" SET random_page_cost = 1.1')
        connection.execute("VACUUM ANALYZE")


def static_files_stale() -> bool:
    """collectstatic compresses every file again (minutes on a busy 2-CPU machine): run it only
    when a static file is missing from the last manifest or the pinned packages changed. An
    edited file keeps its previous collected copy: a few bytes of CSS do not change a load."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    if (ROOT / "requirements" / "base.txt").stat().st_mtime > manifest.stat().st_mtime:
        return True
    collected = set(json.loads(manifest.read_text())["paths"])
    for static in (ROOT / "mylabel").glob("**/static"):
        for path in static.glob("**/*"):
            if path.is_file() and path.relative_to(static).as_posix() not in collected:
                return True
    return False


def seeded_count() -> int:
    try:
        with psycopg.connect(DATABASE_URL) as connection:
            row = connection.execute("SELECT count(*) FROM associates_associate").fetchone()
    except psycopg.Error:
        return 0
    return row[0] if row else 0


def manage(env: dict[str, str], *args: str) -> None:
    run(env, str(PYTHON), "manage.py", *args)


def run(env: dict[str, str], *command: str) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


# --- Servers --------------------------------------------------------------------------------------


@dataclass
class Processes:
    web: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]

    def measured(self) -> dict[str, int]:
        """The processes whose memory the soak watches: uvicorn's workers (children of the
        supervisor), the supervisor itself, and the task worker."""
        named = {"uvicorn supervisor": self.web.pid, "db_worker": self.worker.pid}
        workers = 0
        for pid in children(self.web.pid):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"resource_tracker" in command:
                named["multiprocessing resource tracker"] = pid
            else:
                workers += 1
                named[f"uvicorn worker {workers}"] = pid
        return named


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 (after the parenthesised command, which may contain spaces) is the parent.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


@contextmanager
def servers(env: dict[str, str], port: int, run_dir: Path) -> Iterator[Processes]:
    with (run_dir / "web.log").open("wb") as web_log, (run_dir / "worker.log").open("wb") as log:
        web = subprocess.Popen(  # noqa: S603
            [str(ROOT / "bin" / "web")], cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT
        )
        worker = subprocess.Popen(  # noqa: S603
            [str(PYTHON), "manage.py", "db_worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes = Processes(web, worker)
        try:
            wait_until_ready(port, web)
            print(f"Servers ready on port {port}: {processes.measured()}", flush=True)
            yield processes
        finally:
            for process in (web, worker):
                process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def wait_until_ready(port: int, web: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise RuntimeError("bin/web exited; see web.log in the run directory")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("/readyz did not answer 200 within 60 s")


# --- Locust ---------------------------------------------------------------------------------------


class RssSampler:
    """Samples every measured process's RSS each RSS_EVERY seconds while the soak runs, keeps
    the samples for the verdict and writes them to a CSV file."""

    def __init__(self, processes: Processes, path: Path) -> None:
        self.processes = processes
        self.path = path
        self.last = 0.0
        self.started = time.monotonic()
        # (seconds since the start, process name, pid, RSS in KiB)
        self.samples: list[tuple[float, str, int, int]] = []
        with path.open("w", newline="") as file:
            csv.writer(file).writerow(["seconds", "process", "pid", "rss_kib"])

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last < RSS_EVERY:
            return
        self.last = now
        seconds = round(now - self.started)
        sampled = sample_rss(self.processes).items()
        rows = [(seconds, name, pid, rss) for name, (pid, rss) in sampled]
        self.samples += rows
        with self.path.open("a", newline="") as file:
            csv.writer(file).writerows(rows)


def locust(
    env: dict[str, str],
    prefix: Path,
    users: list[str],
    users_count: int,
    seconds: int,
    sampler: RssSampler | None = None,
    *,
    spawn_rate: int = 0,
) -> None:
    """Locust headless; ``spawn_rate`` users a second (default: all at once)."""
    command = [
        str(LOCUST), "-f", str(ROOT / "load" / "locustfile.py"), "--headless",
        "--host", env["LOAD_HOST"], "--users", str(users_count),
        "--spawn-rate", str(spawn_rate or users_count), "--run-time", f"{seconds}s",
        "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--exit-code-on-error", "0", *users,
    ]  # fmt: skip
    print(f"\n== {prefix.name}: {' '.join(users)}, {users_count} users, {seconds} s", flush=True)
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    while process.poll() is None:
        if sampler is not None:
            sampler.tick()
        time.sleep(1)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"locust exited with {process.returncode}")


def sample_rss(processes: Processes) -> dict[str, tuple[int, int]]:
    result = {}
    for name, pid in processes.measured().items():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                result[name] = (pid, int(line.split()[1]))
    return result


# --- Verdict --------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    kind: str
    count: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.count if self.count else 0.0


def read_stats(path: Path) -> tuple[list[Row], Row]:
    rows, total = [], None
    with path.open(newline="") as file:
        for record in csv.DictReader(file):
            row = Row(
                name=record["Name"],
                kind=record["Type"],
                count=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                rps=float(record["Requests/s"]),
                p50=float(record["50%"] if record["50%"] != "N/A" else 0),
                p95=float(record["95%"] if record["95%"] != "N/A" else 0),
                p99=float(record["99%"] if record["99%"] != "N/A" else 0),
            )
            if row.name == "Aggregated":
                total = row
            else:
                rows.append(row)
    if total is None:
        raise RuntimeError(f"{path} has no Aggregated row")
    return rows, total


def is_html_page(row: Row) -> bool:
    """Full pages and their htmx fragments, named "page: …" / "fragment: …" in the locustfile
    (form posts, the API, log-ins and sockets are reported but are not pages)."""
    return row.name.startswith(("page:", "fragment:"))


def table(rows: list[Row], total: Row) -> list[str]:
    lines = [
        "| request | count | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*sorted(rows, key=lambda row: row.name), total]:
        name = f"{row.kind} {row.name}" if row is not total else "**all**"
        lines.append(
            f"| {name} | {row.count} | {row.failures} | {row.rps:.1f} | {row.p50:.0f} "
            f"| {row.p95:.0f} | {row.p99:.0f} |"
        )
    return lines


def mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def load_verdict(run_dir: Path, args: argparse.Namespace) -> str:
    """The goals, each where it means something: the pages' p95 for 20 people using the site
    (think time), the share of the bare view's throughput with both saturated (no think time:
    with it, both would just follow the users' pace), errors in both."""
    rows, total = read_stats(run_dir / "mix_stats.csv")
    _bare_rows, bare = read_stats(run_dir / "bare_stats.csv")
    people_rows, people = read_stats(run_dir / "people_stats.csv")
    pages = [row for row in people_rows if is_html_page(row)]
    slowest = max(pages, key=lambda row: row.p95)
    saturated_pages = [row for row in rows if is_html_page(row)]
    saturated_slowest = max(saturated_pages, key=lambda row: row.p95)
    share = total.rps / bare.rps if bare.rps else 0.0
    failures, count = total.failures + people.failures, total.count + people.count
    lines = [
        f"### Bare view alone (`GET /healthz`, {args.users} users, no think time, {args.bare} s)",
        "",
        *table([], bare),
        "",
        f"### Mix, saturated ({args.users} users, no think time, {args.mix} s)",
        "",
        *table(rows, total),
        "",
        f"### Mix, {args.users} people ({args.think / 2:g} to {args.think * 1.5:g} s between "
        f"requests, {args.people} s)",
        "",
        *table(people_rows, people),
        "",
        "### Verdict",
        "",
        "| goal | measured | verdict |",
        "|---|---|---|",
        f"| every HTML page p95 < {PAGE_P95_MS:.0f} ms at {args.users} people | slowest: "
        f"{slowest.name} p95 {slowest.p95:.0f} ms ({sum(row.p95 >= PAGE_P95_MS for row in pages)}"
        f" of {len(pages)} pages over) | {mark(slowest.p95 < PAGE_P95_MS)} |",
        f"| (saturated, for the record) | slowest: {saturated_slowest.name} p95 "
        f"{saturated_slowest.p95:.0f} ms | - |",
        f"| error rate 0 % | {failures} of {count} ({100 * failures / max(count, 1):.3f} %) "
        f"| {mark(failures == 0)} |",
        f"| mix > {MIX_SHARE_OF_BARE:.0%} of the bare view's req/s, both saturated | "
        f"{total.rps:.1f} vs {bare.rps:.1f} req/s ({share:.0%}) | "
        f"{mark(share > MIX_SHARE_OF_BARE)} |",
    ]
    return "\n".join(lines)


def soak_verdict(
    stats_path: Path, samples: list[tuple[float, str, int, int]], args: argparse.Namespace
) -> str:
    rows, total = read_stats(stats_path)
    lines = [f"### Soak ({args.users} users, {args.minutes:g} min)", "", *table(rows, total), ""]
    lines += [
        f"RSS every {RSS_EVERY} s; start and end are the medians of the first and the last "
        f"{RSS_WINDOW} s of the soak (MiB).",
        "",
        "| process | pid | RSS start | RSS end | growth | first sample | last sample | highest |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    growths = []
    last_second = max((seconds for seconds, *_ in samples), default=0)
    for name in dict.fromkeys(name for _seconds, name, _pid, _rss in samples):
        series = [(seconds, pid, rss) for seconds, n, pid, rss in samples if n == name]
        pid = series[-1][1]
        start = statistics.median(rss for seconds, _pid, rss in series if seconds <= RSS_WINDOW)
        end = statistics.median(
            rss for seconds, _pid, rss in series if seconds >= last_second - RSS_WINDOW
        )
        growth = (end - start) / start if start else 0.0
        growths.append(growth)
        mib = [f"{value / 1024:.1f}" for value in (start, end)]
        extremes = [f"{value / 1024:.1f}" for value in (series[0][2], series[-1][2])]
        highest = max(rss for *_rest, rss in series) / 1024
        lines.append(
            f"| {name} | {pid} | {mib[0]} | {mib[1]} | {growth:+.1%} | {extremes[0]} | "
            f"{extremes[1]} | {highest:.1f} |"
        )
    worst = max(growths) if growths else 0.0
    lines += [
        "",
        "### Verdict",
        "",
        "| goal | measured | verdict |",
        "|---|---|---|",
        f"| error rate < {SOAK_ERROR_RATE:.1%} | {total.failures} of {total.count} "
        f"({100 * total.error_rate:.3f} %) | {mark(total.error_rate < SOAK_ERROR_RATE)} |",
        f"| memory growth of each server process < {SOAK_RSS_GROWTH:.0%} | worst {worst:+.1%} "
        f"| {mark(worst < SOAK_RSS_GROWTH)} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
