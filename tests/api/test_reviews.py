"""``/api/v1/reviews/``: the public list and one review, writing one for a completed booking, the
reviewee's reply and reports, with the same rules as the pages (eligibility, double-blind,
moderation) and the API's error shape."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, Status
from mylabel.reviews.models import CriterionRating, Direction, Moderation, Report, Review
from tests.api.helpers import assert_error
from tests.profile_factories import ArtistFactory
from tests.reviews.factories import ReviewFactory, completed_booking

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:review-list")
OF_ASSOCIATE = {
    "quality": 5,
    "communication": 4,
    "professionalism": 4,
    "punctuality": 3,
    "value": 5,
}
OF_ARTIST = {"communication": 5, "professionalism": 4, "punctuality": 4}


def detail_url(review: Review | int) -> str:
    return reverse("api:review-detail", kwargs={"pk": getattr(review, "pk", review)})


def reply_url(review: Review) -> str:
    return reverse("api:review-reply", kwargs={"pk": review.pk})


def report_url(review: Review) -> str:
    return reverse("api:review-report", kwargs={"pk": review.pk})


def ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def review_input(booking: Booking, /, **overrides: Any) -> dict[str, Any]:
    return {
        "booking": booking.pk,
        "overall": 4,
        "ratings": OF_ASSOCIATE,
        "text": "Warm, punchy mixes, on time.",
        **overrides,
    }


@pytest.fixture
def booking(nina: Artist, marco: Associate) -> Booking:
    """Nina's booking with Marco, completed yesterday (no payment: not verified)."""
    return completed_booking(nina, marco)


# --- The public list ----------------------------------------------------------------------------


def test_anyone_lists_the_published_reviews_only(
    api_client: APIClient, nina: Artist, marco: Associate
):
    public = ReviewFactory.create(artist=nina, associate=marco)
    ReviewFactory.create(artist=nina, associate=marco, published_at=None)
    ReviewFactory.create(artist=nina, associate=marco, moderation=Moderation.HIDDEN)

    response = api_client.get(LIST_URL)

    assert response.status_code == 200
    assert ids(response) == [public.pk]
    row = response.json()["results"][0]
    assert row["state"] == "published"
    assert row["subject"] == "associate"
    assert row["associate"] == {"slug": "marco-riva", "name": "Marco Riva"}
    assert row["artist"] == {"slug": "nina-vale", "name": "Nina Vale"}
    assert [score["criterion"] for score in row["ratings"]] == list(OF_ASSOCIATE)


def test_reviews_about_a_deactivated_profile_leave_the_list(
    api_client: APIClient, nina: Artist, marco: Associate, associate: User
):
    ReviewFactory.create(artist=nina, associate=marco)
    about_nina = ReviewFactory.create(artist=nina, associate=marco, direction=Direction.OF_ARTIST)
    User.objects.filter(pk=associate.pk).update(is_active=False)

    assert ids(api_client.get(LIST_URL)) == [about_nina.pk]


def test_the_list_filters_by_subject(api_client: APIClient, nina: Artist, marco: Associate):
    about_marco = ReviewFactory.create(artist=nina, associate=marco)
    about_nina = ReviewFactory.create(artist=nina, associate=marco, direction=Direction.OF_ARTIST)
    ReviewFactory.create()  # about someone else

    assert ids(api_client.get(LIST_URL, {"associate": "marco-riva"})) == [about_marco.pk]
    assert ids(api_client.get(LIST_URL, {"artist": "nina-vale"})) == [about_nina.pk]
    assert ids(api_client.get(LIST_URL, {"artist": "nobody"})) == []


def test_the_list_filters_by_rating_and_verified(api_client: APIClient, marco: Associate):
    five = ReviewFactory.create(associate=marco, rating=5, verified=False)
    three = ReviewFactory.create(associate=marco, rating=3, verified=True)

    assert ids(api_client.get(LIST_URL, {"rating": 3})) == [three.pk]
    assert ids(api_client.get(LIST_URL, {"verified": "true"})) == [three.pk]
    assert ids(api_client.get(LIST_URL, {"verified": "false"})) == [five.pk]


