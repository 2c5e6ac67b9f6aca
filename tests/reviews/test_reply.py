"""One public reply by the person reviewed, once, within REVIEW_REPLY_DAYS of publication
(issue 5 point 4)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews import services
from mylabel.reviews.cache import summary_for
from mylabel.reviews.eligibility import can_reply, reply_refusal
from mylabel.reviews.models import Direction, Moderation, Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(nina: Artist, marco: Associate) -> Review:
    """Nina's published review of Marco."""
    return ReviewFactory.create(artist=nina, associate=marco)


# --- Who may reply ------------------------------------------------------------------------------


def test_the_person_reviewed_may_reply(review: Review, associate):
    assert can_reply(review=review, user=associate)


def test_a_professional_may_reply_to_the_artist_review_of_them_too(
    nina: Artist, marco: Associate, artist, associate
):
    review = ReviewFactory.create(artist=nina, associate=marco, direction=Direction.OF_ARTIST)

    assert can_reply(review=review, user=artist)
    assert not can_reply(review=review, user=associate)  # the author


@pytest.mark.parametrize("persona", ["artist", "outsider", "label_admin"])
def test_nobody_but_the_person_reviewed_may_reply(review: Review, request, persona: str):
    user = request.getfixturevalue(persona)

    assert not can_reply(review=review, user=user)
    assert reply_refusal(review=review, user=user) == (
        "Only the person reviewed can reply to a review."
    )


def test_an_anonymous_visitor_may_not_reply(review: Review):
    assert not can_reply(review=review, user=AnonymousUser())


def test_a_blind_review_cannot_be_replied_to_yet(review: Review, associate):
    review.published_at = None

    assert reply_refusal(review=review, user=associate) == (
        "You can reply once the review is published."
    )


def test_a_hidden_review_cannot_be_replied_to(review: Review, associate):
    review.moderation = Moderation.HIDDEN

    assert reply_refusal(review=review, user=associate) == (
        "This review has been hidden by the label's moderators."
    )


def test_the_reply_window_ends_reply_days_after_publication(review: Review, associate, settings):
    settings.REVIEW_REPLY_DAYS = 7
    assert review.published_at is not None
    deadline = review.published_at + timedelta(days=7)

    assert can_reply(review=review, user=associate, now=deadline - timedelta(seconds=1))
    assert not can_reply(review=review, user=associate, now=deadline)
    assert reply_refusal(review=review, user=associate, now=deadline).startswith(
        "The time to reply ended on "
    )


# --- Replying -----------------------------------------------------------------------------------


def test_a_reply_is_stored_with_its_time(review: Review, associate):
    with time_machine.travel(timezone.now(), tick=False):
        returned = services.reply_to_review(review=review, by=associate, text="  Thank you!  ")
        now = timezone.now()

    assert returned is review
    assert review.reply == "Thank you!"
    stored = Review.objects.get(pk=review.pk)
    assert (stored.reply, stored.replied_at) == ("Thank you!", now)


def test_a_second_reply_is_refused_and_the_first_kept(review: Review, associate):
    services.reply_to_review(review=review, by=associate, text="Thank you!")

    assert not can_reply(review=Review.objects.get(pk=review.pk), user=associate)
    with pytest.raises(ValidationError) as refused:
        services.reply_to_review(review=review, by=associate, text="Edited")

    assert refused.value.messages == ["You have already replied to this review."]
    assert Review.objects.get(pk=review.pk).reply == "Thank you!"


def test_a_stranger_cannot_reply(review: Review, outsider):
    with pytest.raises(ValidationError) as refused:
        services.reply_to_review(review=review, by=outsider, text="Nice")

    assert refused.value.messages == ["Only the person reviewed can reply to a review."]
    assert Review.objects.get(pk=review.pk).reply == ""


@pytest.mark.parametrize("text", ["", "   ", None])
def test_a_reply_needs_a_text(review: Review, associate, text):
    with pytest.raises(ValidationError) as refused:
        services.reply_to_review(review=review, by=associate, text=text)

    assert refused.value.message_dict == {"text": ["Please write your reply."]}
    assert Review.objects.get(pk=review.pk).replied_at is None


def test_a_reply_over_2000_characters_is_refused(review: Review, associate):
    with pytest.raises(ValidationError) as refused:
        services.reply_to_review(review=review, by=associate, text="a" * 2001)

    assert refused.value.message_dict == {"text": ["Keep the reply under 2000 characters."]}
    assert Review.objects.get(pk=review.pk).replied_at is None


def test_a_late_reply_is_refused(review: Review, associate):
    assert review.published_at is not None
    with (
        time_machine.travel(review.published_at + timedelta(days=31)),
        pytest.raises(ValidationError),
    ):
        services.reply_to_review(review=review, by=associate, text="Sorry, late")

    assert Review.objects.get(pk=review.pk).reply == ""


def test_a_reply_forgets_the_cached_summary_after_the_commit(
    review: Review, associate, marco: Associate, django_capture_on_commit_callbacks, monkeypatch
):
    summary_for(marco)
    forgotten: list[object] = []
    monkeypatch.setattr("mylabel.reviews.cache.invalidate", forgotten.append)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.reply_to_review(review=review, by=associate, text="Thanks")
    assert forgotten == []
    for callback in callbacks:
        callback()

    assert forgotten == [marco]
