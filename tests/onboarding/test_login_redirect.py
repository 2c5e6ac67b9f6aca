"""Where log-in leads (mylabel.accounts.adapters): members without a profile to onboarding,
everyone else to LOGIN_REDIRECT_URL."""

import pytest

from mylabel.accounts.adapters import has_a_profile
from tests.accounts.helpers import link_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


def log_in(client, user, url=LOGIN_URL):
    return client.post(url, {"login": user.email, "password": DEFAULT_PASSWORD})


def test_a_member_without_a_profile_goes_to_onboarding(client, newcomer):
    response = log_in(client, newcomer)
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"


def test_an_artist_goes_home(client, newcomer, give_artist_profile):
    give_artist_profile(newcomer)
    assert log_in(client, newcomer)["Location"] == "/"


def test_a_professional_goes_home(client, newcomer, give_professional_profile):
    give_professional_profile(newcomer)
    assert log_in(client, newcomer)["Location"] == "/"


def test_a_label_admin_without_a_profile_goes_home(client):
    admin = UserFactory(email="boss@example.com", label_admin=True)
    assert log_in(client, admin)["Location"] == "/"


def test_an_explicit_next_url_wins_over_onboarding(client, newcomer):
    response = log_in(client, newcomer, url=f"{LOGIN_URL}?next=/associates/")
    assert response["Location"] == "/associates/"


def test_has_a_profile_asks_one_query(newcomer, give_artist_profile, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert not has_a_profile(newcomer)
    give_artist_profile(newcomer)
    with django_assert_num_queries(1):
        assert has_a_profile(newcomer)


def test_sign_up_verify_and_log_in_lands_on_onboarding(client, mailoutbox):
    password = "velvet-tape-echo-1979"
    client.post(
        "/accounts/signup/",
        {
            "email": "fresh@example.com",
            "display_name": "Fresh Face",
            "password1": password,
            "password2": password,
        },
    )
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))

    response = client.post(LOGIN_URL, {"login": "fresh@example.com", "password": password})
    assert response["Location"] == "/welcome/"
    page = client.get("/welcome/")
    assert b"Welcome, Fresh Face" in page.content
