"""Checking and re-encoding uploaded images: the browser's name and type are claims."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mylabel.core.images import reencode_image, validate_image_upload
from tests.factories import CAMERA_MAKE, jpeg_with_exif, png_bytes


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def image_bytes(image_format: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_the_accepted_formats_pass(image_format):
    validate_image_upload(upload("x.png", image_bytes(image_format)), max_bytes=10**6)


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("x.png", png_bytes()), max_bytes=100)
    assert error.value.code == "file_too_large"
    assert "the limit is 100\xa0bytes" in error.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [b"<?php echo 'hi'; ?>", b"", jpeg_with_exif()[:200]],
    ids=["script", "empty", "truncated-jpeg"],
)
def test_something_pillow_cannot_decode_is_refused(content):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("x.png", content), max_bytes=10**6)
    assert error.value.code == "invalid_image"


@pytest.mark.parametrize("image_format", ["BMP", "TIFF"])
def test_a_real_image_in_another_format_is_refused(image_format):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload("x.png", image_bytes(image_format)), max_bytes=10**6)
    assert error.value.code == "unsupported_image_format"


def test_validation_leaves_the_upload_rewound():
    file = upload("x.png", png_bytes())
    validate_image_upload(file, max_bytes=10**6)
    assert file.tell() == 0


def test_reencoding_gives_an_upright_jpeg_within_bounds_without_metadata():
    result = reencode_image(upload("x.jpg", jpeg_with_exif((2000, 1000))), max_side=256)
    data = result.read()
    assert CAMERA_MAKE.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (256, 128)
        assert dict(image.getexif()) == {}


def test_reencoding_applies_the_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100)).save(buffer, format="JPEG", exif=exif)
    with Image.open(reencode_image(upload("x.jpg", buffer.getvalue()))) as image:
        assert image.size == (100, 200)


def test_reencoding_a_palette_gif_gives_rgb():
    result = reencode_image(upload("x.gif", image_bytes("GIF", mode="P")))
    with Image.open(result) as image:
        assert image.mode == "RGB"
