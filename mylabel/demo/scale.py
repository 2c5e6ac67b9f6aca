"""Bulk profiles for benchmarks (``manage.py seed_scale N``): N artists and N associates, with
their users, genres and professions, written with ``bulk_create`` in a few statements per batch.

Profiles are believable enough for search to behave as it would on real data: names, headlines
and bios are drawn from word lists, so terms repeat with realistic frequencies. The search columns
are filled as the services would fill them (``refresh_*_search``): ``search_text`` in Python,
the vectors (artists' ``search_vector``, professionals' ``AssociateSearchEntry.vector``) on
PostgreSQL in one ``UPDATE`` per model, computed by the database from the rows and their genres
and professions.
"""

import random
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVector
from django.db import models, transaction
from django.db.models import Case, Func, OuterRef, Subquery, Value, When
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django_countries import countries

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import LANGUAGE_NAMES, Associate, AssociateSearchEntry, Profession
from mylabel.core.models import Genre
from mylabel.core.search import SEARCH_CONFIG, search_text, uses_postgres

CITIES = [
    ("Milan", "IT"), ("Rome", "IT"), ("Turin", "IT"), ("Bologna", "IT"), ("Naples", "IT"),
    ("Florence", "IT"), ("Palermo", "IT"), ("London", "GB"), ("Manchester", "GB"),
    ("Bristol", "GB"), ("Glasgow", "GB"), ("Berlin", "DE"), ("Hamburg", "DE"), ("Cologne", "DE"),
    ("Paris", "FR"), ("Lyon", "FR"), ("Marseille", "FR"), ("Madrid", "ES"), ("Barcelona", "ES"),
    ("Valencia", "ES"), ("Lisbon", "PT"), ("Porto", "PT"), ("Amsterdam", "NL"),
    ("Rotterdam", "NL"), ("Stockholm", "SE"), ("Copenhagen", "DK"), ("Vienna", "AT"),
    ("Brussels", "BE"), ("Dublin", "IE"), ("Athens", "GR"), ("Warsaw", "PL"), ("Bucharest", "RO"),
    ("New York", "US"), ("Los Angeles", "US"), ("Nashville", "US"), ("Atlanta", "US"),
    ("Toronto", "CA"), ("Montreal", "CA"), ("Lagos", "NG"), ("São Paulo", "BR"),
    ("Mexico City", "MX"), ("Tokyo", "JP"), ("Seoul", "KR"), ("Melbourne", "AU"),
]  # fmt: skip
FIRST_NAMES = [
    "Giulia", "Marco", "Sofia", "Luca", "Chiara", "Matteo", "Elena", "Davide", "Aisha", "Tom",
    "Maya", "Jonas", "Lena", "Felix", "Amara", "Noah", "Inès", "Hugo", "Lucía", "Pablo", "Ana",
    "João", "Sanne", "Daan", "Astrid", "Erik", "Zofia", "Kenji", "Yuna", "Min-jun", "Chloé",
    "Omar", "Priya", "Tariq", "Grace", "Sam", "Ruby", "Theo", "Nadia", "Leo", "Ivy", "Dario",
]  # fmt: skip
LAST_NAMES = [
    "Rossi", "Bianchi", "Conti", "Esposito", "Romano", "Ricci", "Moretti", "Marino", "Greco",
    "Smith", "Walker", "Okafor", "Adeyemi", "Müller", "Schneider", "Fischer", "Martin", "Dubois",
    "García", "López", "Silva", "Costa", "de Vries", "Jansen", "Lindqvist", "Nielsen", "Kowalski",
    "Popescu", "Tanaka", "Kim", "Park", "Haddad", "Khan", "O'Brien", "Murphy", "Novak", "Vale",
]  # fmt: skip
STAGE_WORDS = [
    "Velvet", "Harbour", "Neon", "Echo", "Lune", "Static", "Golden", "Hollow", "Paper", "Wolves",
    "Saint", "Ember", "Violet", "Tide", "Glass", "Comet", "Mirage", "Orchid", "Atlas", "Cinder",
    "Marble", "Nomad", "Ivory", "Riviera", "Solstice", "Jackal", "Parade", "Crown", "Drift",
    "Fever", "Halo", "Juniper", "Kite", "Lantern", "Meadow", "North", "Opal", "Pilot", "Quartz",
]  # fmt: skip
HEADLINES = [
    "{profession} for {genres} artists",
    "{profession} · {genre} records, {years} years in the studio",
    "{profession} based in {city}",
    "{profession} with a {genre} ear",
    "{profession} and {profession2} for independent artists",
    "Award-winning {profession} ({genres})",
]
HEADLINES_ONE_CRAFT = [line for line in HEADLINES if "{profession2}" not in line]
BIO_SENTENCES = [
    "I have worked on {count} releases across {genres}.",
    "My room in {city} has a vintage console, a vocal booth and a very good coffee machine.",
    "I care about arrangement first: a great song survives any mix.",
    "Credits include independent labels, sync placements and a couple of late-night radio hits.",
    "Fast turnaround, honest feedback and unlimited small revisions.",
    "I grew up playing in {genre} bands and still think like a musician.",
    "Remote sessions welcome: send stems, get a reference within a week.",
    "Analogue warmth, modern loudness: I use both and pick what the song needs.",
    "I toured for {years} years before settling behind the desk.",
    "Happy to help first-time artists shape their sound and plan a release.",
    "Fluent in Pro Tools, Logic and Ableton; comfortable with Dolby Atmos deliveries.",
    "Favourite records this year: anything with real drums and a brave vocal.",
]
ARTIST_BIO_SENTENCES = [
    "{name} makes {genres}, mostly after midnight.",
    "Born in {city}, now writing songs between rehearsal rooms and night buses.",
    "Their debut EP came out on a small label and found its way onto {count} playlists.",
    "Live, the band plays loud and long; on record, everything is close and quiet.",
    "Currently looking for a producer and a mixing engineer for the next album.",
    "Influences range from classic soul to modern club music.",
    "{name} has opened for touring acts across {country} and beyond.",
    "New single out soon, recorded live to tape in {years} days.",
]


