"""A generated community with a known structure, for evaluating the recommender
(``manage.py evaluate_recommender``).

Artists and professionals belong to *scenes*: a few genres each, named in their profiles and
bios. An artist books mostly professionals of their own scene (``coherence``), the better known
ones more often (a Zipf-like weight per professional), and otherwise someone popular from
anywhere. So the structure a good recommender should find is there, and so is the popularity a
baseline exploits. Rows are written in bulk (like ``demo/scale.py``), all with one run token
in their e-mails and slugs, so several runs never collide.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Profession, Service
from mylabel.bookings.models import Booking, Status
from mylabel.core.models import Genre

CITIES = ["Milan", "Rome", "Berlin", "London", "Lisbon", "Paris", "Madrid", "Amsterdam"]
BIO_WORDS = [
    "studio", "records", "songs", "sessions", "touring", "vinyl", "analog", "live", "late-night",
    "warm", "raw", "lyrics", "groove", "harmony", "band", "solo", "remote", "independent",
]  # fmt: skip


@dataclass(frozen=True)
class GeneratedCommunity:
    artist_pks: list[int]
    associate_pks: list[int]
    bookings: int


def _scenes(genres: list[Genre], count: int, rng: random.Random) -> list[list[Genre]]:
    shuffled = genres[:]
    rng.shuffle(shuffled)
    size = max(1, min(3, len(shuffled) // count))
    return [shuffled[index * size : (index + 1) * size] or shuffled[:1] for index in range(count)]


def _users(count: int, prefix: str) -> list[User]:
    users = [
        User(
            email=f"{prefix}-{index}@example.invalid",
            display_name=f"{prefix} {index}",
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(8),
        )
        for index in range(count)
    ]
    return User.objects.bulk_create(users, batch_size=500)


def _bio(scene: list[Genre], rng: random.Random) -> str:
    names = " and ".join(genre.name for genre in scene)
    words = " ".join(rng.sample(BIO_WORDS, 4))
    return f"{names} through and through: {words}."


@transaction.atomic
def generate_community(
    *,
    artists: int = 300,
    associates: int = 120,
    scenes: int = 8,
    bookings: tuple[int, int] = (3, 7),
    coherence: float = 0.85,
    seed: int = 7,
) -> GeneratedCommunity:
    """Write the community; each artist books between ``bookings`` distinct professionals, a
    share ``coherence`` of them from their own scene. The same seed writes the same community
    (apart from the run token)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    token = secrets.token_hex(3)
    genres = list(Genre.objects.order_by("slug"))
    crafts = list(Profession.objects.order_by("slug"))
    scene_genres = _scenes(genres, scenes, rng)

    artist_scene = [index % scenes for index in range(artists)]
    artist_users = _users(artists, f"reco-artist-{token}")
    artist_rows = Artist.objects.bulk_create(
        [
            Artist(
                user=user,
                stage_name=f"Artist {index}",
                slug=f"reco-{token}-artist-{index}",
                bio=_bio(scene_genres[artist_scene[index]], rng),
                city=rng.choice(CITIES),
            )
            for index, user in enumerate(artist_users)
        ],
        batch_size=500,
    )
    associate_scene = [index % scenes for index in range(associates)]
    associate_users = _users(associates, f"reco-pro-{token}")
    associate_rows = Associate.objects.bulk_create(
        [
            Associate(
                user=user,
                display_name=f"Professional {index}",
                slug=f"reco-{token}-pro-{index}",
                headline=f"{rng.choice(crafts).name} for "
                + " and ".join(genre.name for genre in scene_genres[associate_scene[index]]),
                bio=_bio(scene_genres[associate_scene[index]], rng),
                city=rng.choice(CITIES),
                works_remotely=rng.random() < 0.3,
            )
            for index, user in enumerate(associate_users)
        ],
        batch_size=500,
    )
    Artist.genres.through.objects.bulk_create(
        [
            Artist.genres.through(artist_id=artist.pk, genre_id=genre.pk)
            for index, artist in enumerate(artist_rows)
            for genre in scene_genres[artist_scene[index]]
        ]
    )
    Associate.genres.through.objects.bulk_create(
        [
            Associate.genres.through(associate_id=associate.pk, genre_id=genre.pk)
            for index, associate in enumerate(associate_rows)
            for genre in scene_genres[associate_scene[index]]
        ]
    )
    Associate.professions.through.objects.bulk_create(
        [
            Associate.professions.through(associate_id=associate.pk, profession_id=craft.pk)
            for associate in associate_rows
            for craft in rng.sample(crafts, min(2, len(crafts)))
        ]
    )
    services = Service.objects.bulk_create(
        [
            Service(associate=associate, name="Session", price=Decimal("100.00"))
            for associate in associate_rows
        ]
    )

    # Some professionals are much better known than others, in their scene and overall.
    fame = [1 / (1 + rank) ** 0.8 for rank in rng.sample(range(associates), associates)]
    members = [
        [index for index in range(associates) if associate_scene[index] == scene]
        for scene in range(scenes)
    ]
    start = timezone.now().replace(microsecond=0) - timedelta(days=400)
    booking_rows = []
    for artist_index, artist in enumerate(artist_rows):
        chosen: list[int] = []
        for _ in range(rng.randint(*bookings)):
            own_scene = rng.random() < coherence
            pool = [
                index
                for index in (
                    members[artist_scene[artist_index]] if own_scene else range(associates)
                )
                if index not in chosen
            ]
            if not pool:
                continue
            chosen.append(rng.choices(pool, weights=[fame[index] for index in pool])[0])
        for order, index in enumerate(chosen):
            begins = start + timedelta(
                days=order * 30 + rng.randint(0, 20), hours=artist_index % 24
            )
            booking_rows.append(
                Booking(
                    artist=artist,
                    associate=associate_rows[index],
                    service=services[index],
                    start=begins,
                    end=begins + timedelta(hours=1),
                    blocked_until=begins + timedelta(hours=1),
                    status=Status.COMPLETED,
                    price=services[index].price,
                    expires_at=begins,
                )
            )
    Booking.objects.bulk_create(booking_rows, batch_size=1000)
    return GeneratedCommunity(
        artist_pks=[artist.pk for artist in artist_rows],
        associate_pks=[associate.pk for associate in associate_rows],
        bookings=len(booking_rows),
    )
