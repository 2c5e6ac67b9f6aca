"""One JSON error shape for everything under /api/ that is not a success (issue 7 §4, "Bad
input"), whether DRF, a service or Django itself refuses the request; the site's own error pages
stay HTML."""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client
from django.urls import path
from rest_framework import exceptions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from config import urls as site_urls
from mylabel.api.exceptions import error_body
from mylabel.api.models import ApiToken
from tests.api.helpers import assert_error
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


# --- A URLconf with views that fail in the ways a real view might ------------------------------


@api_view(["GET"])
@permission_classes([AllowAny])
def api_bug(request: Request) -> Response:
    raise RuntimeError("a bug in an API view")


def page_bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a page")


def reads_form(request: HttpRequest) -> JsonResponse:
    """A plain Django view under /api/ that reads the form body (Django, not DRF, parses it)."""
    return JsonResponse({"fields": len(request.POST)})


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# The test views, then the whole site (the site's error pages link to its other pages).
urlpatterns = [
    path("api/test/bug/", api_bug),
    path("api/test/form/", reads_form),
    path("api/test/suspicious/", suspicious),
    path("api/test/forbidden/", forbidden),
    path("page/bug/", page_bug),
    path("page/suspicious/", suspicious),
    path("page/forbidden/", forbidden),
    *site_urls.urlpatterns,
]
handler400 = "mylabel.api.error_handlers.bad_request"
handler403 = "mylabel.api.error_handlers.permission_denied"
handler404 = "mylabel.api.error_handlers.page_not_found"
handler500 = "mylabel.api.error_handlers.server_error"
with_failing_views = pytest.mark.urls(__name__)


def plain_client(**options: Any) -> Any:
    """Django's own test client: these requests are refused before DRF sees them."""
    return Client(**options)


def credentials(**extra: object) -> dict[str, object]:
    return {"email": "nina@example.com", "password": DEFAULT_PASSWORD, **extra}


# --- Bodies DRF refuses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ['{"email": "nina@example.com", "password": ', "{'email': 1}", "", "null", "\x00"],
    ids=["truncated", "single-quotes", "empty", "null", "nul-byte"],
)
def test_malformed_json_is_400_and_changes_nothing(api_client, artist, body):
    response = api_client.post(TOKEN_URL, body, content_type="application/json")
    assert_error(response, 400)
    assert not ApiToken.objects.exists()


def test_malformed_json_names_the_problem(api_client):
    response = api_client.post(TOKEN_URL, "{", content_type="application/json")
    body = assert_error(response, 400, code="parse_error", fields=[])
    assert "JSON" in body["detail"]


def test_a_body_of_another_content_type_is_415(api_client, artist):
    response = api_client.post(TOKEN_URL, json.dumps(credentials()), content_type="text/plain")
    assert_error(response, 415, code="unsupported_media_type")
    assert not ApiToken.objects.exists()


def test_an_xml_body_is_415(api_client, artist):
    response = api_client.post(TOKEN_URL, "<email/>", content_type="application/xml")
    assert_error(response, 415, code="unsupported_media_type")


def test_asking_for_html_is_406(api_client):
    response = api_client.post(TOKEN_URL, credentials(), HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "code", "fields"}


def test_unknown_fields_are_named(api_client, artist):
    response = api_client.post(TOKEN_URL, credentials(is_staff=True, scope="admin"))
    body = assert_error(response, 400, code="invalid", fields=["is_staff", "scope"])
    assert body["fields"]["scope"] == ["Unknown field."]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "values",
    [{"email": 5}, {"email": None}, {"password": None}, {"name": ["a"]}, {"name": {"x": 1}}],
    ids=["int", "null-email", "null-password", "list", "object"],
)
def test_wrong_types_are_400_naming_the_field(api_client, artist, values):
    response = api_client.post(TOKEN_URL, credentials(**values))
    assert_error(response, 400, fields=list(values))
    assert not ApiToken.objects.exists()


