"""A believable demo community for ``manage.py seed_demo``: the demo log-ins' own profiles and a
few dozen artists and professionals around them, with releases, links and portfolios.

Everything is written through the apps' services, so the data is exactly what a user could have
made. It is deterministic (every profile draws from a random generator seeded by its e-mail) and
idempotent (accounts are keyed by e-mail, and a profile that exists is left as it is).
"""

import io
import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont, ImageOps

from mylabel.accounts.models import User
from mylabel.artists.models import Artist, Release
from mylabel.artists.services import (
    add_release,
    create_artist_profile,
    set_roster_status,
    update_artist_profile,
)
from mylabel.associates.models import Associate, Profession
from mylabel.associates.services import create_associate_profile, update_associate_profile
from mylabel.core.models import Genre
from mylabel.demo.community_data import (
    ARTISTS,
    GIULIA_ARTIST,
    GIULIA_PRO,
    LIVE_VENUES,
    MARCO,
    NINA,
    PROFESSIONALS,
    RELEASE_TITLES,
    DemoArtist,
    DemoProfessional,
)
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from mylabel.portfolio.services import add_portfolio_item

# Demo accounts' own profiles, by the e-mails of mylabel.accounts.demo.DEMO_ACCOUNTS.
OWN_ARTISTS = {"artist@example.com": NINA, "both@example.com": GIULIA_ARTIST}
OWN_PROFESSIONALS = {"associate@example.com": MARCO, "both@example.com": GIULIA_PRO}

# Releases are dated from here, not from today, so the demo looks the same every day.
RELEASES_SINCE = date(2019, 3, 1)
RELEASES_SPAN_DAYS = 6 * 365

PALETTES = [
    ("#1b1330", "#d63b17"),
    ("#12343b", "#e6b655"),
    ("#2d1e2f", "#f2a7a0"),
    ("#0f2027", "#2c5364"),
    ("#3a1f4d", "#ffb23e"),
    ("#1d3557", "#a8dadc"),
    ("#283618", "#dda15e"),
    ("#2b2d42", "#ef233c"),
    ("#0b132b", "#5bc0be"),
    ("#4a1942", "#f7b267"),
]
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
YOUTUBE_ID_CHARS = BASE62 + "-_"
AUDIO_PROFESSIONS = {
    "Producer",
    "Mixing engineer",
    "Mastering engineer",
    "Recording engineer",
    "Session musician",
    "Songwriter",
    "Vocal coach",
}
IMAGE_PROFESSIONS = {"Photographer", "Graphic designer"}


@dataclass
class CommunitySummary:
    artists_created: int = 0
    professionals_created: int = 0
    emails: list[str] = field(default_factory=list)


def artist_email(number: int) -> str:
    return f"demo-artist-{number:02d}@example.com"


def professional_email(number: int) -> str:
    return f"demo-pro-{number:02d}@example.com"


@transaction.atomic
def seed_community(*, accounts: dict[str, User]) -> CommunitySummary:
    """Give the demo log-ins their profiles and create the rest of the community.

    ``accounts`` are the demo accounts from ``seed_accounts`` (the label admin among them signs
    artists to the roster). Safe to run again: nothing that exists is duplicated or changed.
    """
    label_admin = accounts["admin@example.com"]
    # The demo accounts' hash of the shared demo password serves the members too: hashing is
    # deliberately slow, and a real account never shares a salt.
    seeder = _Seeder(label_admin=label_admin, password_hash=label_admin.password)
    for email, artist in OWN_ARTISTS.items():
        seeder.artist(accounts[email], artist)
    for email, professional in OWN_PROFESSIONALS.items():
        seeder.professional(accounts[email], professional)
    for number, artist in enumerate(ARTISTS, start=1):
        seeder.artist(seeder.member(artist_email(number), artist.stage_name), artist)
    for number, professional in enumerate(PROFESSIONALS, start=1):
        user = seeder.member(professional_email(number), professional.name)
        seeder.professional(user, professional)
    return seeder.summary


