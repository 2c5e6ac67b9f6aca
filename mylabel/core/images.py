"""Checking and re-encoding uploaded images.

The browser's file name and content type are claims, not facts: an upload is an image only if
Pillow can decode it, and what we store is a fresh encoding of the decoded pixels, which drops
EXIF (camera, GPS) and any payload hidden beside the image data (polyglot files).
"""

import io
import struct
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# Larger than any camera photo people share (a 48 MP phone is 8064 x 6048), far below what
# Pillow refuses on its own (twice 89 M pixels; between one and two times it only warns): a
# few kilobytes of PNG can declare an image that takes gigabytes to decode.
MAX_PIXELS = 50_000_000
# What Pillow raises on files it cannot make sense of; the header is parsed by hand-written
# decoders, so a malformed one can surface as any of these rather than a clean "not an image".
DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def validate_image_upload(upload: UploadedFile, *, max_bytes: int) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a decodable image within ``max_bytes``."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    not_readable = ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP image."),
        code="invalid_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, GIF or WebP image."), code="unsupported_image_format"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(width)s by %(height)s pixels; the limit is %(limit)s.")
                    % {"width": width, "height": height, "limit": _("50 megapixels")},
                    code="too_many_pixels",
                )
            # verify() reads the structure, not the pixels: a JPEG cut short passes it and only
            # fails when decoded, which re-encoding does later. Decode now (a JPEG at a reduced
            # scale, which is cheap), so a file that cannot be stored is refused here.
            upload.seek(0)
            with Image.open(upload) as image:
                image.draft("RGB", (1024, 1024))
                image.load()
    except DECODE_ERRORS:
        raise not_readable from None
    finally:
        upload.seek(0)


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
