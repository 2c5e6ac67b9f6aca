"""Playwright against pytest-django's ``live_server``, with the site's real CSP in force."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from e2e.helpers import (
    DESKTOP,
    PASSWORD,
    Member,
    assert_no_browser_problems,
    unique_email,
    watch_browser_problems,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there (fixtures, reading the outbox's user) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


@pytest.fixture
def page(context: BrowserContext, live_server: LiveServer) -> Iterator[Page]:
    """A page aimed at the live server that fails the test on console errors, CSP violations
    included: a violation means a script or style lost its nonce."""
    context.set_default_timeout(5_000)
    page = context.new_page()
    watch_browser_problems(page)
    yield page
    assert_no_browser_problems(page)


@pytest.fixture
def url(live_server: LiveServer) -> Callable[[str], str]:
    """``url("/accounts/login/")`` is that path on the live server."""

    def build(path: str) -> str:
        return f"{live_server.url}{path}"

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
