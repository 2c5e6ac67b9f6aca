"""The label's moderation of reviews (DESIGN.md §2.5, issue 5 point 6): the queue a label admin
works through, and the three things they do to a review: approve it, hide it with a reason, or
restore a hidden one.

Every action is a label admin's alone, leaves a ``ModerationEvent`` (who, when, what, why),
closes the review's open reports (the moderator has looked at them) and, once committed, has
``services.refresh_rating`` recompute the subject's public rating, so a hidden review leaves the
aggregates at once and a restored one comes back.
"""

from collections.abc import Mapping
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mylabel.accounts.models import User
from mylabel.reviews import services
from mylabel.reviews.models import (
    CriterionRating,
    Moderation,
    ModerationEvent,
    Report,
    Review,
    ReviewQuerySet,
)

REASON_MAX_LENGTH = 1000

# --- The queue ----------------------------------------------------------------------------------

# The queue's tabs in the order the page shows them; the first is the default.
QUEUES: Mapping[str, Promise] = {
    "reported": gettext_lazy("Reported"),
    "new": gettext_lazy("New"),
    "flagged": gettext_lazy("Flagged"),
    "hidden": gettext_lazy("Hidden"),
}
DEFAULT_QUEUE = "reported"


def _queue_condition(queue: str) -> Q:
    """Which reviews a tab holds. ``new`` and ``flagged`` hold only reviews nobody has moderated
    yet, so approving one takes it off the tab (the sentiment flag itself stays, as a fact)."""
    if queue == "reported":
        return Q(Exists(Report.objects.filter(review=OuterRef("pk"), resolved_at__isnull=True)))
    if queue == "new":
        return Q(moderation=Moderation.NEW)
    if queue == "flagged":
        return Q(contradicts_rating=True, moderation=Moderation.NEW)
    if queue == "hidden":
        return Q(moderation=Moderation.HIDDEN)
    raise ValueError(f"Unknown moderation queue {queue!r}")


def _rows() -> ReviewQuerySet:
    """Reviews with everything a queue row shows, in a fixed number of queries: the author and
    both profiles joined; criteria, open reports (``open_reports``) with their reporters and the
    moderation history with its moderators prefetched."""
    reviews: ReviewQuerySet = Review.objects.select_related("author", "artist", "associate")
    return reviews.prefetch_related(
        Prefetch("criterion_ratings", queryset=CriterionRating.objects.select_related("criterion")),
        Prefetch(
            "reports",
            queryset=Report.objects.filter(resolved_at__isnull=True).select_related("reporter"),
            to_attr="open_reports",
        ),
        Prefetch("moderation_events", queryset=ModerationEvent.objects.select_related("moderator")),
    )


def moderation_queue(queue: str) -> ReviewQuerySet:
    """The reviews of one tab (a key of ``QUEUES``), loaded as rows. The working tabs put the
    longest-waiting review first; ``hidden`` the most recently changed."""
    ordering = ("-updated_at", "-pk") if queue == "hidden" else ("created_at", "pk")
    return _rows().filter(_queue_condition(queue)).order_by(*ordering)


def queue_counts() -> dict[str, int]:
    """How many reviews each tab holds, in one query."""
    return Review.objects.aggregate(
        **{queue: Count("pk", filter=_queue_condition(queue)) for queue in QUEUES}
    )


def review_for_moderation(pk: int) -> Review:
    """One review loaded as a queue row, whatever its tab. Raises ``Review.DoesNotExist``."""
    return _rows().get(pk=pk)


# --- Actions ------------------------------------------------------------------------------------


def _check_moderator(by: User) -> None:
    if not by.is_authenticated or not by.is_label_admin:
        raise PermissionDenied(_("Only a label admin can moderate reviews."))


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(
            {"reason": _("Say why the review is hidden: the reason is kept in its history.")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            }
        )
    return reason


def _lock(review: Review) -> Review:
    """The review's row, locked until the transaction ends, so two moderators acting at once
    take turns and the second sees the first one's outcome."""
    return Review.objects.select_for_update().get(pk=review.pk)


def _has_open_reports(review: Review) -> bool:
    return review.reports.filter(resolved_at__isnull=True).exists()


def _moderate(
    review: Review, *, by: User, to: str, action: str, reason: str, hidden_reason: str = ""
) -> Review:
    """Record the step: the review's new state, the audit event, the reports it answers, and
    the rating recomputed once all of it is committed."""
    review.moderation = to
    review.hidden_reason = hidden_reason
    review.save(update_fields=["moderation", "hidden_reason", "updated_at"])
    ModerationEvent.objects.create(review=review, moderator=by, action=action, reason=reason)
    review.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    transaction.on_commit(partial(services.refresh_rating, review))
    return review


@transaction.atomic
def approve_review(*, review: Review, by: User, reason: str = "") -> Review:
    """Mark ``review`` as seen and fine, dismissing its open reports. An approved review with
    new reports may be approved again; a hidden one is restored instead (``restore_review``).
    Raises ``PermissionDenied`` for anyone but a label admin, ``ValidationError`` otherwise."""
    _check_moderator(by)
    reason = _clean_reason(reason, required=False)
    review = _lock(review)
    if review.moderation == Moderation.HIDDEN:
        raise ValidationError(_("This review is hidden: restore it to make it public again."))
    if review.moderation == Moderation.APPROVED and not _has_open_reports(review):
        raise ValidationError(_("This review is already approved and has no open reports."))
    return _moderate(
        review, by=by, to=Moderation.APPROVED, action=ModerationEvent.Action.APPROVE, reason=reason
    )


@transaction.atomic
def hide_review(*, review: Review, by: User, reason: str = "") -> Review:
    """Take ``review`` off every public page and aggregate, saying why (required; kept on the
    review and in its history). Raises ``PermissionDenied`` for anyone but a label admin,
    ``ValidationError`` (key ``reason`` when that is the fault) otherwise."""
    _check_moderator(by)
    reason = _clean_reason(reason, required=True)
    review = _lock(review)
    if review.moderation == Moderation.HIDDEN:
        raise ValidationError(_("This review is already hidden."))
    return _moderate(
        review,
        by=by,
        to=Moderation.HIDDEN,
        action=ModerationEvent.Action.HIDE,
        reason=reason,
        hidden_reason=reason,
    )


@transaction.atomic
def restore_review(*, review: Review, by: User, reason: str = "") -> Review:
    """Make a hidden ``review`` public again, as approved; why it was hidden stays in its
    history. Raises ``PermissionDenied`` for anyone but a label admin, ``ValidationError`` for
    a review that is not hidden."""
    _check_moderator(by)
    reason = _clean_reason(reason, required=False)
    review = _lock(review)
    if review.moderation != Moderation.HIDDEN:
        raise ValidationError(_("This review is not hidden: there is nothing to restore."))
    return _moderate(
        review, by=by, to=Moderation.APPROVED, action=ModerationEvent.Action.RESTORE, reason=reason
    )
