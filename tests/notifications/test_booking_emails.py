"""Booking e-mails (issue 4 §8): scheduled after the commit, never inside the request; sent to
the other side(s) of each transition in their own language and time zone, HTML and text, with
the booking's .ics attached."""

from datetime import UTC, datetime

import icalendar
import pytest
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import translation

from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.services import decline_booking, expire_stale_requests
from mylabel.bookings.signals import booking_status_changed
from mylabel.notifications.tasks import send_booking_status_email
from tests.bookings.calendar_helpers import make_booking, record_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 14, 9, 30, tzinfo=UTC)


def announce(booking: Booking, event: BookingEvent) -> None:
    """What ``bookings.services`` does after a transition commits."""
    booking_status_changed.send(sender=Booking, booking=booking, event=event)


def transition(booking: Booking, *, to_status: str, actor=None, note: str = "") -> BookingEvent:
    """Record a transition and announce it inside a transaction; return its event."""
    with transaction.atomic():
        event = record_event(booking, to_status=to_status, actor=actor, note=note)
        announce(booking, event)
    return event


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def ics_of(message) -> icalendar.Calendar:
    (attachment,) = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(attachment.get_payload(decode=True))


@pytest.fixture
def booking(nina, marco) -> Booking:
    return make_booking(artist=nina, associate=marco, start=START)


# --- After the commit, never before -------------------------------------------------------------


