"""CORS (issue 7 §6): browsers may call the API from the origins in CORS_ALLOWED_ORIGINS only,
and only the API: the site's pages never get CORS headers."""

from typing import Any

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

APP_ORIGIN = "https://app.example.com"
TOKEN_URL = "/api/v1/auth/token/"
SCHEMA_URL = "/api/schema/?format=json"


@pytest.fixture(autouse=True)
def _allowed_origin(settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]


def preflight(client: Any, url: str, origin: str) -> Any:
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_an_allowed_origin_gets_the_header_on_a_simple_request(api_client):
    response = api_client.get(SCHEMA_URL, HTTP_ORIGIN=APP_ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN


def test_an_allowed_origin_gets_the_header_on_an_api_call(api_client, artist):
    response = api_client.post(
        TOKEN_URL,
        {"email": "nina@example.com", "password": DEFAULT_PASSWORD},
        HTTP_ORIGIN=APP_ORIGIN,
    )
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN


def test_an_allowed_origin_passes_the_preflight_with_the_token_header(api_client):
    response = preflight(api_client, TOKEN_URL, APP_ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed_headers = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example.com", "http://app.example.com", "https://app.example.com.evil.io"],
    ids=["other-site", "plain-http", "suffix"],
)
def test_other_origins_get_no_cors_headers(api_client, origin):
    simple = api_client.get(SCHEMA_URL, HTTP_ORIGIN=origin)
    assert simple.status_code == 200
    assert "Access-Control-Allow-Origin" not in simple
    checked = preflight(api_client, TOKEN_URL, origin)
    assert "Access-Control-Allow-Origin" not in checked
    assert "Access-Control-Allow-Methods" not in checked


def test_no_origin_is_allowed_by_default(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = []
    assert "Access-Control-Allow-Origin" not in api_client.get(SCHEMA_URL, HTTP_ORIGIN=APP_ORIGIN)
    assert "Access-Control-Allow-Origin" not in preflight(api_client, TOKEN_URL, APP_ORIGIN)


@pytest.mark.parametrize("url", ["/", "/artists/", "/account/settings/"])
def test_the_sites_pages_get_no_cors_headers_even_for_an_allowed_origin(client, url):
    response = client.get(url, HTTP_ORIGIN=APP_ORIGIN)
    assert "Access-Control-Allow-Origin" not in response
    checked = preflight(client, url, APP_ORIGIN)
    assert "Access-Control-Allow-Origin" not in checked


def test_credentials_are_not_allowed_cross_origin(api_client):
    """Cross-origin clients send a token; the session cookie must not ride along."""
    response = api_client.get(SCHEMA_URL, HTTP_ORIGIN=APP_ORIGIN)
    assert "Access-Control-Allow-Credentials" not in response
