"""A fuzz pass of the upload validators (issue 10 §7): malformed images, decompression bombs,
polyglots, zip bombs, files over the caps, empty files and hostile names, each sent through the
real views (the HTML form and the API endpoint) of the three places that take files: the avatar,
the portfolio and message attachments.

Every refusal must be a clear message (200/400 with the form's error, or the API's error shape),
never a 500, and must leave nothing behind: no new row, no file in MEDIA_ROOT (which the suite's
autouse fixture points at the test's own ``tmp_path``). What is accepted is stored under our own
name, re-encoded where it is an image, and served back only as a download that a browser will
not render as a page of the site.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.core.uploads import OversizedUpload
from mylabel.messaging.models import Attachment, Conversation, Message
from mylabel.messaging.services import start_direct_conversation
from mylabel.portfolio.models import PortfolioItem

# Caps lowered for the module so "just over the cap" is a small file.
CAP = 1024 * 1024

# --- Files ---------------------------------------------------------------------------------------


def image_bytes(
    image_format: str = "PNG", mode: str = "RGB", size: tuple[int, int] = (48, 32)
) -> bytes:
    """An image of noise, so a JPEG's scan data is long enough for a cut to land inside it."""
    length = len(Image.new(mode, size).tobytes())
    noise = bytes((i * 7919) % 251 for i in range(length))
    buffer = io.BytesIO()
    Image.frombytes(mode, size, noise).save(buffer, format=image_format)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A bilevel PNG whose header declares ``width`` x ``height`` pixels, with a stream of zero
    rows (``rows`` of them; all when None): a few kilobytes that decode to hundreds of
    megabytes. Fewer rows make a truncated file, enough where the header alone must be refused."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(1)
    count = height if rows is None else rows
    data = b"".join(compressor.compress(row * 256) for _ in range(count // 256))
    data += compressor.compress(row * (count % 256)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def gif_with_frames(count: int) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("P", (8, 8), i % 256) for i in range(count)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=10)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes | int]) -> bytes:
    """A zip whose entries are bytes, or a count of zero bytes written in 1 MB pieces (a bomb:
    they compress about a thousand to one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=True) as entry:
                for _ in range(content // (1024 * 1024)):
                    entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG", size=(96, 96))
GIF = image_bytes("GIF", mode="L")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# Bombs, kept small enough to build quickly: the point is that nothing ever expands them.
DOCX_BOMB = zip_of(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": 4 * 1024 * 1024,
    }
)
ZIP_BOMB = zip_of({"stems/silence.wav": 8 * 1024 * 1024})


@dataclass(frozen=True)
class Bad:
    """A file every upload place must refuse."""

    name: str
    content: bytes
    content_type: str = "image/png"


BAD_IMAGES = {
    "truncated-png": Bad("cover.png", PNG[: len(PNG) // 2]),
    "truncated-jpeg": Bad("cover.jpg", JPEG[: len(JPEG) * 2 // 3], "image/jpeg"),
    "png-magic-then-html": Bad("cover.png", PNG[:16] + HTML),
    "jpeg-magic-then-garbage": Bad("cover.jpg", b"\xff\xd8\xff\xe0" + bytes(300), "image/jpeg"),
    # Past twice Pillow's MAX_IMAGE_PIXELS: Image.open raises DecompressionBombError.
    "bomb-over-pillow-limit": Bad("bomb.png", png_declaring(20_000, 20_000, rows=256)),
    # Between one and two times the limit Pillow only warns, and decoding would take ~150 MB.
    "bomb-under-pillow-error": Bad("bomb.png", png_declaring(12_000, 12_000)),
    # Under Pillow's limits but over ours (MAX_PIXELS).
    "bomb-over-our-limit": Bad("bomb.png", png_declaring(8_000, 8_000)),
    "svg-with-script": Bad("logo.svg", SVG, "image/svg+xml"),
    "html-named-png": Bad("photo.png", HTML),
    "empty": Bad("empty.png", b""),
    "just-over-the-cap": Bad("big.png", PNG + bytes(CAP + 1 - len(PNG))),
    # Past every cap: cut by CappedUploadHandler while it streams in, refused by its size.
    "far-over-the-cap": Bad("huge.png", PNG + bytes(3 * CAP)),
}

# --- The three upload places, each through the page and the API ----------------------------------


@pytest.fixture(autouse=True)
def _small_caps(settings) -> None:
    settings.AVATAR_MAX_BYTES = CAP
    settings.PORTFOLIO_MAX_BYTES = {"image": CAP, "audio": CAP, "video": CAP}
    settings.MESSAGE_ATTACHMENT_MAX_MB = CAP // (1024 * 1024)
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }


@pytest.fixture
def conversation(artist: User, associate: User) -> Conversation:
    return start_direct_conversation(user=artist, other=associate)


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def stored_rows(user: User) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (
        user.avatar.name,
        PortfolioItem.objects.count(),
        Message.objects.count(),
        Attachment.objects.count(),
    )


Sender = Callable[[SimpleUploadedFile], Any]


def senders(
    client: Client, api: APIClient, conversation: Conversation, user: User
) -> dict[str, Sender]:
    settings_form = {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "language": user.language,
    }
    messages_url = f"/messages/{conversation.pk}/"
    api_messages_url = f"/api/v1/conversations/{conversation.pk}/messages/"
    return {
        "avatar-page": lambda f: client.post("/account/settings/", {**settings_form, "avatar": f}),
        "avatar-api": lambda f: api.patch("/api/v1/me/", {"avatar": f}, format="multipart"),
        "portfolio-page": lambda f: client.post(
            "/portfolio/artist/add/", {"kind": "image", "title": "Cover", "file": f}
        ),
        "portfolio-api": lambda f: api.post(
            "/api/v1/portfolio/",
            {"profile_kind": "artist", "kind": "image", "title": "Cover", "file": f},
            format="multipart",
        ),
        "message-page": lambda f: client.post(messages_url, {"body": "", "attachments": f}),
        "message-api": lambda f: api.post(
            api_messages_url, {"body": "", "attachments": [f]}, format="multipart"
        ),
    }


@pytest.fixture
def places(artist: User, associate: User, conversation: Conversation) -> dict[str, Sender]:
    client = Client()
    client.force_login(artist)
    api = APIClient()
    api.force_authenticate(artist)
    return senders(client, api, conversation, artist)


PLACES = [
    "avatar-page",
    "avatar-api",
    "portfolio-page",
    "portfolio-api",
    "message-page",
    "message-api",
]


def assert_refused(response: Any, place: str) -> None:
    assert response.status_code in (200, 400, 413), (place, response.status_code)
    if place.endswith("-api"):
        body = response.json()
        assert body["detail"], body
        assert body["code"], body
    else:
        # The page says what is wrong, in the form (or the message list's error region).
        assert b"errorlist" in response.content or b'role="alert"' in response.content, place


@pytest.mark.parametrize("case", list(BAD_IMAGES), ids=list(BAD_IMAGES))
def test_bad_files_are_refused_everywhere_and_nothing_is_stored(
    case: str, places: dict[str, Sender], artist: User
) -> None:
    bad = BAD_IMAGES[case]
    before = stored_rows(artist)
    for place in PLACES:
        upload = SimpleUploadedFile(bad.name, bad.content, content_type=bad.content_type)
        response = places[place](upload)
        assert_refused(response, place)
        assert stored_rows(artist) == before, place
        assert media_files() == [], place


# --- Odd but real images: accepted, and what is stored is our own re-encoding --------------------

ODD_IMAGES = {
    "cmyk-jpeg": image_bytes("JPEG", mode="CMYK"),
    "16-bit-png": image_bytes("PNG", mode="I;16"),
    "palette-png": image_bytes("PNG", mode="P"),
    "grey-alpha-png": image_bytes("PNG", mode="LA"),
    "bilevel-png": image_bytes("PNG", mode="1"),
    "animated-gif-300-frames": gif_with_frames(300),
    # A polyglot: a valid JPEG that is also an HTML page (browsers sniff the tail).
    "jpeg-html-polyglot": JPEG + HTML,
    "gif-js-polyglot": GIF + b"\n*/=1;alert(document.cookie);//",
}


@pytest.mark.parametrize("case", list(ODD_IMAGES), ids=list(ODD_IMAGES))
def test_odd_images_are_stored_re_encoded_without_their_payload(
    case: str, places: dict[str, Sender], artist: User
) -> None:
    content = ODD_IMAGES[case]
    for place in ["avatar-page", "portfolio-api"]:
        upload = SimpleUploadedFile("odd.png", content, content_type="image/png")
        response = places[place](upload)
        assert response.status_code in (200, 201, 302), (place, response.status_code)
    files = media_files()
    assert len(files) == 2
    for path in files:
        stored = path.read_bytes()
        assert path.suffix == ".jpg"
        assert stored.startswith(b"\xff\xd8")
        assert b"<script" not in stored
        assert b"alert(" not in stored


# --- Archives: never unpacked, only the size cap applies -----------------------------------------


def test_a_zip_bomb_is_kept_as_an_opaque_download(
    places: dict[str, Sender], artist: User, conversation: Conversation
) -> None:
    """A zip is accepted as a zip (within the cap) and stored byte for byte: nothing opens it,
    so 8 MB of zeros in a few kilobytes costs what the few kilobytes cost."""
    for place in ["message-page", "message-api"]:
        response = places[place](
            SimpleUploadedFile("stems.zip", ZIP_BOMB, content_type="application/zip")
        )
        assert response.status_code in (201, 302), (place, response.status_code)
    attachments = list(Attachment.objects.all())
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.content_type == "application/zip"
        with attachment.file.open("rb") as stored:
            assert stored.read() == ZIP_BOMB
    assert sum(path.stat().st_size for path in media_files()) == 2 * len(ZIP_BOMB)


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.docx", DOCX_BOMB), ("sheet.xlsx", DOCX_BOMB.replace(b"word/", b"xl/w/"))],
    ids=["docx-bomb", "xlsx-like"],
)
def test_office_files_are_refused_as_attachments(
    name: str, content: bytes, places: dict[str, Sender], artist: User
) -> None:
    before = stored_rows(artist)
    for place in ["message-page", "message-api"]:
        response = places[place](SimpleUploadedFile(name, content))
        assert_refused(response, place)
    assert stored_rows(artist) == before
    assert media_files() == []


@pytest.mark.parametrize(
    "content",
    [PDF + ZIP_BOMB[:0] + zip_of({"a.txt": b"x"}), zip_of({"index.html": HTML}), SVG, HTML],
    ids=["pdf-zip-polyglot", "zip-of-html", "svg", "html"],
)
def test_a_served_attachment_is_never_rendered_by_the_browser(
    content: bytes, places: dict[str, Sender], artist: User
) -> None:
    """Whatever was accepted comes back as a download, under the detected type (never HTML or
    SVG), with nosniff and a sandboxing CSP: a browser saves it instead of running it."""
    response = places["message-page"](SimpleUploadedFile("page.html", content, "text/html"))
    attachment = Attachment.objects.first()
    if attachment is None:  # refused: SVG and HTML are not accepted types
        assert_refused(response, "message-page")
        assert media_files() == []
        return
    client = Client()
    client.force_login(artist)
    api = APIClient()
    api.force_authenticate(artist)
    for download in (
        client.get(f"/messages/attachments/{attachment.pk}/"),
        api.get(f"/api/v1/attachments/{attachment.pk}/"),
    ):
        assert download.status_code == 200
        content_type = download["Content-Type"]
        assert "html" not in content_type, content_type
        assert "svg" not in content_type, content_type
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in download["Content-Security-Policy"]


# --- Hostile names -------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "traversal": "../../../../etc/passwd.png",
    "windows-traversal": "..\\..\\config\\settings.py.png",
    "absolute": "/var/evil.png",
    "nul": "photo.png\x00.html",
    "very-long": "a" * 1000 + ".png",
    "rtl-override": "photo\u202egnp.html",
    "control-chars": "\x1b[31mred\x07.png",
}


@pytest.mark.parametrize("case", list(HOSTILE_NAMES), ids=list(HOSTILE_NAMES))
def test_hostile_names_never_reach_the_file_system(
    case: str, places: dict[str, Sender], artist: User, tmp_path: Path
) -> None:
    """The stored name is always ours, inside MEDIA_ROOT; the shown name is cleaned."""
    name = HOSTILE_NAMES[case]
    for place in PLACES:
        response = places[place](SimpleUploadedFile(name, PNG, content_type="image/png"))
        assert response.status_code < 500, (place, response.status_code)
    media = Path(django_settings.MEDIA_ROOT).resolve()
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and media not in p.resolve().parents]
    assert outside == []
    for path in media_files():
        assert ".." not in path.relative_to(media).parts
        assert path.suffix in (".jpg", ".png")
        assert "\u202e" not in str(path)
        assert "\x00" not in str(path)
        assert len(path.name) <= 255
    for attachment in Attachment.objects.all():
        assert "/" not in attachment.original_name
        assert "\\" not in attachment.original_name
        assert not any(ord(ch) < 32 or ch == "\u202e" for ch in attachment.original_name)
        assert len(attachment.original_name) <= 255


# --- Size caps against the request itself --------------------------------------------------------


def test_a_content_length_lie_is_refused_without_a_server_error(
    artist: User, conversation: Conversation
) -> None:
    """A body longer or shorter than its declared Content-Length: Django reads no more than the
    declared length, so the multipart body is cut, and the request is refused, never a 500."""
    # Only a declared length shorter than the body: the test client cannot send a body shorter
    # than its Content-Length (a real server would wait for the rest, then time out).
    client = Client()
    client.force_login(artist)
    body = multipart("big.png", PNG + bytes(2 * CAP))
    before = stored_rows(artist)
    response = client.generic(
        "POST",
        f"/messages/{conversation.pk}/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH="200",
    )
    assert response.status_code in (400, 413), response.status_code
    assert stored_rows(artist) == before
    assert media_files() == []


BOUNDARY = "fuzzboundary"


def multipart(filename: str, content: bytes) -> bytes:
    """A multipart body with one file under ``attachments``, its name written as given (the test
    client's own encoder refuses names Django could not derive a file name from)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
    )
    return head.encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("filename", ["..", ".", "a\x00b.png", "/", ""], ids=repr)
