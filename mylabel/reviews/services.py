"""Every write of a review (DESIGN.md §2.5, CONVENTIONS.md "Layers"): writing one, publishing the
blind ones, replying, reporting, and keeping the profiles' denormalised rating.

Double-blind: a review is written blind (``published_at`` empty). When the other side's review of
the same booking arrives, both publish at once; otherwise the review publishes when the review
window closes (``publish_due_reviews``, run by the ``publish_reviews`` task scheduled for that
moment, or by ``manage.py publish_due_reviews`` where tasks run in-process).

Refusals raise ``ValidationError`` with a message fit to show. Field errors are keyed ``rating``,
``text``, ``reason``, ``details`` and, per criterion, ``criterion_field(slug)``
(``criterion_<slug>``); anything not about one field is a non-field error.

Side effects run after the commit: the signals of ``reviews.signals``, the profiles' cached
summaries, the publication task.
"""

import logging
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, Status
from mylabel.core.directory import forget_directory_results
from mylabel.core.ratelimit import check_rate, wait_minutes
from mylabel.payments.models import Payment
from mylabel.reviews import cache
from mylabel.reviews.eligibility import reply_refusal, review_eligibility
from mylabel.reviews.models import (
    MAX_RATING,
    MIN_RATING,
    CriterionRating,
    Report,
    Review,
)
from mylabel.reviews.signals import review_published, review_submitted

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 2000
REPORT_DETAILS_MAX_LENGTH = 1000
ONE_PER_SIDE_CONSTRAINT = "review_one_per_side"
ONE_REPORT_CONSTRAINT = "report_once_per_user"
# A payment in one of these states means the work was paid through the platform; a refunded
# payment (all of it) or no payment at all (a free booking) does not verify a review.
VERIFYING_PAYMENT_STATUSES = (Payment.Status.SUCCEEDED, Payment.Status.PARTIALLY_REFUNDED)


def criterion_field(slug: str) -> str:
    """The error key (and form field name) of the criterion ``slug``."""
    return f"criterion_{slug}"


# --- Writing ------------------------------------------------------------------------------------


SUBMIT_RATE_GROUP = "reviews.submit_review"


def check_submit_rate(user: User) -> None:
    """Count one review of ``user`` against REVIEW_RATE_LIMITS; ``ValidationError`` (code
    ``rate_limited``) past the limit. The page and the API call it before ``submit_review``:
    the limit is on people's requests, the demo seed writes freely."""
    check_rate(
        group=SUBMIT_RATE_GROUP,
        key=str(user.pk),
        windows=settings.REVIEW_RATE_LIMITS,
        message=lambda wait: (
            ngettext(
                "You have written many reviews in a short time. Try again in %(minutes)d minute.",
                "You have written many reviews in a short time. Try again in %(minutes)d minutes.",
                wait_minutes(wait),
            )
            % {"minutes": wait_minutes(wait)}
        ),
    )


