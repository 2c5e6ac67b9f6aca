"""/api/v1/portfolio/: the signed-in user's portfolio items, added (an upload checked by its
content, or an embeddable link), retitled, moved and deleted through the portfolio services;
nobody else's item is reachable (issue 7 §2)."""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from mylabel.portfolio.models import PortfolioItem, ProfileKind
from tests.api.helpers import assert_error
from tests.profile_factories import (
    PortfolioItemFactory,
    image_upload,
    text_upload,
    wav_upload,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/portfolio/"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def detail_url(item: PortfolioItem) -> str:
    return f"/api/v1/portfolio/{item.pk}/"


def snapshot() -> list[dict]:
    return [dict(row) for row in PortfolioItem.objects.order_by("pk").values()]


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


# --- Reading ------------------------------------------------------------------------------------


def test_anonymous_requests_are_401(api_client: APIClient, artist):
    item = PortfolioItemFactory.create(owner=artist)
    assert_error(api_client.get(LIST_URL), 401)
    assert_error(api_client.get(detail_url(item)), 401)
    assert_error(api_client.post(LIST_URL, {"kind": "link"}), 401)


def test_the_list_is_only_mine_in_each_portfolios_order(artist_api: APIClient, artist, associate):
    PortfolioItemFactory.create(owner=artist, title="Second", position=2)
    PortfolioItemFactory.create(owner=artist, title="First", position=1)
    PortfolioItemFactory.create(owner=artist, title="Pro work", profile_kind=ProfileKind.ASSOCIATE)
    PortfolioItemFactory.create(owner=associate, title="Marco's")
    assert titles(artist_api.get(LIST_URL)) == ["First", "Second", "Pro work"]
    assert titles(artist_api.get(LIST_URL, {"profile_kind": "associate"})) == ["Pro work"]
    assert_error(artist_api.get(LIST_URL, {"profile_kind": "label"}), 400, fields=["profile_kind"])
    body = artist_api.get(LIST_URL).json()["results"][0]
    assert body["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert body["file_url"] is None


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_one_or_fifty_items(
    artist_api: APIClient, artist, django_assert_num_queries, rows: int
):
    PortfolioItemFactory.create_batch(rows, owner=artist)
    artist_api.get(LIST_URL)  # the token's last use is recorded once, on the first request
    # The token, the count, the rows.
    with django_assert_num_queries(3):
        response = artist_api.get(LIST_URL, {"page_size": "50"})
    assert len(response.json()["results"]) == rows


def test_someone_elses_item_is_404_to_everyone_else(
    stranger_api: APIClient, admin_api: APIClient, associate_api: APIClient, artist
):
    item = PortfolioItemFactory.create(owner=artist)
    before = snapshot()
    for client in (stranger_api, admin_api, associate_api):
        assert_error(client.get(detail_url(item)), 404)
        assert_error(client.patch(detail_url(item), {"title": "Mine now"}), 404)
        assert_error(client.post(detail_url(item) + "move/", {"offset": 1}), 404)
        assert_error(client.delete(detail_url(item)), 404)
    assert snapshot() == before


# --- Adding -------------------------------------------------------------------------------------


def test_a_link_is_added_at_the_end_of_the_chosen_portfolio(artist_api: APIClient, artist):
    PortfolioItemFactory.create(owner=artist, position=3)
    response = artist_api.post(
        LIST_URL,
        {"profile_kind": "artist", "kind": "link", "title": " Live at the port ", "url": VIDEO},
    )
    assert response.status_code == 201, response.content
    item = PortfolioItem.objects.get(pk=response.json()["id"])
    assert (item.owner, item.title, item.url, item.position) == (
        artist,
        "Live at the port",
        VIDEO,
        4,
    )


def test_an_image_is_uploaded_and_stored_re_encoded(artist_api: APIClient, artist):
    response = artist_api.post(
        LIST_URL,
        {"profile_kind": "artist", "kind": "image", "title": "Cover", "file": image_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    item = PortfolioItem.objects.get()
    assert str(item.file.name).endswith(".jpg")
    assert response.json()["file_url"] == item.file.url


def test_audio_is_checked_by_its_content(artist_api: APIClient, artist):
    response = artist_api.post(
        LIST_URL,
        {"profile_kind": "artist", "kind": "audio", "title": "Demo", "file": wav_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert str(PortfolioItem.objects.get().file.name).endswith(".wav")


def link(**changes) -> dict:
    return {"profile_kind": "artist", "kind": "link", "title": "Clip", "url": VIDEO, **changes}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (link(url="https://example.com/video"), "url"),
        (link(url=""), "url"),
        (link(url="not a url"), "url"),
        (link(title=""), "title"),
        (link(title="x" * 201), "title"),
        (link(description="x" * 501), "description"),
        (link(kind="painting"), "kind"),
        (link(kind="image"), "file"),  # an upload kind needs a file …
        (link(profile_kind="label"), "profile_kind"),
        (link(profile_kind="associate"), "profile_kind"),  # Nina has no professional profile
        (link(position=1), "position"),
        (link(title=["Clip"]), "title"),
    ],
)
def test_an_invalid_item_is_refused_naming_the_field_and_nothing_is_added(
    artist_api: APIClient, artist, payload: dict, field: str
):
    response = artist_api.post(LIST_URL, payload)
    body = assert_error(response, 400)
    assert field in body["fields"], body
    assert not PortfolioItem.objects.exists()


@pytest.mark.parametrize(
    ("kind", "upload", "url"),
    [
        ("image", text_upload("photo.jpg", "image/jpeg"), ""),
        ("audio", text_upload("song.mp3", "audio/mpeg"), ""),
        ("video", wav_upload(), ""),
        ("link", image_upload(), VIDEO),  # … and a link has none
    ],
)
def test_an_upload_is_refused_unless_its_content_is_of_its_kind(
    artist_api: APIClient, artist, settings, kind: str, upload, url: str
):
    payload = {"profile_kind": "artist", "kind": kind, "title": "Work", "file": upload}
    if url:
        payload["url"] = url
    assert_error(artist_api.post(LIST_URL, payload, format="multipart"), 400, fields=["file"])
    assert not PortfolioItem.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))  # no file left behind


# --- Changing, moving, deleting -----------------------------------------------------------------


def test_the_owner_retitles_an_item_and_the_link_stays(artist_api: APIClient, artist):
    item = PortfolioItemFactory.create(owner=artist, description="Old words")
    response = artist_api.patch(detail_url(item), {"title": "Harbour session"})
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.title, item.description, item.url) == ("Harbour session", "Old words", VIDEO)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"url": VIDEO}, "url")],
)
def test_an_invalid_change_is_refused_and_nothing_changes(
    artist_api: APIClient, artist, payload: dict, field: str
):
    item = PortfolioItemFactory.create(owner=artist)
    before = snapshot()
    assert_error(artist_api.patch(detail_url(item), payload), 400, fields=[field])
    assert snapshot() == before