def test_the_order_is_deterministic_with_ties_broken_by_id(api_client: APIClient):
    now = timezone.now()
    first, second, third = (
        ReviewFactory.create(published_at=now, rating=rating) for rating in (4, 2, 4)
    )

    assert ids(api_client.get(LIST_URL)) == [third.pk, second.pk, first.pk]
    assert ids(api_client.get(LIST_URL, {"ordering": "oldest"})) == [first.pk, second.pk, third.pk]
    assert ids(api_client.get(LIST_URL, {"ordering": "highest"})) == [third.pk, first.pk, second.pk]
    assert ids(api_client.get(LIST_URL, {"ordering": "lowest"})) == [second.pk, third.pk, first.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"rating": "6"}, "rating"),
        ({"rating": "0"}, "rating"),
        ({"rating": "four"}, "rating"),
        ({"verified": "maybe"}, "verified"),
        ({"ordering": "random"}, "ordering"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(
    api_client: APIClient, query: dict[str, str], field: str
):
    assert_error(api_client.get(LIST_URL, query), 400, fields=[field])


def test_a_page_past_the_end_is_a_404(api_client: APIClient):
    ReviewFactory.create()

    assert_error(api_client.get(LIST_URL, {"page": 99999999999999999999}), 404)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_1_or_50_reviews(
    api_client: APIClient, artist_api: APIClient, django_assert_num_queries, rows: int
):
    marco = ReviewFactory.create().associate
    ReviewFactory.create_batch(rows - 1, associate=marco)
    artist_api.get(LIST_URL)  # the token's last-used time is written once a minute

    # count, the page joined with both profiles, the criteria scores
    with django_assert_num_queries(3):
        response = api_client.get(LIST_URL, {"page_size": 50})
    assert len(response.json()["results"]) == rows
    # + the token
    with django_assert_num_queries(4):
        assert artist_api.get(LIST_URL, {"page_size": 50}).status_code == 200


# --- One review ---------------------------------------------------------------------------------


def test_anyone_gets_a_published_review(api_client: APIClient, marco: Associate):
    review = ReviewFactory.create(associate=marco, reply="Thanks!", replied_at=timezone.now())

    body = api_client.get(detail_url(review)).json()

    assert body["id"] == review.pk
    assert body["reply"] == "Thanks!"
    assert len(body["ratings"]) == len(OF_ASSOCIATE)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("artist", 200), ("associate", 404), ("outsider", 404), ("label_admin", 404)],
)
def test_a_blind_review_is_visible_to_its_author_only(
    api_as, request, nina: Artist, marco: Associate, persona: str, status: int
):
    review = ReviewFactory.create(artist=nina, associate=marco, published_at=None)

    response = api_as(request.getfixturevalue(persona)).get(detail_url(review))

    assert response.status_code == status
    if status == 200:
        assert response.json()["state"] == "blind"
    else:
        assert_error(response, 404, code="not_found")


def test_a_blind_review_is_404_for_anonymous_visitors(
    api_client: APIClient, nina: Artist, marco: Associate
):
    review = ReviewFactory.create(artist=nina, associate=marco, published_at=None)

    assert_error(api_client.get(detail_url(review)), 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("artist", 200), ("associate", 200), ("outsider", 404), ("label_admin", 404)],
)
def test_a_hidden_review_is_visible_to_its_two_sides_only(
    api_as, request, nina: Artist, marco: Associate, persona: str, status: int
):
    review = ReviewFactory.create(artist=nina, associate=marco, moderation=Moderation.HIDDEN)

    response = api_as(request.getfixturevalue(persona)).get(detail_url(review))

    assert response.status_code == status
    if status == 200:
        assert response.json()["state"] == "hidden"


def test_an_unknown_review_is_a_404(api_client: APIClient):
    assert_error(api_client.get(detail_url(987654)), 404)
    assert_error(api_client.get(detail_url(2**70)), 404)


# --- Writing a review ---------------------------------------------------------------------------


def test_the_artist_reviews_a_completed_booking_blind(artist_api: APIClient, booking: Booking):
    response = artist_api.post(LIST_URL, review_input(booking, text="  Warm mixes.  "))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "blind"
    assert body["subject"] == "associate"
    assert body["overall"] == 4
    assert body["text"] == "Warm mixes."
    assert {score["criterion"]: score["rating"] for score in body["ratings"]} == OF_ASSOCIATE
    review = Review.objects.get(pk=body["id"])
    assert review.published_at is None
    assert review.author.email == "nina@example.com"
    assert CriterionRating.objects.filter(review=review).count() == len(OF_ASSOCIATE)


def test_when_the_other_side_reviews_both_are_published(
    artist_api: APIClient, associate_api: APIClient, booking: Booking
):
    first = artist_api.post(LIST_URL, review_input(booking)).json()

    response = associate_api.post(LIST_URL, review_input(booking, ratings=OF_ARTIST))

    assert response.status_code == 201, response.content
    assert response.json()["state"] == "published"
    assert response.json()["subject"] == "artist"
    assert artist_api.get(detail_url(first["id"])).json()["state"] == "published"


