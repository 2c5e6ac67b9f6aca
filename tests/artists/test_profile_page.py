"""The public artist page: what visitors see, and what only the owner sees."""

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.artists.services import update_artist_profile
from mylabel.portfolio.models import ProfileKind
from tests.profile_factories import (
    ArtistFactory,
    PortfolioItemFactory,
    ReleaseFactory,
    genres,
)

pytestmark = pytest.mark.django_db


def test_visitor_sees_the_whole_profile(client: Client, nina: Artist) -> None:
    nina.genres.set(genres(2))
    update_artist_profile(
        artist=nina,
        by=nina.user,
        city="Genova",
        country="IT",
        instagram_url="https://instagram.com/ninavale",
        spotify_url="https://open.spotify.com/artist/1dfeR4HaWDbWqFHLkxsg1d",
    )
    ReleaseFactory.create(artist=nina, title="Harbour Lights", kind="ep")
    PortfolioItemFactory.create(owner=nina.user, title="Live at Lanificio")

    response = client.get(nina.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nina Vale" in html
    assert "Genova, Italy" in html
    assert "Songs from the harbour." in html
    assert "Harbour Lights" in html
    assert "EP" in html
    assert 'href="https://instagram.com/ninavale"' in html
    assert 'title="Live at Lanificio"' in html
    for genre in genres(2):
        assert genre.name in html
    assert "css/profiles.css" in html


def test_visitor_gets_no_edit_controls(client: Client, nina: Artist) -> None:
    html = client.get(nina.get_absolute_url()).content.decode()

    assert "/edit/" not in html
    assert "releases/add" not in html
    assert 'name="on_roster"' not in html


def test_owner_gets_an_edit_control_per_section(artist_client: Client, nina: Artist) -> None:
    html = artist_client.get(nina.get_absolute_url()).content.decode()

    for section in ("about", "links", "genres"):
        url = f"/artists/{nina.slug}/edit/{section}/"
        assert f'hx-get="{url}"' in html
        assert f'hx-target="#section-{section}"' in html
    assert f'hx-get="/artists/{nina.slug}/releases/add/"' in html
    assert 'hx-get="/portfolio/artist/edit/"' in html


def test_empty_sections_are_hidden_from_visitors(client: Client, db) -> None:
    empty = ArtistFactory.create(bio="", slug="quiet")

    html = client.get(empty.get_absolute_url()).content.decode()

    for section in ("about", "links", "genres", "releases", "portfolio"):
        assert f'id="section-{section}"' not in html


def test_empty_sections_invite_the_owner_to_fill_them(client: Client, db) -> None:
    empty = ArtistFactory.create(bio="", slug="quiet")
    client.force_login(empty.user)

    html = client.get(empty.get_absolute_url()).content.decode()

    for section in ("about", "links", "genres", "releases", "portfolio"):
        assert f'id="section-{section}"' in html


def test_html_in_the_bio_is_shown_as_text_with_its_line_breaks(
    client: Client, nina: Artist
) -> None:
    update_artist_profile(
        artist=nina, by=nina.user, bio='<script>alert("x")</script>\n<b>bold</b> & more'
    )

    html = client.get(nina.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt; &amp; more"
        in html
    )


def test_roster_artists_wear_the_signed_badge(client: Client, nina: Artist, settings) -> None:
    # The badge itself; that a signing reaches visitors' cached pages is in
    # tests/core/test_page_cache.py.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert "Signed to MyLabel" not in client.get(nina.get_absolute_url()).content.decode()

    Artist.objects.filter(pk=nina.pk).update(is_on_roster=True)

    assert "Signed to MyLabel" in client.get(nina.get_absolute_url()).content.decode()


def test_portfolio_items_of_the_owners_other_profile_are_not_shown(
    client: Client, nina: Artist
) -> None:
    PortfolioItemFactory.create(owner=nina.user, title="As an artist")
    PortfolioItemFactory.create(
        owner=nina.user, title="As a producer", profile_kind=ProfileKind.ASSOCIATE
    )

    html = client.get(nina.get_absolute_url()).content.decode()

    assert "As an artist" in html
    assert "As a producer" not in html


def test_unknown_and_deactivated_profiles_are_not_found(client: Client, nina: Artist) -> None:
    assert client.get("/artists/nobody-here/").status_code == 404

    User.objects.filter(pk=nina.user_id).update(is_active=False)

    assert client.get(nina.get_absolute_url()).status_code == 404


def test_profile_page_only_answers_reads(client: Client, nina: Artist) -> None:
    assert client.post(nina.get_absolute_url()).status_code == 405
