"""API tokens, on their own page linked from account settings (issue 7 §1): listed, created
with the key shown once, revoked; as plain POSTs and with htmx."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone

from mylabel.api.models import ApiToken, digest
from mylabel.api.services import create_api_token

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/account/api-tokens/"
CREATE_URL = SETTINGS_URL
HTMX = {"HX-Request": "true"}


def revoke_url(token: ApiToken) -> str:
    return f"/account/api-tokens/{token.pk}/revoke/"


def test_the_settings_page_lists_the_users_tokens_and_no_one_elses(
    artist_client, artist, associate
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        used, _key = create_api_token(user=artist, name="Release script")
        ApiToken.objects.filter(pk=used.pk).update(last_used_at=now)
        create_api_token(user=artist, name="Phone app")
        theirs, _key = create_api_token(user=associate, name="Marco's sync")
        response = artist_client.get(SETTINGS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="api-tokens"' in html
    assert "Release script" in html
    assert f"{used.key_hint}…" in html
    assert "Phone app" in html
    assert "never used" in html
    assert "Marco&#x27;s sync" not in html
    assert theirs.key_hint not in html
    # Newest first, each with a revoke button that works without JavaScript.
    assert html.index("Phone app") < html.index("Release script")
    assert f'action="{revoke_url(used)}"' in html
    # No key is ever on the page after it was shown once.
    assert 'id="new-api-token"' not in html


def test_an_expired_token_is_shown_as_expired(artist_client, artist):
    token, _key = create_api_token(user=artist, name="Old script")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = artist_client.get(SETTINGS_URL)
    assert "Old script" in response.content.decode()
    assert "expired" in response.content.decode()


def test_the_token_list_costs_one_query_however_many_tokens(
    artist_client, artist, django_assert_num_queries
):
    create_api_token(user=artist, name="one")
    artist_client.get(SETTINGS_URL)  # caches the permissions the navigation reads
    # Session, user, the bell's unread count, and the tokens: one query for them all.
    with django_assert_num_queries(4):
        artist_client.get(SETTINGS_URL)
    for number in range(19):
        create_api_token(user=artist, name=f"script {number}")
    with django_assert_num_queries(4):
        response = artist_client.get(SETTINGS_URL)
    assert response.content.decode().count('<li id="api-token-') == 20


def test_creating_a_token_shows_its_key_once_and_stores_only_the_digest(artist_client, artist):
    response = artist_client.post(CREATE_URL, {"name": "  Release   script "})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=artist)
    assert token.name == "Release script"
    key = response.context["new_key"]
    assert token.key_digest == digest(key)
    html = response.content.decode()
    assert f'value="{key}"' in html
    assert "shown only this once" in html
    # Not kept anywhere the next page could show it again.
    assert key not in str(dict(artist_client.session))
    assert all(key not in str(message) for message in get_messages(response.wsgi_request))
    again = artist_client.get(SETTINGS_URL)
    assert key not in again.content.decode()
    assert "Release script" in again.content.decode()


def test_creating_a_token_with_htmx_swaps_only_the_section(artist_client, artist):
    response = artist_client.post(CREATE_URL, {"name": "Phone app"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="api-tokens"')
    assert "<html" not in html
    token = ApiToken.objects.get(user=artist)
    assert token.key_digest == digest(response.context["new_key"])
    assert f'value="{response.context["new_key"]}"' in html


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "This field is required."), ("x" * 81, "at most 80 characters")],
    ids=["blank", "too-long"],
)
def test_a_token_without_a_good_name_is_refused(artist_client, artist, name, message):
    response = artist_client.post(CREATE_URL, {"name": name}, headers=HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not response.context["new_key"]


def test_a_twenty_first_token_is_refused_with_the_reason(artist_client, artist):
    for number in range(20):
        create_api_token(user=artist, name=f"script {number}")
    response = artist_client.post(CREATE_URL, {"name": "One more"})
    assert response.status_code == 200
    assert "You already have 20 tokens" in response.content.decode()
    assert ApiToken.objects.filter(user=artist).count() == 20
    # The rest of the page is still there around the refusal.
    assert "<h1>API tokens</h1>" in response.content.decode()


def test_revoking_a_token_without_javascript_redirects_back_to_the_section(artist_client, artist):
    token, _key = create_api_token(user=artist, name="Phone app")
    kept, _key = create_api_token(user=artist, name="Laptop")
    response = artist_client.post(revoke_url(token))
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    assert list(ApiToken.objects.filter(user=artist)) == [kept]
    page = artist_client.get(response["Location"])
    assert "The token “Phone app” is revoked." in page.content.decode()


def test_revoking_with_htmx_returns_the_section_without_the_token(artist_client, artist):
    token, _key = create_api_token(user=artist, name="Phone app")
    response = artist_client.post(revoke_url(token), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="api-tokens"')
    assert "Phone app" not in html.split("hx-swap-oob")[0]
    assert "You have no tokens." in html
    assert "The token “Phone app” is revoked." in html  # as a toast
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked(artist_client, associate):
    theirs, _key = create_api_token(user=associate, name="Marco's sync")
    response = artist_client.post(revoke_url(theirs))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoking_a_token_that_does_not_exist_is_404(artist_client):
    response = artist_client.post("/account/api-tokens/999999/revoke/")
    assert response.status_code == 404


def test_revoking_is_post_only(artist_client, artist):
    token, _key = create_api_token(user=artist, name="Phone app")
    assert artist_client.get(revoke_url(token)).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", SETTINGS_URL), ("post", CREATE_URL), ("post", "/account/api-tokens/1/revoke/")],
)
def test_the_token_page_and_actions_need_a_log_in(client, method, url):
    response = getattr(client, method)(url, {"name": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ApiToken.objects.exists()


def test_a_token_made_in_settings_works_in_the_api(artist_client, artist):
    key = artist_client.post(CREATE_URL, {"name": "Script"}).context["new_key"]
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.delete("/api/v1/auth/token/").status_code == 204
    assert not ApiToken.objects.exists()
