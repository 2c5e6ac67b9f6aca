"""Reviews on the profile pages and the filterable review list of a profile (issue 5 point 5)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.reviews.models import Direction, Moderation, Review
from mylabel.reviews.services import refresh_rating
from tests.htmx import HTMX
from tests.profile_factories import ArtistFactory, AssociateFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def review_of(associate: Associate, *, days_ago: int = 0, **fields: object) -> Review:
    """A published review of ``associate`` by a new artist, ``days_ago`` days old, with the
    profile's rating refreshed as the services do."""
    fields.setdefault("published_at", timezone.now() - timedelta(days=days_ago))
    review = ReviewFactory.create(associate=associate, **fields)
    refresh_rating(review)
    return review


def reviews_url(associate: Associate) -> str:
    return reverse("reviews:associate-reviews", kwargs={"slug": associate.slug})


def listed_pks(content: bytes) -> list[int]:
    """The reviews of the page's list, in order."""
    section = content.decode().split('id="review-list"', 1)[1]
    return [int(pk) for pk in re.findall(r'<article class="review" id="review-(\d+)"', section)]


# --- The profile page -------------------------------------------------------------------------


def test_profile_shows_the_summary_and_the_latest_reviews(client: Client, marco: Associate):
    oldest = review_of(marco, rating=3, days_ago=9, criterion_ratings={"quality": 1})
    for days_ago in (3, 2, 1):
        review_of(marco, rating=5, days_ago=days_ago, text=f"Great session {days_ago}")

    page = client.get(marco.get_absolute_url()).content.decode()

    assert 'id="section-reviews"' in page
    assert "4.5" in page  # (3 + 5 + 5 + 5) / 4
    assert "4 reviews" in page
    # Distribution: three 5-star reviews out of four, one 3-star; bars sized by class.
    assert "75% (3 reviews)" in page
    assert "25% (1 review)" in page
    assert "rating-bar__fill--w75" in page
    assert "rating-bar__fill--w25" in page
    assert "rating-bar__fill--w0" in page
    # Quality: 1 + 5 + 5 + 5 = 4.0 on average; it is listed by name.
    assert "Quality of work" in page
    # The latest three, newest first; the oldest is only on the reviews page.
    assert page.index("Great session 1") < page.index("Great session 2")
    assert f'id="review-{oldest.pk}"' not in page
    assert f'href="{reviews_url(marco)}"' in page
    assert "Read all 4 reviews" in page
    assert " style=" not in page  # the CSP allows no inline styles


def test_profile_without_reviews_has_a_friendly_empty_state(client: Client, marco: Associate):
    page = client.get(marco.get_absolute_url()).content.decode()

    assert 'id="section-reviews"' in page
    assert "No reviews yet." in page
    assert "rating-summary" not in page


def test_artist_profile_shows_reviews_about_the_artist_only(client: Client, nina: Artist):
    about_nina = ReviewFactory.create(
        artist=nina, direction=Direction.OF_ARTIST, rating=4, text="On time, well prepared."
    )
    refresh_rating(about_nina)
    by_nina = ReviewFactory.create(artist=nina, rating=1, text="Written by nina about a pro.")
    refresh_rating(by_nina)

    page = client.get(nina.get_absolute_url()).content.decode()
    listing = client.get(reverse("reviews:artist-reviews", kwargs={"slug": nina.slug}))

    assert "On time, well prepared." in page
    assert "Written by nina about a pro." not in page
    assert listed_pks(listing.content) == [about_nina.pk]
    # The author of a review of an artist is the professional.
    assert about_nina.associate.display_name in listing.content.decode()


# --- The reviews page -------------------------------------------------------------------------


