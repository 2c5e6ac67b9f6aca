"""factory_boy factories. The personas built from them live in ``tests/conftest.py``."""

import io
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from PIL import Image

from mylabel.accounts.models import LABEL_ADMIN_GROUP, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _set_verified(user: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
    if create:
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"verified": extracted is None or bool(extracted), "primary": True},
        )


def _set_label_admin(user: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
    if create and extracted:
        user.groups.add(Group.objects.get(name=LABEL_ADMIN_GROUP))


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user who can log in with ``DEFAULT_PASSWORD``.

    ``UserFactory(verified=False)`` leaves the e-mail address unverified, as a fresh sign-up
    does; by default it is verified, which mandatory verification needs before log-in.
    ``UserFactory(label_admin=True)`` puts the user in the group the data migration creates.
    """

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)
    verified = factory.PostGeneration(_set_verified)
    label_admin = factory.PostGeneration(_set_label_admin)


# --- Uploads ------------------------------------------------------------------------------------

CAMERA_MAKE = "SecretCam-9000"


def jpeg_with_exif(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG carrying EXIF metadata (camera make, software) that storage must strip."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE  # Make
    exif[0x0131] = "PhotoTool"  # Software
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A small PNG with transparency, which JPEG cannot hold."""
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 120, 200, 128)).save(buffer, format="PNG")
    return buffer.getvalue()