@transaction.atomic
def submit_review(
    *, booking: Booking, author: User, rating: int, text: str, criteria: Mapping[str, int]
) -> Review:
    """``author`` reviews the other side of ``booking``: an overall ``rating``, a ``text`` and
    one rating per criterion of ``review_eligibility(...).criteria`` (``criteria`` maps their
    slugs to 1 to 5). The review is blind until the other side's review arrives (then both are
    published now) or the window closes. The text is stored as written (trimmed): templates
    escape it."""
    booking = _lock_booking(booking)
    eligibility = review_eligibility(booking=booking, user=author)
    if not eligibility.allowed:
        raise ValidationError(eligibility.reason, code=eligibility.code)
    assert eligibility.direction is not None
    assert eligibility.window_closes_at is not None

    errors: dict[str, list[str]] = {}
    overall = _rating_value(rating)
    if overall is None:
        errors["rating"] = [_("Choose an overall rating from 1 to 5 stars.")]
    scores: dict[str, int] = {}
    known = {criterion.slug for criterion in eligibility.criteria}
    for criterion in eligibility.criteria:
        if criterion.slug not in criteria or criteria[criterion.slug] in (None, ""):
            errors[criterion_field(criterion.slug)] = [
                _("Rate %(criterion)s from 1 to 5 stars.") % {"criterion": criterion.name}
            ]
            continue
        score = _rating_value(criteria[criterion.slug])
        if score is None:
            errors[criterion_field(criterion.slug)] = [
                _("Rate %(criterion)s from 1 to 5 stars.") % {"criterion": criterion.name}
            ]
        else:
            scores[criterion.slug] = score
    unknown = sorted(str(slug) for slug in criteria if slug not in known)
    if unknown:
        errors[NON_FIELD_ERRORS] = [
            _("These criteria do not apply to this review: %(criteria)s.")
            % {"criteria": ", ".join(unknown)}
        ]
    cleaned_text = (text or "").strip()
    if not cleaned_text:
        errors["text"] = [_("Please write a few words about the booking.")]
    elif len(cleaned_text) > TEXT_MAX_LENGTH:
        errors["text"] = [_("Keep the review under %(max)d characters.") % {"max": TEXT_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    assert overall is not None

    review = Review(
        booking=booking,
        author=author,
        direction=eligibility.direction,
        artist=booking.artist,
        associate=booking.associate,
        rating=overall,
        text=cleaned_text,
        verified=is_verified(booking),
        window_closes_at=eligibility.window_closes_at,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        # The other request of a double submit got there first.
        if ONE_PER_SIDE_CONSTRAINT in str(error) or "UNIQUE" in str(error).upper():
            raise ValidationError(
                _("You have already reviewed this booking."), code="already_reviewed"
            ) from error
        raise
    by_slug = {criterion.slug: criterion for criterion in eligibility.criteria}
    CriterionRating.objects.bulk_create(
        CriterionRating(review=review, criterion=by_slug[slug], rating=score)
        for slug, score in scores.items()
    )

    published = []
    other = (
        Review.objects.select_for_update()
        .filter(booking=booking)
        .exclude(direction=review.direction)
        .first()
    )
    if other is not None:
        # The other side has reviewed too: the blind period is over for both.
        now = timezone.now()
        for pending in (other, review):
            if pending.published_at is None:
                pending.published_at = now
                pending.save(update_fields=["published_at", "updated_at"])
                published.append(pending)

    transaction.on_commit(lambda: review_submitted.send(sender=Review, review=review))
    _after_publication(published)
    if review.published_at is None:
        from mylabel.reviews.tasks import schedule_publication

        transaction.on_commit(lambda: schedule_publication(review))
    return review


def is_verified(booking: Booking) -> bool:
    """A review is verified when its booking was completed and paid through the platform."""
    payment = booking.payment
    return (
        booking.status == Status.COMPLETED
        and payment is not None
        and payment.status in VERIFYING_PAYMENT_STATUSES
    )


@transaction.atomic
def publish_due_reviews(*, now: datetime | None = None) -> int:
    """Publish every blind review whose window has closed at ``now``; returns how many.
    Idempotent: rows are locked and re-read, so two runs at once publish each review once."""
    now = now or timezone.now()
    due = list(
        Review.objects.blind_window_closed(now)
        .select_for_update(of=("self",))
        .select_related("artist", "associate")
        .order_by("pk")
    )
    for review in due:
        review.published_at = now
        review.save(update_fields=["published_at", "updated_at"])
    _after_publication(due)
    if due:
        logger.info("Published %d review(s) whose window closed.", len(due))
    return len(due)


def _after_publication(reviews: list[Review]) -> None:
    """Once the transaction commits, tell subscribers about each newly public review; the
    profiles' ratings are recomputed now, inside it."""
    for review in reviews:
        refresh_rating(review)
    for review in reviews:
        transaction.on_commit(
            lambda review=review: review_published.send(sender=Review, review=review)  # type: ignore[misc]
        )


# --- Replying and reporting ---------------------------------------------------------------------


@transaction.atomic
def reply_to_review(*, review: Review, by: User, text: str) -> Review:
    """The person reviewed answers ``review`` publicly, once, within ``REVIEW_REPLY_DAYS``."""
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("artist", "associate")
        .get(pk=review.pk)
    )
    refusal = reply_refusal(review=locked, user=by)
    if refusal:
        raise ValidationError(refusal, code="reply_refused")
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError({"text": _("Please write your reply.")})
    if len(cleaned) > REPLY_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the reply under %(max)d characters.") % {"max": REPLY_MAX_LENGTH}}
        )
    locked.reply = cleaned
    locked.replied_at = timezone.now()
    locked.save(update_fields=["reply", "replied_at", "updated_at"])
    cache.invalidate_on_commit(locked.subject)
    if review is not locked:
        review.reply, review.replied_at = locked.reply, locked.replied_at
        review.updated_at = locked.updated_at
    return review


@transaction.atomic
def report_review(*, review: Review, by: User, reason: str, details: str = "") -> Report:
    """A signed-in user other than its author reports a public review to the moderators, once."""
    if not by.is_authenticated:
        raise ValidationError(_("Sign in to report a review."), code="not_signed_in")
    review = Review.objects.get(pk=review.pk)
    if review.author_id == by.pk:
        raise ValidationError(_("You cannot report your own review."), code="own_review")
    if not review.is_published:
        raise ValidationError(
            _("Only reviews shown on the site can be reported."), code="not_published"
        )
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    cleaned_details = (details or "").strip()
    if len(cleaned_details) > REPORT_DETAILS_MAX_LENGTH:
        errors["details"] = [
            _("Keep the details under %(max)d characters.") % {"max": REPORT_DETAILS_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    already = _("You have already reported this review; the moderators will look at it.")
    if Report.objects.filter(review=review, reporter=by).exists():
        raise ValidationError(already, code="already_reported")
    try:
        with transaction.atomic():
            return Report.objects.create(
                review=review, reporter=by, reason=reason, details=cleaned_details
            )
    except IntegrityError as error:
        raise ValidationError(already, code="already_reported") from error


@transaction.atomic
def delete_review(*, review: Review) -> None:
    """Remove ``review`` with its ratings, reports and moderation trail (the admin's delete;
    moderators hide instead). The subject's rating and summary follow after the commit."""
    subject_review = Review.objects.select_related("artist", "associate").get(pk=review.pk)
    subject_review.delete()
    refresh_rating(subject_review)


# --- The profiles' rating -----------------------------------------------------------------------


@transaction.atomic
def refresh_rating(review: Review) -> None:
    """Recompute the rating of ``review``'s subject from its published, non-hidden reviews
    (average to two decimals, ``None`` with no reviews) and forget its cached summary after the
    commit. Call it after anything that changes which reviews are public."""
    subject = review.subject
    totals = (
        cache.reviews_about(subject).order_by().aggregate(average=Avg("rating"), count=Count("pk"))
    )
    average = cache.to_two_places(totals["average"]) if totals["count"] else None
    model: type[Artist] | type[Associate] = type(subject)
    model.objects.filter(pk=subject.pk).update(rating_average=average, rating_count=totals["count"])
    forget_directory_results()
    subject.rating_average, subject.rating_count = average, totals["count"]
    cache.invalidate_on_commit(subject)


# --- Helpers ------------------------------------------------------------------------------------


def _lock_booking(booking: Booking) -> Booking:
    """The booking's row, read fresh and locked, so the two sides' reviews of one booking are
    written one after the other and the second always sees the first (and publishes both)."""
    if connection.vendor != "postgresql":
        # SQLite has no row locks: taking its single write lock now serialises the same way.
        Booking.objects.filter(pk=booking.pk).update(status=F("status"))
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("artist__user", "associate__user", "payment")
        .get(pk=booking.pk)
    )


def _rating_value(value: object) -> int | None:
    """``value`` as a whole number of stars from 1 to 5, or ``None`` if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if not isinstance(value, int) or not MIN_RATING <= value <= MAX_RATING:
        return None
    return value