def test_list_shows_published_visible_reviews_about_the_profile_only(
    client: Client, marco: Associate
):
    shown = review_of(marco, text="Mixes that translate everywhere.", verified=True)
    review_of(marco, moderation=Moderation.HIDDEN)
    review_of(marco, published_at=None)  # still blind
    review_of(AssociateFactory.create())  # about someone else

    response = client.get(reviews_url(marco))

    assert response.status_code == 200
    assert listed_pks(response.content) == [shown.pk]
    page = response.content.decode()
    assert "Mixes that translate everywhere." in page
    assert "Verified booking" in page
    assert shown.artist.stage_name in page
    assert "Communication" in page  # each review lists its criteria


def test_unverified_review_has_no_badge_and_verified_filter_drops_it(
    client: Client, marco: Associate
):
    unverified = review_of(marco, verified=False)
    verified = review_of(marco, verified=True, days_ago=2)

    everything = client.get(reviews_url(marco))
    only_verified = client.get(reviews_url(marco), {"verified": "on"})

    assert listed_pks(everything.content) == [unverified.pk, verified.pk]
    assert listed_pks(only_verified.content) == [verified.pk]
    item = (
        everything.content.decode().split(f'id="review-{unverified.pk}"')[1].split("</article>")[0]
    )
    assert "Verified booking" not in item


def test_stars_filter_the_overall_rating_without_a_criterion(client: Client, marco: Associate):
    four = review_of(marco, rating=4, criterion_ratings={"quality": 2})
    review_of(marco, rating=2, criterion_ratings={"quality": 4})

    response = client.get(reviews_url(marco), {"stars": "4"})

    assert listed_pks(response.content) == [four.pk]


def test_stars_apply_to_the_chosen_criterion(client: Client, marco: Associate):
    review_of(marco, rating=4, criterion_ratings={"quality": 2})
    quality_four = review_of(marco, rating=2, criterion_ratings={"quality": 4})

    response = client.get(reviews_url(marco), {"criterion": "quality", "stars": "4"})

    assert listed_pks(response.content) == [quality_four.pk]


