"""Checking portfolio uploads by their content, not by their name or claimed type."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mylabel.core.images import validate_image_upload

# MIME types detected from the file's first bytes (filetype's signatures).
ACCEPTED_MIME = {
    "audio": {
        "audio/mpeg",
        "audio/x-wav",
        "audio/x-flac",
        "audio/ogg",
        "audio/mp4",
        "audio/aac",
        "audio/x-aiff",
        "video/mp4",
    },
    "video": {"video/mp4", "video/quicktime", "video/webm", "video/x-m4v"},
}
# Where the container can't tell audio from video (an .m4a is an MP4), the extension we store
# comes from what we detected, never from the uploaded name.
EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/x-flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/x-aiff": "aiff",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "video/x-m4v": "m4v",
}


def max_bytes(kind: str) -> int:
    return int(settings.PORTFOLIO_MAX_BYTES[kind])


def validate_portfolio_upload(upload: UploadedFile, kind: str) -> str:
    """Raise ``ValidationError`` unless ``upload`` really is a ``kind`` file within its size cap.
    Returns the file extension to store it under."""
    limit = max_bytes(kind)
    if kind == "image":
        validate_image_upload(upload, max_bytes=limit)
        return "jpg"
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit for %(kind)s is %(limit)s.")
            % {"size": filesizeformat(upload.size), "kind": kind, "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess_mime(head)
    if detected not in ACCEPTED_MIME[kind]:
        message = {
            "audio": _("This file is not audio we can play. Upload MP3, WAV, FLAC, OGG or M4A."),
            "video": _("This file is not a video we can play. Upload MP4, MOV or WebM."),
        }[kind]
        raise ValidationError(message, code="wrong_type")
    return EXTENSIONS[detected]
