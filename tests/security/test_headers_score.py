"""The Mozilla HTTP Observatory score of the production configuration (issue 10 point 2).

Settings are read once per process, so ONE fresh interpreter runs in production mode (DEBUG off,
tests/processes.py) on an in-memory database and collects everything the scan needs: the front
page over HTTPS as the load balancer forwards it (X-Forwarded-Proto), with a foreign Origin; the
answer to plain HTTP; and the cookies the site sets on the way: the CSRF cookie of the log-in
page, the session cookie of a log-in, the language cookie. tests/security/observatory.py scores
them with the Observatory's published rules.
"""

import json
from pathlib import Path

import pytest

from tests.processes import production_env, run_python
from tests.security import observatory
from tests.security.observatory import Cookie, Response

HOST = "mylabel.example"

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The hashed static files only exist after a deployment's collectstatic; headers don't need them.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()
# An in-memory database with the tables, no migrations: a log-in needs a user, nothing more.
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_models():
        editor.create_model(model)
from allauth.account.models import EmailAddress
from mylabel.accounts.models import User
user = User.objects.create_user(email="probe@example.com", password="probe-password-1")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
cookies = []
def keep(response):
    for morsel in response.cookies.values():
        cookies.append({"name": morsel.key, "secure": bool(morsel["secure"]),
                        "httponly": bool(morsel["httponly"]), "samesite": morsel["samesite"],
                        "path": morsel["path"], "domain": morsel["domain"]})
    return response

client = Client()
home = keep(client.get("/", HTTP_ORIGIN="https://observatory.example", **HTTPS))
plain = Client().get("/")
keep(client.get("/accounts/login/", **HTTPS))
login = keep(client.post("/accounts/login/",
                         {"login": "probe@example.com", "password": "probe-password-1"}, **HTTPS))
keep(client.post("/i18n/setlang/", {"language": "it", "next": "/"}, **HTTPS))
print(json.dumps({
    "status": home.status_code,
    "headers": {name.lower(): value for name, value in home.headers.items()},
    "html": home.content.decode(),
    "cookies": cookies,
    "http_status": plain.status_code,
    "http_location": plain.get("Location", ""),
    "login_status": login.status_code,
    "session_cookie_name": settings.SESSION_COOKIE_NAME,
    "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp_path: Path = tmp_path_factory.mktemp("observatory")
    result = run_python(
        ["-c", PROBE],
        tmp_path,
        **production_env(ALLOWED_HOSTS=f"testserver,{HOST}", DATABASE_URL="sqlite://:memory:"),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["status"] == 200
    assert values["login_status"] == 302, "the probe's log-in failed: no session cookie to score"
    return values


@pytest.fixture(scope="module")
def site(probe: dict) -> Response:
    return Response(
        url="https://testserver/",
        headers=probe["headers"],
        html=probe["html"],
        cookies=[Cookie(**cookie) for cookie in probe["cookies"]],
        http_status=probe["http_status"],
        http_location=probe["http_location"],
        origin_sent="https://observatory.example",
    )


def test_the_observatory_score_is_an_a_plus_with_every_test_passing(site: Response):
    scan = observatory.scan(site)
    failed = {name: r.result for name, r in scan.results.items() if not r.passed}
    assert not failed
    assert scan.score >= 100, {name: r.modifier for name, r in scan.results.items()}
    assert scan.grade == "A+"
    # The bonuses the configuration earns, so a regression that costs one shows by name.
    earned = {name: r.result for name, r in scan.results.items() if r.modifier > 0}
    assert earned == {
        "content-security-policy": "csp-implemented-with-no-unsafe",
        "cookies": "cookies-secure-with-httponly-sessions-and-samesite",
        "referrer-policy": "referrer-policy-private",
        "x-frame-options": "x-frame-options-implemented-via-csp",
    }


def test_the_csp_uses_a_nonce_and_allows_no_unsafe_source(site: Response):
    csp = observatory.parse_csp(site.headers["content-security-policy"])
    script_src = csp["script-src"]
    assert any(source.startswith("'nonce-") for source in script_src)
    assert not script_src & {"'unsafe-inline'", "'unsafe-eval'", "data:", "*", "https:", "http:"}
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == {"'none'"}
    assert csp["base-uri"] == {"'none'"}
    assert csp["frame-ancestors"] == {"'none'"}
    # Every script tag of the page carries that nonce (none is external, so SRI has no work).
    nonce = next(s for s in script_src if s.startswith("'nonce-"))[len("'nonce-") : -1]
    assert f'nonce="{nonce}"' in site.html


def test_hsts_nosniff_referrer_policy_and_the_https_redirect(site: Response):
    max_age, subdomains, _preload = observatory.hsts_directives(
        site.headers["strict-transport-security"]
    )
    assert max_age >= 31536000
    assert subdomains
    assert site.headers["x-content-type-options"] == "nosniff"
    assert site.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert site.http_status == 301
    assert site.http_location == "https://testserver/"
    # CORS is for the API only, and never for a foreign origin unless configured.
    assert "access-control-allow-origin" not in site.headers


def test_cookies_are_secure_httponly_sessions_samesite_and_host_prefixed(
    site: Response, probe: dict
):
    by_name = {cookie.name: cookie for cookie in site.cookies}
    session, csrf = probe["session_cookie_name"], probe["csrf_cookie_name"]
    assert (session, csrf) == ("__Host-sessionid", "__Host-csrftoken")
    assert {session, csrf, "django_language"} <= set(by_name)
    for cookie in site.cookies:
        assert cookie.secure, cookie
        assert cookie.samesite.lower() in {"lax", "strict"}, cookie
    assert by_name[session].httponly
    # The __Host- prefix: browsers accept it only Secure, with Path=/ and without Domain.
    for name in (session, csrf):
        assert by_name[name].path == "/"
        assert not by_name[name].domain


def test_the_scoring_catches_what_it_should():
    """The scorer is not a rubber stamp: each weakness costs what the Observatory charges."""
    good = Response(
        url="https://site.example/",
        headers={
            "content-security-policy": "default-src 'none'; script-src 'self' 'nonce-abc' "
            "'unsafe-inline'; object-src 'none'; frame-ancestors 'none'",
            "strict-transport-security": "max-age=31536000; includeSubDomains",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
            "cross-origin-resource-policy": "same-origin",
        },
        html='<script src="/static/app.js"></script>',
        cookies=[Cookie("sessionid", secure=True, httponly=True, samesite="Lax")],
        http_status=301,
        http_location="https://site.example/",
    )
    assert observatory.scan(good).score == 100 + 10 + 5 + 5 + 5 + 10

    def weakened(**headers: str) -> int:
        return observatory.scan(
            Response(**{**good.__dict__, "headers": {**good.headers, **headers}})
        ).score

    assert weakened(**{"content-security-policy": "script-src 'self' 'unsafe-inline'"}) == (
        100 - 20 - 20  # unsafe inline, and no frame-ancestors nor X-Frame-Options
    )
    assert weakened(**{"strict-transport-security": "max-age=300"}) == 100 - 10 + 35 - 0
    assert weakened(**{"x-content-type-options": ""}) == 100 - 5 + 35
    leaky_cookie = Response(
        **{**good.__dict__, "cookies": [Cookie("sessionid", True, False, "Lax")]}
    )
    assert observatory.scan(leaky_cookie).results["cookies"].modifier == -30
    no_https = Response(**{**good.__dict__, "http_status": 200, "http_location": ""})
    assert observatory.scan(no_https).results["redirection"].modifier == -20