def test_malformed_json_is_a_400_and_changes_nothing(artist_api: APIClient, artist):
    item = PortfolioItemFactory.create(owner=artist)
    before = snapshot()
    response = artist_api.patch(detail_url(item), '{"title": ', content_type="application/json")
    assert_error(response, 400, code="parse_error")
    assert snapshot() == before


def test_the_owner_moves_an_item_within_its_portfolio(artist_api: APIClient, artist):
    first = PortfolioItemFactory.create(owner=artist, position=1)
    second = PortfolioItemFactory.create(owner=artist, position=2)
    response = artist_api.post(detail_url(second) + "move/", {"offset": -1})
    assert response.status_code == 200, response.content
    assert response.json()["position"] == 1
    assert list(PortfolioItem.objects.for_owner(artist.pk)) == [second, first]
    assert_error(
        artist_api.post(detail_url(second) + "move/", {"offset": 2}), 400, fields=["offset"]
    )


def test_the_owner_deletes_an_item_and_its_file_after_the_commit(
    artist_api: APIClient, artist, django_capture_on_commit_callbacks
):
    item = PortfolioItemFactory.create(owner=artist, image=True)
    stored = Path(item.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = artist_api.delete(detail_url(item))
    assert response.status_code == 204
    assert not PortfolioItem.objects.exists()
    assert not stored.exists()


def test_an_id_that_is_not_a_number_is_404(artist_api: APIClient, artist):
    assert_error(artist_api.get(LIST_URL + "abc/"), 404)
