"""A live server that speaks WebSocket: the project's own ASGI application (``config.asgi``:
Django for HTTP, Channels' router for ``/ws/…``) under uvicorn, in a thread of the test process.

pytest-django's ``live_server`` is Django's ``LiveServerThread``, a WSGI server: it never upgrades
a connection, so no socket of the site would open. The alternatives considered:

- Channels' ``ChannelsLiveServerTestCase`` runs daphne in another *process*: it refuses SQLite's
  in-memory test database, and that process would not see what the tests change per test
  (``settings`` overrides such as ``MEDIA_ROOT`` and ``ROOT_URLCONF``, the locmem outbox, the
  in-memory channel layer).
- uvicorn in a subprocess against the test database: the same drawbacks, plus a second copy of
  the settings to keep in step.
- uvicorn in a thread (this): the same process, so the same settings, overrides, channel layer
  and outbox as the test; only the database connections are the server's own, one per thread,
  as with any concurrent server. With PostgreSQL that is ordinary; on SQLite the journeys use a
  database file (``django_db_modify_db_settings`` in ``e2e/conftest.py`` says why not Django's
  in-memory one). That is why tests using it need ``transactional_db`` (the autouse
  ``_reference_data`` fixture requests it): what the server writes is committed and visible to
  the test, and the other way round.

uvicorn skips its signal handlers outside the main thread, and stops when ``should_exit`` is set.
Static files are served by Django's ``ASGIStaticFilesHandler``, as ``live_server`` serves them by
its WSGI counterpart (tests run with ``DEBUG`` off).
"""

import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

HOST = "127.0.0.1"
START_TIMEOUT = 10.0


def site_application() -> ProtocolTypeRouter:
    """``config.asgi.application`` with static files added to its HTTP side; the WebSocket side
    (origin check, session authentication, routes) is the production one, untouched."""
    # Imported here: config.asgi sets Django up and imports the consumers, which must wait
    # until pytest-django has configured the test settings.
    from config.asgi import application

    mapping = application.application_mapping
    return ProtocolTypeRouter(
        {"http": ASGIStaticFilesHandler(mapping["http"]), "websocket": mapping["websocket"]}
    )


class AsgiLiveServer:
    """``with AsgiLiveServer() as server: server.url`` — the site at ``http://127.0.0.1:<port>``
    on a free port, stopped (connections closed, thread joined) on exit."""

    def __init__(self) -> None:
        # Bound here, so the port is known before the server starts and nothing can take it.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind((HOST, 0))
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            site_application(),
            lifespan="off",
            log_level="warning",
            # Close promptly on exit instead of waiting for the browser's sockets to go away.
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The ASGI live server did not start.")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=START_TIMEOUT)
        self.socket.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
