"""CloudinaryStorage against a local stand-in for Cloudinary's HTTP API.

The SDK talks to Cloudinary through urllib3 directly, which ``responses`` cannot intercept, so
the real SDK code runs against a small HTTP server on 127.0.0.1 that the SDK is pointed at with
``upload_prefix``. No request leaves the machine.
"""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cloudinary
import cloudinary.exceptions
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from mylabel.accounts.services import update_account_settings
from mylabel.core.storage import CloudinaryStorage, cloudinary_asset
from tests.factories import jpeg_with_exif

CLOUD = "mylabel-test"


@dataclass
class Recorded:
    method: str
    path: str
    body: bytes


@dataclass
class FakeCloudinary:
    """Answers by (method, path); records every request it receives."""

    base_url: str = ""
    routes: dict[tuple[str, str], tuple[int, object]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def answer(self, method: str, path: str, status: int, body: object) -> None:
        self.routes[(method, f"/v1_1/{CLOUD}{path}")] = (status, body)

    def serve(self, method: str, path: str, status: int, body: bytes) -> None:
        """A raw (non-API) response, for downloads."""
        self.routes[(method, path)] = (status, body)

    def paths(self, method: str) -> list[str]:
        return [request.path for request in self.requests if request.method == method]


@pytest.fixture
def fake_cloudinary() -> Iterator[FakeCloudinary]:
    fake = FakeCloudinary()

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            fake.requests.append(Recorded(self.command, path, body))
            status, payload = fake.routes.get(
                (self.command, path), (404, {"error": {"message": "Resource not found"}})
            )
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = handle_one

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    cloudinary.config(
        cloud_name=CLOUD, api_key="key", api_secret="secret", upload_prefix=fake.base_url
    )
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()
    cloudinary.reset_config()


@pytest.fixture
def storage() -> CloudinaryStorage:
    return CloudinaryStorage()


def upload_result(public_id: str, resource_type: str = "image") -> dict:
    return {"public_id": public_id, "resource_type": resource_type, "version": 1, "bytes": 4}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("avatars/7/photo.jpg", ("avatars/7/photo", "image", "jpg")),
        ("covers/Album.PNG", ("covers/Album", "image", "png")),
        ("portfolio/demo.mp3", ("portfolio/demo", "video", "mp3")),
        ("portfolio/live.mp4", ("portfolio/live", "video", "mp4")),
        ("attachments/contract.pdf", ("attachments/contract.pdf", "raw", None)),
        ("attachments/README", ("attachments/README", "raw", None)),
    ],
)
def test_names_map_to_cloudinary_assets(name, expected):
    assert cloudinary_asset(name) == expected


def test_save_uploads_a_signed_image_without_overwriting_and_returns_the_name(
    fake_cloudinary, storage
):
    fake_cloudinary.answer("POST", "/image/upload", 200, upload_result("avatars/7/photo"))
    # Name is free: the admin API answers 404 (the default route).

    name = storage.save("avatars/7/photo.jpg", ContentFile(b"\xff\xd8jpegdata"))

    assert name == "avatars/7/photo.jpg"
    (upload,) = [r for r in fake_cloudinary.requests if r.path.endswith("/upload")]
    assert upload.path == f"/v1_1/{CLOUD}/image/upload"
    assert b'name="public_id"\r\n\r\navatars/7/photo\r\n' in upload.body
    assert b'name="overwrite"\r\n\r\n0\r\n' in upload.body
    assert b'name="signature"' in upload.body
    assert b'name="api_key"\r\n\r\nkey\r\n' in upload.body
    assert b"\xff\xd8jpegdata" in upload.body


@pytest.mark.parametrize(
    ("name", "endpoint", "public_id"),
    [
        ("portfolio/demo.mp3", "/video/upload", b"portfolio/demo"),
        ("attachments/contract.pdf", "/raw/upload", b"attachments/contract.pdf"),
    ],
)
def test_save_picks_the_resource_type_from_the_extension(
    fake_cloudinary, storage, name, endpoint, public_id
):
    fake_cloudinary.answer("POST", endpoint, 200, upload_result(public_id.decode()))
    assert storage.save(name, ContentFile(b"data")) == name
    (upload,) = [r for r in fake_cloudinary.requests if r.method == "POST"]
    assert upload.path == f"/v1_1/{CLOUD}{endpoint}"
    assert b'name="public_id"\r\n\r\n' + public_id + b"\r\n" in upload.body


def test_save_picks_a_free_name_when_the_name_is_taken(fake_cloudinary, storage):
    fake_cloudinary.answer("GET", "/resources/image/upload/avatars/7/photo", 200, {"bytes": 1})
    fake_cloudinary.answer("POST", "/image/upload", 200, upload_result("ignored"))

    name = storage.save("avatars/7/photo.jpg", ContentFile(b"data"))

    assert name != "avatars/7/photo.jpg"
    assert name.startswith("avatars/7/photo_")
    assert name.endswith(".jpg")
    (upload,) = [r for r in fake_cloudinary.requests if r.method == "POST"]
    assert f'name="public_id"\r\n\r\n{name.removesuffix(".jpg")}\r\n'.encode() in upload.body


def test_an_upload_error_surfaces_as_an_exception(fake_cloudinary, storage):
    fake_cloudinary.answer("POST", "/image/upload", 400, {"error": {"message": "Invalid image"}})
    with pytest.raises(cloudinary.exceptions.Error, match="Invalid image"):
        storage.save("avatars/7/photo.jpg", ContentFile(b"not really"))


