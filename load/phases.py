"""Where the CPUs go, per kind of user: ``.venv/bin/python load/phases.py NAME=Users:SECONDS ...``

    .venv/bin/python load/phases.py bare=BareView:30 visitors=Visitor:60 members=Booker,Chatter:60

Starts the servers as ``bin/load`` does (on its seeded database: run ``bin/load`` once first),
warms them up for 20 s with the mix, then runs each phase in turn with 20 users and no think
time, and prints its requests per second and the CPU time each process spent per request:
uvicorn's workers, the task worker, PostgreSQL (every ``postgres`` process of the machine), and
the whole machine (user + system time of both CPUs, locust and Redis included). Saturated, the
two CPUs answer ``2 s / (CPU per request)`` requests a second, so the last figure is what sets
the ratio of two phases' rates. A tool for understanding the load test, not a benchmark of record.
"""

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import run as load

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_seconds() -> float:
    """User, nice and system CPU seconds of the whole machine since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return sum(int(value) for value in fields[1:4]) / TICKS


def postgres_pids() -> list[int]:
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
        except OSError:
            continue  # ended meanwhile
    return pids


def main() -> int:
    phases = [argument.split("=", 1) for argument in sys.argv[1:]]
    if not phases or any(len(phase) != 2 or ":" not in phase[1] for phase in phases):
        print(__doc__)
        return 2
    run_dir = load.ROOT / "var" / "load" / datetime.now(UTC).strftime("phases-%Y%m%dT%H%M%SZ")
    run_dir.mkdir(parents=True)
    port = load.free_port()
    env = load.server_env(port, run_dir)
    load.flush_redis()
    locust_env = load.locust_environment(port)
    with load.servers(env, port, run_dir) as processes:
        load.locust(locust_env, run_dir / "warmup", load.MIX, 20, 20)
        for name, spec in phases:
            users, seconds = spec.rsplit(":", 1)
            measured = processes.measured()
            postgres = postgres_pids()
            before = {key: process_seconds(pid) for key, pid in measured.items()}
            postgres_before = sum(map(process_seconds, postgres))
            machine_before, started = machine_seconds(), time.monotonic()
            load.locust(locust_env, run_dir / name, users.split(","), 20, int(seconds))
            elapsed = time.monotonic() - started
            _rows, total = load.read_stats(run_dir / f"{name}_stats.csv")
            count = max(total.count, 1)
            print(f"\n{name}: {total.count} requests, {total.rps:.1f} req/s ({elapsed:.0f} s)")
            for key, pid in measured.items():
                spent = process_seconds(pid) - before[key]
                print(f"  {key:34} {1000 * spent / count:6.2f} ms CPU per request")
            spent = sum(map(process_seconds, postgres)) - postgres_before
            print(f"  {'postgres':34} {1000 * spent / count:6.2f} ms CPU per request")
            spent = machine_seconds() - machine_before
            print(f"  {'the whole machine':34} {1000 * spent / count:6.2f} ms CPU per request")
    print(f"\nCSV and logs: {run_dir.relative_to(load.ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
