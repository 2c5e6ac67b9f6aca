"""Bookings built straight with the ORM for the calendar and e-mail tests, which test what a
booking looks like, not how it got there (that is ``bookings.services``)."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, BookingEvent, Status


def make_service(associate: Associate, **fields) -> Service:
    defaults = {"name": "Mixing session", "price": Decimal("120.00"), "duration_minutes": 90}
    return Service.objects.create(associate=associate, **(defaults | fields))


def make_booking(
    *,
    artist: Artist,
    associate: Associate,
    service: Service | None = None,
    start: datetime | None = None,
    status: str = Status.REQUESTED,
    **fields,
) -> Booking:
    service = service or make_service(associate)
    start = start or timezone.now().replace(microsecond=0) + timedelta(days=3)
    end = start + service.duration
    return Booking.objects.create(
        artist=artist,
        associate=associate,
        service=service,
        start=start,
        end=end,
        blocked_until=end + timedelta(minutes=associate.buffer_minutes),
        status=status,
        price=service.price,
        currency=service.currency,
        expires_at=timezone.now() + timedelta(days=2),
        **fields,
    )


def record_event(booking: Booking, *, to_status: str, actor=None, note: str = "") -> BookingEvent:
    """Move ``booking`` to ``to_status`` the way a service would, minus the checks."""
    event = BookingEvent.objects.create(
        booking=booking,
        actor=actor,
        from_status=booking.status,
        to_status=to_status,
        note=note,
    )
    booking.status = to_status
    booking.ical_sequence += 1
    booking.save(update_fields=["status", "ical_sequence", "updated_at"])
    return event
