"""Signal receivers: they only schedule work. Nothing here sends anything inside the request."""

from typing import Any

from django.db import transaction

from mylabel.bookings.models import Booking, BookingEvent
from mylabel.notifications.tasks import send_booking_status_email, send_review_published_email
from mylabel.reviews.models import Review


def schedule_booking_status_email(
    sender: type[Booking], *, booking: Booking, event: BookingEvent, **kwargs: Any
) -> None:
    """Enqueue the e-mail about ``event`` once the transaction that made it commits.

    Services already send the signal from ``on_commit``; scheduling through ``on_commit`` again
    keeps a sender that forgot from mailing about a change that is then rolled back.
    """
    booking_id, event_id = booking.pk, event.pk
    transaction.on_commit(lambda: send_booking_status_email.enqueue(booking_id, event_id))


def schedule_review_published_email(sender: type[Review], *, review: Review, **kwargs: Any) -> None:
    """Enqueue the e-mail to the person ``review`` is about once the publication commits."""
    review_id = review.pk
    transaction.on_commit(lambda: send_review_published_email.enqueue(review_id))
