"""Checking message attachments by their content, not by their name or claimed type.

Accepted: images, audio, PDF and zip archives, each as detected from the file's first bytes
(``filetype``'s signatures). What we store and send back on download is the detected type and an
extension derived from it; the browser's file name is kept only for display.
"""

import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mylabel.core.images import validate_image_upload

# Detected MIME type → extension we store under.
ACCEPTED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/x-flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/x-aiff": "aiff",
    "application/pdf": "pdf",
    "application/zip": "zip",
}
ORIGINAL_NAME_MAX_LENGTH = 255


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    content_type: str
    extension: str
    original_name: str


def max_bytes() -> int:
    return int(settings.MESSAGE_ATTACHMENT_MAX_MB) * 1024 * 1024


def clean_original_name(name: str | None) -> str:
    """The uploaded name made safe to show and to put in a Content-Disposition header: no
    directories, no control characters, not empty, at most 255 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if not base or base in {".", ".."}:
        base = "attachment"
    if len(base) > ORIGINAL_NAME_MAX_LENGTH:
        stem, dot, extension = base.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            base = stem[: ORIGINAL_NAME_MAX_LENGTH - len(extension) - 1] + "." + extension
        else:
            base = base[:ORIGINAL_NAME_MAX_LENGTH]
    return base


def check_attachment(upload: UploadedFile) -> CheckedUpload:
    """Raise ``ValidationError`` (code ``file_too_large``, ``empty_file`` or ``wrong_type``)
    unless ``upload`` is an accepted kind of file within the size cap."""
    original_name = clean_original_name(upload.name)
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {
                "name": original_name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": original_name}, code="empty_file")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess_mime(head)
    if detected not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "%(name)s is not a file type we accept. Share images, audio, PDF documents or "
                "zip archives."
            )
            % {"name": original_name},
            code="wrong_type",
        )
    if detected.startswith("image/"):
        # The signature is only the first bytes; an image must also decode, so a browser that
        # renders the preview never gets something else under an image type.
        validate_image_upload(upload, max_bytes=limit)
    return CheckedUpload(
        upload=upload,
        content_type=detected,
        extension=ACCEPTED_TYPES[detected],
        original_name=original_name,
    )
