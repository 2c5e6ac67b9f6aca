"""factory_boy factories for profiles, releases and portfolio items, and small real media files
for upload tests (made with Pillow and the ``wave`` module, never read from disk).

Call ``XFactory.create(...)``: it is typed as returning the model, where ``XFactory(...)`` is not.
"""

import io
import wave
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mylabel.artists.models import Artist, Release
from mylabel.associates.models import Associate, Profession
from mylabel.core.models import Genre
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from tests.factories import UserFactory


def _set_many(manager: Any, extracted: Any) -> None:
    if extracted is not None:
        manager.set(extracted)


class ArtistFactory(factory.django.DjangoModelFactory[Artist]):
    """``ArtistFactory(genres=[genre, …])`` sets its genres (default: none)."""

    class Meta:
        model = Artist
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    stage_name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"artist-{n}")
    bio = factory.Faker("paragraph")
    city = factory.Faker("city")
    country = "IT"

    @factory.post_generation
    def genres(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            _set_many(self.genres, extracted)


class AssociateFactory(factory.django.DjangoModelFactory[Associate]):
    """``AssociateFactory(professions=[…], genres=[…])``; professions default to "Producer",
    since a professional always has at least one."""

    class Meta:
        model = Associate
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"pro-{n}")
    headline = "Producer and mixing engineer for indie and soul"
    bio = factory.Faker("paragraph")
    city = factory.Faker("city")
    country = "IT"
    works_remotely = True
    years_experience = 8
    languages = factory.LazyFunction(lambda: ["it", "en"])

    @factory.post_generation
    def professions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.professions.set(
                extracted if extracted is not None else [Profession.objects.get(slug="producer")]
            )

    @factory.post_generation
    def genres(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            _set_many(self.genres, extracted)


class ReleaseFactory(factory.django.DjangoModelFactory[Release]):
    class Meta:
        model = Release

    artist = factory.SubFactory(ArtistFactory)
    title = factory.Sequence(lambda n: f"Release {n}")
    kind = Release.Kind.SINGLE
    release_date = factory.Faker("date_object")
    spotify_url = "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy"


class PortfolioItemFactory(factory.django.DjangoModelFactory[PortfolioItem]):
    """A YouTube link item by default; ``PortfolioItemFactory(image=True)`` an uploaded image."""

    class Meta:
        model = PortfolioItem

    owner = factory.SubFactory(UserFactory)
    profile_kind = ProfileKind.ARTIST
    kind = PortfolioItem.Kind.LINK
    title = factory.Sequence(lambda n: f"Item {n}")
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    position = factory.Sequence(lambda n: n + 1)

    class Params:
        image = factory.Trait(
            kind=PortfolioItem.Kind.IMAGE,
            url="",
            file=factory.django.ImageField(filename="photo.jpg", format="JPEG"),
        )


def genres(count: int) -> list[Genre]:
    """``count`` of the genres the data migration seeds (there are 30)."""
    return list(Genre.objects.all()[:count])


# --- Uploads ------------------------------------------------------------------------------------


def image_upload(name: str = "photo.png", image_format: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (214, 59, 23)).save(buffer, format=image_format)
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def wav_upload(name: str = "demo.wav") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 800)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="audio/wav")


def mp3_upload(name: str = "demo.mp3") -> SimpleUploadedFile:
    # An ID3v2 tag followed by an MPEG-1 Layer III frame header: what an MP3 starts with.
    content = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 1024
    return SimpleUploadedFile(name, content, content_type="audio/mpeg")


def text_upload(name: str, content_type: str) -> SimpleUploadedFile:
    """A text file wearing a media file's name and content type."""
    return SimpleUploadedFile(name, b"just some text, not media\n" * 20, content_type=content_type)
