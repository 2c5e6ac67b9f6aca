"""Reviews in the admin: criteria are edited there (and every summary follows); reviews are read
with their ratings, reports and moderation trail, never edited; a delete goes through the
service so the profile's rating follows."""

from decimal import Decimal

import pytest
from django.test import Client

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Profession
from mylabel.reviews.cache import summary_for
from mylabel.reviews.models import Criterion, Direction, ModerationEvent, Report, Review
from mylabel.reviews.services import refresh_rating
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(nina: Artist, marco: Associate, outsider, label_admin) -> Review:
    review = ReviewFactory.create(
        artist=nina, associate=marco, rating=4, criterion_ratings={"quality": 2}
    )
    Report.objects.create(review=review, reporter=outsider, reason="spam", details="Shop links")
    ModerationEvent.objects.create(
        review=review, moderator=label_admin, action="approve", reason="Looks genuine"
    )
    refresh_rating(review)
    return review


# --- Criteria -----------------------------------------------------------------------------------


def test_the_label_adds_a_criterion_for_some_professions(
    admin_client: Client, django_capture_on_commit_callbacks
):
    engineer = Profession.objects.get(slug="mixing-engineer")
    assert admin_client.get("/admin/reviews/criterion/").status_code == 200
    form = admin_client.get("/admin/reviews/criterion/add/")
    assert b'name="professions"' in form.content

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/reviews/criterion/add/",
            {
                "slug": "sound",
                "name": "Sound quality",
                "applies_to": Direction.OF_ASSOCIATE,
                "professions": [engineer.pk],
                "position": 9,
                "is_active": "on",
            },
        )

    assert response.status_code == 302
    sound = Criterion.objects.get(slug="sound")
    assert list(sound.professions.all()) == [engineer]


def test_switching_a_criterion_off_shows_in_every_cached_summary_at_once(
    admin_client: Client, review: Review, marco: Associate, django_capture_on_commit_callbacks
):
    assert "quality" in [item.slug for item in summary_for(marco).criteria]  # cached
    quality = Criterion.objects.get(slug="quality")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/reviews/criterion/{quality.pk}/change/",
            {
                "slug": "quality",
                "name": "Quality of the work",
                "applies_to": Direction.OF_ASSOCIATE,
                "position": 0,
            },  # is_active left out: unchecked
        )

    quality.refresh_from_db()
    assert not quality.is_active
    criteria = {item.slug: item for item in summary_for(marco).criteria}
    # Ratings already given still count, under the new name, after the criteria that apply.
    assert list(criteria)[-1] == "quality"
    assert criteria["quality"].name == "Quality of the work"
    assert criteria["quality"].average == Decimal("2.00")


# --- Reviews ------------------------------------------------------------------------------------


def test_a_review_is_read_with_its_ratings_reports_and_moderation_trail(
    admin_client: Client, review: Review
):
    assert admin_client.get("/admin/reviews/review/").status_code == 200

    page = admin_client.get(f"/admin/reviews/review/{review.pk}/change/")

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="rating"' not in content  # read-only: services make every change
    assert 'name="text"' not in content
    assert "Quality of work" in content
    assert "Shop links" in content
    assert "Looks genuine" in content


def test_reviews_cannot_be_added_in_the_admin(admin_client: Client):
    assert admin_client.get("/admin/reviews/review/add/").status_code == 403


def test_deleting_a_review_in_the_admin_updates_the_profile_rating(
    admin_client: Client, review: Review, marco: Associate, django_capture_on_commit_callbacks
):
    assert summary_for(marco).count == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/reviews/review/{review.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Report.objects.exists()
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (None, 0)
    assert summary_for(marco).count == 0


def test_deleting_reviews_in_bulk_updates_each_profile(
    admin_client: Client, review: Review, marco: Associate, django_capture_on_commit_callbacks
):
    other = ReviewFactory.create(associate=marco, rating=2)
    refresh_rating(other)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/reviews/review/",
            {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"},
        )

    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("2.00"), 1)
    assert summary_for(marco).count == 1


# --- The date drill-down ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=99999999999999999999",  # OverflowError building the first day
        "created_at__year=2026&created_at__month=99999999999999999999",
        "created_at__year=9999",  # the year's end would be in the year 10000
        "created_at__year=9999&created_at__month=12",
        "created_at__year=2026&created_at__month=13",  # Django's own ValueError, as before
    ],
)
def test_an_impossible_date_in_the_drill_down_goes_back_to_the_list(
    admin_client: Client, review: Review, query: str
):
    response = admin_client.get(f"/admin/reviews/review/?{query}")

    assert response.status_code == 302
    assert response["Location"] == "/admin/reviews/review/?e=1"


def test_the_drill_down_still_narrows_the_list(admin_client: Client, review: Review):
    year = review.created_at.year
    response = admin_client.get(f"/admin/reviews/review/?created_at__year={year}")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [review]

    response = admin_client.get(f"/admin/reviews/review/?created_at__year={year - 1}")
    assert list(response.context["cl"].result_list) == []
