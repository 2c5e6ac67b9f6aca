"""The community as the recommender sees it, read from the database in a fixed number of
queries (``engine.Community``)."""

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Exists, OuterRef

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, Status
from mylabel.core.models import Genre
from mylabel.recommendations.engine import ArtistData, AssociateData, Community, Interaction
from mylabel.reviews.models import Direction, Review

# A booking says "I chose them" unless it never happened: refused, lapsed or called off.
NOT_CHOSEN = (Status.DECLINED, Status.EXPIRED, Status.CANCELLED)


def load_community(
    *, artist_pks: Collection[int] | None = None, associate_pks: Collection[int] | None = None
) -> Community:
    """Everyone (or only the given profiles, for the evaluation's generated community), their
    genres, crafts and texts, and the bookings and ratings between them. Unlisted profiles are
    loaded too, flagged, so their bookings still inform the others' suggestions."""
    artists = Artist.objects.all()
    associates = Associate.objects.all()
    if artist_pks is not None:
        artists = artists.filter(pk__in=artist_pks)
    if associate_pks is not None:
        associates = associates.filter(pk__in=associate_pks)

    artist_genres: dict[int, set[int]] = defaultdict(set)
    for artist_id, genre_id in Artist.genres.through.objects.filter(artist__in=artists).values_list(
        "artist_id", "genre_id"
    ):
        artist_genres[artist_id].add(genre_id)
    associate_genres: dict[int, set[int]] = defaultdict(set)
    for associate_id, genre_id in Associate.genres.through.objects.filter(
        associate__in=associates
    ).values_list("associate_id", "genre_id"):
        associate_genres[associate_id].add(genre_id)
    crafts: dict[int, set[int]] = defaultdict(set)
    for associate_id, profession_id in Associate.professions.through.objects.filter(
        associate__in=associates
    ).values_list("associate_id", "profession_id"):
        crafts[associate_id].add(profession_id)

    artist_rows = [
        ArtistData(
            pk=row["pk"],
            user_id=row["user_id"],
            genres=frozenset(artist_genres[row["pk"]]),
            text=row["bio"],
            city=row["city"],
            listed=row["user__is_active"],
        )
        for row in artists.order_by("pk").values("pk", "user_id", "bio", "city", "user__is_active")
    ]
    bookable = Exists(Service.objects.active().filter(associate=OuterRef("pk")))
    associate_rows = [
        AssociateData(
            pk=row["pk"],
            user_id=row["user_id"],
            genres=frozenset(associate_genres[row["pk"]]),
            professions=frozenset(crafts[row["pk"]]),
            text=f"{row['headline']}\n{row['bio']}",
            city=row["city"],
            remote=row["works_remotely"],
            bookable=row["user__is_active"] and row["bookable"],
        )
        for row in associates.annotate(bookable=bookable)
        .order_by("pk")
        .values(
            "pk",
            "user_id",
            "headline",
            "bio",
            "city",
            "works_remotely",
            "user__is_active",
            "bookable",
        )
    ]

    ratings = {
        (artist_id, associate_id): rating
        for artist_id, associate_id, rating in Review.objects.published()
        .filter(direction=Direction.OF_ASSOCIATE, artist__in=artists, associate__in=associates)
        .values_list("artist_id", "associate_id", "rating")
    }
    interactions = [
        # A 5-star booking weighs 1.5, a 1-star one 0.5: still a choice, a weaker one.
        Interaction(
            artist_pk=artist_id,
            associate_pk=associate_id,
            at=start,
            weight=1.0 + (ratings[artist_id, associate_id] - 3) / 4
            if (artist_id, associate_id) in ratings
            else 1.0,
        )
        for artist_id, associate_id, start in Booking.objects.exclude(status__in=NOT_CHOSEN)
        .filter(artist__in=artists, associate__in=associates)
        .order_by("start", "pk")
        .values_list("artist_id", "associate_id", "start")
    ]
    return Community(
        artists=artist_rows,
        associates=associate_rows,
        interactions=interactions,
        genre_names=dict(Genre.objects.values_list("pk", "name")),
    )
