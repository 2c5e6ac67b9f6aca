"""The public page of a professional: headline, facts at a glance, expertise, portfolio."""

import pytest
from django.test import Client

from mylabel.associates.models import Associate, Profession
from mylabel.associates.services import update_associate_profile
from tests.profile_factories import AssociateFactory, PortfolioItemFactory, genres

pytestmark = pytest.mark.django_db


def test_visitor_sees_the_whole_profile(client: Client, marco: Associate) -> None:
    marco.genres.set(genres(2))
    marco.professions.set(Profession.objects.filter(slug__in=["producer", "mixing-engineer"]))
    update_associate_profile(
        associate=marco,
        by=marco.user,
        city="Bologna",
        country="IT",
        years_experience=12,
        languages=["it", "en", "es"],
        website_url="https://marcoriva.example",
    )
    PortfolioItemFactory.create(owner=marco.user, profile_kind="associate", title="Mix for Nina")

    response = client.get(marco.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Marco Riva" in html
    assert "Mixing engineer for indie and soul" in html
    assert "Bologna, Italy" in html
    assert "Works remotely" in html
    assert "12 years" in html
    assert "Italian, English, Spanish" in html
    assert "Producer" in html
    assert "Mixing engineer" in html
    assert 'href="https://marcoriva.example"' in html
    assert 'title="Mix for Nina"' in html
    assert "/edit/" not in html


def test_owner_gets_an_edit_control_per_section(associate_client: Client, marco: Associate) -> None:
    html = associate_client.get(marco.get_absolute_url()).content.decode()

    for section in ("about", "details", "professions", "links"):
        assert f'hx-get="/associates/{marco.slug}/edit/{section}/"' in html
        assert f'hx-target="#section-{section}"' in html
    assert 'hx-get="/portfolio/associate/edit/"' in html


def test_html_in_the_bio_is_escaped(client: Client, marco: Associate) -> None:
    update_associate_profile(associate=marco, by=marco.user, bio="<img src=x onerror=alert(1)>")

    html = client.get(marco.get_absolute_url()).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_empty_optional_sections_are_hidden_from_visitors(client: Client, db) -> None:
    quiet = AssociateFactory.create(
        bio="",
        city="",
        country="",
        works_remotely=False,
        years_experience=0,
        languages=[],
        slug="quiet",
    )

    html = client.get(quiet.get_absolute_url()).content.decode()

    for section in ("about", "details", "links", "portfolio"):
        assert f'id="section-{section}"' not in html
    assert 'id="section-professions"' in html  # a professional always has a profession


def test_unknown_profiles_are_not_found(client: Client) -> None:
    assert client.get("/associates/nobody-here/").status_code == 404