@dataclass(frozen=True)
class ScaleResult:
    artists: int
    associates: int
    seconds: float


def seed_scale(
    *, artists: int, associates: int, seed: int | None = None, batch_size: int = 2000
) -> ScaleResult:
    """Create ``artists`` artists and ``associates`` associates, each with their own user, in one
    transaction. Needs the genres and professions of the data migrations. Safe to run again:
    e-mail addresses and slugs carry a per-run token."""
    if artists < 0 or associates < 0:
        raise ValueError("counts cannot be negative")
    genres = list(Genre.objects.all())
    professions = list(Profession.objects.all())
    if not genres or not professions:
        raise ValueError("No genres or professions: run `manage.py migrate` first.")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - fake data, not security
    token = secrets.token_hex(3)
    with transaction.atomic():
        artist_ids = _create_artists(artists, rng, token, genres, batch_size)
        associate_ids = _create_associates(associates, rng, token, genres, professions, batch_size)
        if uses_postgres():
            _fill_search_vectors(Artist, artist_ids, _artist_vector())
            _fill_associate_search_vectors(associate_ids)
    return ScaleResult(len(artist_ids), len(associate_ids), time.perf_counter() - started)


# --- Generation ---------------------------------------------------------------------------------


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def _create_users(names: Sequence[str], emails: Sequence[str], batch_size: int) -> list[User]:
    # Nobody logs in as these accounts, so they share one unusable password (no hashing cost).
    password = UNUSABLE_PASSWORD_PREFIX + get_random_string(40)
    users = [
        User(email=email, display_name=name[:80], password=password)
        for name, email in zip(names, emails, strict=True)
    ]
    return User.objects.bulk_create(users, batch_size=batch_size)


def _pick_genres(rng: random.Random, genres: list[Genre]) -> list[Genre]:
    # In name order, as the services read them back (Meta.ordering), so search_text matches.
    return sorted(rng.sample(genres, rng.choices([1, 2, 3], weights=[3, 4, 2])[0]), key=_name)


def _name(item: Genre | Profession) -> str:
    return item.name


