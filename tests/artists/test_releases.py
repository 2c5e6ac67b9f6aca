"""Releases: the owner adds, edits and deletes them inline, with covers checked by content."""

import datetime
from pathlib import Path

import pytest
from django.test import Client, override_settings

from mylabel.artists.models import Artist, Release
from tests.htmx import HTMX
from tests.profile_factories import ReleaseFactory, image_upload, text_upload

pytestmark = pytest.mark.django_db

NEW_RELEASE = {
    "title": "Night Ferry",
    "kind": "album",
    "release_date": "2025-03-14",
    "spotify_url": "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy",
    "bandcamp_url": "https://ninavale.bandcamp.com/album/night-ferry",
}


def add_url(artist: Artist) -> str:
    return f"/artists/{artist.slug}/releases/add/"


def test_add_form_swaps_into_the_releases_section(artist_client: Client, nina: Artist) -> None:
    response = artist_client.get(add_url(nina), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-releases"')
    assert 'enctype="multipart/form-data"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert 'type="date"' in html


def test_release_with_a_cover_is_added(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        add_url(nina), {**NEW_RELEASE, "cover": image_upload("cover.png")}, headers=HTMX
    )

    release = nina.releases.get()
    assert release.title == "Night Ferry"
    assert release.kind == "album"
    assert release.release_date == datetime.date(2025, 3, 14)
    assert str(release.cover.name).endswith(".jpg")  # re-encoded, whatever was uploaded
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-releases"')
    assert "Night Ferry" in html
    assert "Album" in html
    assert f'src="{release.cover.url}"' in html
    assert 'href="https://ninavale.bandcamp.com/album/night-ferry"' in html
    assert "“Night Ferry” is on your profile." in html


def test_release_without_javascript_redirects_to_the_releases(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(add_url(nina), NEW_RELEASE)

    assert response.status_code == 302
    assert response.headers["Location"] == "/artists/nina-vale/#section-releases"
    assert nina.releases.count() == 1


def test_a_text_file_named_png_is_refused_as_a_cover(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        add_url(nina),
        {**NEW_RELEASE, "cover": text_upload("cover.png", "image/png")},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert not nina.releases.exists()


@override_settings(PORTFOLIO_MAX_BYTES={"image": 20, "audio": 20, "video": 20})
def test_an_oversized_cover_is_refused(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        add_url(nina), {**NEW_RELEASE, "cover": image_upload("cover.png")}, headers=HTMX
    )

    assert "the limit is 20\xa0bytes" in response.content.decode()
    assert not nina.releases.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"release_date": "someday"}, "Enter a valid date."),
        ({"kind": "mixtape"}, "Select a valid choice."),
        ({"spotify_url": "https://open.spotify.evil.example/album/x"}, "Enter a Spotify link"),
        ({"apple_music_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_invalid_release_shows_errors_and_adds_nothing(
    artist_client: Client, nina: Artist, changes: dict[str, str], message: str
) -> None:
    response = artist_client.post(add_url(nina), {**NEW_RELEASE, **changes}, headers=HTMX)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not nina.releases.exists()


def test_release_is_edited_in_place(artist_client: Client, nina: Artist) -> None:
    release = ReleaseFactory.create(artist=nina, title="Old title")
    url = f"/artists/{nina.slug}/releases/{release.pk}/edit/"

    form = artist_client.get(url, headers=HTMX).content.decode()
    assert 'value="Old title"' in form
    assert "Delete this release" in form

    response = artist_client.post(url, {**NEW_RELEASE, "title": "New title"}, headers=HTMX)

    release.refresh_from_db()
    assert release.title == "New title"
    assert "New title" in response.content.decode()


def test_editing_keeps_the_cover_when_no_new_one_is_sent(
    artist_client: Client, nina: Artist
) -> None:
    artist_client.post(add_url(nina), {**NEW_RELEASE, "cover": image_upload()}, headers=HTMX)
    release = nina.releases.get()
    cover = release.cover.name

    artist_client.post(
        f"/artists/{nina.slug}/releases/{release.pk}/edit/",
        {**NEW_RELEASE, "title": "Renamed"},
        headers=HTMX,
    )

    release.refresh_from_db()
    assert release.cover.name == cover


def test_release_is_deleted(artist_client: Client, nina: Artist) -> None:
    release = ReleaseFactory.create(artist=nina, title="Gone soon")

    response = artist_client.post(
        f"/artists/{nina.slug}/releases/{release.pk}/delete/", headers=HTMX
    )

    assert not Release.objects.filter(pk=release.pk).exists()
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-releases"')
    assert "“Gone soon” is deleted." in html


def test_release_delete_without_javascript_redirects(artist_client: Client, nina: Artist) -> None:
    release = ReleaseFactory.create(artist=nina)

    response = artist_client.post(f"/artists/{nina.slug}/releases/{release.pk}/delete/")

    assert response.status_code == 302
    assert not Release.objects.filter(pk=release.pk).exists()


def test_releases_of_another_artist_are_not_found_under_mine(
    artist_client: Client, nina: Artist
) -> None:
    someone_elses = ReleaseFactory.create(title="Not yours")

    for action in ("edit", "delete"):
        url = f"/artists/{nina.slug}/releases/{someone_elses.pk}/{action}/"
        assert artist_client.post(url, NEW_RELEASE).status_code == 404
    someone_elses.refresh_from_db()
    assert someone_elses.title == "Not yours"


def test_a_new_cover_replaces_the_old_file(
    artist_client: Client, nina: Artist, settings, django_capture_on_commit_callbacks
) -> None:
    artist_client.post(add_url(nina), {**NEW_RELEASE, "cover": image_upload()}, headers=HTMX)
    release = nina.releases.get()
    old_cover = Path(settings.MEDIA_ROOT, str(release.cover.name))
    assert old_cover.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        artist_client.post(
            f"/artists/{nina.slug}/releases/{release.pk}/edit/",
            {**NEW_RELEASE, "cover": image_upload("new.jpg", "JPEG")},
            headers=HTMX,
        )

    release.refresh_from_db()
    assert Path(settings.MEDIA_ROOT, str(release.cover.name)).is_file()
    assert not old_cover.exists()
