"""Two moderators acting on one review at once take turns: each action locks the review's row
and decides on the state it reads under the lock, not on the caller's possibly stale copy.

The two halves are pinned one by one (the lock, then the decision on the locked state), which
is deterministic where a threaded race would only make the bad interleaving likely."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mylabel.accounts.models import User
from mylabel.reviews.models import Moderation, ModerationEvent, Review
from mylabel.reviews.moderation import approve_review, hide_review
from tests.reviews.factories import ReviewFactory


def test_an_action_decides_on_the_current_state_not_on_a_stale_copy(label_admin: User):
    review = ReviewFactory.create()
    stale = Review.objects.get(pk=review.pk)  # what a second moderator's request loaded
    hide_review(review=review, by=label_admin, reason="Spam")

    assert stale.moderation == Moderation.NEW
    with pytest.raises(ValidationError, match="already hidden"):
        hide_review(review=stale, by=label_admin, reason="Also spam")
    with pytest.raises(ValidationError, match="restore it"):
        approve_review(review=stale, by=label_admin)

    review.refresh_from_db()
    assert review.hidden_reason == "Spam"
    assert ModerationEvent.objects.filter(review=review).count() == 1


@pytest.mark.postgres
def test_an_action_locks_the_reviews_row_before_reading_its_state(label_admin: User):
    review = ReviewFactory.create()
    with CaptureQueriesContext(connection) as queries:
        hide_review(review=review, by=label_admin, reason="Spam")
    statements = [query["sql"] for query in queries.captured_queries]
    locking = [
        number
        for number, sql in enumerate(statements)
        if sql.startswith('SELECT "reviews_review"') and sql.endswith("FOR UPDATE")
    ]
    writes = [number for number, sql in enumerate(statements) if sql.startswith("UPDATE")]
    assert locking, statements
    assert writes, statements
    assert locking[0] < writes[0]
