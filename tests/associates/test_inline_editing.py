"""The professional edits each section of their page in place, or with plain POST + redirect."""

from typing import Any

import pytest
from django.test import Client

from mylabel.associates.models import Associate, Profession
from tests.htmx import HTMX
from tests.profile_factories import AssociateFactory, genres

pytestmark = pytest.mark.django_db

SECTIONS = ["about", "details", "links", "professions"]


def edit_url(associate: Associate, section: str) -> str:
    return f"/associates/{associate.slug}/edit/{section}/"


def valid_data(section: str) -> dict[str, Any]:
    data: dict[str, dict[str, Any]] = {
        "about": {
            "display_name": "Marco Riva Studio",
            "headline": "Mastering for vinyl and streaming",
            "bio": "Analogue chain.\nFast turnaround.",
            "slug": "marco-riva",
        },
        "details": {
            "city": "Torino",
            "country": "IT",
            "works_remotely": "on",
            "years_experience": "15",
            "languages": ["it", "fr"],
        },
        "links": {"website_url": "https://marcoriva.example"},
        "professions": {
            "professions": [Profession.objects.get(slug="mastering-engineer").pk],
            "genres": [genre.pk for genre in genres(2)],
        },
    }
    return data[section]


@pytest.mark.parametrize("section", SECTIONS)
def test_htmx_edit_returns_only_the_section_with_its_form(
    associate_client: Client, marco: Associate, section: str
) -> None:
    response = associate_client.get(edit_url(marco, section), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="section-{section}"')
    assert "<html" not in html
    assert f'hx-post="{edit_url(marco, section)}"' in html


@pytest.mark.parametrize("section", SECTIONS)
def test_valid_post_saves_and_returns_the_section_in_display_mode(
    associate_client: Client, marco: Associate, section: str
) -> None:
    response = associate_client.post(edit_url(marco, section), valid_data(section), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="section-{section}"')
    assert "<form" not in html
    assert 'hx-swap-oob="beforeend:#toasts"' in html


def test_details_are_saved(associate_client: Client, marco: Associate) -> None:
    response = associate_client.post(
        edit_url(marco, "details"), valid_data("details"), headers=HTMX
    )

    marco.refresh_from_db()
    assert marco.city == "Torino"
    assert marco.works_remotely is True
    assert marco.years_experience == 15
    assert marco.languages == ["it", "fr"]
    html = response.content.decode()
    assert "Italian, French" in html
    assert 'id="profile-header" class="profile-header" hx-swap-oob="true"' in html


def test_about_updates_the_header(associate_client: Client, marco: Associate) -> None:
    response = associate_client.post(edit_url(marco, "about"), valid_data("about"), headers=HTMX)

    html = response.content.decode()
    assert "Mastering for vinyl and streaming" in html
    assert "Analogue chain.<br>Fast turnaround." in html
    marco.refresh_from_db()
    assert marco.display_name == "Marco Riva Studio"
    assert "mastering for vinyl" in marco.search_text


def test_professions_and_genres_are_saved(associate_client: Client, marco: Associate) -> None:
    associate_client.post(edit_url(marco, "professions"), valid_data("professions"), headers=HTMX)

    assert [p.slug for p in marco.professions.all()] == ["mastering-engineer"]
    assert set(marco.genres.all()) == set(genres(2))


def test_at_least_one_profession_is_required(associate_client: Client, marco: Associate) -> None:
    response = associate_client.post(edit_url(marco, "professions"), {}, headers=HTMX)

    assert "Choose at least one profession." in response.content.decode()
    assert marco.professions.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"languages": ["xx"]}, "Select a valid choice."),
        ({"years_experience": "-3"}, "greater than or equal to 0"),
        ({"years_experience": "200"}, "less than or equal to 80"),
        ({"years_experience": "many"}, "Enter a whole number."),
        ({"country": "Atlantis"}, "Select a valid choice."),
    ],
)
def test_invalid_details_show_errors_and_save_nothing(
    associate_client: Client, marco: Associate, changes: dict[str, object], message: str
) -> None:
    response = associate_client.post(
        edit_url(marco, "details"), {**valid_data("details"), **changes}, headers=HTMX
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    marco.refresh_from_db()
    assert marco.city != "Torino"


def test_website_must_be_a_web_link(associate_client: Client, marco: Associate) -> None:
    response = associate_client.post(
        edit_url(marco, "links"), {"website_url": "javascript:alert(1)"}, headers=HTMX
    )

    assert "Enter a valid URL." in response.content.decode()
    marco.refresh_from_db()
    assert marco.website_url == ""


def test_taken_profile_address_is_refused(associate_client: Client, marco: Associate) -> None:
    AssociateFactory.create(slug="taken")

    response = associate_client.post(
        edit_url(marco, "about"), {**valid_data("about"), "slug": "taken"}, headers=HTMX
    )

    assert "This address is already taken. Try another one." in response.content.decode()
    marco.refresh_from_db()
    assert marco.slug == "marco-riva"


def test_new_profile_address_reloads_the_page_there(
    associate_client: Client, marco: Associate
) -> None:
    response = associate_client.post(
        edit_url(marco, "about"), {**valid_data("about"), "slug": "riva-studio"}, headers=HTMX
    )

    assert response.headers["HX-Redirect"] == "/associates/riva-studio/"


def test_valid_post_without_javascript_redirects(
    associate_client: Client, marco: Associate
) -> None:
    response = associate_client.post(edit_url(marco, "links"), valid_data("links"))

    assert response.status_code == 302
    assert response.headers["Location"] == "/associates/marco-riva/#section-links"


def test_invalid_post_without_javascript_renders_the_page_with_errors(
    associate_client: Client, marco: Associate
) -> None:
    response = associate_client.post(
        edit_url(marco, "about"), {**valid_data("about"), "headline": ""}
    )

    html = response.content.decode()
    assert "<html" in html
    assert "This field is required." in html
    assert "Mixing engineer for indie and soul" in html  # the header still shows the saved one


def test_cancel_returns_the_display_section(associate_client: Client, marco: Associate) -> None:
    response = associate_client.get(f"/associates/{marco.slug}/sections/details/", headers=HTMX)

    assert response.content.decode().lstrip().startswith('<section id="section-details"')
    plain = associate_client.get(f"/associates/{marco.slug}/sections/details/")
    assert plain.headers["Location"] == "/associates/marco-riva/#section-details"


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_strangers_get_404(
    stranger_client: Client, marco: Associate, section: str, method: str
) -> None:
    response = getattr(stranger_client, method)(
        edit_url(marco, section), valid_data(section), headers=HTMX
    )

    assert response.status_code == 404
    marco.refresh_from_db()
    assert marco.display_name == "Marco Riva"


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_get_404(
    client: Client, marco: Associate, section: str, method: str
) -> None:
    response = getattr(client, method)(edit_url(marco, section), valid_data(section))

    assert response.status_code == 404
    marco.refresh_from_db()
    assert marco.display_name == "Marco Riva"


def test_an_artist_cannot_edit_a_professional(artist_client: Client, marco: Associate) -> None:
    # Signed in with an artist profile of their own: still not this professional's owner.
    assert artist_client.get(edit_url(marco, "about")).status_code == 404
