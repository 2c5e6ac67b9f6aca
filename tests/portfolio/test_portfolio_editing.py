"""The owner builds their portfolio inline: uploads checked by content, embeddable links,
reordering and deleting; everyone else is kept out."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from tests.htmx import HTMX
from tests.profile_factories import (
    PortfolioItemFactory,
    image_upload,
    mp3_upload,
    text_upload,
    wav_upload,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/portfolio/artist/add/"


def items(user: User, profile_kind: str = ProfileKind.ARTIST) -> list[PortfolioItem]:
    return list(PortfolioItem.objects.for_profile(user.pk, profile_kind))


def mp4_upload(name: str = "clip.mp4") -> SimpleUploadedFile:
    # An ISO media "ftyp" box naming an MP4 brand: how every MP4 file starts.
    content = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 512
    return SimpleUploadedFile(name, content, content_type="video/mp4")


# --- The section and the edit page ---------------------------------------------------------------


def test_edit_swaps_the_section_into_edit_mode(artist_client: Client, nina: Artist) -> None:
    response = artist_client.get("/portfolio/artist/edit/", headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-portfolio"')
    assert "<html" not in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'hx-post="{ADD_URL}"' in html
    assert 'href="/artists/nina-vale/#section-portfolio"' in html  # "Done"


def test_edit_without_javascript_is_a_page_of_its_own(artist_client: Client, nina: Artist) -> None:
    response = artist_client.get("/portfolio/artist/edit/")

    html = response.content.decode()
    assert "<html" in html
    assert "Back to Nina Vale" in html
    assert 'id="section-portfolio"' in html


def test_done_swaps_the_section_back_in_display_mode(artist_client: Client, nina: Artist) -> None:
    PortfolioItemFactory.create(owner=nina.user, title="Session photo")

    response = artist_client.get("/portfolio/artist/section/", headers=HTMX)

    html = response.content.decode()
    assert "Session photo" in html
    assert "<form" not in html
    assert 'hx-get="/portfolio/artist/edit/"' in html
    plain = artist_client.get("/portfolio/artist/section/")
    assert plain.headers["Location"] == "/artists/nina-vale/#section-portfolio"


# --- Uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload",
    [image_upload("photo.png", "PNG"), image_upload("photo.jpg", "JPEG")],
    ids=["png", "jpeg"],
)
def test_real_images_are_added_re_encoded(
    artist_client: Client, nina: Artist, upload: SimpleUploadedFile, settings
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "image", "title": "Live at Lanificio", "file": upload}, headers=HTMX
    )

    [item] = items(nina.user)
    assert item.kind == "image"
    assert str(item.file.name).endswith(".jpg")
    assert Path(settings.MEDIA_ROOT, str(item.file.name)).is_file()
    html = response.content.decode()
    assert f'<img src="{item.file.url}" alt="Live at Lanificio"' in html
    assert "“Live at Lanificio” is in your portfolio." in html


def test_a_text_file_named_png_is_refused(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        ADD_URL,
        {"kind": "image", "title": "Fake", "file": text_upload("photo.png", "image/png")},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert items(nina.user) == []


@pytest.mark.parametrize(
    ("upload", "extension"),
    [(wav_upload(), "wav"), (mp3_upload(), "mp3")],
    ids=["wav", "mp3"],
)
def test_real_audio_is_added_with_a_player(
    artist_client: Client, nina: Artist, upload: SimpleUploadedFile, extension: str
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "audio", "title": "Demo", "file": upload}, headers=HTMX
    )

    [item] = items(nina.user)
    assert str(item.file.name).endswith(f".{extension}")
    assert f'<audio controls preload="none" src="{item.file.url}"' in response.content.decode()


def test_a_text_file_named_mp3_is_refused(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        ADD_URL,
        {"kind": "audio", "title": "Not a song", "file": text_upload("song.mp3", "audio/mpeg")},
        headers=HTMX,
    )

    assert "This file is not audio we can play." in response.content.decode()
    assert items(nina.user) == []


def test_a_video_is_added_with_a_player_and_fake_video_is_refused(
    artist_client: Client, nina: Artist
) -> None:
    refused = artist_client.post(
        ADD_URL,
        {"kind": "video", "title": "Fake", "file": text_upload("clip.mp4", "video/mp4")},
        headers=HTMX,
    )
    assert "This file is not a video we can play." in refused.content.decode()

    response = artist_client.post(
        ADD_URL, {"kind": "video", "title": "Clip", "file": mp4_upload()}, headers=HTMX
    )

    [item] = items(nina.user)
    assert "<video controls" in response.content.decode()
    assert str(item.file.name).endswith(".mp4")


def test_audio_is_not_accepted_as_an_image(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "image", "title": "Wrong kind", "file": wav_upload()}, headers=HTMX
    )

    assert "This file is not an image we can read." in response.content.decode()
    assert items(nina.user) == []


@override_settings(PORTFOLIO_MAX_BYTES={"image": 20, "audio": 100, "video": 100})
@pytest.mark.parametrize(
    ("kind", "upload"), [("image", image_upload()), ("audio", wav_upload())], ids=["image", "audio"]
)
def test_oversized_files_are_refused(
    artist_client: Client, nina: Artist, kind: str, upload: SimpleUploadedFile
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": kind, "title": "Too big", "file": upload}, headers=HTMX
    )

    html = response.content.decode()
    assert "the limit" in html
    assert "is 20\xa0bytes" in html or "is 100\xa0bytes" in html
    assert items(nina.user) == []


def test_an_upload_needs_a_file(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(ADD_URL, {"kind": "image", "title": "Nothing"}, headers=HTMX)

    assert "Choose a file to upload." in response.content.decode()


def test_the_title_is_required(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(ADD_URL, {"kind": "image", "file": image_upload()}, headers=HTMX)

    assert "This field is required." in response.content.decode()
    assert items(nina.user) == []


# --- Links --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://soundcloud.com/ninavale/harbour",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fninavale%2Fharbour",
        ),
        (
            "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC",
        ),
    ],
    ids=["youtube", "youtu.be", "soundcloud", "spotify"],
)
def test_music_and_video_links_become_embedded_players(
    artist_client: Client, nina: Artist, url: str, player: str
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "link", "title": "Listen", "url": url}, headers=HTMX
    )

    [item] = items(nina.user)
    assert item.url == url
    html = response.content.decode()
    assert '<iframe class="embed embed--' in html
    assert f'src="{player}" title="Listen" loading="lazy"' in html.replace("&amp;", "&")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Enter a valid URL."),
        ("https://vimeo.com/76979871", "Paste a YouTube, SoundCloud or Spotify link"),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "Paste a YouTube"),
        ("https://www.youtube.com/watch?v=%3Cscript%3E", "Paste a YouTube"),
        ("", "Paste the link to show."),
    ],
    ids=["javascript", "unknown-host", "lookalike-host", "bad-video-id", "empty"],
)
def test_links_we_cannot_embed_are_refused(
    artist_client: Client, nina: Artist, url: str, message: str
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "link", "title": "Listen", "url": url}, headers=HTMX
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert items(nina.user) == []


def test_a_file_and_a_link_do_not_mix(artist_client: Client, nina: Artist) -> None:
    as_link = artist_client.post(
        ADD_URL,
        {
            "kind": "link",
            "title": "Both",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "file": image_upload(),
        },
        headers=HTMX,
    )
    as_image = artist_client.post(
        ADD_URL,
        {
            "kind": "image",
            "title": "Both",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "file": image_upload(),
        },
        headers=HTMX,
    )

    assert "A link item has no file." in as_link.content.decode()
    assert "Only a link item has a link." in as_image.content.decode()
    assert items(nina.user) == []


def test_unknown_kind_is_refused(artist_client: Client, nina: Artist) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "pdf", "title": "Press kit", "file": image_upload()}, headers=HTMX
    )

    assert "Select a valid choice." in response.content.decode()
    assert items(nina.user) == []


# --- Without JavaScript -------------------------------------------------------------------------


def test_add_without_javascript_redirects_to_the_edit_page(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(
        ADD_URL,
        {"kind": "link", "title": "Video", "url": "https://youtu.be/dQw4w9WgXcQ"},
        follow=True,
    )

    assert response.redirect_chain == [("/portfolio/artist/edit/", 302)]
    assert "“Video” is in your portfolio." in response.content.decode()


def test_invalid_add_without_javascript_shows_the_page_with_errors(
    artist_client: Client, nina: Artist
) -> None:
    response = artist_client.post(
        ADD_URL, {"kind": "link", "title": "Video", "url": "https://vimeo.com/1"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Paste a YouTube, SoundCloud or Spotify link" in html


# --- Reordering and deleting --------------------------------------------------------------------


def test_items_move_up_and_down(artist_client: Client, nina: Artist) -> None:
    first, second, third = (
        PortfolioItemFactory.create(owner=nina.user, title=title)
        for title in ("One", "Two", "Three")
    )

    response = artist_client.post(f"/portfolio/items/{third.pk}/up/", headers=HTMX)

    assert [item.title for item in items(nina.user)] == ["One", "Three", "Two"]
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-portfolio"')
    assert html.index("Three") < html.index("Two")
    assert "autofocus" in html  # the keyboard stays on the moved item's button

    artist_client.post(f"/portfolio/items/{first.pk}/down/", headers=HTMX)

    assert [item.title for item in items(nina.user)] == ["Three", "One", "Two"]
    assert second.pk == items(nina.user)[2].pk


def test_moving_past_either_end_changes_nothing(artist_client: Client, nina: Artist) -> None:
    top, bottom = (PortfolioItemFactory.create(owner=nina.user, title=t) for t in ("Top", "Bottom"))

    artist_client.post(f"/portfolio/items/{top.pk}/up/", headers=HTMX)
    artist_client.post(f"/portfolio/items/{bottom.pk}/down/", headers=HTMX)

    assert [item.title for item in items(nina.user)] == ["Top", "Bottom"]


def test_moving_without_javascript_redirects_to_the_edit_page(
    artist_client: Client, nina: Artist
) -> None:
    PortfolioItemFactory.create(owner=nina.user, title="A")
    second = PortfolioItemFactory.create(owner=nina.user, title="B")

    response = artist_client.post(f"/portfolio/items/{second.pk}/up/")

    assert response.headers["Location"] == "/portfolio/artist/edit/"
    assert [item.title for item in items(nina.user)] == ["B", "A"]


def test_delete_removes_the_item_and_its_file(
    artist_client: Client, nina: Artist, settings, django_capture_on_commit_callbacks
) -> None:
    item = PortfolioItemFactory.create(owner=nina.user, image=True, title="Old photo")
    path = Path(settings.MEDIA_ROOT, str(item.file.name))
    assert path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        response = artist_client.post(f"/portfolio/items/{item.pk}/delete/", headers=HTMX)

    assert items(nina.user) == []
    assert not path.exists()
    assert "“Old photo” is removed from your portfolio." in response.content.decode()


# --- Nobody but the owner -----------------------------------------------------------------------


def owner_urls(item: PortfolioItem) -> list[tuple[str, str]]:
    return [
        ("get", "/portfolio/artist/edit/"),
        ("get", "/portfolio/artist/section/"),
        ("post", ADD_URL),
        ("post", f"/portfolio/items/{item.pk}/up/"),
        ("post", f"/portfolio/items/{item.pk}/down/"),
        ("post", f"/portfolio/items/{item.pk}/delete/"),
    ]


@pytest.mark.parametrize("signed_in", [True, False], ids=["stranger", "anonymous"])
def test_others_get_404_and_change_nothing(
    client: Client, outsider: User, nina: Artist, signed_in: bool
) -> None:
    if signed_in:
        client.force_login(outsider)
    item = PortfolioItemFactory.create(owner=nina.user, title="Mine")
    PortfolioItemFactory.create(owner=nina.user, title="Also mine")

    for method, url in owner_urls(item):
        data = {"kind": "link", "title": "Hijack", "url": "https://youtu.be/dQw4w9WgXcQ"}
        response = getattr(client, method)(url, data, headers=HTMX)
        assert response.status_code == 404, url

    assert [i.title for i in items(nina.user)] == ["Mine", "Also mine"]
    assert not PortfolioItem.objects.filter(title="Hijack").exists()


def test_an_artist_cannot_touch_another_artists_items(artist_client: Client, nina: Artist) -> None:
    theirs = PortfolioItemFactory.create(title="Theirs")

    assert artist_client.post(f"/portfolio/items/{theirs.pk}/delete/").status_code == 404
    assert PortfolioItem.objects.filter(pk=theirs.pk).exists()


def test_a_portfolio_needs_a_profile_of_that_kind(artist_client: Client, nina: Artist) -> None:
    # The artist persona has no professional profile, so no professional portfolio.
    assert artist_client.get("/portfolio/associate/edit/").status_code == 404
    response = artist_client.post(
        "/portfolio/associate/add/",
        {"kind": "link", "title": "x", "url": "https://youtu.be/dQw4w9WgXcQ"},
    )
    assert response.status_code == 404
    assert artist_client.get("/portfolio/label/edit/").status_code == 404


def test_professionals_have_a_portfolio_of_their_own(
    associate_client: Client, marco: Associate
) -> None:
    response = associate_client.post(
        "/portfolio/associate/add/",
        {"kind": "link", "title": "Mix reel", "url": "https://youtu.be/dQw4w9WgXcQ"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert [item.title for item in items(marco.user, ProfileKind.ASSOCIATE)] == ["Mix reel"]
    assert items(marco.user, ProfileKind.ARTIST) == []
    assert "Mix reel" in associate_client.get(marco.get_absolute_url()).content.decode()
