"""Reviews straight in the database, for tests about showing, filtering and moderating them.

Tests of *writing* reviews go through ``reviews.services`` with bookings completed through the
booking services instead; these factories skip the rules on purpose, to set up any state fast.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, Status
from mylabel.reviews.models import Criterion, CriterionRating, Direction, Review
from tests.profile_factories import ArtistFactory, AssociateFactory


def completed_booking(artist: Artist | None = None, associate: Associate | None = None) -> Booking:
    """A booking completed yesterday, written directly (no payment row)."""
    subject: Associate = associate or AssociateFactory.create()
    author: Artist = artist or ArtistFactory.create()
    service = Service.objects.filter(associate=subject).first() or Service.objects.create(
        associate=subject, name="Mixing session", duration_minutes=60, price=Decimal("200.00")
    )
    start = timezone.now() - timedelta(days=2)
    return Booking.objects.create(
        artist=author,
        associate=subject,
        service=service,
        start=start,
        end=start + timedelta(hours=1),
        blocked_until=start + timedelta(hours=1),
        status=Status.COMPLETED,
        price=service.price,
        expires_at=start,
    )


class ReviewFactory(factory.django.DjangoModelFactory[Review]):
    """A published review of a professional by an artist, rated on every criterion that applies.

    ``ReviewFactory(associate=marco)`` reviews the persona; ``direction=Direction.OF_ARTIST``
    makes the professional the author; ``criterion_ratings={"quality": 2}`` overrides single
    scores (the others take the overall ``rating``).
    """

    class Meta:
        model = Review
        skip_postgeneration_save = True

    direction = Direction.OF_ASSOCIATE
    associate = factory.SubFactory(AssociateFactory)
    artist = factory.SubFactory(ArtistFactory)
    booking = factory.LazyAttribute(
        lambda review: completed_booking(review.artist, review.associate)
    )
    author = factory.LazyAttribute(
        lambda review: (
            review.artist.user
            if review.direction == Direction.OF_ASSOCIATE
            else review.associate.user
        )
    )
    rating = 5
    text = factory.Faker("paragraph")
    verified = True
    window_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def criterion_ratings(review: Review, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        overrides: dict[str, int] = extracted or {}
        CriterionRating.objects.bulk_create(
            CriterionRating(
                review=review,
                criterion=criterion,
                rating=overrides.get(criterion.slug, review.rating),
            )
            for criterion in Criterion.objects.for_direction(review.direction)
        )
