from django.test import Client, override_settings
from django.urls import path
from django.utils import translation


def explode(request):
    raise RuntimeError("boom")


urlpatterns = [path("explode/", explode)]


def test_unknown_page_gets_the_sites_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"couldn\xe2\x80\x99t find that page" in response.content
    assert b'class="site-header"' in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_gets_a_standalone_500_page_without_leaking_details(db):
    response = Client(raise_request_exception=False).get("/explode/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"boom" not in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_speaks_the_visitors_language(db):
    response = Client(raise_request_exception=False).get(
        "/explode/", headers={"accept-language": "it"}
    )

    assert response.status_code == 500
    assert b'<html lang="it">' in response.content
    with translation.override("it"):
        assert translation.gettext("Something went wrong on our side").encode() in response.content


def test_the_404_page_speaks_the_visitors_language(client, db):
    response = client.get("/no-such-page/", headers={"accept-language": "it"})

    assert response.status_code == 404
    assert b'<html lang="it">' in response.content
    assert "couldn\u2019t find that page".encode() not in response.content