def test_names_django_cannot_use_are_handled_on_the_raw_request(
    filename: str, artist: User, conversation: Conversation
) -> None:
    client = Client()
    client.force_login(artist)
    response = client.generic(
        "POST",
        f"/messages/{conversation.pk}/",
        multipart(filename, PNG),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code in (302, 400), response.status_code
    for attachment in Attachment.objects.all():
        assert attachment.original_name not in ("", ".", "..")
        assert "\x00" not in attachment.original_name
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert all(media in path.resolve().parents for path in media_files())


def test_a_file_past_the_largest_cap_is_not_kept_while_it_streams_in(rf) -> None:
    """The upload handlers (settings.FILE_UPLOAD_HANDLERS) keep nothing past the largest cap: the
    form gets an empty file that reports the size the client sent, and refuses it by that."""
    body = multipart("huge.png", PNG + bytes(3 * CAP))
    request = rf.generic(
        "POST", "/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    received = request.FILES["attachments"]
    assert isinstance(received, OversizedUpload)
    assert received.size == len(PNG) + 3 * CAP
    assert received.read() == b""
    # Within the cap, the usual handlers' file, whole.
    request = rf.generic(
        "POST",
        "/",
        multipart("ok.png", PNG),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert request.FILES["attachments"].read() == PNG
