"""/api/v1/me/: the signed-in account with both its profiles, and its settings changed as on
the settings page (issue 7 §2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from tests.api.helpers import assert_error
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory, image_upload, text_upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"
SETTINGS = ["display_name", "time_zone", "language", "share_read_receipts", "avatar"]


def settings_of(user: User) -> dict:
    return User.objects.filter(pk=user.pk).values(*SETTINGS).get()


# --- Reading ------------------------------------------------------------------------------------


def test_anonymous_requests_are_401(api_client: APIClient):
    assert_error(api_client.get(URL), 401)
    assert_error(api_client.patch(URL, {"display_name": "X"}), 401)


def test_an_artist_sees_their_account_and_their_profile(artist_api: APIClient, artist):
    response = artist_api.get(URL)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": artist.pk,
        "email": "nina@example.com",
        "display_name": "Nina Vale",
        "name": "Nina Vale",
        "time_zone": "Europe/Rome",
        "language": "en",
        "share_read_receipts": True,
        "avatar_url": None,
        "is_label_admin": False,
        "artist": {
            "slug": "nina-vale",
            "name": "Nina Vale",
            "page_url": "/artists/nina-vale/",
            "api_url": "/api/v1/artists/nina-vale/",
        },
        "associate": None,
    }


def test_an_account_with_both_profiles_gets_both_and_one_without_gets_nulls(
    api_as, outsider, django_assert_num_queries
):
    both = UserFactory.create()
    ArtistFactory.create(user=both, slug="duo")
    AssociateFactory.create(user=both, slug="duo-pro")
    client = api_as(both)
    # The token's last use is recorded once, on the first request, which also caches the
    # account's permissions.
    client.get(URL)
    # The token, the account with both profiles.
    with django_assert_num_queries(2):
        body = client.get(URL).json()
    assert body["artist"]["slug"] == "duo"
    assert body["associate"]["api_url"] == "/api/v1/associates/duo-pro/"
    nobody = api_as(outsider).get(URL).json()
    assert (nobody["artist"], nobody["associate"]) == (None, None)


def test_a_label_admin_is_told_so(admin_api: APIClient):
    assert admin_api.get(URL).json()["is_label_admin"] is True


def test_the_site_session_works_too(artist_client):
    response = artist_client.get(URL)
    assert response.status_code == 200
    assert response.json()["email"] == "nina@example.com"


# --- Settings -----------------------------------------------------------------------------------


def test_settings_change_and_those_left_out_stay(artist_api: APIClient, artist):
    response = artist_api.patch(
        URL,
        {
            "display_name": "  Nina V. ",
            "time_zone": "America/New_York",
            "share_read_receipts": False,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["time_zone"] == "America/New_York"
    assert settings_of(artist) == {
        "display_name": "Nina V.",
        "time_zone": "America/New_York",
        "language": "en",
        "share_read_receipts": False,
        "avatar": "",
    }


def test_an_avatar_is_uploaded_re_encoded_and_can_be_removed(artist_api: APIClient, artist):
    response = artist_api.patch(URL, {"avatar": image_upload()}, format="multipart")
    assert response.status_code == 200, response.content
    artist.refresh_from_db()
    assert artist.avatar.name.endswith(".jpg")  # stored as JPEG whatever was sent
    assert response.json()["avatar_url"] == artist.avatar.url
    response = artist_api.patch(URL, {"remove_avatar": True})
    assert response.json()["avatar_url"] is None
    artist.refresh_from_db()
    assert not artist.avatar


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"language": "fr"}, "language"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": ["Nina"]}, "display_name"),
        ({"share_read_receipts": "sometimes"}, "share_read_receipts"),
        ({"email": "new@example.com"}, "email"),
        ({"is_staff": True}, "is_staff"),
    ],
)
def test_invalid_settings_are_refused_naming_the_field_and_nothing_changes(
    artist_api: APIClient, artist, payload: dict, field: str
):
    before = settings_of(artist)
    assert_error(artist_api.patch(URL, payload), 400, fields=[field])
    assert settings_of(artist) == before


def test_an_avatar_that_is_not_an_image_is_refused(artist_api: APIClient, artist, settings):
    fake = text_upload("photo.png", "image/png")
    assert_error(
        artist_api.patch(URL, {"avatar": fake}, format="multipart"), 400, fields=["avatar"]
    )
    settings.AVATAR_MAX_BYTES = 10
    too_big = image_upload()
    assert_error(
        artist_api.patch(URL, {"avatar": too_big}, format="multipart"), 400, fields=["avatar"]
    )
    artist.refresh_from_db()
    assert not artist.avatar


def test_an_avatar_sent_as_text_is_refused(artist_api: APIClient, artist):
    assert_error(artist_api.patch(URL, {"avatar": "photo.png"}), 400, fields=["avatar"])


def test_malformed_json_is_a_400(artist_api: APIClient, artist):
    before = settings_of(artist)
    response = artist_api.patch(URL, "{display_name:", content_type="application/json")
    assert_error(response, 400, code="parse_error")
    assert settings_of(artist) == before


def test_an_empty_upload_is_refused(artist_api: APIClient, artist):
    empty = SimpleUploadedFile("a.png", b"", content_type="image/png")
    assert_error(
        artist_api.patch(URL, {"avatar": empty}, format="multipart"), 400, fields=["avatar"]
    )
