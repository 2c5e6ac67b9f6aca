"""Log-in, log-out, password reset and password change (issue 2 §5)."""

import pytest

from tests.accounts.helpers import is_logged_in, link_in
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
NEW_PASSWORD = "bass-drum-reverb-2024"


def test_log_in_with_the_right_password_signs_in(client, artist):
    response = client.post(LOGIN_URL, {"login": artist.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == artist.pk


def test_log_in_follows_a_safe_next_url(client, artist):
    response = client.post(
        f"{LOGIN_URL}?next=/account/settings/",
        {"login": artist.email, "password": DEFAULT_PASSWORD},
    )
    assert response["Location"] == "/account/settings/"


def test_log_in_ignores_an_offsite_next_url(client, artist):
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"login": artist.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert is_logged_in(client)


def test_log_in_ignores_the_case_of_the_email(client, artist):
    client.post(LOGIN_URL, {"login": artist.email.upper(), "password": DEFAULT_PASSWORD})
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("login", "password"),
    [("nina@example.com", "wrong-password"), ("nobody@example.com", DEFAULT_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_wrong_log_in_shows_an_error_and_does_not_sign_in(client, artist, login, password):
    response = client.post(LOGIN_URL, {"login": login, "password": password})
    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in response.content
    assert b'role="alert"' in response.content
    assert not is_logged_in(client)


def test_inactive_account_cannot_log_in(client, artist):
    artist.is_active = False
    artist.save()
    response = client.post(
        LOGIN_URL, {"login": artist.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/accounts/inactive/", 302)]
    assert not is_logged_in(client)


def test_log_out_is_a_post_that_ends_the_session(client, artist):
    client.force_login(artist)

    # A GET (say, a prefetched link) only asks for confirmation.
    confirm_page = client.get("/accounts/logout/")
    assert confirm_page.status_code == 200
    assert is_logged_in(client)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert client.get("/account/settings/").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, artist, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": artist.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [artist.email]

    # The link stores its key in the session and redirects to a key-less URL.
    key_page = client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"), follow=True)
    assert key_page.status_code == 200
    set_password_url = key_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    artist.refresh_from_db()
    assert artist.check_password(NEW_PASSWORD)
    assert not artist.check_password(DEFAULT_PASSWORD)


def test_password_reset_link_works_only_once(client, artist, mailoutbox):
    client.post("/accounts/password/reset/", {"email": artist.email})
    link = link_in(mailoutbox[0], "/accounts/password/reset/key/")
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)
    assert b"Bad Token" in again.content or b"invalid" in again.content


def test_password_reset_for_an_unknown_address_says_so_and_sends_nothing(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mailoutbox == []


def test_password_change_needs_the_old_password_and_keeps_you_signed_in(client, artist):
    client.force_login(artist)

    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert b"Please type your current password." in wrong.content
    artist.refresh_from_db()
    assert artist.check_password(DEFAULT_PASSWORD)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.check_password(NEW_PASSWORD)
    assert is_logged_in(client)


def test_password_change_refuses_a_weak_password(client, artist):
    client.force_login(artist)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert b"This password is entirely numeric." in response.content
    artist.refresh_from_db()
    assert artist.check_password(DEFAULT_PASSWORD)