class _Seeder:
    def __init__(self, *, label_admin: User, password_hash: str) -> None:
        self.label_admin = label_admin
        self.password_hash = password_hash
        self.genres = {genre.name: genre for genre in Genre.objects.all()}
        self.professions = {profession.name: profession for profession in Profession.objects.all()}
        self.summary = CommunitySummary()
        # Names of everyone in the demo, so portfolio credits point at people who exist.
        self.artist_names = [NINA.stage_name, GIULIA_ARTIST.stage_name] + [
            artist.stage_name for artist in ARTISTS
        ]

    # --- Accounts -------------------------------------------------------------------------------

    def member(self, email: str, display_name: str) -> User:
        """A verified community account that logs in with the demo password."""
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name}
        )
        if created:
            user.password = self.password_hash
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.summary.emails.append(email)
        return user

    def _genres(self, names: Iterable[str]) -> list[Genre]:
        return [self.genres[name] for name in names if name in self.genres]

    # --- Artists --------------------------------------------------------------------------------

    def artist(self, user: User, data: DemoArtist) -> None:
        if Artist.objects.filter(user=user).exists():
            return
        rng = random.Random(f"mylabel-demo:artist:{user.email}")  # noqa: S311 - demo data
        handle = slugify(data.stage_name).replace("-", "") or "artist"
        artist = create_artist_profile(
            user=user,
            stage_name=data.stage_name,
            city=data.city,
            country=data.country,
            genres=self._genres(data.genres),
        )
        links: dict[str, Any] = {
            "instagram_url": f"https://www.instagram.com/{handle}/",
            "spotify_url": f"https://open.spotify.com/artist/{_token(rng, 22)}",
        }
        if rng.random() < 0.7:
            links["soundcloud_url"] = f"https://soundcloud.com/{handle}"
        if rng.random() < 0.6:
            links["youtube_url"] = f"https://www.youtube.com/@{handle}"
        update_artist_profile(artist=artist, by=user, bio=data.bio, **links)
        self._releases(artist, user, rng, handle)
        self._artist_portfolio(artist, user, rng, handle)
        if data.on_roster:
            set_roster_status(artist=artist, by=self.label_admin, on_roster=True)
        self.summary.artists_created += 1

    def _releases(self, artist: Artist, user: User, rng: random.Random, handle: str) -> None:
        count = rng.choice([1, 2, 2, 3])
        titles = rng.sample(RELEASE_TITLES, count)
        # Oldest first: singles and EPs before the album.
        days = sorted(rng.sample(range(RELEASES_SPAN_DAYS), count))
        kinds = sorted(
            (
                rng.choice([Release.Kind.SINGLE, Release.Kind.SINGLE, Release.Kind.EP])
                for _ in range(count)
            ),
            key=lambda kind: kind != Release.Kind.SINGLE,
        )
        if count == 3:
            kinds[-1] = Release.Kind.ALBUM
        palette = rng.choice(PALETTES)
        for title, offset, kind in zip(titles, days, kinds, strict=True):
            links = {"spotify_url": f"https://open.spotify.com/album/{_token(rng, 22)}"}
            if rng.random() < 0.5:
                links["youtube_url"] = f"https://www.youtube.com/watch?v={_youtube_id(rng)}"
            if rng.random() < 0.4:
                links["bandcamp_url"] = f"https://{handle}.bandcamp.com/album/{slugify(title)}"
            add_release(
                artist=artist,
                by=user,
                title=title,
                kind=kind,
                release_date=RELEASES_SINCE + timedelta(days=offset),
                cover=_jpeg_upload(
                    artwork(rng, palette=palette, size=480, caption=(artist.stage_name, title)),
                    "cover.jpg",
                ),
                **links,
            )

    def _artist_portfolio(
        self, artist: Artist, user: User, rng: random.Random, handle: str
    ) -> None:
        venue = rng.choice(LIVE_VENUES)
        items = [
            (
                f"Live at {venue}",
                f"https://www.youtube.com/watch?v={_youtube_id(rng)}",
            ),
            (
                "Demo: " + rng.choice(RELEASE_TITLES),
                f"https://soundcloud.com/{handle}/{slugify(rng.choice(RELEASE_TITLES))}-demo",
            ),
        ]
        if rng.random() < 0.5:
            items.append(("Latest single", f"https://open.spotify.com/track/{_token(rng, 22)}"))
        for title, url in items:
            add_portfolio_item(
                owner=user,
                profile_kind=ProfileKind.ARTIST,
                kind=PortfolioItem.Kind.LINK,
                title=title,
                url=url,
            )
        if rng.random() < 0.5:
            add_portfolio_item(
                owner=user,
                profile_kind=ProfileKind.ARTIST,
                kind=PortfolioItem.Kind.IMAGE,
                title=f"Press photo, {artist.city}",
                description=f"{artist.stage_name} by a friend with a very good camera.",
                upload=_jpeg_upload(artwork(rng, palette=rng.choice(PALETTES), size=720)),
            )

    # --- Professionals --------------------------------------------------------------------------

    def professional(self, user: User, data: DemoProfessional) -> None:
        if Associate.objects.filter(user=user).exists():
            return
        rng = random.Random(f"mylabel-demo:professional:{user.email}")  # noqa: S311
        associate = create_associate_profile(
            user=user,
            display_name=data.name,
            headline=data.headline,
            professions=[self.professions[n] for n in data.professions if n in self.professions],
            genres=self._genres(data.genres),
            city=data.city,
            country=data.country,
            works_remotely=data.works_remotely,
        )
        update_associate_profile(
            associate=associate,
            by=user,
            bio=data.bio,
            years_experience=data.years_experience,
            languages=list(data.languages),
        )
        self._professional_portfolio(user, data, rng)
        self.summary.professionals_created += 1

    def _professional_portfolio(
        self, user: User, data: DemoProfessional, rng: random.Random
    ) -> None:
        professions = set(data.professions)
        credits = rng.sample(self.artist_names, 3)
        handle = slugify(data.name).replace("-", "")
        links: list[tuple[str, str]] = []
        if professions & AUDIO_PROFESSIONS:
            verb = _credit_verb(professions)
            links += [
                (
                    f"{verb}: {credits[0]} \N{EN DASH} {rng.choice(RELEASE_TITLES)}",
                    f"https://open.spotify.com/track/{_token(rng, 22)}",
                ),
                (
                    f"{verb}: {credits[1]} \N{EN DASH} {rng.choice(RELEASE_TITLES)}",
                    f"https://soundcloud.com/{handle}/{slugify(credits[1])}-{rng.randint(1, 99)}",
                ),
            ]
        if "Videographer" in professions:
            links += [
                (
                    f"Music video: {name} \N{EN DASH} {rng.choice(RELEASE_TITLES)}",
                    f"https://www.youtube.com/watch?v={_youtube_id(rng)}",
                )
                for name in credits[:2]
            ]
        for title, url in links:
            add_portfolio_item(
                owner=user,
                profile_kind=ProfileKind.ASSOCIATE,
                kind=PortfolioItem.Kind.LINK,
                title=title,
                url=url,
            )
        images = 2 if professions & IMAGE_PROFESSIONS else int(rng.random() < 0.3)
        for index in range(images):
            add_portfolio_item(
                owner=user,
                profile_kind=ProfileKind.ASSOCIATE,
                kind=PortfolioItem.Kind.IMAGE,
                title=_image_title(professions, credits[index]),
                upload=_jpeg_upload(artwork(rng, palette=rng.choice(PALETTES), size=720)),
            )


