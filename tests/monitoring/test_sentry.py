"""Sentry (issue 8 point 6): initialised only with a DSN, tagged with release and environment,
and nothing personal in what it sends. A fake transport: no network."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from mylabel.monitoring import sentry
from tests.processes import run_python


class CapturingTransport(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[Any] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def transport() -> Iterator[CapturingTransport]:
    transport = CapturingTransport()
    sentry.init_sentry(
        dsn="https://public@sentry.invalid/1",
        environment="staging",
        release="v1.2.3",
        transport=transport,
        # Django's integration would stay patched into the rest of the test session.
        default_integrations=False,
        auto_enabling_integrations=False,
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_events_carry_release_and_environment_and_no_email_addresses(transport):
    sentry_sdk.set_user({"id": 42, "email": "nina@example.com", "ip_address": "10.0.0.1"})
    try:
        raise ValueError("no booking for nina@example.com")
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.get_client().flush()

    [event] = transport.events
    assert event["release"] == "v1.2.3"
    assert event["environment"] == "staging"
    assert event["user"] == {"id": 42}
    assert "nina@example.com" not in json.dumps(event)
    assert event["exception"]["values"][0]["value"] == "no booking for [email]"


def test_the_sdk_is_told_not_to_send_personal_data(transport):
    client = sentry_sdk.get_client()
    assert client.should_send_default_pii() is False
    assert client.options["event_scrubber"] is not None
    assert client.options["before_send"] is sentry.before_send


def test_before_send_drops_cookies_credentials_and_user_details():
    event = {
        "request": {
            "url": "https://mylabel.example/bookings/",
            "cookies": {"sessionid": "abc"},
            "headers": {
                "Authorization": "Token secret",
                "Cookie": "sessionid=abc",
                "X-CSRFToken": "t",
                "User-Agent": "Firefox",
            },
            "data": {"note": "write to marco@example.com", "list": ["a@b.co", 3]},
        },
        "user": {"email": "marco@example.com", "username": "marco"},
        "breadcrumbs": {"values": [{"message": "sent to a.b+c@mail.example.org"}]},
    }

    cleaned = sentry.before_send(event, {})

    assert "cookies" not in cleaned["request"]
    assert cleaned["request"]["headers"] == {"User-Agent": "Firefox"}
    assert cleaned["request"]["data"] == {"note": "write to [email]", "list": ["[email]", 3]}
    assert cleaned["user"] == {}
    assert cleaned["breadcrumbs"]["values"][0]["message"] == "sent to [email]"


def test_the_release_defaults_to_the_checked_out_commit():
    release = sentry.git_release()
    assert release is not None
    assert re.fullmatch(r"[0-9a-f]{40}", release)


def test_outside_a_git_checkout_there_is_no_release(tmp_path: Path, monkeypatch):
    assert sentry.git_release(tmp_path) is None
    monkeypatch.setattr(sentry.shutil, "which", lambda name: None)
    assert sentry.git_release() is None


SHOW_SENTRY = """
import django, json, sentry_sdk
django.setup()
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "release": client.options.get("release"),
    "environment": client.options.get("environment"),
    "pii": client.should_send_default_pii(),
}))
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"active": False}),
        (
            {
                "SENTRY_DSN": "https://public@sentry.invalid/1",
                "SENTRY_RELEASE": "2026.11.29",
                "SENTRY_ENVIRONMENT": "production",
            },
            {"active": True, "release": "2026.11.29", "environment": "production", "pii": False},
        ),
    ],
    ids=["no-dsn", "dsn"],
)
def test_the_settings_start_sentry_only_with_a_dsn(tmp_path: Path, env, expected):
    completed = run_python(["-c", SHOW_SENTRY], tmp_path, **env)

    assert completed.returncode == 0, completed.stderr
    shown = json.loads(completed.stdout.strip().splitlines()[-1])
    assert {key: shown[key] for key in expected} == expected
