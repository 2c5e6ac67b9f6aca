"""Fixtures for the messaging tests: the direct conversation between the artist and associate
personas, and upload helpers."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mylabel.accounts.models import User
from mylabel.messaging import services
from mylabel.messaging.models import Conversation
from tests.factories import png_bytes

# The smallest byte strings that filetype recognises as these types.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
MP3_BYTES = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stems/readme.txt", "drums, bass")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "contract.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


def png_upload(name: str = "cover.png"):
    return upload(name, png_bytes(), "image/png")


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings) -> None:
    """Tests that build long histories send fast; the rate-limit tests set their own windows."""
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]


@pytest.fixture
def direct(artist: User, associate: User) -> Conversation:
    """The direct conversation between Nina (artist) and Marco (associate)."""
    return services.start_direct_conversation(user=artist, other=associate)
