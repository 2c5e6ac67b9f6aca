"""Who may review a booking, and who may reply to a review (issue 5 points 1 and 4).

The one place these rules live: ``reviews.services`` enforces them, and the pages offer exactly
what they let through (the booking page's review box, the "Reply" link of a review).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.reviews.models import Criterion, Direction, Review


@dataclass(frozen=True)
class Eligibility:
    """Whether ``user`` may review a booking now. When refused, ``reason`` says why in the
    active language and ``code`` names the rule (``not_signed_in``, ``not_a_party``,
    ``own_booking``, ``not_completed``, ``already_reviewed``, ``window_closed``); ``direction``
    and ``window_closes_at`` are filled in whenever they are known, so a page can still say
    until when the window runs. ``criteria`` are the criteria to rate, in display order."""

    allowed: bool
    reason: str = ""
    direction: str | None = None
    window_closes_at: datetime | None = None
    criteria: list[Criterion] = field(default_factory=list)
    code: str = ""


def completed_at(booking: Booking) -> datetime:
    """When ``booking`` was completed: its latest move to completed (a resolved dispute
    completes it again, and the window runs from that final decision). Bookings written
    straight to the database have no events; their end stands in for the completion."""
    event = (
        BookingEvent.objects.filter(booking=booking, to_status=Status.COMPLETED)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return event or booking.end


def review_window_closes_at(booking: Booking) -> datetime:
    return completed_at(booking) + timedelta(days=settings.REVIEW_WINDOW_DAYS)


def criteria_for(direction: str, associate: Associate | None) -> list[Criterion]:
    """The active criteria a review in ``direction`` rates. A criterion about professionals
    that names professions applies only to professionals with one of them."""
    criteria = Criterion.objects.for_direction(direction)
    if direction == Direction.OF_ASSOCIATE and associate is not None:
        through = Criterion.professions.through.objects
        restricted = through.values("criterion_id")
        professions = Associate.professions.through.objects.filter(associate=associate)
        matching = through.filter(profession_id__in=professions.values("profession_id")).values(
            "criterion_id"
        )
        criteria = criteria.filter(~Q(pk__in=restricted) | Q(pk__in=matching))
    return list(criteria)


def _refused(code: str, reason: str, **known: object) -> Eligibility:
    return Eligibility(allowed=False, reason=reason, code=code, **known)  # type: ignore[arg-type]


def review_eligibility(
    *, booking: Booking, user: User | AnonymousUser, now: datetime | None = None
) -> Eligibility:
    """May ``user`` review ``booking`` at ``now``? The artist reviews the professional and the
    professional the artist, once each, after completion and within ``REVIEW_WINDOW_DAYS``.

    Reads the booking's ``artist`` and ``associate`` (select them related to save queries).
    """
    now = now or timezone.now()
    if not user.is_authenticated:
        return _refused("not_signed_in", _("Sign in to review a booking."))
    artist_user_id, associate_user_id = booking.artist.user_id, booking.associate.user_id
    if user.pk not in {artist_user_id, associate_user_id}:
        return _refused(
            "not_a_party", _("Only the artist and the professional of a booking can review it.")
        )
    if artist_user_id == associate_user_id:
        return _refused("own_booking", _("You cannot review yourself."))
    direction = Direction.OF_ASSOCIATE if user.pk == artist_user_id else Direction.OF_ARTIST
    if booking.status != Status.COMPLETED:
        return _refused(
            "not_completed",
            _("This booking is %(status)s: you can review it once it is completed.")
            % {"status": booking.get_status_display().lower()},
            direction=direction,
        )
    closes_at = review_window_closes_at(booking)
    if Review.objects.filter(booking=booking, direction=direction).exists():
        return _refused(
            "already_reviewed",
            _("You have already reviewed this booking."),
            direction=direction,
            window_closes_at=closes_at,
        )
    if now >= closes_at:
        return _refused(
            "window_closed",
            _("The time to review this booking ended on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(closes_at), "DATE_FORMAT")},
            direction=direction,
            window_closes_at=closes_at,
        )
    return Eligibility(
        allowed=True,
        direction=direction,
        window_closes_at=closes_at,
        criteria=criteria_for(direction, booking.associate),
    )


def reply_refusal(
    *, review: Review, user: User | AnonymousUser, now: datetime | None = None
) -> str:
    """Why ``user`` may not reply to ``review`` now, translated; empty when they may. Only the
    person reviewed replies, once, to a public review, within ``REVIEW_REPLY_DAYS`` of its
    publication."""
    now = now or timezone.now()
    if not user.is_authenticated or review.subject.user_id != user.pk:
        return _("Only the person reviewed can reply to a review.")
    if review.published_at is None:
        return _("You can reply once the review is published.")
    if not review.is_published:
        return _("This review has been hidden by the label's moderators.")
    if review.replied_at is not None or review.reply:
        return _("You have already replied to this review.")
    deadline = review.published_at + timedelta(days=settings.REVIEW_REPLY_DAYS)
    if now >= deadline:
        return _("The time to reply ended on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(deadline), "DATE_FORMAT")
        }
    return ""


def can_reply(*, review: Review, user: User | AnonymousUser, now: datetime | None = None) -> bool:
    """May ``user`` reply to ``review`` now (see ``reply_refusal``)?"""
    return not reply_refusal(review=review, user=user, now=now)