def test_url_is_the_https_delivery_url(fake_cloudinary, storage):
    assert storage.url("avatars/7/photo.jpg") == (
        f"https://res.cloudinary.com/{CLOUD}/image/upload/v1/avatars/7/photo.jpg"
    )
    assert storage.url("portfolio/demo.mp3") == (
        f"https://res.cloudinary.com/{CLOUD}/video/upload/v1/portfolio/demo.mp3"
    )
    assert storage.url("attachments/contract.pdf") == (
        f"https://res.cloudinary.com/{CLOUD}/raw/upload/v1/attachments/contract.pdf"
    )
    assert fake_cloudinary.requests == []  # a URL costs no API call


def test_url_of_an_empty_name_is_an_error(fake_cloudinary, storage):
    with pytest.raises(ValueError, match="no name"):
        storage.url("")


def test_delete_destroys_the_asset(fake_cloudinary, storage):
    fake_cloudinary.answer("POST", "/video/destroy", 200, {"result": "ok"})
    storage.delete("portfolio/demo.mp3")
    (destroy,) = fake_cloudinary.requests
    assert destroy.path == f"/v1_1/{CLOUD}/video/destroy"
    assert b'name="public_id"\r\n\r\nportfolio/demo\r\n' in destroy.body
    assert b'name="invalidate"' in destroy.body


def test_delete_of_a_missing_asset_is_not_an_error(fake_cloudinary, storage):
    fake_cloudinary.answer("POST", "/image/destroy", 200, {"result": "not found"})
    storage.delete("avatars/7/gone.jpg")


def test_exists_maps_not_found_to_false(fake_cloudinary, storage):
    fake_cloudinary.answer("GET", "/resources/image/upload/avatars/7/photo", 200, {"bytes": 1})
    assert storage.exists("avatars/7/photo.jpg")
    assert not storage.exists("avatars/7/other.jpg")
    assert fake_cloudinary.paths("GET") == [
        f"/v1_1/{CLOUD}/resources/image/upload/avatars/7/photo",
        f"/v1_1/{CLOUD}/resources/image/upload/avatars/7/other",
    ]


def test_exists_does_not_hide_other_api_errors(fake_cloudinary, storage):
    fake_cloudinary.answer(
        "GET", "/resources/raw/upload/docs/a.pdf", 401, {"error": {"message": "Bad key"}}
    )
    with pytest.raises(cloudinary.exceptions.Error, match="Bad key"):
        storage.exists("docs/a.pdf")


def test_size_comes_from_the_admin_api(fake_cloudinary, storage):
    fake_cloudinary.answer("GET", "/resources/image/upload/avatars/7/photo", 200, {"bytes": 48213})
    assert storage.size("avatars/7/photo.jpg") == 48213


def test_open_downloads_the_delivery_url(fake_cloudinary, storage, monkeypatch):
    fake_cloudinary.serve("GET", "/delivery/photo.jpg", 200, b"\xff\xd8image-bytes")
    monkeypatch.setattr(
        storage, "url", lambda name: f"{fake_cloudinary.base_url}/delivery/photo.jpg"
    )

    with storage.open("avatars/7/photo.jpg") as opened:
        assert opened.read() == b"\xff\xd8image-bytes"
        assert opened.name == "avatars/7/photo.jpg"


def test_open_of_a_missing_file_raises_file_not_found(fake_cloudinary, storage, monkeypatch):
    monkeypatch.setattr(storage, "url", lambda name: f"{fake_cloudinary.base_url}/missing.jpg")
    with pytest.raises(FileNotFoundError):
        storage.open("avatars/7/missing.jpg")


def test_open_reports_other_delivery_failures(fake_cloudinary, storage, monkeypatch):
    fake_cloudinary.serve("GET", "/broken.jpg", 502, b"bad gateway")
    monkeypatch.setattr(storage, "url", lambda name: f"{fake_cloudinary.base_url}/broken.jpg")
    with pytest.raises(OSError, match="502"):
        storage.open("avatars/7/broken.jpg")


def test_files_cannot_be_opened_for_writing(storage):
    with pytest.raises(ValueError, match="read-only"):
        storage.open("avatars/7/photo.jpg", "wb")


def test_storage_deconstructs_for_migrations():
    # @deconstructible adds the method at runtime, where type checkers cannot see it.
    path, args, kwargs = CloudinaryStorage().deconstruct()  # type: ignore[attr-defined]
    assert path == "mylabel.core.storage.CloudinaryStorage"
    assert (args, kwargs) == ((), {})


@pytest.mark.django_db
def test_avatar_upload_goes_to_cloudinary_when_configured(fake_cloudinary, settings, artist):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "mylabel.core.storage.CloudinaryStorage"},
    }
    fake_cloudinary.answer("POST", "/image/upload", 200, upload_result("x"))

    update_account_settings(
        user=artist,
        display_name=artist.display_name,
        time_zone=artist.time_zone,
        language=artist.language,
        avatar=SimpleUploadedFile("me.jpg", jpeg_with_exif(), content_type="image/jpeg"),
    )

    assert artist.avatar.url.startswith(f"https://res.cloudinary.com/{CLOUD}/image/upload/")
    assert artist.avatar.url.endswith(".jpg")
    assert fake_cloudinary.paths("POST") == [f"/v1_1/{CLOUD}/image/upload"]
