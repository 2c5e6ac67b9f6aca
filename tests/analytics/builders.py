"""Bookings, payments and reviews written straight into the database at chosen instants, for
checking the label's numbers against hand-computed totals (the services would stamp "now")."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.payments.models import Payment
from mylabel.reviews.models import Direction, Moderation, Review, Sentiment
from tests.profile_factories import ArtistFactory, AssociateFactory

# Each booking gets its own hour, so an associate's active bookings never overlap (PostgreSQL's
# exclusion constraint refuses that).
_slots = itertools.count()


def make_booking(
    *,
    requested_at: datetime,
    associate: Associate | None = None,
    artist: Artist | None = None,
    history: tuple[str, ...] = (),
    price: Decimal = Decimal("100.00"),
) -> Booking:
    """A booking requested at ``requested_at`` that then went through ``history`` (statuses in
    order, each leaving its event); its status is the last one."""
    associate = associate or AssociateFactory.create()
    artist = artist or ArtistFactory.create()
    service = Service.objects.filter(associate=associate).first() or Service.objects.create(
        associate=associate, name="Mixing session", duration_minutes=60, price=price
    )
    start = requested_at + timedelta(days=7, hours=2 * next(_slots))
    booking = Booking.objects.create(
        artist=artist,
        associate=associate,
        service=service,
        start=start,
        end=start + timedelta(hours=1),
        blocked_until=start + timedelta(hours=1),
        status=history[-1] if history else Status.REQUESTED,
        price=price,
        expires_at=start,
    )
    Booking.objects.filter(pk=booking.pk).update(created_at=requested_at)
    previous = ""
    for status in (Status.REQUESTED, *history):
        BookingEvent.objects.create(booking=booking, from_status=previous, to_status=status)
        previous = status
    booking.refresh_from_db()
    return booking


def make_payment(
    booking: Booking,
    *,
    amount: Decimal,
    paid_at: datetime | None,
    refunded: Decimal = Decimal("0"),
    currency: str = "EUR",
    status: str = Payment.Status.SUCCEEDED,
) -> Payment:
    payment = Payment.objects.create(
        gateway="offline",
        payer=booking.artist.user,
        payee=booking.associate.user,
        description="Session",
        amount=amount,
        refunded_amount=refunded,
        currency=currency,
        status=status,
        paid_at=paid_at,
    )
    booking.payment = payment
    booking.save(update_fields=["payment"])
    return payment


def make_review(
    booking: Booking,
    *,
    rating: int,
    published_at: datetime | None,
    sentiment_score: float | None = None,
    hidden: bool = False,
    direction: str = Direction.OF_ASSOCIATE,
) -> Review:
    author: User = (
        booking.artist.user if direction == Direction.OF_ASSOCIATE else booking.associate.user
    )
    return Review.objects.create(
        booking=booking,
        author=author,
        direction=direction,
        artist=booking.artist,
        associate=booking.associate,
        rating=rating,
        text="Great session.",
        window_closes_at=published_at or booking.end,
        published_at=published_at,
        moderation=Moderation.HIDDEN if hidden else Moderation.NEW,
        sentiment=Sentiment.PENDING if sentiment_score is None else Sentiment.SCORED,
        sentiment_score=sentiment_score,
    )
