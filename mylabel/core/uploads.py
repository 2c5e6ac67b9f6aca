"""An upload handler that stops storing a file once it is past the largest upload cap.

Django spools an upload to a temporary file whatever its size, and the caps (avatar, portfolio,
attachments) are checked by the forms only once the whole file is on disk: a client could fill
the disk with one request. This handler comes first in ``FILE_UPLOAD_HANDLERS``: past the cap it
keeps counting but hands no more bytes to the handlers after it, and at the end gives the form an
empty file that reports the true size, so the usual "the file is X; the limit is Y" message
refuses it. (Cutting the connection itself is the reverse proxy's job: ``client_max_body_size``.)
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def largest_cap() -> int:
    """The largest size any upload may have, in bytes."""
    return max(
        int(settings.AVATAR_MAX_BYTES),
        *(int(limit) for limit in settings.PORTFOLIO_MAX_BYTES.values()),
        int(settings.MESSAGE_ATTACHMENT_MAX_MB) * 1024 * 1024,
    )


class OversizedUpload(UploadedFile):
    """What is left of a file cut at the cap: no content, the size the client sent."""

    def __init__(self, name: str, content_type: str | None, size: int) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.cap = largest_cap()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        # None: the handlers after this one never see the chunk, so nothing past the cap is kept.
        return raw_data if self.received <= self.cap else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.cap:
            return None  # the next handler's file, as usual
        return OversizedUpload(self.file_name or "upload", self.content_type, self.received)
