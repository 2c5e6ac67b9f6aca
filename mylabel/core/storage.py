"""Media storage on Cloudinary (DESIGN.md §4).

``settings.STORAGES["default"]`` selects this class when ``CLOUDINARY_URL`` is set; the SDK reads
its credentials from that variable itself (``cloudinary://key:secret@cloud``). Without it, media
goes to the local file system.

A Django file name maps to a Cloudinary asset like this: the extension picks the resource type
(images → ``image``; audio and video → ``video``, which is how Cloudinary stores audio; anything
else → ``raw``). Image and video assets are addressed by the name without its extension plus a
format, so ``avatars/7/photo.jpg`` is the image ``avatars/7/photo`` delivered as JPEG; raw assets
keep the extension in their public id, as Cloudinary requires. The stored name is the Django name,
so ``url()`` can be computed without asking the API.

Uploads never overwrite: Django's ``get_available_name`` asks ``exists()`` and picks a free name
before ``_save``, and ``overwrite=False`` makes a lost race keep the first file instead of
replacing it.
"""

import posixpath
from typing import Any

import cloudinary.api
import cloudinary.exceptions
import cloudinary.uploader
import cloudinary.utils
import urllib3
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

IMAGE_EXTENSIONS = frozenset(
    {"jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff", "svg", "heic"}
)
VIDEO_EXTENSIONS = frozenset(
    {"mp4", "mov", "webm", "mkv", "avi", "m4v", "mp3", "wav", "flac", "ogg", "oga", "m4a", "aac"}
)
DOWNLOAD_TIMEOUT_SECONDS = 30


def cloudinary_asset(name: str) -> tuple[str, str, str | None]:
    """Return ``(public_id, resource_type, format)`` for a Django file name."""
    stem, extension = posixpath.splitext(name)
    extension = extension.lstrip(".").lower()
    if extension in IMAGE_EXTENSIONS:
        return stem, "image", extension
    if extension in VIDEO_EXTENSIONS:
        return stem, "video", extension
    return name, "raw", None


@deconstructible(path="mylabel.core.storage.CloudinaryStorage")
class CloudinaryStorage(Storage):
    """Django storage backed by Cloudinary's upload, admin and delivery APIs.

    Every method is a network call except ``url()``. Upload and API failures surface as
    ``cloudinary.exceptions.Error`` (the caller's transaction then rolls back).
    """

    def _save(self, name: str, content: File) -> str:
        public_id, resource_type, _format = cloudinary_asset(name)
        content.seek(0)
        # A (filename, bytes) pair: a nameless ContentFile is falsy and the SDK would skip it.
        cloudinary.uploader.upload(
            (posixpath.basename(name), content.read()),
            public_id=public_id,
            resource_type=resource_type,
            overwrite=False,
            unique_filename=False,
            use_filename=False,
        )
        return name

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Cloudinary files are read-only; save a new file instead.")
        response = urllib3.request(
            "GET", self.url(name), timeout=DOWNLOAD_TIMEOUT_SECONDS, preload_content=True
        )
        if response.status == 404:
            raise FileNotFoundError(name)
        if response.status != 200:
            raise OSError(f"Cloudinary answered {response.status} for {name}")
        return ContentFile(response.data, name=name)

    def delete(self, name: str) -> None:
        public_id, resource_type, _format = cloudinary_asset(name)
        # "not found" is a success here: Django's delete() is idempotent.
        cloudinary.uploader.destroy(public_id, resource_type=resource_type, invalidate=True)

    def exists(self, name: str) -> bool:
        try:
            self._resource(name)
        except cloudinary.exceptions.NotFound:
            return False
        return True

    def size(self, name: str) -> int:
        return int(self._resource(name)["bytes"])

    def url(self, name: str | None) -> str:
        if not name:
            raise ValueError("This file has no name, so it has no URL.")
        public_id, resource_type, file_format = cloudinary_asset(name)
        url, _options = cloudinary.utils.cloudinary_url(
            public_id, resource_type=resource_type, format=file_format, secure=True
        )
        return str(url)

    def _resource(self, name: str) -> dict[str, Any]:
        public_id, resource_type, _format = cloudinary_asset(name)
        return dict(cloudinary.api.resource(public_id, resource_type=resource_type))