def test_a_json_body_over_the_limit_is_413(api_client, artist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api_client.post(TOKEN_URL, credentials(name="x" * 2_000))
    body = assert_error(response, 413, code="payload_too_large", fields=[])
    assert body["detail"] == "The request body is too large."
    assert not ApiToken.objects.exists()


def test_a_multipart_body_over_the_limit_is_413(api_client, artist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api_client.post(TOKEN_URL, credentials(name="x" * 2_000), format="multipart")
    assert_error(response, 413, code="payload_too_large")
    assert not ApiToken.objects.exists()


def test_a_huge_json_body_is_413_at_the_real_limit(api_client, artist, settings):
    """The default limit (5 MB) as configured, with a body just over it."""
    padding = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = api_client.post(TOKEN_URL, credentials(name=padding))
    assert_error(response, 413, code="payload_too_large")


# --- Refusals Django makes before DRF ------------------------------------------------------------


@with_failing_views
def test_a_form_body_over_the_limit_read_outside_drf_is_a_json_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = plain_client().post("/api/test/form/", {"text": "x" * 2_000})
    assert_error(response, 413, code="payload_too_large")


@with_failing_views
def test_too_many_form_fields_outside_drf_is_a_json_400(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = plain_client().post("/api/test/form/", {f"f{number}": "x" for number in range(10)})
    assert_error(response, 400, code="bad_request")


@with_failing_views
def test_a_suspicious_request_under_api_is_a_json_400():
    response = plain_client().get("/api/test/suspicious/")
    assert_error(response, 400, code="bad_request")


@with_failing_views
def test_permission_denied_outside_drf_under_api_is_a_json_403():
    response = plain_client().get("/api/test/forbidden/")
    assert_error(response, 403, code="permission_denied")


def test_a_host_not_allowed_is_a_json_400_under_api(api_client):
    response = api_client.post(TOKEN_URL, credentials(), HTTP_HOST="evil.example")
    assert_error(response, 400, code="bad_request")


@with_failing_views
def test_the_sites_own_400_and_403_pages_stay_html():
    bad = plain_client().get("/page/suspicious/")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("text/html")
    forbidden = plain_client().get("/page/forbidden/")
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"].startswith("text/html")


# --- Unknown URLs, methods and bugs -------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/nothing/", "/api/v2/artists/"])
def test_an_unknown_url_under_api_is_a_json_404(api_client, url):
    response = api_client.get(url)
    body = assert_error(response, 404, code="not_found", fields=[])
    assert response["Content-Type"] == "application/json"
    assert body["detail"] == "Not found."


def test_the_sites_own_404_page_stays_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content


def test_a_path_that_only_starts_like_api_gets_the_sites_404(client):
    response = client.get("/apiary/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_a_method_the_endpoint_does_not_have_is_405(api_client, method):
    response = getattr(api_client, method)(TOKEN_URL)
    assert_error(response, 405, code="method_not_allowed")
    assert "POST" in response["Allow"]


@with_failing_views
def test_a_bug_in_an_api_view_is_a_json_500_without_details():
    response = plain_client(raise_request_exception=False).get("/api/test/bug/")
    body = assert_error(response, 500, code="server_error", fields=[])
    assert response["Content-Type"] == "application/json"
    assert "RuntimeError" not in body["detail"]
    assert "bug" not in response.content.decode()


@with_failing_views
def test_a_bug_in_a_page_is_the_sites_html_500():
    response = plain_client(raise_request_exception=False).get("/page/bug/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


# --- Nested input -----------------------------------------------------------------------------


def test_errors_in_nested_input_are_named_with_dotted_paths():
    """A list of objects (e.g. several items sent at once) names the item and its field."""
    error = exceptions.ValidationError(
        {"items": [{}, {"title": [exceptions.ErrorDetail("Too long.", code="max_length")]}]}
    )
    assert error_body(error) == {
        "detail": "Some fields are invalid; see fields.",
        "code": "invalid",
        "fields": {"items.1.title": ["Too long."]},
    }


def test_a_list_of_errors_without_a_field_keeps_the_first_code():
    error = exceptions.ValidationError(
        [[exceptions.ErrorDetail("Nope.", code="")], exceptions.ErrorDetail("Bad.", code="bad")]
    )
    body = error_body(error)
    assert body["code"] == "bad"
    assert body["fields"] == {}
