"""Fault injection for the degradation checks (issue 10 point 4): a TCP proxy that can "stop"
the service behind it, real uvicorn servers started through such proxies, and HTTP probes.

Stopping the shared PostgreSQL or Redis would break every other process using them; a proxy in
front of each gives the servers under test a private copy of the outage instead. ``down()``
resets every open connection and every new one (as a crashed server's host answers), ``up()``
forwards again. To the application that is indistinguishable from the service stopping and
starting, without touching the service itself.

Used by tests/security/test_chaos.py and bin/chaos.
"""

import json
import os
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 65536


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), as a dead server's host does, and wake any thread
    blocked reading it."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with suppress(OSError):
        sock.close()


class ChaosProxy:
    """Forwards 127.0.0.1:<port> to ``target`` while up; resets everything while down."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.is_up = True
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="chaos-proxy", daemon=True)
        self._thread.start()

    def down(self) -> None:
        with self._lock:
            self.is_up = False
            pairs, self._pairs = self._pairs, set()
        for client, upstream in pairs:
            _reset(client)
            _reset(upstream)

    def up(self) -> None:
        with self._lock:
            self.is_up = True

    def close(self) -> None:
        self._closed.set()
        self.down()
        with suppress(OSError):
            self.listener.close()
        self._thread.join(timeout=2)

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            while not self._closed.is_set():
                if not selector.select(timeout=0.1):
                    continue
                try:
                    client, _address = self.listener.accept()
                except OSError:
                    continue
                self._open(client)

    def _open(self, client: socket.socket) -> None:
        if not self.is_up:
            _reset(client)
            return
        try:
            upstream = socket.create_connection(self.target, timeout=2)
            upstream.settimeout(None)
        except OSError:
            _reset(client)
            return
        pair = (client, upstream)
        with self._lock:
            if not self.is_up:  # went down while connecting
                _reset(client)
                _reset(upstream)
                return
            self._pairs.add(pair)
        for source, sink in (pair, pair[::-1]):
            threading.Thread(target=self._pump, args=(pair, source, sink), daemon=True).start()

    def _pump(
        self,
        pair: tuple[socket.socket, socket.socket],
        source: socket.socket,
        sink: socket.socket,
    ) -> None:
        try:
            while data := source.recv(CHUNK):
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._pairs.discard(pair)
        for sock in pair:
            _reset(sock)


def proxied_url(url: str, proxy: ChaosProxy) -> str:
    """``url`` (postgres://… or redis://…) with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def target_of(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


# --- Servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, redis_url: str, log_dir: Path, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) with the hashed static files left out: they exist only
    after a deployment's collectstatic, and the failure behaviour does not depend on them."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(log_dir),
        "DJANGO_SETTINGS_MODULE": "tests.chaos_settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "chaos-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_DIR": str(log_dir),
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(log_dir / "metrics"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **{key: value for key, value in os.environ.items() if key.startswith("COVERAGE_")},
        **extra,
    }


@contextmanager
def uvicorn_server(env: dict[str, str], log_dir: Path, workers: int = 2) -> Iterator[str]:
    """uvicorn on config.asgi with ``workers`` processes, as bin/web starts it; yields its base
    URL once /healthz answers."""
    port = free_port()
    (log_dir / "metrics").mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(log_dir / f"uvicorn-{port}.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while get(base + "/healthz").status != 200:
            if server.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {server.returncode}; see {log_dir}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"uvicorn did not start; see {log_dir}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Probes ----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def json(self) -> object:
        return json.loads(self.body)


def get(url: str, cookie: str = "", timeout: float = 10) -> Answer:
    # The load balancer's header: production redirects plain HTTP to HTTPS.
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http to our own server
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body, status, raw_headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, raw_headers = error.read(), error.code, error.headers
    except OSError:
        return Answer(0, seconds=time.monotonic() - start)
    return Answer(
        status,
        body.decode("utf-8", "replace"),
        {key.lower(): value for key, value in raw_headers.items()},
        time.monotonic() - start,
    )


def poll[T](probe: Callable[[], T], accept: Callable[[T], bool], within: float) -> tuple[T, float]:
    """Repeats ``probe`` until ``accept`` holds; returns the accepted answer and the seconds it
    took, or raises with the last answer once ``within`` seconds have passed."""
    start = time.monotonic()
    while True:
        answer = probe()
        elapsed = time.monotonic() - start
        if accept(answer):
            return answer, elapsed
        if elapsed > within:
            last = f"{answer.status}: {answer.body[:300]}" if isinstance(answer, Answer) else answer
            raise AssertionError(f"not within {within} s; last answer {last}")
        time.sleep(0.05)
