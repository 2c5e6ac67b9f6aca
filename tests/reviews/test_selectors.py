"""get_review_for: the one permission-checked way to fetch a review. Public reviews for anyone;
blind ones only for their author (double-blind), hidden ones for their author and the person they
are about; 404 otherwise, as for a review that does not exist."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews.models import Direction, Moderation, Review
from mylabel.reviews.selectors import get_review_for
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", "artist", "associate", "outsider", "label_admin"]


def user_for(request: pytest.FixtureRequest, persona: str):
    return AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", EVERYONE)
def test_anyone_gets_a_public_review(nina: Artist, marco: Associate, request, persona: str):
    review = ReviewFactory.create(artist=nina, associate=marco)

    assert get_review_for(user_for(request, persona), review.pk) == review


@pytest.mark.parametrize(
    ("state", "persona", "sees"),
    [
        ("blind", "artist", True),  # the author
        ("blind", "associate", False),  # the person reviewed must write theirs blind too
        ("hidden", "artist", True),
        ("hidden", "associate", True),  # told it was hidden, and why
        *[
            (state, persona, False)
            for state in ("blind", "hidden")
            # moderators use their own queue
            for persona in ("outsider", "label_admin", "anonymous")
        ],
    ],
)
def test_a_blind_or_hidden_review_is_seen_only_by_the_sides_allowed(
    nina: Artist, marco: Associate, request, state: str, persona: str, sees: bool
):
    fields = {"published_at": None} if state == "blind" else {"moderation": Moderation.HIDDEN}
    review = ReviewFactory.create(artist=nina, associate=marco, **fields)
    user = user_for(request, persona)

    if sees:
        assert get_review_for(user, review.pk) == review
    else:
        with pytest.raises(Http404):
            get_review_for(user, review.pk)


def test_the_reviewed_artist_cannot_read_a_blind_review_of_them(
    nina: Artist, marco: Associate, artist
):
    """Double-blind: review ids are sequential, so fetching by id must not leak it early."""
    review = ReviewFactory.create(
        artist=nina, associate=marco, direction=Direction.OF_ARTIST, published_at=None
    )

    with pytest.raises(Http404):
        get_review_for(artist, review.pk)

    review.published_at = review.created_at
    review.save(update_fields=["published_at"])
    assert get_review_for(artist, review.pk) == review


def test_a_blind_review_about_someone_else_stays_hidden_from_a_reviewed_artist(
    nina: Artist, marco: Associate, artist
):
    """Marco's blind review of another artist: Nina is neither its author nor its subject."""
    other_artist_review = ReviewFactory.create(
        associate=marco, direction=Direction.OF_ARTIST, published_at=None
    )

    with pytest.raises(Http404):
        get_review_for(artist, other_artist_review.pk)


@pytest.mark.parametrize("pk", [987654, "abc", None])
def test_an_unknown_or_malformed_id_is_a_404(artist, pk):
    with pytest.raises(Http404):
        get_review_for(artist, pk)


def test_the_two_profiles_come_with_the_review(
    nina: Artist, marco: Associate, django_assert_num_queries
):
    review = ReviewFactory.create(artist=nina, associate=marco)

    with django_assert_num_queries(1):
        fetched: Review = get_review_for(AnonymousUser(), review.pk)
        assert fetched.subject.user_id == marco.user_id
        assert fetched.artist.stage_name == "Nina Vale"
