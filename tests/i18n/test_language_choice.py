"""Which language a page speaks (issue 11 point 1): the account's setting, else the browser's
Accept-Language, else English; the visitors' switch; and bad input falling back to English."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.associates.test_services import make_service

pytestmark = pytest.mark.django_db

ENGLISH_NAV = "Find professionals"


def italian(text: str) -> str:
    """The catalogue's Italian for ``text``; asserts there is one, so the checks below cannot
    pass on an untranslated page."""
    with translation.override("it"):
        translated = translation.gettext(text)
    assert translated != text, f"no Italian for {text!r}"
    return translated


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


@pytest.mark.parametrize(
    "header", ["it-IT,it;q=0.9,en;q=0.8", "it", "de-DE,it;q=0.5", "IT-it"], ids=str
)
def test_visitors_get_the_language_their_browser_asks_for(client, header):
    response = client.get("/", headers={"accept-language": header})
    assert page_language(response) == "it"
    assert italian(ENGLISH_NAV) in response.content.decode()
    assert response.headers["Content-Language"] == "it"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    "header",
    [
        "",
        "*",
        "de-DE,fr;q=0.8",
        "xx-YY",
        ";;;,,,",
        "it;q=abc",
        "it;q=1.5;;",
        "en;q=0.1, it;q=-3",
        "a" * 500,
        "it-" + "x" * 300,
        "\u00e8\u00e8-\u00e8\u00e8",
    ],
    ids=repr,
)
def test_an_unknown_or_malformed_accept_language_falls_back_to_english(client, header):
    response = client.get("/", headers={"accept-language": header})
    assert response.status_code == 200
    assert page_language(response) == "en"
    assert ENGLISH_NAV in response.content.decode()


def test_the_switch_in_the_navigation_sets_the_visitors_language(client):
    home = client.get("/", headers={"accept-language": "en"}).content.decode()
    nav = home[home.index('<nav class="site-nav__links"') : home.index("</nav>")]
    assert f'action="{reverse("set_language")}"' in nav
    # One button per other language, named in that language.
    assert 'name="language" value="it" lang="it"' in nav
    assert ">Italiano</button>" in nav

    response = client.post(reverse("set_language"), {"language": "it", "next": "/artists/"})
    assert response.status_code == 302
    assert response["Location"] == "/artists/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    # The choice beats the browser's header from now on.
    page = client.get("/", headers={"accept-language": "en"})
    assert page_language(page) == "it"


@pytest.mark.parametrize("code", ["xx", "", "it-IT-<script>", "../../etc"], ids=repr)
def test_an_unknown_language_code_changes_nothing(client, code):
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_language(client.get("/")) == "en"


def test_a_forged_language_cookie_falls_back_to_the_browser_then_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zz"
    assert page_language(client.get("/")) == "en"
    assert page_language(client.get("/", headers={"accept-language": "it"})) == "it"


def test_members_are_sent_to_their_setting_instead_of_the_switch(artist_client):
    page = artist_client.get("/", headers={"accept-language": "en"}).content.decode()
    assert f'action="{reverse("set_language")}"' not in page
    assert f'href="{reverse("account_settings")}">Language: English' in page


def test_the_accounts_setting_beats_the_browser(artist_client, artist):
    artist.language = "it"
    artist.save(update_fields=["language"])
    response = artist_client.get("/", headers={"accept-language": "en-GB,en"})
    assert page_language(response) == "it"
    assert italian(ENGLISH_NAV) in response.content.decode()


def test_urls_are_the_same_in_both_languages(client):
    english = client.get("/artists/", headers={"accept-language": "en"})
    italian_page = client.get("/artists/", headers={"accept-language": "it"})
    assert english.status_code == italian_page.status_code == 200
    assert page_language(italian_page) == "it"


def test_prices_are_written_the_italian_way(client, marco):
    make_service(marco, price=Decimal("1234.50"), currency="EUR", name="Album mix")

    page = client.get(marco.get_absolute_url(), headers={"accept-language": "it"}).content
    assert "1.234,50\u00a0€".encode() in page
    english = client.get(marco.get_absolute_url(), headers={"accept-language": "en"}).content
    assert "€1,234.50".encode() in english


def test_api_errors_speak_the_clients_language(client):
    english = client.get("/api/v1/me/", headers={"accept-language": "en"}).json()
    translated = client.get("/api/v1/me/", headers={"accept-language": "it"}).json()
    assert english["code"] == translated["code"] == "not_authenticated"
    assert translated["detail"] != english["detail"]
    with translation.override("it"):
        assert translated["detail"] == translation.gettext(english["detail"])
