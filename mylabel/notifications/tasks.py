"""Booking and review e-mails, sent by the task worker after the change committed (never inside
the request: the receivers in ``receivers.py`` only schedule these tasks).

Who hears about a transition (issue 4 §8): every side of the booking except whoever made the
change, so nobody is told about their own action. Transitions nobody made (an expired request,
a payment confirmed by the gateway's webhook) have no actor, which by the same rule tells both
sides, except expiry, which only the artist needs to hear about (the associate let it lapse).
A dispute also goes to the label admins who resolve it; a resolved dispute (actor: a label
admin) goes to both sides.

Each recipient gets the mail in their own language and time zone, HTML and text, with the
booking's ``.ics`` attached (METHOD:PUBLISH, so any calendar app can add or update it).
"""

import logging
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mylabel.accounts.models import LABEL_ADMIN_GROUP, User
from mylabel.bookings.calendar import booking_url, calendar_for
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.notifications.models import Channel, Event
from mylabel.notifications.services import wants
from mylabel.reviews.models import Direction, Review

logger = logging.getLogger(__name__)


def recipients_for(booking: Booking, event: BookingEvent) -> list[User]:
    """Who is told about ``event``, in a stable order (see the module docstring)."""
    artist_user, associate_user = booking.artist.user, booking.associate.user
    sides = [artist_user, associate_user]
    if event.to_status == Status.EXPIRED:
        sides = [artist_user]
    recipients = [user for user in sides if user.pk != event.actor_id]
    if event.to_status == Status.DISPUTED:
        admins = (
            User.objects.filter(Q(groups__name=LABEL_ADMIN_GROUP) | Q(is_superuser=True))
            .exclude(pk__in=[artist_user.pk, associate_user.pk, event.actor_id])
            .distinct()
            .order_by("pk")
        )
        recipients.extend(admins)
    return [user for user in recipients if user.is_active and user.email]


def subject_for(status: str, context: dict[str, str]) -> str:
    subjects = {
        Status.REQUESTED: _("New booking request: %(service)s on %(when)s"),
        Status.ACCEPTED: _("Booking accepted: %(service)s on %(when)s"),
        Status.DECLINED: _("Booking request declined: %(service)s on %(when)s"),
        Status.CANCELLED: _("Booking cancelled: %(service)s on %(when)s"),
        Status.PAID: _("Booking paid: %(service)s on %(when)s"),
        Status.COMPLETED: _("Booking completed: %(service)s on %(when)s"),
        Status.EXPIRED: _("Booking request expired: %(service)s on %(when)s"),
        Status.DISPUTED: _("Booking disputed: %(service)s on %(when)s"),
    }
    return subjects[Status(status)] % context


def headline_for(status: str, actor_name: str) -> str:
    headlines = {
        Status.REQUESTED: _("%(actor)s asked to book you."),
        Status.ACCEPTED: _("%(actor)s accepted the booking."),
        Status.DECLINED: _("%(actor)s declined the booking request."),
        Status.CANCELLED: _("%(actor)s cancelled the booking."),
        Status.PAID: _("The booking is paid."),
        Status.COMPLETED: _("%(actor)s marked the booking as completed."),
        Status.EXPIRED: _("The request was not answered in time, so it expired."),
        Status.DISPUTED: _("%(actor)s opened a dispute about the booking."),
    }
    return headlines[Status(status)] % {"actor": actor_name}


