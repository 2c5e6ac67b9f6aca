"""The moderation services (issue 5 points 6, 7 and 10): approve, hide with a reason, restore;
the audit trail they leave, the reports they close and the public rating they refresh."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.associates.models import Associate
from mylabel.reviews import cache, services
from mylabel.reviews.models import Moderation, ModerationEvent, Report, Review
from mylabel.reviews.moderation import (
    REASON_MAX_LENGTH,
    approve_review,
    hide_review,
    restore_review,
)
from tests.factories import UserFactory
from tests.reviews.factories import ReviewFactory


@pytest.fixture
def rated_marco(marco: Associate) -> tuple[Review, Review]:
    """Two published reviews of marco, 5 and 1 stars, with his rating computed (3.00 from 2)."""
    five = ReviewFactory.create(associate=marco, rating=5)
    one = ReviewFactory.create(associate=marco, rating=1)
    services.refresh_rating(five)
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("3.00"), 2)
    return five, one


def _reported(review: Review, *reporters: User) -> list[Report]:
    return [
        Report.objects.create(review=review, reporter=reporter, reason=Report.Reason.ABUSIVE)
        for reporter in reporters
    ]


# --- Hidden reviews leave the public rating at once, restored ones come back --------------------


def test_a_hidden_review_leaves_the_profile_rating_and_the_warm_cached_summary_at_once(
    label_admin: User,
    marco: Associate,
    rated_marco,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    _, one = rated_marco
    cache.summary_for(marco)
    with django_assert_num_queries(0):  # the cache is warm: no database read
        warm = cache.summary_for(marco)
    assert (warm.count, warm.average) == (2, Decimal("3.00"))

    with django_capture_on_commit_callbacks(execute=True):
        hide_review(review=one, by=label_admin, reason="Abusive language")

    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("5.00"), 1)
    summary = cache.summary_for(marco)
    assert (summary.count, summary.average) == (1, Decimal("5.00"))
    assert [share.count for share in summary.distribution] == [1, 0, 0, 0, 0]


def test_restoring_a_hidden_review_brings_it_back_into_the_rating_and_the_summary(
    label_admin: User, marco: Associate, rated_marco, django_capture_on_commit_callbacks
):
    _, one = rated_marco
    with django_capture_on_commit_callbacks(execute=True):
        hide_review(review=one, by=label_admin, reason="Abusive language")
    assert cache.summary_for(marco).count == 1  # warm again, with the review hidden

    with django_capture_on_commit_callbacks(execute=True):
        restored = restore_review(review=one, by=label_admin)

    assert restored.moderation == Moderation.APPROVED
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("3.00"), 2)
    summary = cache.summary_for(marco)
    assert (summary.count, summary.average) == (2, Decimal("3.00"))


def test_the_rating_is_recomputed_only_once_the_moderation_commits(
    label_admin: User, marco: Associate, rated_marco, django_capture_on_commit_callbacks
):
    _, one = rated_marco
    with django_capture_on_commit_callbacks() as callbacks:
        hide_review(review=one, by=label_admin, reason="Abusive language")
        marco.refresh_from_db()
        assert marco.rating_count == 2  # nothing recomputed inside the transaction

    for callback in callbacks:
        callback()
    marco.refresh_from_db()
    assert marco.rating_count == 1


def test_hiding_a_review_about_an_artist_refreshes_the_artists_rating(
    label_admin: User, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(direction="of_artist", rating=2)
    services.refresh_rating(review)
    artist = review.artist
    artist.refresh_from_db()
    assert artist.rating_count == 1

    with django_capture_on_commit_callbacks(execute=True):
        hide_review(review=review, by=label_admin, reason="Not about the booking")

    artist.refresh_from_db()
    assert (artist.rating_average, artist.rating_count) == (None, 0)
    assert cache.summary_for(artist).count == 0


# --- What each action records -------------------------------------------------------------------


def test_hiding_records_who_when_and_why_and_closes_the_open_reports(
    label_admin: User, artist: User, outsider: User, marco: Associate
):
    review = ReviewFactory.create(associate=marco)
    open_reports = _reported(review, artist, outsider)
    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=5)

    with time_machine.travel(moment, tick=False):
        hidden = hide_review(review=review, by=label_admin, reason="  Shares a phone number  ")

    review.refresh_from_db()
    assert review.moderation == Moderation.HIDDEN == hidden.moderation
    assert review.hidden_reason == "Shares a phone number"
    event = ModerationEvent.objects.get(review=review)
    assert (event.moderator, event.action, event.reason, event.created_at) == (
        label_admin,
        ModerationEvent.Action.HIDE,
        "Shares a phone number",
        moment,
    )
    for report in open_reports:
        report.refresh_from_db()
        assert report.resolved_at == moment


def test_approving_a_new_review_records_the_step_and_dismisses_its_reports(
    label_admin: User, outsider: User, marco: Associate
):
    review = ReviewFactory.create(associate=marco)
    (report,) = _reported(review, outsider)

    approved = approve_review(review=review, by=label_admin, reason="Harsh but fair")

    review.refresh_from_db()
    assert review.moderation == Moderation.APPROVED == approved.moderation
    assert review.hidden_reason == ""
    event = ModerationEvent.objects.get(review=review)
    assert (event.moderator, event.action, event.reason) == (
        label_admin,
        ModerationEvent.Action.APPROVE,
        "Harsh but fair",
    )
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_an_approved_review_reported_again_can_be_approved_again(
    label_admin: User, outsider: User, marco: Associate
):
    review = ReviewFactory.create(associate=marco, moderation=Moderation.APPROVED)
    _reported(review, outsider)

    approve_review(review=review, by=label_admin)

    assert not Report.objects.filter(review=review, resolved_at__isnull=True).exists()
    assert ModerationEvent.objects.filter(review=review).count() == 1


def test_restoring_clears_the_hiding_reason_but_the_history_keeps_every_step(
    label_admin: User, marco: Associate
):
    review = ReviewFactory.create(associate=marco)
    hide_review(review=review, by=label_admin, reason="Looked like spam")
    restore_review(review=review, by=label_admin, reason="The booking was real")

    review.refresh_from_db()
    assert (review.moderation, review.hidden_reason) == (Moderation.APPROVED, "")
    history = [
        (event.action, event.reason, event.moderator)
        for event in ModerationEvent.objects.filter(review=review).order_by("pk")
    ]
    assert history == [
        (ModerationEvent.Action.HIDE, "Looked like spam", label_admin),
        (ModerationEvent.Action.RESTORE, "The booking was real", label_admin),
    ]


def test_the_history_outlives_the_moderators_account(label_admin: User, marco: Associate):
    review = ReviewFactory.create(associate=marco)
    hide_review(review=review, by=label_admin, reason="Spam")
    label_admin.delete()
    event = ModerationEvent.objects.get(review=review)
    assert (event.moderator, event.reason) == (None, "Spam")


def test_a_blind_review_can_be_hidden_before_it_is_published(label_admin: User):
    review = ReviewFactory.create(published_at=None)
    hide_review(review=review, by=label_admin, reason="Threatens the artist")
    review.refresh_from_db()
    assert review.moderation == Moderation.HIDDEN
    assert review.published_at is None


# --- Refusals change nothing --------------------------------------------------------------------


def _snapshot(review: Review) -> tuple[object, ...]:
    review.refresh_from_db()
    return (
        review.moderation,
        review.hidden_reason,
        ModerationEvent.objects.filter(review=review).count(),
        Report.objects.filter(review=review, resolved_at__isnull=True).count(),
    )


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_hiding_without_a_reason_is_refused_on_the_reason_field(
    label_admin: User, outsider: User, marco: Associate, reason: str
):
    review = ReviewFactory.create(associate=marco)
    _reported(review, outsider)
    before = _snapshot(review)

    with pytest.raises(ValidationError) as refused:
        hide_review(review=review, by=label_admin, reason=reason)

    assert "reason" in refused.value.message_dict
    assert _snapshot(review) == before


def test_a_reason_over_the_limit_is_refused(label_admin: User, marco: Associate):
    review = ReviewFactory.create(associate=marco)
    before = _snapshot(review)
    with pytest.raises(ValidationError) as refused:
        hide_review(review=review, by=label_admin, reason="x" * (REASON_MAX_LENGTH + 1))
    assert "reason" in refused.value.message_dict
    assert _snapshot(review) == before


Action = Callable[..., Review]


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (Moderation.NEW, restore_review, "not hidden"),
        (Moderation.APPROVED, restore_review, "not hidden"),
        (Moderation.HIDDEN, hide_review, "already hidden"),
        (Moderation.HIDDEN, approve_review, "restore it"),
        (Moderation.APPROVED, approve_review, "already approved"),
    ],
)
def test_an_action_that_does_not_fit_the_reviews_state_is_refused(
    label_admin: User, marco: Associate, state: str, action: Action, message: str
):
    review = ReviewFactory.create(
        associate=marco,
        moderation=state,
        hidden_reason="Spam" if state == Moderation.HIDDEN else "",
    )
    before = _snapshot(review)

    with pytest.raises(ValidationError) as refused:
        action(review=review, by=label_admin, reason="A reason")

    assert message in " ".join(refused.value.messages)
    assert _snapshot(review) == before


@pytest.mark.parametrize("action", [approve_review, hide_review, restore_review])
@pytest.mark.parametrize("who", ["artist", "associate", "outsider", "staff", "inactive_admin"])
def test_only_an_active_label_admin_may_moderate(
    request: pytest.FixtureRequest, marco: Associate, action: Action, who: str
):
    users = {
        "staff": lambda: UserFactory.create(is_staff=True),  # staff alone is not the label role
        "inactive_admin": lambda: UserFactory.create(label_admin=True, is_active=False),
    }
    user = users[who]() if who in users else request.getfixturevalue(who)
    state = Moderation.HIDDEN if action is restore_review else Moderation.NEW
    review = ReviewFactory.create(associate=marco, moderation=state)
    before = _snapshot(review)

    with pytest.raises(PermissionDenied):
        action(review=review, by=user, reason="A reason")

    assert _snapshot(review) == before
