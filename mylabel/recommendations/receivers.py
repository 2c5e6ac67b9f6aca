"""Subscribers to other apps' domain events (connected in ``apps.py``)."""

from typing import Any

from django.db import transaction

from mylabel.bookings.models import Booking
from mylabel.recommendations.tasks import schedule_refresh


def refresh_after_booking(sender: type[Booking], *, booking: Booking, **kwargs: Any) -> None:
    """A booking changed: the artist's suggestions (what they booked is no longer "next")
    are recomputed once the change is committed."""
    artist_pk = booking.artist_id
    transaction.on_commit(lambda: schedule_refresh(artist_pk))