def recipient_time_zone(recipient: User) -> zoneinfo.ZoneInfo:
    """The zone ``recipient`` reads times in; the site's when theirs is unknown."""
    try:
        return zoneinfo.ZoneInfo(recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextmanager
def recipient_locale(recipient: User) -> Iterator[zoneinfo.ZoneInfo]:
    """Render for ``recipient``: their language and time zone (yielded) are active inside."""
    tz = recipient_time_zone(recipient)
    with translation.override(recipient.language), timezone.override(tz):
        yield tz


def compose_email(*, recipient: User, subject: str, text: str, html: str) -> EmailMultiAlternatives:
    """An e-mail to ``recipient`` with a text and an HTML part, under the site's subject prefix."""
    message = EmailMultiAlternatives(
        subject=f"[MyLabel] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def build_message(booking: Booking, event: BookingEvent, recipient: User) -> EmailMultiAlternatives:
    """The e-mail for one recipient, rendered in their language and time zone."""
    with recipient_locale(recipient) as tz:
        start = timezone.localtime(booking.start)
        end = timezone.localtime(booking.end)
        when = formats.date_format(start, "DATETIME_FORMAT")
        actor_name = event.actor.name if event.actor else "MyLabel"
        if recipient.pk == booking.associate.user_id:
            other_party = booking.artist.stage_name
        elif recipient.pk == booking.artist.user_id:
            other_party = booking.associate.display_name
        else:
            other_party = ""
        context = {
            "recipient": recipient,
            "booking": booking,
            "event": event,
            "status_label": Status(event.to_status).label,
            "headline": headline_for(event.to_status, actor_name),
            "other_party": other_party,
            "start": start,
            "end": end,
            "time_zone": tz.key,
            "booking_url": booking_url(booking),
        }
        subject = subject_for(event.to_status, {"service": booking.service.name, "when": when})
        text = render_to_string("notifications/email/booking_status.txt", context)
        html = render_to_string("notifications/email/booking_status.html", context)
        ics = calendar_for([booking], viewer=recipient)
    message = compose_email(recipient=recipient, subject=subject, text=text, html=html)
    message.attach(_calendar_part(ics, f"booking-{booking.pk}.ics"))
    return message


def _calendar_part(ics: bytes, filename: str) -> MIMEPart:
    # A MIMEPart rather than attach(name, content, mimetype): the method=PUBLISH parameter of
    # the content type has to match the METHOD inside the file (RFC 6047).
    part = MIMEPart()
    part.set_content(
        ics.decode(), subtype="calendar", charset="utf-8", params={"method": "PUBLISH"}
    )
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


@task()
def send_booking_status_email(booking_id: int, event_id: int) -> int:
    """E-mail the people ``event`` concerns; returns how many mails went out. An event that
    no longer exists (its booking deleted meanwhile) sends nothing."""
    event = (
        BookingEvent.objects.select_related(
            "actor",
            "booking__service",
            "booking__artist__user",
            "booking__associate__user",
        )
        .filter(pk=event_id, booking_id=booking_id)
        .first()
    )
    if event is None:
        logger.info("Booking event %s of booking %s is gone; no e-mail.", event_id, booking_id)
        return 0
    booking = event.booking
    sent = 0
    for recipient in recipients_for(booking, event):
        if not wants(recipient, f"booking_{event.to_status}", Channel.EMAIL):
            continue  # they turned this e-mail off in their notification settings
        sent += build_message(booking, event, recipient).send()
    return sent


# --- Reviews ------------------------------------------------------------------------------------


def reviews_page_url(review: Review) -> str:
    """The public reviews page of the person ``review`` is about."""
    if review.direction == Direction.OF_ASSOCIATE:
        path = reverse("reviews:associate-reviews", kwargs={"slug": review.associate.slug})
    else:
        path = reverse("reviews:artist-reviews", kwargs={"slug": review.artist.slug})
    return f"{settings.SITE_URL}{path}"


def build_review_published_message(review: Review, recipient: User) -> EmailMultiAlternatives:
    """The mail telling ``recipient`` (the person reviewed) that ``review`` is now public, in
    their language and time zone."""
    assert review.published_at is not None  # only published reviews are announced
    reply_until = review.published_at + timedelta(days=settings.REVIEW_REPLY_DAYS)
    with recipient_locale(recipient) as tz:
        if review.direction == Direction.OF_ASSOCIATE:
            reviewer = review.artist.stage_name
        else:
            reviewer = review.associate.display_name
        context = {
            "recipient": recipient,
            "review": review,
            "reviewer": reviewer,
            "service": review.booking.service.name,
            "booking_start": timezone.localtime(review.booking.start),
            "reply_until": timezone.localtime(reply_until),
            "time_zone": tz.key,
            "reviews_url": reviews_page_url(review),
        }
        subject = _("%(reviewer)s reviewed you: %(rating)d out of 5") % {
            "reviewer": reviewer,
            "rating": review.rating,
        }
        text = render_to_string("notifications/email/review_published.txt", context)
        html = render_to_string("notifications/email/review_published.html", context)
    return compose_email(recipient=recipient, subject=subject, text=text, html=html)


@task()
def send_review_published_email(review_id: int) -> int:
    """E-mail the person ``review_id`` is about that it is published; returns how many mails
    went out (0 or 1). Nothing goes out for a review that is gone, not public (hidden by the
    moderators meanwhile), or about someone who cannot receive mail."""
    review = (
        Review.objects.select_related("artist__user", "associate__user", "booking__service")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not review.is_published:
        logger.info("Review %s is gone or not public; no e-mail.", review_id)
        return 0
    recipient = review.subject.user
    if not (recipient.is_active and recipient.email):
        return 0
    if not wants(recipient, Event.REVIEW_PUBLISHED, Channel.EMAIL):
        return 0
    return build_review_published_message(review, recipient).send()


# --- Message e-mails and Web Push (helper N2; the work lives in email_batching.py / push.py) ---


@task()
def plan_message_emails(message_id: int) -> int:
    """Open the e-mail batches a new message starts (``email_batching.open_batches``)."""
    from mylabel.notifications import email_batching  # it imports this module

    return email_batching.open_batches(message_id)


@task()
def send_message_email(user_id: int, conversation_id: int) -> int:
    """Mail ``user_id`` the still-unread messages of the conversation's due batch (0 or 1)."""
    from mylabel.notifications import email_batching

    return email_batching.send_batch(user_id=user_id, conversation_id=conversation_id)


@task()
def send_web_push(user_id: int, payload: dict[str, str]) -> int:
    """Deliver ``payload`` to every browser ``user_id`` subscribed; returns how many took it."""
    from mylabel.notifications import push

    return push.deliver_to_user(user_id, payload)