def test_anonymous_visitors_cannot_write_a_review(api_client: APIClient, booking: Booking):
    assert_error(api_client.post(LIST_URL, review_input(booking)), 401)
    assert not Review.objects.exists()


def test_someone_elses_booking_is_a_404_and_nothing_is_written(
    stranger_api: APIClient, booking: Booking
):
    assert_error(stranger_api.post(LIST_URL, review_input(booking)), 404)
    assert not Review.objects.exists()


def test_a_label_admin_is_not_a_party_to_review(admin_api: APIClient, booking: Booking):
    assert_error(admin_api.post(LIST_URL, review_input(booking)), 400, code="not_a_party")
    assert not Review.objects.exists()


def test_a_booking_not_completed_yet_is_refused_with_the_services_code(
    artist_api: APIClient, booking: Booking
):
    Booking.objects.filter(pk=booking.pk).update(status=Status.PAID)

    body = assert_error(artist_api.post(LIST_URL, review_input(booking)), 400, code="not_completed")

    assert "once it is completed" in body["detail"]
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_booking_is_refused(artist_api: APIClient, booking: Booking):
    artist_api.post(LIST_URL, review_input(booking))

    assert_error(artist_api.post(LIST_URL, review_input(booking)), 400, code="already_reviewed")
    assert Review.objects.count() == 1


def test_after_the_window_the_booking_cannot_be_reviewed(artist_api: APIClient, booking: Booking):
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        response = artist_api.post(LIST_URL, review_input(booking))

    assert_error(response, 400, code="window_closed")
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"overall": 6}, ["overall"]),
        ({"overall": "five"}, ["overall"]),
        ({"overall": True}, ["overall"]),
        ({"ratings": {**OF_ASSOCIATE, "value": 0}}, ["ratings.value"]),
        ({"ratings": [5, 5]}, ["ratings"]),
        ({"text": 42 * "x" + 5000 * "y"}, ["text"]),
        ({"booking": "latest"}, ["booking"]),
        ({"booking": -1}, ["booking"]),
        ({"booking": 2**64}, ["booking"]),
        ({"stars": 5}, ["stars"]),  # unknown field
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    artist_api: APIClient, booking: Booking, changes: dict[str, Any], fields: list[str]
):
    response = artist_api.post(LIST_URL, review_input(booking, **changes))

    assert_error(response, 400, fields=fields)
    assert not Review.objects.exists()


def test_the_services_field_errors_come_back_under_the_apis_names(
    artist_api: APIClient, booking: Booking
):
    ratings = {slug: score for slug, score in OF_ASSOCIATE.items() if slug != "value"}

    response = artist_api.post(LIST_URL, review_input(booking, ratings=ratings, text="   "))

    body = assert_error(response, 400, fields=["ratings.value", "text"])
    assert body["fields"]["ratings.value"] == ["Rate Value for money from 1 to 5 stars."]
    assert not Review.objects.exists()


def test_a_criterion_of_the_other_direction_is_refused(artist_api: APIClient, booking: Booking):
    response = artist_api.post(
        LIST_URL, review_input(booking, ratings={**OF_ASSOCIATE, "vibes": 5})
    )

    body = assert_error(response, 400, fields=[])
    assert "vibes" in body["detail"]
    assert not Review.objects.exists()


def test_missing_fields_are_named(artist_api: APIClient, booking: Booking):
    response = artist_api.post(LIST_URL, {"booking": booking.pk})

    assert_error(response, 400, fields=["overall", "ratings", "text"])


def test_malformed_json_is_a_400(artist_api: APIClient, booking: Booking):
    response = artist_api.post(LIST_URL, '{"booking": ', content_type="application/json")

    assert_error(response, 400, code="parse_error")
    assert not Review.objects.exists()


# --- The reply ----------------------------------------------------------------------------------


@pytest.fixture
def published(nina: Artist, marco: Associate) -> Review:
    """Nina's published review of Marco."""
    return ReviewFactory.create(artist=nina, associate=marco)


def test_the_reviewee_replies_once(associate_api: APIClient, published: Review):
    response = associate_api.post(reply_url(published), {"text": " Thank you, Nina! "})

    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "Thank you, Nina!"
    published.refresh_from_db()
    assert published.replied_at is not None

    again = associate_api.post(reply_url(published), {"text": "And again"})
    assert_error(again, 400, code="reply_refused")
    published.refresh_from_db()
    assert published.reply == "Thank you, Nina!"