def _and(names: Iterable[str]) -> str:
    """ "Soul", "Soul and Jazz", "Funk, Soul and Jazz"."""
    *rest, last = names
    return f"{', '.join(rest)} and {last}" if rest else last


def _fill(template: str, rng: random.Random, context: dict[str, Any]) -> str:
    return template.format(count=rng.randint(3, 120), years=rng.randint(2, 25), **context)


def _create_artists(
    count: int, rng: random.Random, token: str, genres: list[Genre], batch_size: int
) -> list[int]:
    ids: list[int] = []
    through = Artist.genres.through
    for chunk in _chunks(count, batch_size):
        names, rows, picked = [], [], []
        for index in chunk:
            name = _stage_name(rng)
            city, country = rng.choice(CITIES)
            chosen = _pick_genres(rng, genres)
            context = {
                "name": name,
                "genre": chosen[0].name,
                "genres": _and(genre.name for genre in chosen),
                "city": city,
                "country": str(countries.name(country)),
            }
            bio = " ".join(_fill(s, rng, context) for s in rng.sample(ARTIST_BIO_SENTENCES, 3))
            location = [city, str(countries.name(country))]
            names.append(name)
            picked.append(chosen)
            rows.append(
                Artist(
                    stage_name=name,
                    slug=f"{slugify(name)[:100]}-{token}{index}",
                    bio=bio,
                    city=city,
                    country=country,
                    is_on_roster=rng.random() < 0.05,
                    search_text=search_text(
                        [name, *(genre.name for genre in chosen), *location, bio]
                    ),
                )
            )
        emails = [f"scale-{token}-a{index}@example.invalid" for index in chunk]
        users = _create_users(names, emails, batch_size)
        for row, user in zip(rows, users, strict=True):
            row.user = user
        created = Artist.objects.bulk_create(rows, batch_size=batch_size)
        through.objects.bulk_create(
            [
                through(artist_id=artist.pk, genre_id=genre.pk)
                for artist, chosen in zip(created, picked, strict=True)
                for genre in chosen
            ],
            batch_size=batch_size * 3,
        )
        ids.extend(artist.pk for artist in created)
    return ids


def _create_associates(
    count: int,
    rng: random.Random,
    token: str,
    genres: list[Genre],
    professions: list[Profession],
    batch_size: int,
) -> list[int]:
    ids: list[int] = []
    genre_through = Associate.genres.through
    profession_through = Associate.professions.through
    languages = list(LANGUAGE_NAMES)
    for chunk in _chunks(count, batch_size):
        rows, picked_genres, picked_professions = [], [], []
        for index in chunk:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            city, country = rng.choice(CITIES)
            chosen_genres = _pick_genres(rng, genres)
            chosen_professions = sorted(
                rng.sample(professions, rng.choices([1, 2], weights=[3, 1])[0]), key=_name
            )
            years = rng.randint(1, 30)
            context = {
                "profession": chosen_professions[0].name,
                "profession2": chosen_professions[-1].name.lower(),
                "genre": chosen_genres[0].name,
                "genres": _and(genre.name for genre in chosen_genres),
                "city": city,
                "years": years,
            }
            templates = HEADLINES if len(chosen_professions) > 1 else HEADLINES_ONE_CRAFT
            headline = rng.choice(templates).format(**context)[:160]
            bio = " ".join(
                _fill(sentence, rng, {k: v for k, v in context.items() if k != "years"})
                for sentence in rng.sample(BIO_SENTENCES, rng.randint(2, 4))
            )
            location = [city, str(countries.name(country))]
            picked_genres.append(chosen_genres)
            picked_professions.append(chosen_professions)
            rows.append(
                Associate(
                    display_name=name,
                    slug=f"{slugify(name)[:100]}-{token}{index}",
                    headline=headline,
                    bio=bio,
                    city=city,
                    country=country,
                    works_remotely=rng.random() < 0.4,
                    years_experience=years,
                    languages=["en", *rng.sample(languages[1:], rng.randint(0, 2))],
                    search_text=search_text(
                        [
                            name,
                            headline,
                            *(profession.name for profession in chosen_professions),
                            *(genre.name for genre in chosen_genres),
                            *location,
                            bio,
                        ]
                    ),
                )
            )
        emails = [f"scale-{token}-p{index}@example.invalid" for index in chunk]
        users = _create_users([row.display_name for row in rows], emails, batch_size)
        for row, user in zip(rows, users, strict=True):
            row.user = user
        created = Associate.objects.bulk_create(rows, batch_size=batch_size)
        genre_through.objects.bulk_create(
            [
                genre_through(associate_id=associate.pk, genre_id=genre.pk)
                for associate, chosen in zip(created, picked_genres, strict=True)
                for genre in chosen
            ],
            batch_size=batch_size * 3,
        )
        profession_through.objects.bulk_create(
            [
                profession_through(associate_id=associate.pk, profession_id=profession.pk)
                for associate, chosen in zip(created, picked_professions, strict=True)
                for profession in chosen
            ],
            batch_size=batch_size * 3,
        )
        # Their search rows, as refresh_associate_search writes them; vectors come after.
        AssociateSearchEntry.objects.bulk_create(
            [
                AssociateSearchEntry(associate=associate, display_name=associate.display_name)
                for associate in created
            ],
            batch_size=batch_size,
        )
        ids.extend(associate.pk for associate in created)
    return ids