def _credit_verb(professions: set[str]) -> str:
    for profession, verb in [
        ("Mastering engineer", "Mastered"),
        ("Mixing engineer", "Mixed"),
        ("Producer", "Produced"),
        ("Recording engineer", "Recorded"),
        ("Songwriter", "Co-written"),
        ("Session musician", "Played on"),
    ]:
        if profession in professions:
            return verb
    return "Worked on"


def _image_title(professions: set[str], credit: str) -> str:
    if "Photographer" in professions:
        return f"Portrait session: {credit}"
    if "Graphic designer" in professions:
        return f"Cover art: {credit}"
    return f"On tour with {credit}"


def _token(rng: random.Random, length: int) -> str:
    """A Spotify-style base-62 id."""
    return "".join(rng.choice(BASE62) for _ in range(length))


def _youtube_id(rng: random.Random) -> str:
    return "".join(rng.choice(YOUTUBE_ID_CHARS) for _ in range(11))


# --- Generated artwork --------------------------------------------------------------------------


def artwork(
    rng: random.Random, *, palette: tuple[str, str], size: int, caption: tuple[str, str] = ("", "")
) -> bytes:
    """A square JPEG in the style of a record sleeve: a gradient, a few bold shapes and, for a
    cover, the artist and the title. Drawn with Pillow in a few milliseconds; no downloads."""
    dark, light = palette
    gradient = (
        Image.radial_gradient("L")
        if rng.random() < 0.35
        else Image.linear_gradient("L").transpose(
            rng.choice([Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180])
        )
    )
    image = ImageOps.colorize(gradient.resize((size, size)), dark, light).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    style = rng.choice(["sun", "bars", "rings", "grid"])
    if style == "sun":
        radius = size * rng.uniform(0.2, 0.32)
        cx, cy = size * rng.uniform(0.3, 0.7), size * rng.uniform(0.3, 0.5)
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), fill=(255, 214, 120, 220)
        )
        for row in range(8):
            y = size * 0.62 + row * size * 0.045
            draw.rectangle((0, y, size, y + size * (0.006 + row * 0.002)), fill=(0, 0, 0, 150))
    elif style == "bars":
        count = 28
        spacing = size * 0.8 / count
        width = spacing * 0.6
        for index in range(count):
            height = size * rng.uniform(0.05, 0.45)
            x = size * 0.1 + index * spacing + (spacing - width) / 2
            draw.rounded_rectangle(
                (x, size / 2 - height / 2, x + width, size / 2 + height / 2),
                radius=width / 2,
                fill=(255, 255, 255, 190),
            )
    elif style == "rings":
        cx, cy = size * rng.uniform(0.35, 0.65), size * rng.uniform(0.35, 0.65)
        for ring in range(1, 9):
            radius = ring * size * 0.06
            draw.ellipse(
                (cx - radius, cy - radius, cx + radius, cy + radius),
                outline=(255, 255, 255, 200 - ring * 18),
                width=max(2, size // 160),
            )
    else:
        step = size // 12
        for x in range(step, size, step):
            for y in range(step, size, step):
                dot = step * rng.uniform(0.08, 0.3)
                draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(255, 255, 255, 170))
    if any(caption):
        _draw_caption(draw, size, caption)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=86)
    return buffer.getvalue()


def _draw_caption(draw: ImageDraw.ImageDraw, size: int, caption: tuple[str, str]) -> None:
    artist, title = caption
    margin = size // 16
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont
    large: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        # DejaVu ships with most Linux systems; Pillow finds it in the system font folders.
        small = ImageFont.truetype("DejaVuSans-Bold.ttf", size // 22)
        large = ImageFont.truetype("DejaVuSans-Bold.ttf", size // 13)
    except OSError:
        # Pillow's own font has no accented letters: "Città" would lose its "à".
        artist, title = _ascii(artist), _ascii(title)
        small, large = ImageFont.load_default(size // 22), ImageFont.load_default(size // 13)
    draw.text((margin, margin), artist.upper(), font=small, fill=(255, 255, 255, 235))
    draw.text((margin, size - margin), title, font=large, fill=(255, 255, 255, 245), anchor="ls")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _jpeg_upload(content: bytes, name: str = "image.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")