def test_nothing_is_sent_before_the_commit_and_one_mail_after(
    booking, artist, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            event = record_event(booking, to_status=Status.REQUESTED, actor=artist)
            announce(booking, event)
            assert mailoutbox == []
        assert mailoutbox == []

    assert callbacks  # the work was deferred to the commit (the in-app notification's too)
    assert recipients(mailoutbox) == ["marco@example.com"]


def test_a_rolled_back_transition_sends_nothing(
    booking, artist, mailoutbox, django_capture_on_commit_callbacks
):
    def fail_after_announcing() -> None:
        with transaction.atomic():
            event = record_event(booking, to_status=Status.CANCELLED, actor=artist)
            announce(booking, event)
            raise RuntimeError("the service failed after announcing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        fail_after_announcing()

    assert callbacks == []
    assert mailoutbox == []


def test_the_receiver_only_enqueues_the_task(
    booking, artist, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]

    with django_capture_on_commit_callbacks(execute=True):
        event = transition(booking, to_status=Status.ACCEPTED, actor=artist)

    # The notification centre enqueues its own task for the same event; this is the mail's.
    (result,) = [
        result
        for result in default_task_backend.results  # type: ignore[attr-defined]
        if result.task.name == send_booking_status_email.name
    ]
    assert result.args == [booking.pk, event.pk]
    assert mailoutbox == []


# --- Who hears about what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor", "expected"),
    [
        (Status.REQUESTED, Status.REQUESTED, "artist", ["marco@example.com"]),
        (Status.REQUESTED, Status.ACCEPTED, "associate", ["nina@example.com"]),
        (Status.REQUESTED, Status.DECLINED, "associate", ["nina@example.com"]),
        (Status.ACCEPTED, Status.CANCELLED, "artist", ["marco@example.com"]),
        (Status.ACCEPTED, Status.CANCELLED, "associate", ["nina@example.com"]),
        # Offline payment: the professional confirms it, the artist hears.
        (Status.ACCEPTED, Status.PAID, "associate", ["nina@example.com"]),
        # Paid through the gateway's webhook: nobody acted, both hear.
        (Status.ACCEPTED, Status.PAID, None, ["marco@example.com", "nina@example.com"]),
        (Status.PAID, Status.COMPLETED, "associate", ["nina@example.com"]),
        (Status.REQUESTED, Status.EXPIRED, None, ["nina@example.com"]),
        (Status.PAID, Status.DISPUTED, "artist", ["admin@example.com", "marco@example.com"]),
        (Status.PAID, Status.DISPUTED, "associate", ["admin@example.com", "nina@example.com"]),
        # A label admin resolves a dispute: both sides hear, the admin does not.
        (
            Status.DISPUTED,
            Status.CANCELLED,
            "label_admin",
            ["marco@example.com", "nina@example.com"],
        ),
        (
            Status.DISPUTED,
            Status.COMPLETED,
            "label_admin",
            ["marco@example.com", "nina@example.com"],
        ),
    ],
)
def test_each_transition_mails_exactly_the_other_side(
    request,
    booking,
    label_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
    from_status,
    to_status,
    actor,
    expected,
):
    booking.status = from_status
    booking.save(update_fields=["status"])
    actor_user = request.getfixturevalue(actor) if actor else None

    with django_capture_on_commit_callbacks(execute=True):
        transition(booking, to_status=to_status, actor=actor_user)

    assert recipients(mailoutbox) == expected
    assert all(len(message.to) == 1 for message in mailoutbox)


def test_inactive_label_admins_and_users_without_a_role_hear_nothing_of_disputes(
    booking, artist, label_admin, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory.create(email="gone@example.com", label_admin=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        transition(booking, to_status=Status.DISPUTED, actor=artist, note="No show")

    assert recipients(mailoutbox) == ["admin@example.com", "marco@example.com"]


# --- What the mail says -------------------------------------------------------------------------


def test_the_mail_is_in_the_recipients_language_and_time_zone(
    booking, artist, associate, mailoutbox, django_capture_on_commit_callbacks
):
    associate.language, associate.time_zone = "it", "Europe/Rome"
    associate.save()
    artist.language, artist.time_zone = "en", "America/New_York"
    artist.save()

    with django_capture_on_commit_callbacks(execute=True):
        transition(booking, to_status=Status.REQUESTED, actor=artist)
        transition(booking, to_status=Status.ACCEPTED, actor=associate)

    to_marco, to_nina = mailoutbox
    assert to_marco.to == ["marco@example.com"]
    # The words from the Italian catalogue, in the mail and its calendar file alike…
    with translation.override("it"):
        new_request = translation.gettext("New booking request: %(service)s on %(when)s")
        booking_status = translation.gettext("Booking status: %(status)s\n%(url)s")
    assert new_request.split(":")[0] in to_marco.subject
    assert "New booking request" not in to_marco.subject + to_marco.body

    def ics_description(message) -> str:
        (event,) = ics_of(message).walk("VEVENT")
        return str(event["DESCRIPTION"])

    assert booking_status.split(":")[0] != "Booking status"
    assert ics_description(to_marco).startswith(booking_status.split(":")[0])
    assert ics_description(to_nina).startswith("Booking status")
    # 09:30 UTC is 10:30 in Rome, written the Italian way (Django's own Italian formats).
    assert "Lunedì 14 Dicembre 2026 10:30" in to_marco.subject
    assert "Lunedì 14 Dicembre 2026 10:30" in to_marco.body
    assert "(Europe/Rome)" in to_marco.body
    assert to_nina.to == ["nina@example.com"]
    # …and 4:30 in the morning in New York.
    assert "Dec. 14, 2026, 4:30 a.m." in to_nina.subject
    assert "Dec. 14, 2026, 4:30 a.m." in to_nina.body
    assert "(America/New_York)" in to_nina.body


def test_the_mail_has_text_and_html_naming_the_service_other_party_and_link(
    booking, associate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition(booking, to_status=Status.CANCELLED, actor=associate, note="Studio flooded")

    (message,) = mailoutbox
    assert message.subject.startswith("[MyLabel] Booking cancelled: Mixing session on ")
    assert "Marco Riva cancelled the booking." in message.body
    assert "Studio flooded" in message.body
    assert f"http://localhost:8000/bookings/{booking.pk}/" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Marco Riva cancelled the booking." in html
    assert f'href="http://localhost:8000/bookings/{booking.pk}/"' in html
    assert "<td>Marco Riva</td>" in html  # the other party, from Nina's side


def test_the_attached_ics_is_the_booking_in_its_latest_state(
    booking, associate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition(booking, to_status=Status.CANCELLED, actor=associate)

    calendar = ics_of(mailoutbox[0])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"booking-{booking.pk}@localhost"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == START
    assert str(event["SUMMARY"]) == "Mixing session with Marco Riva"


def test_a_booking_deleted_before_the_task_runs_sends_nothing(booking, artist, mailoutbox):
    event = record_event(booking, to_status=Status.REQUESTED, actor=artist)
    event_pk, booking_pk = event.pk, booking.pk
    event.delete()

    result = send_booking_status_email.call(booking_pk, event_pk)

    assert result == 0
    assert mailoutbox == []


# --- Through the real booking services ----------------------------------------------------------


def test_declining_through_the_service_mails_the_artist_after_the_commit(
    booking, associate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decline_booking(booking=booking, by=associate, reason="Fully booked that week")
        assert mailoutbox == []

    (message,) = mailoutbox
    assert message.to == ["nina@example.com"]
    assert message.subject.startswith("[MyLabel] Booking request declined: Mixing session")
    assert "Fully booked that week" in message.body
    assert str(ics_of(message).walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_expiring_stale_requests_mails_only_the_artist(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_stale_requests(now=booking.expires_at) == 1

    assert recipients(mailoutbox) == ["nina@example.com"]
    assert "The request was not answered in time, so it expired." in mailoutbox[0].body
