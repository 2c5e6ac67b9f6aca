"""The OpenAPI schema and its docs (issue 7 §3): served as YAML and JSON, valid with no
warnings, every operation described (summary, tags, security, errors); Swagger UI works under the
site's Content-Security-Policy."""

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from mylabel.api.schema import add_error_responses

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "put", "patch", "post", "delete"}
COMMON_ERRORS = {"400", "401", "403", "404", "413", "429"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in HTTP_METHODS
    ]


def test_the_schema_is_served_as_yaml(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    served = yaml.safe_load(response.content)
    assert served["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in served["paths"]


def test_the_schema_is_served_as_json(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json()["info"]["title"] == "MyLabel API"


def test_the_schema_validates_without_warnings(tmp_path: Path):
    output = tmp_path / "schema.yaml"
    errors = StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(output), stderr=errors
    )
    assert errors.getvalue() == ""
    assert yaml.safe_load(output.read_text())["paths"]


def test_every_operation_has_a_summary_tags_and_documented_errors(schema):
    problems = []
    for method, path, operation in operations(schema):
        name = f"{method} {path}"
        if not operation.get("summary"):
            problems.append(f"{name}: no summary")
        if not operation.get("tags"):
            problems.append(f"{name}: no tags")
        missing = COMMON_ERRORS - set(operation["responses"])
        if missing:
            problems.append(f"{name}: errors {sorted(missing)} not documented")
        if "requestBody" in operation and "415" not in operation["responses"]:
            problems.append(f"{name}: 415 not documented")
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                content = response.get("content", {}).get("application/json", {})
                if content.get("schema") != {"$ref": "#/components/schemas/Error"}:
                    problems.append(f"{name}: {status} is not the Error shape")
    assert problems == []


def test_every_operation_declares_its_authentication(schema):
    """Token or session for everything (public reads: optionally), except creating a token,
    which is how one gets a token."""
    schemes = set(schema["components"]["securitySchemes"])
    assert {"tokenAuth", "cookieAuth"} <= schemes
    for method, path, operation in operations(schema):
        security = operation.get("security", [])
        if (method, path) == ("POST", "/api/v1/auth/token/"):
            assert security == [], "creating a token needs no credentials"
            continue
        assert {"tokenAuth": []} in security, f"{method} {path}: {security}"
        assert {"cookieAuth": []} in security, f"{method} {path}: {security}"


def test_public_reads_document_credentials_as_optional(schema):
    artists = schema["paths"]["/api/v1/artists/"]["get"]
    assert {} in artists["security"]
    bookings = schema["paths"]["/api/v1/bookings/"]["get"]
    assert {} not in bookings["security"]


def test_the_token_scheme_is_documented_as_a_header(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert token["type"] == "apiKey"
    assert token["in"] == "header"
    assert token["name"] == "Authorization"


def test_the_error_shape_is_a_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "code", "fields"]


def test_the_docs_page_answers_and_loads_no_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    # Every script is a file from this site (Swagger UI from the sidecar package, its set-up
    # script from the view), so ``script-src 'self'`` allows them without a nonce.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    for attributes, body in scripts:
        assert body.strip() == "", f"inline script: {body[:80]}"
        source = re.search(r'src="([^"]+)"', attributes)
        assert source
        assert source.group(1).startswith("/"), source.group(1)
    assert "<style" not in html
    assert " style=" not in html
    for stylesheet in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert stylesheet.startswith("/"), stylesheet


def test_the_docs_set_up_script_is_served_as_javascript(client):
    page = client.get("/api/docs/").content.decode()
    script_url = next(
        url.replace("&amp;", "&")
        for url in re.findall(r'<script[^>]+src="([^"]+)"', page)
        if "script" in url.split("?")[-1]
    )
    response = client.get(script_url)
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert "/api/schema/" in response.content.decode()


def test_path_level_keys_are_left_alone_by_the_error_hook():
    result = add_error_responses(
        {"paths": {"/api/v1/x/": {"parameters": [], "get": {"responses": {}}}}}
    )
    assert result["paths"]["/api/v1/x/"]["parameters"] == []
    assert set(result["paths"]["/api/v1/x/"]["get"]["responses"]) == COMMON_ERRORS
