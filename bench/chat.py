"""Chat delivery benchmark (issue 6 point 12): N WebSocket clients in one conversation on
channels-redis, messages sent at a fixed rate; delivery latency and lost messages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mylabel REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/chat.py --clients 50 --rate 10 --duration 30

Needs PostgreSQL and Redis. The data goes to a database of its own on the same server
(``mylabel_bench_chat``, or ``BENCH_DATABASE``), created and migrated when missing; each run
replaces the bench conversation and its N users. One uvicorn process serves
``config.asgi:application`` in production mode (DEBUG off, psycopg pool, tasks queued for the
worker as in production, so message notifications are queued rather than written inline).

Every client is a participant with its own session; message k is sent over the socket
(``{"action": "send"}``, i.e. ``services.send_message`` with its rate limit) by client
k mod N at start + k / rate. A delivery is the pushed fragment arriving at a client (all N,
the sender's own page included); its latency is receive time minus send time on the same
clock. Everything in between is measured: the frame to the server, the database write and
commit, rendering, the Redis channel layer, the fan-out to N sockets. Messages not delivered
within ``--drain`` seconds after the last send count as lost. Prints a markdown table.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BODY = re.compile(r"bench-(\d+)-")
ERROR_LINE = re.compile(r'<p id="live-error"[^>]*role="alert">([^<]+)</p>')
WARMUP = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=10.0, help="messages per second")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of sending")
    parser.add_argument("--drain", type=float, default=5.0, help="seconds to wait at the end")
    args = parser.parse_args()

    source = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not source.startswith("postgres") or not redis_url:
        print("Set DATABASE_URL=postgres://… and REDIS_URL=redis://…", file=sys.stderr)
        return 2
    database = os.environ.get("BENCH_DATABASE", "mylabel_bench_chat")
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(urlsplit(source)._replace(path=f"/{database}")),
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
    }
    prepare_database(source, database, env)
    os.environ.update(env)
    cookies, conversation_id = prepare_conversation(args.clients)

    load_before = os.getloadavg()
    with server(env) as port:
        result = asyncio.run(run(port, cookies, conversation_id, args))
    load_after = os.getloadavg()

    print(header(args, load_before, load_after))
    report(result, args)
    return 0 if not result["lost"] else 1


# --- Data ---------------------------------------------------------------------------------------


def prepare_database(source: str, database: str, env: dict[str, str]) -> None:
    admin_url = urlunsplit(urlsplit(source)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def prepare_conversation(clients: int) -> tuple[list[str], int]:
    """A fresh conversation with ``clients`` participants, and a session cookie for each."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from mylabel.accounts.models import User
    from mylabel.messaging.models import Conversation, Participant

    emails = [f"bench-chat-{number}@example.com" for number in range(clients)]
    Conversation.objects.filter(participants__user__email__in=emails).delete()
    users = []
    for number, email in enumerate(emails):
        user, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": f"Bench {number}"}
        )
        users.append(user)
    conversation = Conversation.objects.create()
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=user) for user in users]
    )
    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies, conversation.pk


# --- Server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    command = [
        PYTHON, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not answer /healthz") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- Clients ------------------------------------------------------------------------------------


async def run(
    port: int, cookies: list[str], conversation_id: int, args: argparse.Namespace
) -> dict[str, object]:
    from websockets.asyncio.client import ClientConnection, connect

    url = f"ws://127.0.0.1:{port}/ws/conversations/{conversation_id}/"
    sockets: list[ClientConnection] = []
    for cookie in cookies:
        sockets.append(
            await connect(
                url,
                origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
                additional_headers={"Cookie": cookie},
                max_size=2**22,
            )
        )
    sent: dict[int, float] = {}
    received: dict[int, list[float]] = {}
    errors: list[str] = []

    async def listen(client: ClientConnection) -> None:
        async for frame in client:
            now = time.perf_counter()
            text = frame if isinstance(frame, str) else frame.decode()
            for match in BODY.finditer(text):
                received.setdefault(int(match.group(1)), []).append(now)
            errors.extend(ERROR_LINE.findall(text))

    listeners = [asyncio.create_task(listen(client)) for client in sockets]

    async def send_all(first: int, count: int, rate: float) -> None:
        start = time.perf_counter() + 0.2
        for offset in range(count):
            number = first + offset
            delay = start + offset / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            client = sockets[number % len(sockets)]
            sent[number] = time.perf_counter()
            # The padding keeps each body unique and the regex anchored.
            body = json.dumps({"action": "send", "body": f"bench-{number}-{'x' * 40}"})
            await client.send(body)

    # Warm-up (templates compiled, connections pooled), not counted.
    await send_all(1_000_000, WARMUP, args.rate)
    await asyncio.sleep(1)
    total = int(args.duration * args.rate)
    await send_all(0, total, args.rate)
    await asyncio.sleep(args.drain)

    for task in listeners:
        task.cancel()
    for client in sockets:
        await client.close()

    latencies = [
        (arrival - sent[number]) * 1000
        for number in range(total)
        for arrival in received.get(number, [])
    ]
    expected = total * len(sockets)
    delivered = sum(len(received.get(number, [])) for number in range(total))
    return {
        "messages": total,
        "deliveries": delivered,
        "lost": expected - delivered,
        "latencies": sorted(latencies),
        "errors": errors,
    }


# --- Output -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(share * len(values)) - 1))
    return values[index]


def header(
    args: argparse.Namespace, before: tuple[float, float, float], after: tuple[float, float, float]
) -> str:
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average before {before[0]:.2f} / {before[1]:.2f} / {before[2]:.2f}, "
        f"after {after[0]:.2f} / {after[1]:.2f} / {after[2]:.2f}\n"
        f"{args.clients} clients, {args.rate:g} msg/s for {args.duration:g} s "
        f"(+{WARMUP} warm-up), drain {args.drain:g} s\n"
    )


def report(result: dict[str, object], args: argparse.Namespace) -> None:
    latencies = result["latencies"]
    assert isinstance(latencies, list)
    errors = result["errors"]
    assert isinstance(errors, list)
    print("| clients | msg/s | messages | deliveries | lost | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.clients} | {args.rate:g} | {result['messages']} | {result['deliveries']} "
        f"| {result['lost']} | {percentile(latencies, 0.50):.1f} "
        f"| {percentile(latencies, 0.90):.1f} | {percentile(latencies, 0.99):.1f} "
        f"| {(latencies[-1] if latencies else float('nan')):.1f} |"
    )
    if latencies:
        print(f"\nmean {statistics.fmean(latencies):.1f} ms over {len(latencies)} deliveries")
    if errors:
        print(f"\n{len(errors)} error lines from the server, e.g. {errors[0]!r}")


if __name__ == "__main__":
    sys.exit(main())
