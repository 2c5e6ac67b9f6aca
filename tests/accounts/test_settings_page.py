"""The account settings page: display name, avatar, time zone, language (issue 2 §5), and the
middleware that applies the saved language and time zone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from PIL import Image

from mylabel.accounts.middleware import UserPreferencesMiddleware
from mylabel.accounts.models import User
from tests.factories import CAMERA_MAKE, jpeg_with_exif, png_bytes

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/account/settings/"


def form_data(user: User, **overrides) -> dict:
    data = {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "language": user.language,
    }
    data.update(overrides)
    return data


def test_settings_page_requires_log_in(client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={SETTINGS_URL}"


def test_settings_page_shows_the_form(artist_client, artist, django_assert_max_num_queries):
    # A small fixed budget: session, user, the label-admin check in the navigation (user and
    # group permissions). Nothing on this page grows with data.
    with django_assert_max_num_queries(6):
        response = artist_client.get(SETTINGS_URL)
    assert response.status_code == 200
    assert b'name="display_name"' in response.content
    assert b'value="Nina Vale"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_display_name_time_zone_and_language_are_saved(artist_client, artist):
    response = artist_client.post(
        SETTINGS_URL,
        form_data(artist, display_name="  Nina V.  ", time_zone="America/New_York", language="it"),
    )
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_URL
    artist.refresh_from_db()
    assert artist.display_name == "Nina V."
    assert artist.time_zone == "America/New_York"
    assert artist.language == "it"


def test_saved_language_is_used_on_the_next_page(artist_client, artist):
    artist_client.post(SETTINGS_URL, form_data(artist, language="it"))
    response = artist_client.get("/", headers={"accept-language": "en"})
    assert response["Content-Language"] == "it"
    assert b'<html lang="it">' in response.content


def test_unknown_time_zone_is_refused(artist_client, artist):
    response = artist_client.post(SETTINGS_URL, form_data(artist, time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    artist.refresh_from_db()
    assert artist.time_zone == "Europe/Rome"


def test_avatar_is_stored_as_a_jpeg_without_exif(artist_client, artist):
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": upload})
    assert response.status_code == 302

    artist.refresh_from_db()
    assert artist.avatar.name.startswith(f"avatars/{artist.pk}/")
    assert artist.avatar.name.endswith(".jpg")
    assert "holiday" not in artist.avatar.name
    with artist.avatar.open("rb") as stored:
        data = stored.read()
    assert CAMERA_MAKE.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert max(image.size) <= 512


def test_png_avatar_with_transparency_is_stored_as_jpeg(artist_client, artist):
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": upload})
    artist.refresh_from_db()
    with artist.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"


def test_new_avatar_replaces_the_old_file_after_commit(
    artist_client, artist, django_capture_on_commit_callbacks
):
    first = SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg")
    artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": first})
    artist.refresh_from_db()
    old_name = artist.avatar.name
    storage = artist.avatar.storage

    second = SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": second})

    artist.refresh_from_db()
    assert artist.avatar.name != old_name
    assert storage.exists(artist.avatar.name)
    assert not storage.exists(old_name)


def test_avatar_can_be_removed(artist_client, artist, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_exif(), content_type="image/jpeg")
    artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": upload})
    artist.refresh_from_db()
    old_name = artist.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar-clear": "on"})

    artist.refresh_from_db()
    assert not artist.avatar
    assert not artist.avatar.storage.exists(old_name)


def test_oversized_avatar_is_refused_and_nothing_is_saved(artist_client, artist, settings):
    settings.AVATAR_MAX_BYTES = 10_000
    upload = SimpleUploadedFile("big.jpg", jpeg_with_exif((3000, 3000)), content_type="image/jpeg")
    assert upload.size > settings.AVATAR_MAX_BYTES

    response = artist_client.post(
        SETTINGS_URL, {**form_data(artist, display_name="Changed"), "avatar": upload}
    )

    assert response.status_code == 200
    assert "the limit is 9.8\xa0KB" in " ".join(response.context["form"].errors["avatar"])
    assert b"the limit is" in response.content
    artist.refresh_from_db()
    assert not artist.avatar
    assert artist.display_name == "Nina Vale"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("avatar.png", b"<?php system($_GET['c']); ?>", "image/png"),
        ("avatar.jpg", b"GIF89a but not really", "image/jpeg"),
        ("avatar.pdf", b"%PDF-1.4 not an image", "application/pdf"),
    ],
    ids=["script-named-png", "garbage-named-jpg", "pdf"],
)
def test_non_image_avatar_is_refused_and_nothing_is_saved(
    artist_client, artist, name, content, content_type
):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = artist_client.post(SETTINGS_URL, {**form_data(artist), "avatar": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    assert b'class="errorlist"' in response.content
    artist.refresh_from_db()
    assert not artist.avatar


def test_html_in_the_display_name_is_escaped_on_output(artist_client, artist):
    artist_client.post(SETTINGS_URL, form_data(artist, display_name='<script>alert("x")</script>'))
    response = artist_client.get(SETTINGS_URL)
    assert b'<script>alert("x")' not in response.content
    assert b"&lt;script&gt;alert(" in response.content


# --- UserPreferencesMiddleware ------------------------------------------------------------------


def active_preferences(user) -> tuple[str, str]:
    """Run the middleware for ``user`` and report the language and time zone the view sees."""
    seen = {}

    def view(request):
        seen["language"] = translation.get_language()
        seen["time_zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        UserPreferencesMiddleware(view)(request)
    timezone.deactivate()
    return seen["language"], seen["time_zone"]


def test_middleware_activates_the_users_language_and_time_zone():
    user = User(email="x@example.com", language="it", time_zone="Asia/Tokyo")
    assert active_preferences(user) == ("it", "Asia/Tokyo")


def test_middleware_falls_back_to_the_site_time_zone_for_an_unknown_one():
    user = User(email="x@example.com", language="en", time_zone="Mars/Olympus")
    assert active_preferences(user) == ("en", "Europe/Rome")


def test_middleware_ignores_a_language_the_site_does_not_offer():
    user = User(email="x@example.com", language="de", time_zone="Europe/Berlin")
    assert active_preferences(user) == ("en", "Europe/Berlin")


def test_middleware_leaves_anonymous_visitors_on_the_defaults():
    from django.contrib.auth.models import AnonymousUser

    assert active_preferences(AnonymousUser()) == ("en", "Europe/Rome")


def test_settings_link_to_the_api_token_page(artist_client):
    response = artist_client.get(SETTINGS_URL)
    assert b'href="/account/api-tokens/"' in response.content
