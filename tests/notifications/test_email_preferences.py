"""The booking and review e-mails respect the recipient's notification settings (issue 6
point 4): an e-mail turned off is not sent, the other side still gets theirs."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from mylabel.bookings.models import Status
from mylabel.notifications.models import Channel, Event, Preference
from mylabel.notifications.tasks import send_booking_status_email, send_review_published_email
from tests.bookings.calendar_helpers import make_booking, record_event
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def turn_off(user, event: str) -> None:
    Preference.objects.create(user=user, event=event, channel=Channel.EMAIL, enabled=False)


def test_a_booking_e_mail_turned_off_is_not_sent(nina, marco, artist, associate, mailoutbox):
    booking = make_booking(
        artist=nina, associate=marco, start=datetime(2026, 12, 14, 9, 30, tzinfo=UTC)
    )
    event = record_event(booking, to_status=Status.PAID)  # nobody's action: both sides hear
    turn_off(artist, Event.BOOKING_PAID)
    assert send_booking_status_email.call(booking.pk, event.pk) == 1
    assert [message.to for message in mailoutbox] == [[associate.email]]


def test_turning_off_another_event_changes_nothing(nina, marco, artist, mailoutbox):
    booking = make_booking(
        artist=nina, associate=marco, start=datetime(2026, 12, 14, 9, 30, tzinfo=UTC)
    )
    event = record_event(booking, to_status=Status.PAID)
    turn_off(artist, Event.BOOKING_CANCELLED)
    assert send_booking_status_email.call(booking.pk, event.pk) == 2


def test_a_review_e_mail_turned_off_is_not_sent(marco, associate, mailoutbox):
    review = ReviewFactory.create(associate=marco, published_at=timezone.now())
    turn_off(associate, Event.REVIEW_PUBLISHED)
    assert send_review_published_email.call(review.pk) == 0
    assert mailoutbox == []
    Preference.objects.all().delete()
    assert send_review_published_email.call(review.pk) == 1
