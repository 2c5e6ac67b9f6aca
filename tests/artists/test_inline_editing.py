"""The owner edits each section of their artist page in place (htmx) or, without JavaScript,
through the same forms as plain POST + redirect."""

import pytest
from django.test import Client

from mylabel.artists.models import Artist
from tests.htmx import HTMX
from tests.profile_factories import ArtistFactory, ReleaseFactory, genres

pytestmark = pytest.mark.django_db


def edit_url(artist: Artist, section: str) -> str:
    return f"/artists/{artist.slug}/edit/{section}/"


ABOUT = {
    "stage_name": "Nina Vale & the Tides",
    "bio": "New line-up.\nNew record.",
    "city": "Trieste",
    "country": "IT",
    "slug": "nina-vale",
}


@pytest.mark.parametrize("section", ["about", "links", "genres"])
def test_htmx_edit_returns_only_the_section_with_its_form(
    artist_client: Client, nina: Artist, section: str
) -> None:
    response = artist_client.get(edit_url(nina, section), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="section-{section}"')
    assert "<html" not in html
    assert f'hx-post="{edit_url(nina, section)}"' in html
    assert f'hx-target="#section-{section}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="/artists/{nina.slug}/#section-{section}"' in html  # Cancel without JS
    assert f'hx-get="/artists/{nina.slug}/sections/{section}/"' in html  # Cancel with htmx


def test_edit_without_javascript_shows_the_whole_page_with_the_form(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.get(edit_url(nina, "about"))

    html = response.content.decode()
    assert "<html" in html
    assert 'id="section-releases"' in html
    assert f'action="{edit_url(nina, "about")}"' in html
    assert 'value="Nina Vale"' in html


def test_valid_about_saves_and_swaps_back_the_section_header_and_a_toast(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(edit_url(nina, "about"), ABOUT, headers=HTMX)

    assert response.status_code == 200
    nina.refresh_from_db()
    assert nina.stage_name == "Nina Vale & the Tides"
    assert nina.city == "Trieste"
    assert "trieste" in nina.search_text  # saved through the service
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-about"')
    assert "<form" not in html
    assert "New line-up.<br>New record." in html
    assert '<header id="profile-header" class="profile-header" hx-swap-oob="true">' in html
    assert "Nina Vale &amp; the Tides" in html
    assert 'hx-swap-oob="beforeend:#toasts"' in html
    assert "Your profile is saved." in html


def test_invalid_about_shows_errors_in_the_fragment_and_saves_nothing(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(
        edit_url(nina, "about"), {**ABOUT, "stage_name": "", "city": "Elsewhere"}, headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-about"')
    assert "This field is required." in html
    assert 'aria-invalid="true"' in html
    nina.refresh_from_db()
    assert nina.stage_name == "Nina Vale"
    assert nina.city != "Elsewhere"


def test_invalid_post_without_javascript_keeps_the_saved_name_around_the_form(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(edit_url(nina, "about"), {**ABOUT, "stage_name": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert '<h1 class="profile-hero__name" id="profile-name">Nina Vale</h1>' in html


def test_valid_post_without_javascript_redirects_to_the_profile_with_a_message(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(edit_url(nina, "about"), ABOUT, follow=True)

    assert response.redirect_chain == [("/artists/nina-vale/#section-about", 302)]
    assert "Your profile is saved." in response.content.decode()


def test_taken_profile_address_is_refused_clearly(artist_client: Client, nina: Artist) -> None:
    ArtistFactory.create(slug="the-tides")

    response = artist_client.post(
        edit_url(nina, "about"), {**ABOUT, "slug": "the-tides"}, headers=HTMX
    )

    assert "This address is already taken. Try another one." in response.content.decode()
    nina.refresh_from_db()
    assert nina.slug == "nina-vale"


def test_new_profile_address_reloads_the_page_there(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        edit_url(nina, "about"), {**ABOUT, "slug": "Nina-And-The-Tides"}, headers=HTMX
    )

    assert response.headers["HX-Redirect"] == "/artists/nina-and-the-tides/"
    assert artist_client.get("/artists/nina-and-the-tides/").status_code == 200
    assert artist_client.get("/artists/nina-vale/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("instagram_url", "https://evil.example.com/nina", "Enter a Instagram link"),
        ("spotify_url", "javascript:alert(1)", "Enter a valid URL."),
        ("website_url", "javascript:alert(1)//https://example.com", "Enter a valid URL."),
        ("youtube_url", "https://youtube.com.evil.example/x", "Enter a YouTube link"),
    ],
)
def test_links_on_wrong_hosts_or_schemes_are_refused(
    artist_client: Client, nina: Artist, field: str, value: str, message: str
) -> None:
    response = artist_client.post(edit_url(nina, "links"), {field: value}, headers=HTMX)

    assert message in response.content.decode()
    nina.refresh_from_db()
    assert getattr(nina, field) == ""


def test_links_are_saved_and_shown(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        edit_url(nina, "links"),
        {
            "website_url": "https://ninavale.example",
            "soundcloud_url": "https://soundcloud.com/ninavale",
        },
        headers=HTMX,
    )

    html = response.content.decode()
    assert 'href="https://ninavale.example"' in html
    assert 'href="https://soundcloud.com/ninavale"' in html
    nina.refresh_from_db()
    assert nina.soundcloud_url == "https://soundcloud.com/ninavale"


def test_genres_are_ticked_and_saved(artist_client: Client, nina: Artist) -> None:
    chosen = genres(3)
    form = artist_client.get(edit_url(nina, "genres"), headers=HTMX).content.decode()
    assert 'type="checkbox" name="genres"' in form

    response = artist_client.post(
        edit_url(nina, "genres"), {"genres": [g.pk for g in chosen]}, headers=HTMX
    )

    assert set(nina.genres.all()) == set(chosen)
    for genre in chosen:
        assert genre.name in response.content.decode()


def test_unticking_every_genre_clears_them(artist_client: Client, nina: Artist) -> None:
    nina.genres.set(genres(2))

    artist_client.post(edit_url(nina, "genres"), {}, headers=HTMX)

    assert nina.genres.count() == 0


def test_unknown_genre_is_refused(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(edit_url(nina, "genres"), {"genres": ["999999"]}, headers=HTMX)

    assert "Select a valid choice." in response.content.decode()


def test_cancel_swaps_the_section_back_in_display_mode(artist_client: Client, nina: Artist) -> None:
    response = artist_client.get(f"/artists/{nina.slug}/sections/about/", headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-about"')
    assert "<form" not in html
    assert "autofocus" in html  # keyboard focus lands back on "Edit"


def test_section_url_without_javascript_redirects_to_the_profile(
    client: Client, nina: Artist
) -> None:
    response = client.get(f"/artists/{nina.slug}/sections/links/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/artists/nina-vale/#section-links"


def test_unknown_sections_are_not_found(artist_client: Client, nina: Artist) -> None:
    assert artist_client.get(edit_url(nina, "roster"), headers=HTMX).status_code == 404
    assert artist_client.get(edit_url(nina, "is_on_roster")).status_code == 404
    assert artist_client.get(f"/artists/{nina.slug}/sections/secrets/").status_code == 404


def test_the_roster_flag_cannot_be_smuggled_into_a_section_form(
    artist_client: Client, nina: Artist
) -> None:
    artist_client.post(edit_url(nina, "about"), {**ABOUT, "is_on_roster": "on"}, headers=HTMX)

    nina.refresh_from_db()
    assert nina.is_on_roster is False


# --- Nobody but the owner -----------------------------------------------------------------------


def edit_urls(artist: Artist) -> list[str]:
    release = ReleaseFactory.create(artist=artist)
    return [
        edit_url(artist, "about"),
        edit_url(artist, "links"),
        edit_url(artist, "genres"),
        f"/artists/{artist.slug}/releases/add/",
        f"/artists/{artist.slug}/releases/{release.pk}/edit/",
        f"/artists/{artist.slug}/releases/{release.pk}/delete/",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_strangers_get_404_on_every_edit_url(
    stranger_client: Client, nina: Artist, method: str, headers: dict[str, str]
) -> None:
    for url in edit_urls(nina):
        response = getattr(stranger_client, method)(url, {**ABOUT}, headers=headers)
        # Deleting is POST only, for everyone: a GET is refused before anything is looked up.
        expected = 405 if method == "get" and url.endswith("/delete/") else 404
        assert response.status_code == expected, url
    nina.refresh_from_db()
    assert nina.stage_name == "Nina Vale"
    assert nina.releases.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_get_404_on_every_edit_url(
    client: Client, nina: Artist, method: str
) -> None:
    for url in edit_urls(nina):
        response = getattr(client, method)(url, {**ABOUT}, headers=HTMX)
        expected = 405 if method == "get" and url.endswith("/delete/") else 404
        assert response.status_code == expected, url
    nina.refresh_from_db()
    assert nina.stage_name == "Nina Vale"
    assert nina.releases.count() == 1
