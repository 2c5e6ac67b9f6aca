"""Reporting a review to the moderators (issue 5 point 6, the service): any signed-in user but its
author, once, with a reason from the list, for a review shown on the site."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews import services
from mylabel.reviews.models import Moderation, Report, Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(nina: Artist, marco: Associate) -> Review:
    """Nina's published review of Marco."""
    return ReviewFactory.create(artist=nina, associate=marco)


@pytest.mark.parametrize("persona", ["outsider", "associate", "label_admin"])
def test_any_signed_in_user_but_the_author_may_report(review: Review, request, persona: str):
    user = request.getfixturevalue(persona)

    report = services.report_review(
        review=review, by=user, reason=Report.Reason.SPAM, details="  Links to a shop. "
    )

    stored = Report.objects.get()
    assert stored == report
    assert (stored.review, stored.reporter, stored.reason) == (review, user, "spam")
    assert stored.details == "Links to a shop."
    assert stored.resolved_at is None


def test_the_author_cannot_report_their_own_review(review: Review, artist):
    with pytest.raises(ValidationError) as refused:
        services.report_review(review=review, by=artist, reason=Report.Reason.OTHER)

    assert refused.value.messages == ["You cannot report your own review."]
    assert not Report.objects.exists()


def test_an_anonymous_visitor_cannot_report(review: Review):
    with pytest.raises(ValidationError) as refused:
        services.report_review(review=review, by=AnonymousUser(), reason=Report.Reason.SPAM)  # type: ignore[arg-type]

    assert refused.value.code == "not_signed_in"
    assert not Report.objects.exists()


def test_a_second_report_by_the_same_user_is_refused_clearly(review: Review, outsider):
    services.report_review(review=review, by=outsider, reason=Report.Reason.SPAM)

    with pytest.raises(ValidationError) as refused:
        services.report_review(review=review, by=outsider, reason=Report.Reason.ABUSIVE)

    assert refused.value.messages == [
        "You have already reported this review; the moderators will look at it."
    ]
    assert Report.objects.get().reason == "spam"


def test_two_users_may_each_report_the_same_review(review: Review, outsider, associate):
    services.report_review(review=review, by=outsider, reason=Report.Reason.SPAM)
    services.report_review(review=review, by=associate, reason=Report.Reason.FAKE)

    assert Report.objects.filter(review=review).count() == 2


def test_a_race_to_a_second_report_ends_in_the_same_refusal(review: Review, outsider, monkeypatch):
    services.report_review(review=review, by=outsider, reason=Report.Reason.SPAM)
    # The second request's existence check ran before the first one committed.
    monkeypatch.setattr(Report.objects, "filter", lambda **kwargs: Report.objects.none())

    with pytest.raises(ValidationError) as refused:
        services.report_review(review=review, by=outsider, reason=Report.Reason.SPAM)

    assert refused.value.code == "already_reported"
    assert Report.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "rude", None, "SPAM"])
def test_the_reason_must_come_from_the_list(review: Review, outsider, reason):
    with pytest.raises(ValidationError) as refused:
        services.report_review(review=review, by=outsider, reason=reason)

    assert refused.value.message_dict == {"reason": ["Choose a reason from the list."]}
    assert not Report.objects.exists()


def test_details_over_1000_characters_are_refused(review: Review, outsider):
    with pytest.raises(ValidationError) as refused:
        services.report_review(
            review=review, by=outsider, reason=Report.Reason.OTHER, details="a" * 1001
        )

    assert refused.value.message_dict == {"details": ["Keep the details under 1000 characters."]}
    assert not Report.objects.exists()


def test_a_blind_review_cannot_be_reported(nina: Artist, marco: Associate, associate):
    blind = ReviewFactory.create(artist=nina, associate=marco, published_at=None)

    with pytest.raises(ValidationError) as refused:
        services.report_review(review=blind, by=associate, reason=Report.Reason.FAKE)

    assert refused.value.messages == ["Only reviews shown on the site can be reported."]
    assert not Report.objects.exists()


def test_a_hidden_review_cannot_be_reported(nina: Artist, marco: Associate, outsider):
    hidden = ReviewFactory.create(artist=nina, associate=marco, moderation=Moderation.HIDDEN)

    with pytest.raises(ValidationError):
        services.report_review(review=hidden, by=outsider, reason=Report.Reason.FAKE)

    assert not Report.objects.exists()
