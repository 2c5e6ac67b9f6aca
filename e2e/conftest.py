"""Playwright against the site's ASGI application (HTTP and WebSocket), with its real CSP in force.

The server is ``asgi_live_server`` (``e2e/asgi_server.py``): ``config.asgi`` under uvicorn in a
thread of the test process, started for each test. pytest-django's ``live_server`` cannot be
used: it is a WSGI server, and every page of a signed-in member opens ``/ws/notifications/`` (the
bell), so the browser would log a failed handshake, which these journeys count as an error.
Being in the test's own process, the server sees the test's settings overrides, its locmem
outbox and its in-memory channel layer; see that module for the alternatives and the database.
"""

import os
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from playwright.sync_api import BrowserContext, Page
from pytest_django.fixtures import Settings

from e2e.asgi_server import AsgiLiveServer
from e2e.helpers import (
    DESKTOP,
    PASSWORD,
    Member,
    assert_no_browser_problems,
    unique_email,
    watch_browser_problems,
)
from tests.booking_writes import allow_unchecked_booking_writes

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (fixtures, reading the outbox's user) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The journeys' fixtures put bookings into states directly (tests/booking_writes.py).
allow_unchecked_booking_writes()

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
REFERENCE_DATA = [
    ("mylabel.core.migrations.0002_genres", "add_genres"),
    ("mylabel.associates.migrations.0002_professions", "add_professions"),
    ("mylabel.reviews.migrations.0002_criteria", "add_criteria"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """CHROMIUM_PATH, else Debian's Chromium, else the browser Playwright installed itself."""
    launch_args = {**browser_type_launch_args, "headless": True, "args": CHROMIUM_ARGS}
    executable = os.environ.get("CHROMIUM_PATH") or (
        str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None
    )
    if executable:
        launch_args["executable_path"] = executable
    return launch_args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


def _watched_page(context: BrowserContext) -> Page:
    # Generous: CI runs two browsers and two servers side by side on two cores.
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch_browser_problems(page)
    return page


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, the journeys' database is a file, not Django's default in-memory one.

    The live server's threads and the test reach the database at once (a page's POST while
    the other browser's socket marks a message read). In-memory, they share one cache with
    table-level locks, and a conflict fails at once with "database table is locked", which
    the site answers 503 (seen in CI under load). A file gets SQLite's ordinary locking: WAL
    and a busy timeout (config/settings.py), so the second writer waits its turn.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "e2e.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture
def asgi_live_server(transactional_db: None) -> Iterator[AsgiLiveServer]:
    """The site, HTTP and WebSocket, at ``asgi_live_server.url`` for one test. Requested before
    the browser contexts by the page fixtures, so it stops after they are closed: the browser's
    sockets are gone by then and the shutdown does not wait for them."""
    with AsgiLiveServer() as server:
        yield server


@pytest.fixture
def page(asgi_live_server: AsgiLiveServer, context: BrowserContext) -> Iterator[Page]:
    """A page aimed at the live server that fails the test on console errors, CSP violations
    included: a violation means a script or style lost its nonce."""
    page = _watched_page(context)
    yield page
    assert_no_browser_problems(page)


@pytest.fixture
def visitor_page(
    asgi_live_server: AsgiLiveServer, new_context: Callable[..., BrowserContext]
) -> Iterator[Page]:
    """Someone else in another browser: a context of its own (no cookies shared with ``page``),
    watched like ``page``."""
    page = _watched_page(new_context())
    yield page
    assert_no_browser_problems(page)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None) -> None:
    """Genres, professions and review criteria, as their data migrations add them.

    The live server needs transactional tests, which empty every table after each test, rows
    from data migrations included. pytest-django's serialized rollback cannot restore them here:
    once Playwright's event loop runs, the test thread gets other database connections than the
    one that took the snapshot. The migrations' functions use get_or_create, so they can run again.
    """
    for module, function in REFERENCE_DATA:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Uploads go to the test's own directory, and the live server serves them from there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "e2e.urls"


@pytest.fixture
def url(asgi_live_server: AsgiLiveServer) -> Callable[[str], str]:
    """``url("/accounts/login/")`` is that path on the live server."""

    def build(path: str) -> str:
        return f"{asgi_live_server.url}{path}"

    return build


@pytest.fixture
def verified_member(django_user_model: Any) -> Member:
    """A member who has signed up and confirmed their e-mail address."""
    member = Member(email=unique_email("nina"), password=PASSWORD, display_name="Nina Vega")
    user = django_user_model.objects.create_user(
        member.email, member.password, display_name=member.display_name
    )
    EmailAddress.objects.create(user=user, email=member.email, verified=True, primary=True)
    return member
