"""Security headers from the first page (issue 2 §4) and the htmx wiring that keeps the CSP
strict."""

import json
import re

import pytest
from django.test import Client

from mylabel.accounts.models import User
from tests.processes import production_env, run_python

ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = ["/", "/account/settings/", "/accounts/password/change/"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def html_pages(client: Client, user: User | None) -> list:
    if user is None:
        return [client.get(path) for path in ANONYMOUS_PAGES]
    client.force_login(user)
    return [client.get(path) for path in SIGNED_IN_PAGES]


@pytest.fixture(params=["anonymous", "signed-in"])
def pages(request, client, db):
    user = request.getfixturevalue("artist") if request.param == "signed-in" else None
    responses = html_pages(client, user)
    for response in responses:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert response["Content-Type"].startswith("text/html")
    return responses


def test_every_page_has_a_strict_content_security_policy(pages):
    for response in pages:
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header
        assert "unsafe-eval" not in header
        directives = csp_directives(header)
        assert "'self'" in directives["script-src"]
        assert any(value.startswith("'nonce-") for value in directives["script-src"])
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["default-src"] == ["'self'"]


def test_the_csp_nonce_is_on_every_script_tag_and_fresh_per_response(pages):
    nonces = set()
    for response in pages:
        script_src = csp_directives(response["Content-Security-Policy"])["script-src"]
        (nonce,) = [
            value[len("'nonce-") : -1] for value in script_src if value.startswith("'nonce-")
        ]
        html = response.content.decode()
        script_tags = re.findall(r"<script\b[^>]*>", html)
        assert any("htmx" in tag for tag in script_tags)
        for tag in script_tags:
            assert f'nonce="{nonce}"' in tag, tag
        nonces.add(nonce)
    assert len(nonces) == len(pages)


def test_every_page_sends_nosniff_referrer_policy_and_coop(pages):
    for response in pages:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_htmx_sends_the_csrf_token_from_the_body(pages):
    for response in pages:
        html = response.content.decode()
        match = re.search(r"<body[^>]*hx-headers='([^']*)'", html)
        assert match, "hx-headers missing on <body>"
        token = json.loads(match.group(1))["X-CSRFToken"]
        assert len(token) >= 32
        assert response.cookies["csrftoken"].value


def test_htmx_is_configured_to_never_evaluate_strings(pages):
    for response in pages:
        html = response.content.decode()
        match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
        assert match, "htmx-config meta missing"
        config = json.loads(match.group(1))
        assert config["allowEval"] is False
        assert config["includeIndicatorStyles"] is False


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The hashed static files only exist after a deployment's collectstatic; headers don't need them.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
client = Client()
home = client.get("/", secure=True)
plain = client.get("/")
health = client.get("/healthz")
language = client.post("/i18n/setlang/", {"language": "it", "next": "/"}, secure=True)
print(json.dumps({
    "status": home.status_code,
    "hsts": home.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(home.cookies[settings.CSRF_COOKIE_NAME]["secure"]),
    "language_cookie_secure": bool(language.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "health_status": health.status_code,
}))
"""


def test_production_mode_sends_hsts_secure_cookies_and_redirects_to_https(tmp_path):
    result = run_python(
        ["-c", PRODUCTION_PROBE], tmp_path, **production_env(ALLOWED_HOSTS="testserver")
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["csrf_cookie_secure"] is True
    assert probe["language_cookie_secure"] is True
    assert probe["session_cookie_secure"] is True
    assert probe["session_cookie_httponly"] is True
    # Plain HTTP is sent to HTTPS, except the probes the load balancer makes.
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://testserver/"
    assert probe["health_status"] == 200
