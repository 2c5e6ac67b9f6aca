"""Notifications from domain events (issue 6 point 4): every booking transition, a published
review and a message create one, after the commit, for the right people, in their language and
time zone; preferences are respected."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import formats, translation

from mylabel.accounts.models import User
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, Status
from mylabel.bookings.signals import booking_status_changed
from mylabel.messaging import services as messaging
from mylabel.messaging.models import Conversation, Message, Participant, direct_key_for
from mylabel.messaging.signals import conversation_read, message_sent
from mylabel.notifications.in_app import notify_booking_status
from mylabel.notifications.models import Channel, Event, Notification, Preference
from mylabel.reviews.models import Direction, Moderation, Review
from mylabel.reviews.signals import review_published
from tests.bookings.lifecycle_helpers import book, booking_in, make_service, open_every_day
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offline_gateway(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


@pytest.fixture
def service(marco: Associate) -> Service:
    open_every_day(marco)
    return make_service(marco)


def lines_of(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


# --- Bookings -----------------------------------------------------------------------------------


def test_a_request_notifies_the_professional_after_the_commit_only(
    nina, service, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(nina, service)
        assert not Notification.objects.exists()  # never inside the request's transaction
    (line,) = lines_of(associate)
    assert line.event == Event.BOOKING_REQUESTED
    assert line.actor == artist
    assert line.url == booking.get_absolute_url()
    assert "Mixing session" in line.title
    assert line.body == "Nina Vale asked to book you."
    assert lines_of(artist) == []  # nobody hears about their own action


def test_accepting_notifies_the_artist(
    nina, service, artist, associate, django_capture_on_commit_callbacks
):
    booking = book(nina, service)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.accept_booking(booking=booking, by=associate)
    (line,) = lines_of(artist)
    assert line.event == Event.BOOKING_ACCEPTED
    assert line.body == "Marco Riva accepted the booking."
    assert line.read_at is None


@pytest.mark.parametrize(
    ("status", "to_artist", "to_associate"),
    [
        (Status.DECLINED, True, False),
        (Status.CANCELLED, True, False),  # cancelled by the professional
        (Status.EXPIRED, True, False),  # nobody's action: only the artist needs to know
        (Status.PAID, False, True),  # the artist paid: the professional hears about it
        (Status.COMPLETED, True, False),
    ],
)
def test_each_transition_notifies_the_other_side(
    nina,
    service,
    artist,
    associate,
    status,
    to_artist,
    to_associate,
    django_capture_on_commit_callbacks,
):
    booking_in(status, nina, service)  # its signals wait for a commit that never comes
    booking = Booking.objects.get()
    event = booking.events.last()
    assert event is not None
    assert event.to_status == status
    # Run what the commit would have run: the last transition's signal.
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        booking_status_changed.send(sender=Booking, booking=booking, event=event)
    expected = f"booking_{status}"
    assert [n.event for n in lines_of(artist)] == ([expected] if to_artist else [])
    assert [n.event for n in lines_of(associate)] == ([expected] if to_associate else [])


def test_a_dispute_also_reaches_the_label_admins(
    nina, service, artist, associate, label_admin, django_capture_on_commit_callbacks
):
    booking = booking_in(Status.PAID, nina, service)
    Booking.objects.filter(pk=booking.pk).update(
        start=booking.start - timedelta(days=10),
        end=booking.end - timedelta(days=10),
        blocked_until=booking.blocked_until - timedelta(days=10),
    )
    booking.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        bookings.open_dispute(booking=booking, by=artist, reason="No-show")
    assert [n.event for n in lines_of(associate)] == [Event.BOOKING_DISPUTED]
    assert [n.event for n in lines_of(label_admin)] == [Event.BOOKING_DISPUTED]
    assert lines_of(artist) == []


def test_the_text_is_in_the_recipients_language_and_time_zone(
    nina, service, artist, associate, monkeypatch, django_capture_on_commit_callbacks
):
    associate.language = "it"
    associate.time_zone = "America/New_York"
    associate.save()
    # No compiled catalogue is needed to see which language was active while writing the text.
    monkeypatch.setattr(
        "mylabel.notifications.in_app.headline_for",
        lambda status, actor: f"language={translation.get_language()}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(nina, service)
    (line,) = lines_of(associate)
    assert line.body == "language=it"
    with translation.override("it"):
        when = formats.date_format(
            booking.start.astimezone(ZoneInfo("America/New_York")), "DATETIME_FORMAT"
        )
    assert when in line.title


def test_an_in_app_opt_out_keeps_the_bell_quiet_but_the_mail_goes(
    nina, service, associate, mailoutbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=associate, event=Event.BOOKING_REQUESTED, channel=Channel.IN_APP, enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(nina, service)
    assert lines_of(associate) == []
    assert [message.to for message in mailoutbox] == [[associate.email]]


def test_an_event_gone_before_the_task_ran_notifies_nobody(nina, service):
    booking = book(nina, service)
    assert notify_booking_status.call(booking.pk, 10_000) == 0
    assert not Notification.objects.exists()


# --- Reviews ------------------------------------------------------------------------------------


def publish(review: Review) -> None:
    """What reviews.services does when a review becomes public."""
    with transaction.atomic():
        transaction.on_commit(lambda: review_published.send(sender=Review, review=review))


def test_a_published_review_notifies_the_person_it_is_about(
    marco, artist, associate, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(associate=marco, artist=artist.artist_profile, rating=4)
    with django_capture_on_commit_callbacks(execute=True):
        publish(review)
    (line,) = lines_of(associate)
    assert line.event == Event.REVIEW_PUBLISHED
    assert line.title == "Nina Vale reviewed you: 4 out of 5"
    assert line.url == f"/associates/marco-riva/reviews/#review-{review.pk}"
    assert line.actor == artist
    assert lines_of(artist) == []


def test_a_review_of_an_artist_notifies_the_artist(
    marco, nina, artist, associate, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(associate=marco, artist=nina, direction=Direction.OF_ARTIST)
    with django_capture_on_commit_callbacks(execute=True):
        publish(review)
    (line,) = lines_of(artist)
    assert line.url.startswith("/artists/nina-vale/reviews/")
    assert line.actor == associate
    assert lines_of(associate) == []


def test_a_review_hidden_before_the_task_ran_is_not_announced(
    marco, associate, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(associate=marco)
    Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)
    with django_capture_on_commit_callbacks(execute=True):
        publish(review)
    assert lines_of(associate) == []


# --- Messages -----------------------------------------------------------------------------------


@pytest.fixture
def conversation(artist: User, associate: User) -> Conversation:
    conversation = Conversation.objects.create(direct_key=direct_key_for(artist.pk, associate.pk))
    Participant.objects.create(conversation=conversation, user=artist)
    Participant.objects.create(conversation=conversation, user=associate)
    return conversation


def send(conversation: Conversation, sender: User, body: str) -> Message:
    """What messaging.services.send_message does: save, then announce after the commit."""
    with transaction.atomic():
        message = Message.objects.create(conversation=conversation, sender=sender, body=body)
        transaction.on_commit(lambda: message_sent.send(sender=Message, message=message))
    return message


def test_a_message_notifies_the_other_participant(
    conversation, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(conversation, artist, "Can we move the session to Friday?")
    (line,) = lines_of(associate)
    assert line.event == Event.MESSAGE_RECEIVED
    assert line.title == "Nina Vale sent you a message"
    assert line.body == "Can we move the session to Friday?"
    assert line.url.endswith(f"/{conversation.pk}/")
    assert lines_of(artist) == []


def test_unread_messages_of_a_conversation_are_one_line(
    conversation, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(conversation, artist, "One")
    with django_capture_on_commit_callbacks(execute=True):
        send(conversation, artist, "Two")
    with django_capture_on_commit_callbacks(execute=True):
        send(conversation, artist, "Three")
    (line,) = lines_of(associate)
    assert line.count == 3
    assert line.title == "3 new messages from Nina Vale"
    assert line.body == "Three"


def test_a_participant_who_already_read_it_is_not_told(
    conversation, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(conversation, artist, "Seen live")
        # The recipient's open page marked it read before the notification task ran.
        Participant.objects.filter(conversation=conversation, user=associate).update(
            last_read_message=message
        )
    assert lines_of(associate) == []


def test_reading_the_conversation_clears_its_line(
    conversation, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(conversation, artist, "Hello")
    conversation_read.send(
        sender=Conversation, conversation=conversation, user=associate, message=message
    )
    (line,) = lines_of(associate)
    assert line.read_at is not None


def test_reading_an_older_message_leaves_the_newer_unread(
    conversation, artist, associate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(conversation, artist, "Hello")
    with django_capture_on_commit_callbacks(execute=True):
        send(conversation, artist, "Are you there?")
    conversation_read.send(
        sender=Conversation, conversation=conversation, user=associate, message=first
    )
    (line,) = lines_of(associate)
    assert line.read_at is None


def test_through_the_messaging_services_the_line_comes_and_goes(
    artist, associate, django_capture_on_commit_callbacks
):
    conversation = messaging.start_direct_conversation(user=artist, other=associate)
    with django_capture_on_commit_callbacks(execute=True):
        messaging.send_message(conversation=conversation, sender=artist, body="Hi Marco")
    with django_capture_on_commit_callbacks(execute=True):
        messaging.send_message(conversation=conversation, sender=artist, body="Friday?")
    (line,) = lines_of(associate)
    assert line.count == 2
    assert line.url == conversation.get_absolute_url()
    assert lines_of(artist) == []  # the sender's own marker moved: nothing for them
    with django_capture_on_commit_callbacks(execute=True):
        messaging.mark_read(conversation=conversation, user=associate)
    line.refresh_from_db()
    assert line.read_at is not None