@pytest.mark.parametrize("persona", ["artist", "outsider", "label_admin"])
def test_only_the_reviewee_may_reply(api_as, request, published: Review, persona: str):
    response = api_as(request.getfixturevalue(persona)).post(reply_url(published), {"text": "Hi"})

    assert_error(response, 403, code="permission_denied")
    published.refresh_from_db()
    assert published.reply == ""


def test_anonymous_visitors_cannot_reply(api_client: APIClient, published: Review):
    assert_error(api_client.post(reply_url(published), {"text": "Hi"}), 401)


def test_the_subject_of_a_blind_review_cannot_see_it_to_reply(
    associate_api: APIClient, nina: Artist, marco: Associate
):
    blind = ReviewFactory.create(artist=nina, associate=marco, published_at=None)

    assert_error(associate_api.post(reply_url(blind), {"text": "Hi"}), 404)


def test_after_the_reply_window_the_reply_is_refused(
    associate_api: APIClient, nina: Artist, marco: Associate, settings
):
    published_at = timezone.now() - timedelta(days=settings.REVIEW_REPLY_DAYS, seconds=1)
    published = ReviewFactory.create(artist=nina, associate=marco, published_at=published_at)

    response = associate_api.post(reply_url(published), {"text": "Late"})

    body = assert_error(response, 400, code="reply_refused")
    assert "ended" in body["detail"]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"text": "   "}, ["text"]),
        ({}, ["text"]),
        ({"text": "x" * 2001}, ["text"]),
        ({"text": "Hi", "public": True}, ["public"]),
    ],
)
def test_a_bad_reply_is_a_400_and_changes_nothing(
    associate_api: APIClient, published: Review, data: dict[str, Any], fields: list[str]
):
    assert_error(associate_api.post(reply_url(published), data), 400, fields=fields)
    published.refresh_from_db()
    assert published.reply == ""


# --- Reports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "associate", "label_admin"])
def test_a_signed_in_user_reports_a_review_once(api_as, request, published: Review, persona: str):
    client = api_as(request.getfixturevalue(persona))

    response = client.post(report_url(published), {"reason": "spam", "details": "An ad."})

    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "spam"
    assert Report.objects.filter(review=published).count() == 1
    again = client.post(report_url(published), {"reason": "abusive"})
    assert_error(again, 400, code="already_reported")
    assert Report.objects.filter(review=published).count() == 1


def test_the_author_cannot_report_their_own_review(artist_api: APIClient, published: Review):
    assert_error(artist_api.post(report_url(published), {"reason": "spam"}), 400, code="own_review")
    assert not Report.objects.exists()


def test_anonymous_visitors_cannot_report(api_client: APIClient, published: Review):
    assert_error(api_client.post(report_url(published), {"reason": "spam"}), 401)
    assert not Report.objects.exists()


def test_a_hidden_review_cannot_be_seen_to_report_it(
    stranger_api: APIClient, nina: Artist, marco: Associate
):
    hidden = ReviewFactory.create(artist=nina, associate=marco, moderation=Moderation.HIDDEN)

    assert_error(stranger_api.post(report_url(hidden), {"reason": "spam"}), 404)


def test_its_subject_cannot_report_a_hidden_review_either(
    associate_api: APIClient, nina: Artist, marco: Associate
):
    hidden = ReviewFactory.create(artist=nina, associate=marco, moderation=Moderation.HIDDEN)

    response = associate_api.post(report_url(hidden), {"reason": "spam"})

    assert_error(response, 400, code="not_published")
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"reason": "boring"}, ["reason"]),
        ({}, ["reason"]),
        ({"reason": "spam", "details": "x" * 1001}, ["details"]),
        ({"reason": "spam", "severity": 3}, ["severity"]),
    ],
)
def test_a_bad_report_is_a_400_and_changes_nothing(
    stranger_api: APIClient, published: Review, data: dict[str, Any], fields: list[str]
):
    assert_error(stranger_api.post(report_url(published), data), 400, fields=fields)
    assert not Report.objects.exists()


def test_another_artists_review_stays_reachable_for_a_reviewed_artist(
    artist_api: APIClient, marco: Associate
):
    """Nina sees the public reviews of others; only blind ones stay out of reach."""
    other = ReviewFactory.create(artist=ArtistFactory.create(), associate=marco)

    assert artist_api.get(detail_url(other)).status_code == 200
