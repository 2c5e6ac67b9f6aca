"""Sign-up and e-mail verification (issue 2 §5 and "Bad input")."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from mylabel.accounts.models import User
from tests.accounts.helpers import is_logged_in, link_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
STRONG_PASSWORD = "velvet-tape-echo-1979"


def sign_up(client, **overrides):
    data = {
        "email": "newcomer@example.com",
        "display_name": "New Comer",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return client.post(SIGNUP_URL, data)


def test_sign_up_creates_an_unverified_user_and_mails_a_verification_link(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="newcomer@example.com")
    assert user.display_name == "New Comer"
    assert user.check_password(STRONG_PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    assert not is_logged_in(client)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["newcomer@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_sign_up_stores_the_email_in_lower_case(client):
    sign_up(client, email="NewComer@Example.COM")
    assert User.objects.filter(email="newcomer@example.com").exists()


def test_verification_link_confirms_the_address_on_post(client, mailoutbox):
    # The key is signed with a timestamp: time stands still so the page's key (signed again
    # when it renders) is the e-mail's, whatever second the test runs in.
    with time_machine.travel(timezone.now(), tick=False):
        sign_up(client)
        link = link_in(mailoutbox[0], "/accounts/confirm-email/")

        # Opening the link (mail scanners do) changes nothing; the button on the page confirms.
        page = client.get(link)
    assert page.status_code == 200
    assert b"newcomer@example.com" in page.content
    assert f'action="{link}"'.encode() in page.content
    assert not EmailAddress.objects.get(email="newcomer@example.com").verified

    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="newcomer@example.com").verified


def test_log_in_works_after_verification(client, mailoutbox):
    sign_up(client)
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))

    response = client.post(
        "/accounts/login/", {"login": "newcomer@example.com", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 302
    assert is_logged_in(client)


def test_log_in_before_verification_is_sent_to_the_verify_page(client, mailoutbox):
    sign_up(client)

    response = client.post(
        "/accounts/login/",
        {"login": "newcomer@example.com", "password": STRONG_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/confirm-email/"
    assert b"Verify Your Email Address" in response.content
    assert not is_logged_in(client)


def test_expired_verification_link_says_so_and_verifies_nothing(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")
    expiry = dt.timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS, hours=1)

    with time_machine.travel(timezone.now() + expiry):
        page = client.get(link)
        response = client.post(link)

    assert page.status_code == 200
    assert b"expired or is invalid" in page.content
    assert f'action="{link}"'.encode() not in page.content
    # The page offers no button; a stale form posted anyway finds nothing to confirm.
    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="newcomer@example.com").verified


def test_tampered_verification_link_verifies_nothing(client, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    tampered = link.rstrip("/") + "x/"
    assert b"expired or is invalid" in client.get(tampered).content
    assert client.post(tampered).status_code == 404
    assert not EmailAddress.objects.get(email="newcomer@example.com").verified


def test_taken_email_is_refused_on_the_form_and_creates_nothing(client, mailoutbox):
    owner = UserFactory.create(email="taken@example.com")

    response = sign_up(client, email="Taken@example.com")

    assert response.status_code == 200
    assert "already registered" in response.context["form"].errors["email"][0]
    assert User.objects.filter(email__iexact="taken@example.com").get() == owner
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common.",
        ),
        (
            {"password1": "12345678", "password2": "12345678"},
            "password1",
            "This password is entirely numeric.",
        ),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        (
            {"password2": "velvet-tape-echo-1980"},
            "password2",
            "You must type the same password each time.",
        ),
        ({"display_name": "x" * 81}, "display_name", "at most 80 characters"),
    ],
    ids=[
        "malformed-email",
        "missing-email",
        "common-password",
        "numeric-password",
        "short-password",
        "mismatched-passwords",
        "long-name",
    ],
)
def test_bad_sign_up_shows_a_clear_message_and_creates_nothing(
    client, mailoutbox, overrides, field, message
):
    response = sign_up(client, **overrides)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message.encode() in response.content
    assert b'class="errorlist"' in response.content
    assert not User.objects.exists()
    assert mailoutbox == []