def _stage_name(rng: random.Random) -> str:
    first, second = rng.sample(STAGE_WORDS, 2)
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{first} {second}"
    if pattern == 1:
        return f"The {first} {second}s"
    if pattern == 2:
        return f"{rng.choice(FIRST_NAMES)} {second}"
    return f"{first} {rng.choice(LAST_NAMES)}"


# --- Search vectors (PostgreSQL) ----------------------------------------------------------------
# The same weights as services.refresh_*_search: A name (and headline), B crafts and genres,
# C place, D bio. Country names come from django-countries, so they enter as a CASE over codes.


def _names(queryset: models.QuerySet[Any]) -> Func:
    """The names of ``queryset``'s rows as one space-separated string (a correlated subquery)."""
    return Func(
        ArraySubquery(queryset.order_by().values("name")),
        Value(" "),
        function="array_to_string",
        output_field=models.TextField(),
    )


def _country_name() -> Case:
    return Case(
        *(When(country=code, then=Value(str(countries.name(code)))) for _city, code in CITIES),
        default=Value(""),
        output_field=models.TextField(),
    )


def _artist_vector() -> Any:
    genres = _names(Genre.objects.filter(artists=OuterRef("pk")))
    return (
        SearchVector("stage_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector(genres, weight="B", config=SEARCH_CONFIG)
        + SearchVector("city", _country_name(), weight="C", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="D", config=SEARCH_CONFIG)
    )


def _associate_vector() -> Any:
    professions = _names(Profession.objects.filter(associates=OuterRef("pk")))
    genres = _names(Genre.objects.filter(associates=OuterRef("pk")))
    return (
        SearchVector("display_name", "headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector(professions, genres, weight="B", config=SEARCH_CONFIG)
        + SearchVector("city", _country_name(), weight="C", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="D", config=SEARCH_CONFIG)
    )


def _fill_associate_search_vectors(ids: list[int]) -> None:
    """One UPDATE over the new professionals' search rows (``AssociateSearchEntry``), each
    vector computed from its profile by a correlated subquery."""
    if not ids:
        return
    vectors = Associate.objects.filter(pk=OuterRef("associate_id")).annotate(
        vector=_associate_vector()
    )
    AssociateSearchEntry.objects.filter(
        associate_id__gte=min(ids), associate_id__lte=max(ids), vector__isnull=True
    ).update(vector=Subquery(vectors.values("vector")[:1]))


def _fill_search_vectors(model: type[models.Model], ids: list[int], vector: Any) -> None:
    """One UPDATE over the new rows: those in their id range (a block, in practice) that have
    no vector yet. Profiles saved by the services always have one, so they are left alone."""
    if not ids:
        return
    model._default_manager.filter(
        pk__gte=min(ids), pk__lte=max(ids), search_vector__isnull=True
    ).update(search_vector=vector)
