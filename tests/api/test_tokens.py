"""POST/DELETE /api/v1/auth/token/ and the token authentication every endpoint uses (issue 7 §1,
"Bad input": expired or revoked tokens)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import include, path
from django.utils import timezone
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.api.models import KEY_PREFIX, ApiToken, digest
from mylabel.api.services import create_api_token, expired_tokens_deleted
from tests.api.helpers import assert_error
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@api_view(["GET"])
def whoami(request: Request) -> Response:
    """An endpoint that needs a signed-in user, for the authentication tests below."""
    assert isinstance(request.user, User)
    return Response({"email": request.user.email})


# ``@pytest.mark.urls(__name__)``: the API plus the endpoint above.
urlpatterns = [
    path("api/", include("mylabel.api.urls")),
    path("api/test/whoami/", whoami),
]
with_whoami = pytest.mark.urls(__name__)


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- Creating -----------------------------------------------------------------------------------


def test_a_token_is_created_for_the_right_password_and_its_key_is_shown_once(
    api_client, artist, settings
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        response = api_client.post(
            TOKEN_URL,
            {"email": "nina@example.com", "password": DEFAULT_PASSWORD, "name": "My script"},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"token", "name", "expires_at"}
    assert body["token"].startswith(KEY_PREFIX)
    assert body["name"] == "My script"
    token = ApiToken.objects.get(user=artist)
    # Only the digest is stored: the key itself is nowhere in the row.
    assert token.key_digest == digest(body["token"])
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert body["token"] not in stored
    assert token.key_hint == body["token"][:8]
    assert token.created_at == now
    assert token.expires_at == now + timedelta(days=settings.API_TOKEN_TTL_DAYS)


def test_the_e_mail_address_is_matched_whatever_its_case_and_the_name_defaults(api_client, artist):
    response = api_client.post(
        TOKEN_URL, {"email": "NINA@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "API"


def test_the_new_token_authenticates(api_client, artist):
    key = api_client.post(
        TOKEN_URL, {"email": "nina@example.com", "password": DEFAULT_PASSWORD}
    ).json()["token"]
    response = token_client(key).delete(TOKEN_URL)
    assert response.status_code == 204


def test_a_wrong_password_is_refused_and_no_token_is_made(api_client, artist):
    response = api_client.post(TOKEN_URL, {"email": "nina@example.com", "password": "nope"})
    body = assert_error(response, 400, code="invalid_credentials", fields=[])
    assert body["detail"] == "The e-mail address or the password is wrong."
    assert not ApiToken.objects.exists()


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(api_client, artist):
    wrong_password = api_client.post(TOKEN_URL, {"email": "nina@example.com", "password": "x"})
    unknown = api_client.post(TOKEN_URL, {"email": "nobody@example.com", "password": "x"})
    assert unknown.status_code == wrong_password.status_code == 400
    assert unknown.json() == wrong_password.json()


def test_an_unverified_address_gets_no_token(api_client):
    UserFactory.create(email="fresh@example.com", verified=False)
    response = api_client.post(
        TOKEN_URL, {"email": "fresh@example.com", "password": DEFAULT_PASSWORD}
    )
    assert_error(response, 400, code="email_unverified")
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(api_client):
    UserFactory.create(email="gone@example.com", is_active=False)
    response = api_client.post(
        TOKEN_URL, {"email": "gone@example.com", "password": DEFAULT_PASSWORD}
    )
    assert_error(response, 400, code="invalid_credentials")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"password": DEFAULT_PASSWORD}, ["email"]),
        ({"email": "nina@example.com"}, ["password"]),
        ({}, ["email", "password"]),
        ({"email": "not an address", "password": DEFAULT_PASSWORD}, ["email"]),
        ({"email": "nina@example.com", "password": DEFAULT_PASSWORD, "scope": "all"}, ["scope"]),
        ({"email": "nina@example.com", "password": DEFAULT_PASSWORD, "name": "x" * 81}, ["name"]),
        ({"email": "nina@example.com", "password": DEFAULT_PASSWORD, "name": "   "}, ["name"]),
        ({"email": ["nina@example.com"], "password": DEFAULT_PASSWORD}, ["email"]),
        ({"email": "nina@example.com", "password": {"a": 1}}, ["password"]),
    ],
    ids=[
        "no-email",
        "no-password",
        "nothing",
        "bad-email",
        "unknown-field",
        "long-name",
        "blank-name",
        "email-list",
        "password-object",
    ],
)
def test_missing_wrong_and_extra_fields_are_refused_by_name(api_client, artist, payload, fields):
    response = api_client.post(TOKEN_URL, payload)
    assert_error(response, 400, fields=fields)
    assert not ApiToken.objects.exists()


def test_a_json_body_that_is_not_an_object_is_refused(api_client, artist):
    response = api_client.post(TOKEN_URL, ["nina@example.com"])
    assert_error(response, 400)
    assert not ApiToken.objects.exists()


def test_a_user_with_too_many_tokens_must_revoke_one_first(api_client, artist):
    for number in range(20):
        create_api_token(user=artist, name=f"script {number}")
    response = api_client.post(
        TOKEN_URL, {"email": "nina@example.com", "password": DEFAULT_PASSWORD}
    )
    assert_error(response, 400, code="too_many_tokens", fields=[])
    assert ApiToken.objects.filter(user=artist).count() == 20


# --- Revoking -----------------------------------------------------------------------------------


def test_delete_revokes_the_token_sent_and_only_that_one(artist):
    _kept, kept_key = create_api_token(user=artist, name="phone")
    revoked, key = create_api_token(user=artist, name="laptop")
    response = token_client(key).delete(TOKEN_URL)
    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=revoked.pk).exists()
    assert ApiToken.objects.filter(user=artist).count() == 1
    assert token_client(kept_key).delete(TOKEN_URL).status_code == 204


def test_delete_without_a_token_is_401_and_revokes_nothing(api_client, artist):
    create_api_token(user=artist, name="phone")
    response = api_client.delete(TOKEN_URL)
    assert_error(response, 401, code="not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    assert ApiToken.objects.count() == 1


def test_delete_with_a_session_only_is_401(artist_client, artist):
    """A browser session has no token to revoke (account settings does that)."""
    create_api_token(user=artist, name="phone")
    response = artist_client.delete(TOKEN_URL)
    assert_error(response, 401, code="not_authenticated")
    assert ApiToken.objects.count() == 1


def test_a_revoked_token_no_longer_authenticates(artist):
    _token, key = create_api_token(user=artist, name="phone")
    client = token_client(key)
    assert client.delete(TOKEN_URL).status_code == 204
    response = client.delete(TOKEN_URL)
    assert_error(response, 401, code="invalid_token")


# --- Authenticating -----------------------------------------------------------------------------


@with_whoami
def test_a_valid_token_authenticates_its_user(artist):
    _token, key = create_api_token(user=artist, name="phone")
    response = token_client(key).get("/api/test/whoami/")
    assert response.status_code == 200
    assert response.json() == {"email": "nina@example.com"}


@with_whoami
@pytest.mark.parametrize(
    "header",
    ["Token mlt_not-a-real-key", "Token", "Token two words", "Bearer abc"],
    ids=["unknown-key", "no-key", "spaces", "other-scheme"],
)
def test_a_bad_or_missing_token_is_401_in_the_error_shape(api_client, artist, header):
    response = api_client.get("/api/test/whoami/", HTTP_AUTHORIZATION=header)
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == "Token"


@with_whoami
def test_an_expired_token_is_401_token_expired(artist, settings):
    token, key = create_api_token(user=artist, name="phone")
    with time_machine.travel(token.created_at + timedelta(days=settings.API_TOKEN_TTL_DAYS + 1)):
        response = token_client(key).get("/api/test/whoami/")
    body = assert_error(response, 401, code="token_expired")
    assert "account settings" in body["detail"]


@with_whoami
def test_a_token_is_still_good_just_before_it_expires(artist):
    token, key = create_api_token(user=artist, name="phone")
    with time_machine.travel(token.expires_at - timedelta(seconds=1)):
        response = token_client(key).get("/api/test/whoami/")
    assert response.status_code == 200


@with_whoami
def test_the_token_of_an_inactive_user_is_refused(artist):
    _token, key = create_api_token(user=artist, name="phone")
    User.objects.filter(pk=artist.pk).update(is_active=False)
    response = token_client(key).get("/api/test/whoami/")
    assert_error(response, 401, code="inactive_account")


@with_whoami
def test_last_used_is_recorded_at_most_once_a_minute(artist, django_assert_num_queries):
    token, key = create_api_token(user=artist, name="phone")
    assert token.last_used_at is None
    client = token_client(key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        # The token (with its user) and the update of last_used_at.
        with django_assert_num_queries(2):
            client.get("/api/test/whoami/")
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        # Within the minute: the lookup only, no write.
        with django_assert_num_queries(1):
            client.get("/api/test/whoami/")
        token.refresh_from_db()
        assert token.last_used_at == start
    later = start + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        with django_assert_num_queries(2):
            client.get("/api/test/whoami/")
        token.refresh_from_db()
        assert token.last_used_at == later


# --- Throttling the password checks --------------------------------------------------------------
# The token endpoint also counts towards the log-in lockout (5 failures per account and per
# address, tests/security/test_rate_limits.py); these tests lift it to see the throttle alone.


@pytest.fixture
def _no_login_lockout(settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/30m/ip,100/30m/key"}


@pytest.mark.usefixtures("_no_login_lockout")
def test_the_eleventh_token_request_in_a_minute_is_429_with_retry_after(api_client, artist):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(10):
            response = api_client.post(TOKEN_URL, {"email": "nina@example.com", "password": "x"})
            assert response.status_code == 400
        response = api_client.post(
            TOKEN_URL, {"email": "nina@example.com", "password": DEFAULT_PASSWORD}
        )
    assert_error(response, 429, code="throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert not ApiToken.objects.exists()
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        response = api_client.post(
            TOKEN_URL, {"email": "nina@example.com", "password": DEFAULT_PASSWORD}
        )
    assert response.status_code == 201


@pytest.mark.usefixtures("_no_login_lockout")
def test_a_session_does_not_lift_the_token_throttle(artist_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(10):
            artist_client.post(
                TOKEN_URL,
                {"email": "nina@example.com", "password": "x"},
                content_type="application/json",
            )
        response = artist_client.post(
            TOKEN_URL,
            {"email": "nina@example.com", "password": "x"},
            content_type="application/json",
        )
    assert_error(response, 429, code="throttled")


@pytest.mark.usefixtures("_no_login_lockout")
def test_the_token_throttle_counts_each_ip_apart(api_client, artist):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(10):
            api_client.post(
                TOKEN_URL, {"email": "nina@example.com", "password": "x"}, REMOTE_ADDR="10.0.0.1"
            )
        blocked = api_client.post(
            TOKEN_URL, {"email": "nina@example.com", "password": "x"}, REMOTE_ADDR="10.0.0.1"
        )
        other = api_client.post(
            TOKEN_URL, {"email": "nina@example.com", "password": "x"}, REMOTE_ADDR="10.0.0.2"
        )
    assert blocked.status_code == 429
    assert other.status_code == 400


# --- The service and the cleanup ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [("  \t ", "Give the token a name"), ("x" * 81, "Keep the name under 80 characters.")],
    ids=["blank", "too-long"],
)
def test_the_service_refuses_a_blank_or_long_name(artist, name, message):
    with pytest.raises(ValidationError) as refused:
        create_api_token(user=artist, name=name)
    assert message in refused.value.message_dict["name"][0]
    assert not ApiToken.objects.exists()


def test_a_token_reads_as_its_name_and_hint(artist):
    token, key = create_api_token(user=artist, name="Phone app")
    assert str(token) == f"Phone app ({key[:8]}…)"


def test_the_cleanup_deletes_expired_tokens_only(artist):
    old, _key = create_api_token(user=artist, name="old")
    create_api_token(user=artist, name="current")
    with time_machine.travel(old.created_at + timedelta(days=10)):
        create_api_token(user=artist, name="newer")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expired_tokens_deleted() == 1
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["current", "newer"]