def test_sorts(client: Client, marco: Associate):
    old_five = review_of(marco, rating=5, days_ago=5, criterion_ratings={"communication": 1})
    new_three = review_of(marco, rating=3, days_ago=1, criterion_ratings={"communication": 5})
    mid_one = review_of(marco, rating=1, days_ago=3, criterion_ratings={"communication": 3})

    def order(**query: str) -> list[int]:
        return listed_pks(client.get(reviews_url(marco), query).content)

    assert order() == [new_three.pk, mid_one.pk, old_five.pk]
    assert order(sort="oldest") == [old_five.pk, mid_one.pk, new_three.pk]
    assert order(sort="highest") == [old_five.pk, new_three.pk, mid_one.pk]
    assert order(sort="lowest") == [mid_one.pk, new_three.pk, old_five.pk]
    # With a criterion, "highest" ranks by that criterion's stars.
    assert order(sort="highest", criterion="communication") == [
        new_three.pk,
        mid_one.pk,
        old_five.pk,
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"stars": "9"}, "Stars go from 1 to 5"),
        ({"criterion": "nope"}, "There is no criterion “nope” here"),
        ({"sort": "random"}, "is not a way to sort reviews"),
        ({"page": "abc"}, "is not a page number"),
        ({"page": "99"}, "There is no page 99"),
    ],
)
def test_bad_filter_values_are_explained_and_ignored(
    client: Client, marco: Associate, query: dict[str, str], message: str
):
    review = review_of(marco)

    response = client.get(reviews_url(marco), query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert listed_pks(response.content) == [review.pk]


def test_review_and_reply_text_are_escaped(client: Client, marco: Associate):
    review_of(
        marco,
        text='<script>alert("x")</script> loud',
        reply="<b>thanks</b>",
        replied_at=timezone.now(),
    )

    page = client.get(reviews_url(marco)).content.decode()

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;thanks&lt;/b&gt;" in page
    assert "Reply from Marco" in page


def test_list_is_paginated_and_keeps_the_filters(client: Client, marco: Associate):
    for days_ago in range(25):
        review_of(marco, rating=5, days_ago=days_ago, verified=True)

    first = client.get(reviews_url(marco), {"verified": "on"})
    second = client.get(reviews_url(marco), {"verified": "on", "page": "2"})

    assert len(listed_pks(first.content)) == 20
    assert len(listed_pks(second.content)) == 5
    assert "25 reviews" in first.content.decode()
    assert f'href="{reviews_url(marco)}?verified=on&amp;page=2"' in first.content.decode()


def test_htmx_gets_the_list_fragment_with_the_tidy_address(client: Client, marco: Associate):
    review_of(marco, rating=4)

    response = client.get(
        reviews_url(marco),
        {"criterion": "", "stars": "4", "sort": "newest", "verified": ""},
        headers=HTMX,
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="review-list"')
    assert "<html" not in page
    assert response["HX-Push-Url"] == f"{reviews_url(marco)}?stars=4"


def test_history_restore_gets_the_whole_page(client: Client, marco: Associate):
    response = client.get(
        reviews_url(marco), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_filter_form_works_without_javascript(client: Client, marco: Associate):
    page = client.get(reviews_url(marco)).content.decode()

    form = page.split('<form class="review-filters"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in form
    assert f'action="{reviews_url(marco)}"' in form
    assert f'hx-get="{reviews_url(marco)}"' in form
    assert 'hx-push-url="true"' in form
    assert 'type="submit"' in form


def test_unknown_or_inactive_profile_is_not_found(client: Client, marco: Associate):
    assert client.get("/associates/nobody/reviews/").status_code == 404
    assert client.get("/artists/nobody/reviews/").status_code == 404
    marco.user.is_active = False
    marco.user.save()
    assert client.get(reviews_url(marco)).status_code == 404


def test_empty_list_says_so(client: Client, marco: Associate):
    page = client.get(reviews_url(marco)).content.decode()
    filtered = client.get(reviews_url(marco), {"stars": "1"}).content.decode()

    assert "has no reviews yet" in page
    assert "No reviews match these filters." in filtered


# --- Reply and report links -------------------------------------------------------------------


def test_reviewee_gets_a_reply_link_into_the_reviews_slot(
    associate_client: Client, marco: Associate
):
    review = review_of(marco)
    already_replied = review_of(marco, reply="Thanks!", replied_at=timezone.now(), days_ago=1)

    page = associate_client.get(reviews_url(marco)).content.decode()

    reply_url = reverse("reviews:reply", kwargs={"pk": review.pk})
    assert f'href="{reply_url}"' in page
    assert f'hx-get="{reply_url}" hx-target="#review-{review.pk}-reply"' in page
    assert f'id="review-{review.pk}-reply"' in page
    assert reverse("reviews:reply", kwargs={"pk": already_replied.pk}) not in page


def test_others_get_no_reply_link(stranger_client: Client, marco: Associate):
    review = review_of(marco)

    page = stranger_client.get(reviews_url(marco)).content.decode()

    assert reverse("reviews:reply", kwargs={"pk": review.pk}) not in page


def test_signed_in_users_other_than_the_author_get_a_report_link(
    stranger_client: Client, marco: Associate
):
    review = review_of(marco)

    page = stranger_client.get(reviews_url(marco)).content.decode()

    report_url = reverse("reviews:report", kwargs={"pk": review.pk})
    assert f'href="{report_url}"' in page
    assert f'hx-get="{report_url}" hx-target="#review-{review.pk}-report"' in page
    assert f'id="review-{review.pk}-report"' in page


def test_author_and_visitors_get_no_report_link(client: Client, marco: Associate):
    author = ArtistFactory.create()
    review = review_of(marco, artist=author)
    report_url = reverse("reviews:report", kwargs={"pk": review.pk})

    as_visitor = client.get(reviews_url(marco)).content.decode()
    client.force_login(author.user)
    as_author = client.get(reviews_url(marco)).content.decode()

    assert report_url not in as_visitor
    assert report_url not in as_author
