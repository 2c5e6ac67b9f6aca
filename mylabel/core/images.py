"""Checking and re-encoding uploaded images.

The browser's file name and content type are claims, not facts: an upload is an image only if
Pillow can decode it, and what we store is a fresh encoding of the decoded pixels, which drops
EXIF (camera, GPS) and any payload hidden beside the image data (polyglot files).
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_upload(upload: UploadedFile, *, max_bytes: int) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a decodable image within ``max_bytes``."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image."),
            code="invalid_image",
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG, GIF or WebP image."), code="unsupported_image_format"
        )


def reencode_image(upload: UploadedFile, *, max_side: int = 1024, quality: int = 85) -> ContentFile:
    """Decode ``upload`` (already validated) and return it as a new JPEG no larger than
    ``max_side`` pixels on either side, upright, without metadata."""
    upload.seek(0)
    with Image.open(upload) as original:
        image: Image.Image = ImageOps.exif_transpose(original)
        image.thumbnail((max_side, max_side))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return ContentFile(buffer.getvalue(), name="image.jpg")
