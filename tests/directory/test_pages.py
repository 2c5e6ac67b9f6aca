"""The directory pages (DESIGN.md §2.3, issue 3 points 6 and 7): filters, sort, search,
pagination, htmx fragments and bad input."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.core.directory import PAGE_SIZE
from tests.directory.factories import make_artist, make_associate

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def names(response) -> list[str]:
    """Profile names on the page, in order."""
    html = response.content.decode()
    return re.findall(r'class="profile-card__link" href="[^"]*">([^<]+)</a>', html)


def hrefs(response, rel: str) -> list[str]:
    html = response.content.decode().replace("&amp;", "&")
    return re.findall(rf'rel="{rel}" href="([^"]*)"', html)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- Listing and filters ------------------------------------------------------------------------


def test_associate_directory_lists_profiles_of_active_accounts(client: Client):
    make_associate("Marco Riva")
    hidden = make_associate("Gone Away")
    User.objects.filter(pk=hidden.user_id).update(is_active=False)

    response = client.get("/associates/")

    assert response.status_code == 200
    assert names(response) == ["Marco Riva"]
    assert "1 professional" in response.content.decode()


def test_cards_link_to_the_profile_pages(client: Client):
    associate = make_associate("Marco Riva")
    artist = make_artist("Nina Vale")

    assert f'href="/associates/{associate.slug}/"' in client.get("/associates/").content.decode()
    assert f'href="/artists/{artist.slug}/"' in client.get("/artists/").content.decode()


def test_associates_filter_by_profession_genre_city_and_remote(client: Client):
    make_associate("Ada", professions=["producer"], genres=["soul"], city="Milan", remote=True)
    make_associate("Bea", professions=["producer"], genres=["soul"], city="Milan")
    make_associate("Cleo", professions=["producer"], genres=["jazz"], city="Milan", remote=True)
    make_associate("Dina", professions=["mixing-engineer"], genres=["soul"], city="Milan")
    make_associate("Ezra", professions=["producer"], genres=["soul"], city="Rome", remote=True)

    assert names(client.get("/associates/?profession=producer&sort=name")) == [
        "Ada",
        "Bea",
        "Cleo",
        "Ezra",
    ]
    assert names(client.get("/associates/?genre=soul&city=milan&sort=name")) == [
        "Ada",
        "Bea",
        "Dina",
    ]
    response = client.get("/associates/?profession=producer&genre=soul&city=Milan&remote=on")
    assert names(response) == ["Ada"]


def test_artists_filter_by_genre_city_and_roster(client: Client):
    make_artist("Ada", genres=["indie"], city="Berlin", on_roster=True)
    make_artist("Bea", genres=["indie"], city="Berlin")
    make_artist("Cleo", genres=["techno"], city="Berlin", on_roster=True)

    assert names(client.get("/artists/?genre=indie&sort=name")) == ["Ada", "Bea"]
    assert names(client.get("/artists/?roster=on&sort=name")) == ["Ada", "Cleo"]
    assert names(client.get("/artists/?genre=indie&city=BERLIN&roster=on")) == ["Ada"]


def test_a_profile_with_several_genres_appears_once(client: Client):
    make_associate("Ada", genres=["soul", "jazz", "funk"])

    assert names(client.get("/associates/")) == ["Ada"]
    assert names(client.get("/associates/?genre=jazz")) == ["Ada"]


def test_cards_show_headline_place_professions_and_badges(client: Client):
    make_associate(
        "Ada Lumen",
        headline="Mixing engineer for indie and soul",
        professions=["mixing-engineer"],
        genres=["soul"],
        city="Milan",
        country="IT",
        remote=True,
    )
    make_artist("Nina Vale", genres=["indie", "soul"], city="Turin", on_roster=True)

    associates = client.get("/associates/").content.decode()
    assert "Mixing engineer for indie and soul" in associates
    assert "Milan, Italy" in associates
    assert '<li class="tag">Mixing engineer</li>' in associates
    assert "Works remotely" in associates
    artists = client.get("/artists/").content.decode()
    assert "Indie · Soul" in artists
    assert "Label roster" in artists


# --- Sort ---------------------------------------------------------------------------------------


def test_newest_first_without_a_query_and_by_name_on_request(client: Client):
    for name in ["Bea", "Ada", "Cleo"]:
        make_associate(name)

    assert names(client.get("/associates/")) == ["Cleo", "Ada", "Bea"]
    assert names(client.get("/associates/?sort=newest")) == ["Cleo", "Ada", "Bea"]
    assert names(client.get("/associates/?sort=name")) == ["Ada", "Bea", "Cleo"]


def test_relevance_without_a_query_falls_back_to_newest(client: Client):
    for name in ["Bea", "Ada"]:
        make_artist(name)

    response = client.get("/artists/?sort=relevance")

    assert names(response) == ["Ada", "Bea"]
    assert "alert" not in response.content.decode()


def test_sort_choices_are_offered_in_the_form(client: Client):
    html = client.get("/associates/").content.decode()

    for value in ["relevance", "newest", "name"]:
        assert f'<option value="{value}"' in html


# --- Search -------------------------------------------------------------------------------------


def test_search_matches_the_start_of_a_word(client: Client):
    make_associate("Ada", professions=["producer"], headline="Beats and more")
    make_associate("Bea", professions=["photographer"], headline="Portraits")

    assert names(client.get("/associates/?q=prod")) == ["Ada"]
    assert names(client.get("/associates/?q=PORTR")) == ["Bea"]


def test_search_needs_every_word(client: Client):
    make_artist("Velvet Harbour", genres=["soul"], city="Milan")
    make_artist("Velvet Comet", genres=["techno"], city="Milan")

    assert names(client.get("/artists/?q=velvet+soul")) == ["Velvet Harbour"]
    assert names(client.get("/artists/?q=velvet&sort=name")) == ["Velvet Comet", "Velvet Harbour"]


def test_search_finds_city_genre_and_bio(client: Client):
    make_artist("Ada", genres=["afrobeats"], city="Lagos", bio="Recorded on a boat.")
    make_artist("Bea")

    for query in ["lagos", "afrobeat", "boat"]:
        assert names(client.get(f"/artists/?q={query}")) == ["Ada"], query


def test_search_ignores_punctuation_and_operators(client: Client):
    make_associate("Ada", headline="Producer")

    response = client.get("/associates/", {"q": "prod:* & | ! ('"})

    assert response.status_code == 200
    assert names(response) == ["Ada"]


def test_the_query_is_shown_escaped(client: Client):
    response = client.get("/associates/", {"q": "<script>alert(1)</script>"})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_a_query_sorts_by_relevance_and_other_sorts_still_apply(client: Client):
    make_artist("Bea Harbour")
    make_artist("Ada Harbour")

    default = names(client.get("/artists/?q=harbour"))
    by_name = names(client.get("/artists/?q=harbour&sort=name"))

    assert sorted(default) == ["Ada Harbour", "Bea Harbour"]
    assert by_name == ["Ada Harbour", "Bea Harbour"]


# --- Pagination ---------------------------------------------------------------------------------


def test_pages_hold_twenty_and_links_keep_the_filters(client: Client):
    for index in range(PAGE_SIZE + 5):
        make_associate(f"Soul {index:02}", genres=["soul"], city="Milan")
    make_associate("Jazz Only", genres=["jazz"], city="Milan")

    first = client.get("/associates/?q=soul&genre=soul&city=Milan&sort=name")

    assert len(names(first)) == PAGE_SIZE
    [next_url] = hrefs(first, "next")
    assert query_of(next_url) == {
        "q": ["soul"],
        "genre": ["soul"],
        "city": ["Milan"],
        "sort": ["name"],
        "page": ["2"],
    }
    html = first.content.decode().replace("&amp;", "&")
    assert f'hx-get="{next_url}"' in html
    second = client.get(next_url)
    assert names(second) == [f"Soul {index:02}" for index in range(PAGE_SIZE, PAGE_SIZE + 5)]
    [previous_url] = hrefs(second, "prev")
    assert "page" not in query_of(previous_url)
    assert query_of(previous_url)["genre"] == ["soul"]


def test_one_page_of_results_has_no_pagination(client: Client):
    make_artist("Ada")

    assert 'class="pagination"' not in client.get("/artists/").content.decode()


def test_page_links_drop_empty_fields(client: Client):
    for index in range(PAGE_SIZE + 1):
        make_artist(f"Artist {index:02}")

    response = client.get("/artists/?q=&genre=&city=&sort=&roster=")

    [next_url] = hrefs(response, "next")
    assert next_url == "/artists/?page=2"


# --- htmx and plain GET -------------------------------------------------------------------------


def test_the_form_drives_htmx_and_still_works_as_a_plain_get(client: Client):
    html = client.get("/associates/").content.decode()

    form = re.search(r"<form class=\"directory-filters\"[^>]*>", html, re.S)
    assert form is not None
    tag = form.group(0)
    assert 'method="get"' in tag
    assert 'action="/associates/"' in tag
    assert 'hx-get="/associates/"' in tag
    assert 'hx-target="#directory-results"' in tag
    assert 'hx-push-url="true"' in tag
    assert "input changed delay:300ms" in tag
    assert "change" in tag
    assert "submit" in tag
    assert 'hx-history="false"' in tag  # Back re-renders the form from the server
    assert '<button type="submit"' in html


def test_every_filter_input_has_a_label(client: Client):
    for path in ["/associates/", "/artists/"]:
        html = client.get(path).content.decode()
        form = html[
            html.index('<form class="directory-filters"') : html.index(
                "</form>", html.index('<form class="directory-filters"')
            )
        ]
        ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form)
        assert ids, path
        for input_id in ids:
            assert f'for="{input_id}"' in form or re.search(
                rf'<label[^>]*>\s*<input[^>]*id="{input_id}"', form
            ), (path, input_id)


def test_htmx_request_gets_only_the_results_region(client: Client):
    make_associate("Ada", genres=["soul"])

    response = client.get("/associates/?genre=soul", headers=HTMX)

    html = response.content.decode().strip()
    assert html.startswith('<section id="directory-results"')
    assert "<html" not in html
    assert "directory-filters" not in html
    assert names(response) == ["Ada"]
    assert 'hx-swap-oob="innerHTML"' in html  # the live region's new count


def test_full_page_contains_the_same_results_region(client: Client):
    make_associate("Ada", genres=["soul"])

    page = client.get("/associates/?genre=soul")
    fragment = client.get("/associates/?genre=soul", headers=HTMX)

    assert "<html" in page.content.decode()
    assert '<section id="directory-results"' in page.content.decode()
    assert names(page) == names(fragment)


def test_responses_vary_on_the_htmx_headers(client: Client):
    response = client.get("/associates/")

    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"hx-request", "hx-history-restore-request"} <= vary


def test_htmx_pushes_the_tidy_address(client: Client):
    response = client.get(
        "/associates/", {"q": " soul ", "genre": "soul", "city": "", "sort": ""}, headers=HTMX
    )

    assert response["HX-Push-Url"] == "/associates/?q=soul&genre=soul"


def test_the_default_sort_stays_out_of_the_address(client: Client):
    response = client.get("/associates/?genre=soul&sort=relevance", headers=HTMX)

    assert response["HX-Push-Url"] == "/associates/?genre=soul"
    assert client.get("/associates/?sort=name", headers=HTMX)["HX-Push-Url"] == (
        "/associates/?sort=name"
    )


def test_htmx_pushes_the_page_number_and_the_bare_path(client: Client):
    for index in range(PAGE_SIZE + 1):
        make_artist(f"Artist {index:02}")

    assert client.get("/artists/?page=2", headers=HTMX)["HX-Push-Url"] == "/artists/?page=2"
    assert client.get("/artists/?q=&city=", headers=HTMX)["HX-Push-Url"] == "/artists/"


def test_history_restore_gets_the_whole_page(client: Client):
    response = client.get(
        "/associates/?genre=soul",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()
    assert "HX-Push-Url" not in response


def test_a_shared_address_reloads_the_same_page(client: Client):
    """What htmx pushed, loaded as a normal request (reload, shared link, no JavaScript), shows
    the same results with the form filled in."""
    for index in range(PAGE_SIZE + 3):
        make_associate(f"Pro {index:02}", professions=["producer"], genres=["soul"], remote=True)
    make_associate("Elsewhere", professions=["photographer"])

    fragment = client.get(
        "/associates/",
        {"profession": "producer", "remote": "on", "sort": "name", "page": "2"},
        headers=HTMX,
    )
    page = client.get(fragment["HX-Push-Url"])

    assert names(page) == names(fragment) == [f"Pro {index:02}" for index in range(20, 23)]
    html = page.content.decode()
    assert '<option value="producer" selected>' in html
    assert '<option value="name" selected>' in html
    assert re.search(r'<input type="checkbox" name="remote"[^>]*checked', html)


def test_plain_get_with_every_field_submitted_filters_like_htmx(client: Client):
    make_artist("Ada", genres=["indie"])
    make_artist("Bea", genres=["techno"])

    query = {"q": "", "genre": "indie", "city": "", "sort": ""}
    assert names(client.get("/artists/", query)) == ["Ada"]
    assert names(client.get("/artists/", query, headers=HTMX)) == ["Ada"]


def test_post_is_not_allowed(client: Client):
    assert client.post("/associates/").status_code == 405


# --- Bad input ----------------------------------------------------------------------------------


def test_unknown_genre_is_explained_and_ignored(client: Client):
    make_associate("Ada", genres=["soul"])
    make_associate("Bea", genres=["jazz"])

    response = client.get("/associates/?genre=polka&sort=name")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no genre “polka”" in html
    assert names(response) == ["Ada", "Bea"]


def test_unknown_values_keep_the_valid_filters(client: Client):
    make_associate("Ada", genres=["soul"], professions=["producer"])
    make_associate("Bea", genres=["soul"], professions=["photographer"])

    response = client.get(
        "/associates/?genre=soul&profession=astronaut&sort=sideways", headers=HTMX
    )

    html = response.content.decode()
    assert "There is no profession “astronaut”" in html
    assert "“sideways” is not a way to sort this list" in html
    assert sorted(names(response)) == ["Ada", "Bea"]
    assert response["HX-Push-Url"] == "/associates/?genre=soul"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "9" * 5000])
def test_a_bad_page_number_shows_the_first_page(client: Client, page: str):
    make_artist("Ada")

    response = client.get("/artists/", {"page": page})

    assert response.status_code == 200
    assert names(response) == ["Ada"]
    assert "so this is the first page" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client: Client):
    for index in range(PAGE_SIZE + 2):
        make_artist(f"Artist {index:02}")

    response = client.get("/artists/?page=9&sort=name")

    assert response.status_code == 200
    assert "There is no page 9; the last page is 2." in response.content.decode()
    assert names(response) == ["Artist 20", "Artist 21"]


def test_an_empty_directory_says_so(client: Client):
    response = client.get("/associates/?q=nobody")

    assert response.status_code == 200
    assert "No professionals match these filters yet." in response.content.decode()


def test_overlong_and_odd_queries_do_not_fail(client: Client):
    make_associate("Ada")

    for query in ["a" * 5000, "   ", "\u2019\u201c\u201d", "\x00", "%", "_"]:
        response = client.get("/associates/", {"q": query, "city": query})
        assert response.status_code == 200, repr(query[:10])


def test_ranked_results_page_through_without_overlap(client: Client):
    for index in range(PAGE_SIZE + 5):
        make_associate(f"Soul {index:02}", genres=["soul"])

    first = client.get("/associates/?q=soul")
    second = client.get("/associates/?q=soul&page=2")

    assert "25 professionals" in first.content.decode()
    assert "25 professionals" in second.content.decode()
    assert len(names(first)) == PAGE_SIZE
    assert len(names(second)) == 5
    assert set(names(first)) | set(names(second)) == {f"Soul {i:02}" for i in range(25)}
