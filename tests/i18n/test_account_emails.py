"""allauth's e-mails in the recipient's language (issue 11 point 2): the account's language for
an existing member, whatever the requesting browser speaks; a new member starts in the language
they signed up in."""

import pytest

from mylabel.accounts.models import User
from tests.accounts.test_signup import SIGNUP_URL, STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_password_reset_mail_is_in_the_accounts_language(client, artist, outsider, mailoutbox):
    outsider.language = "it"
    outsider.save(update_fields=["language"])
    english_browser = {"accept-language": "en"}

    client.post("/accounts/password/reset/", {"email": artist.email}, headers=english_browser)
    client.post("/accounts/password/reset/", {"email": outsider.email}, headers=english_browser)

    to_artist, to_outsider = mailoutbox
    assert to_artist.to == [artist.email]
    assert "Password Reset" in to_artist.subject
    assert to_outsider.to == [outsider.email]
    assert "Password Reset" not in to_outsider.subject
    assert "password" in to_outsider.body.lower()  # "password" is Italian too
    assert "You're receiving this e-mail" not in to_outsider.body
    assert to_outsider.body != to_artist.body.replace(artist.email, outsider.email)


@pytest.mark.parametrize(("browser", "language"), [("it-IT,it;q=0.9", "it"), ("en-GB", "en")])
def test_a_new_account_starts_in_the_language_it_signed_up_in(
    client, mailoutbox, browser, language
):
    client.post(
        SIGNUP_URL,
        {
            "email": "newcomer@example.com",
            "display_name": "New Comer",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
        headers={"accept-language": browser},
    )

    assert User.objects.get(email="newcomer@example.com").language == language
    (mail,) = mailoutbox
    assert ("Please Confirm Your Email Address" in mail.subject) == (language == "en")
