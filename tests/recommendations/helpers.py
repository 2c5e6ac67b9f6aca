"""A small community in the database for the serving tests: Nina (the artist persona) and two
artists like her booked Marco's colleagues; Marco himself is bookable."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, Status
from mylabel.core.models import Genre
from tests.bookings.calendar_helpers import make_booking, make_service
from tests.profile_factories import ArtistFactory, AssociateFactory


def completed(artist: Artist, associate: Associate, days_ago: int = 10) -> Booking:
    service = associate.services.first() or make_service(associate)
    return make_booking(
        artist=artist,
        associate=associate,
        service=service,
        start=timezone.now().replace(microsecond=0) - timedelta(days=days_ago),
        status=Status.COMPLETED,
    )


def bookable_associate(**fields) -> Associate:
    associate = AssociateFactory.create(**fields)
    make_service(associate)
    return associate


@dataclass
class Scene:
    peers: list[Artist]
    booked: Associate
    next_up: Associate


def scene(nina: Artist, marco: Associate, peers: int = 2) -> Scene:
    """Nina booked ``booked``; her peers booked it too, and ``next_up``, and Marco."""
    indie = list(Genre.objects.order_by("slug")[:2])
    nina.genres.set(indie)
    make_service(marco)
    marco.genres.set(indie)
    booked = bookable_associate(genres=indie, display_name="Ada Booked")
    next_up = bookable_associate(genres=indie, display_name="Bea Next")
    artists = [ArtistFactory.create(genres=indie) for _ in range(peers)]
    completed(nina, booked, days_ago=20)
    for peer in artists:
        completed(peer, booked, days_ago=30)
        completed(peer, next_up, days_ago=15)
        completed(peer, marco, days_ago=5)
    return Scene(peers=artists, booked=booked, next_up=next_up)
