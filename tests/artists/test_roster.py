"""Only label admins sign artists to the roster; everyone else is refused, never with a 500."""

import pytest
from django.test import Client

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from tests.htmx import HTMX

pytestmark = pytest.mark.django_db


def roster_url(artist: Artist) -> str:
    return f"/artists/{artist.slug}/roster/"


def test_label_admin_sees_the_roster_control(
    client: Client, label_admin: User, nina: Artist
) -> None:
    client.force_login(label_admin)

    html = client.get(nina.get_absolute_url()).content.decode()

    assert f'hx-post="{roster_url(nina)}"' in html
    assert "Sign to MyLabel" in html


def test_label_admin_signs_an_artist_with_htmx(
    client: Client, label_admin: User, nina: Artist
) -> None:
    client.force_login(label_admin)

    response = client.post(roster_url(nina), {"on_roster": "true"}, headers=HTMX)

    nina.refresh_from_db()
    assert nina.is_on_roster is True
    html = response.content.decode()
    assert html.lstrip().startswith('<header id="profile-header" class="profile-header">')
    assert "Signed to MyLabel" in html
    assert "Take off the roster" in html
    assert "Nina Vale is signed to MyLabel." in html


def test_label_admin_takes_an_artist_off_without_javascript(
    client: Client, label_admin: User, nina: Artist
) -> None:
    Artist.objects.filter(pk=nina.pk).update(is_on_roster=True)
    client.force_login(label_admin)

    response = client.post(roster_url(nina), {"on_roster": "false"})

    assert response.status_code == 302
    assert response.headers["Location"] == nina.get_absolute_url()
    nina.refresh_from_db()
    assert nina.is_on_roster is False


def test_the_artist_cannot_sign_themselves(artist_client: Client, nina: Artist) -> None:
    html = artist_client.get(nina.get_absolute_url()).content.decode()
    assert roster_url(nina) not in html

    response = artist_client.post(roster_url(nina), {"on_roster": "true"}, headers=HTMX)

    assert response.status_code == 403
    nina.refresh_from_db()
    assert nina.is_on_roster is False


@pytest.mark.parametrize("signed_in", [True, False], ids=["stranger", "anonymous"])
def test_others_are_refused(client: Client, outsider: User, nina: Artist, signed_in: bool) -> None:
    if signed_in:
        client.force_login(outsider)

    response = client.post(roster_url(nina), {"on_roster": "true"})

    assert response.status_code == 403
    nina.refresh_from_db()
    assert nina.is_on_roster is False


def test_roster_of_an_unknown_artist_is_not_found(client: Client, label_admin: User) -> None:
    client.force_login(label_admin)

    assert client.post("/artists/nobody/roster/", {"on_roster": "true"}).status_code == 404
    assert client.get("/artists/nobody/roster/").status_code == 405
