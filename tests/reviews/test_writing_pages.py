"""Writing reviews on the site (issue 5 points 1, 3, 4 and 6, and its "Bad input"): the review
form of a completed booking, the reviewee's reply and the report form, each without JavaScript
(GET, POST, redirect) and with htmx (fragments swapped in place)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, Status
from mylabel.reviews import services
from mylabel.reviews.models import Criterion, CriterionRating, Direction, Report, Review
from tests.bookings.lifecycle_helpers import booking_in
from tests.factories import UserFactory
from tests.htmx import HTMX

pytestmark = pytest.mark.django_db

ARTIST_CRITERIA = ["quality", "communication", "professionalism", "punctuality", "value"]
ASSOCIATE_CRITERIA = ["communication", "professionalism", "punctuality"]
SCRIPT = '<script>alert("x")</script><b>bold</b>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"


def write_url(booking: Booking) -> str:
    return reverse("reviews:write", kwargs={"pk": booking.pk})


def reply_url(review: Review) -> str:
    return reverse("reviews:reply", kwargs={"pk": review.pk})


def report_url(review: Review) -> str:
    return reverse("reviews:report", kwargs={"pk": review.pk})


def associate_reviews_url(associate: Associate, review: Review) -> str:
    url = reverse("reviews:associate-reviews", kwargs={"slug": associate.slug})
    return f"{url}#review-{review.pk}"


def review_data(criteria: list[str], *, rating: Any = 4, text: str = "Great ears.") -> dict:
    return {"rating": rating, "text": text, **{f"criterion_{slug}": 4 for slug in criteria}}


def submit(booking: Booking, user: User, text: str = "Solid work.", rating: int = 4) -> Review:
    criteria = ARTIST_CRITERIA if user == booking.artist.user else ASSOCIATE_CRITERIA
    return services.submit_review(
        booking=booking,
        author=user,
        rating=rating,
        text=text,
        criteria=dict.fromkeys(criteria, rating),
    )


@pytest.fixture
def published_review(booking: Booking, artist: User, associate: User) -> Review:
    """Nina's review of marco, published because marco reviewed her too."""
    review = submit(booking, artist, text="Marco made the mix sing.")
    submit(booking, associate, text="Nina was a pleasure.")
    review.refresh_from_db()
    assert review.published_at is not None
    return review


# --- The review form ----------------------------------------------------------------------------


def test_the_artist_rates_overall_and_every_criterion_of_a_professional(
    artist_client: Client, booking: Booking
):
    response = artist_client.get(write_url(booking))
    assertContains(response, "Review Marco Riva")
    assertContains(response, "<legend>Overall rating</legend>", html=False)
    for criterion in Criterion.objects.filter(slug__in=ARTIST_CRITERIA):
        assertContains(response, f"<legend>{criterion.name}</legend>")
    # One fieldset of five radios per rating, each saying its stars to screen readers.
    assertContains(response, 'class="field star-field', count=6)
    assertContains(response, 'type="radio"', count=6 * 5)
    assertContains(response, '<span class="visually-hidden">1 star</span>', count=6)
    assertContains(response, '<span class="visually-hidden">5 stars</span>', count=6)
    assertContains(response, 'name="text"')
    assertContains(response, 'hx-target="#review-form"')


def test_the_professional_rates_only_the_criteria_about_an_artist(
    associate_client: Client, booking: Booking
):
    response = associate_client.get(write_url(booking))
    assertContains(response, "Review Nina Vale")
    for slug in ASSOCIATE_CRITERIA:
        assertContains(response, f'name="criterion_{slug}"', count=5)
    assertNotContains(response, 'name="criterion_quality"')
    assertNotContains(response, 'name="criterion_value"')


def test_a_criterion_added_as_data_appears_in_the_form(artist_client: Client, booking: Booking):
    Criterion.objects.create(slug="vibe", name="Studio vibe", applies_to="of_associate")
    response = artist_client.get(write_url(booking))
    assertContains(response, "<legend>Studio vibe</legend>")
    assertContains(response, 'name="criterion_vibe"', count=5)


def test_a_review_stays_blind_and_the_message_says_until_when(
    artist_client: Client, booking: Booking
):
    response = artist_client.post(
        write_url(booking), review_data(ARTIST_CRITERIA, rating=5), follow=True
    )
    assertRedirects(response, booking.get_absolute_url())
    review = Review.objects.get(booking=booking)
    assert review.direction == Direction.OF_ASSOCIATE
    assert review.rating == 5
    assert review.published_at is None
    assert {rating.criterion.slug: rating.rating for rating in review.criterion_ratings.all()} == (
        dict.fromkeys(ARTIST_CRITERIA, 4)
    )
    closes = timezone.localtime(review.window_closes_at).strftime("%H:%M")
    assertContains(response, "your review stays hidden until Marco Riva reviews you too")
    assertContains(response, closes)


def test_the_second_review_publishes_both_and_says_so(
    associate_client: Client, booking: Booking, artist: User
):
    submit(booking, artist)
    response = associate_client.post(
        write_url(booking), review_data(ASSOCIATE_CRITERIA), follow=True
    )
    assertRedirects(response, booking.get_absolute_url())
    assertContains(response, "your review is published, next to Nina Vale")
    assert Review.objects.filter(booking=booking, published_at__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rating": "0"}, "rating", "Choose from 1 to 5 stars."),
        ({"rating": "6"}, "rating", "Choose from 1 to 5 stars."),
        ({"rating": "abc"}, "rating", "Choose from 1 to 5 stars."),
        ({"rating": ""}, "rating", "Choose from 1 to 5 stars."),
        ({"criterion_quality": "9"}, "criterion_quality", "Choose from 1 to 5 stars."),
        ({"criterion_value": "-1"}, "criterion_value", "Choose from 1 to 5 stars."),
        ({"criterion_punctuality": None}, "criterion_punctuality", "Choose from 1 to 5 stars."),
        ({"text": "   "}, "text", "Write a few words about how it went."),
        ({"text": "x" * 5001}, "text", "5000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    artist_client: Client, booking: Booking, change: dict, field: str, message: str
):
    data = review_data(ARTIST_CRITERIA)
    data.update(change)
    data = {key: value for key, value in data.items() if value is not None}
    response = artist_client.post(write_url(booking), data)
    assert response.status_code == 200
    assertContains(response, "Please correct the highlighted fields.")
    assertContains(response, f'id="id_{field}_error"')
    assertContains(response, message)
    assert not Review.objects.exists()
    # What was typed stays in the form.
    if field != "text":
        assertContains(response, "Great ears.")


def test_the_service_refusal_shows_in_the_form(
    artist_client: Client, booking: Booking, monkeypatch
):
    """Whatever the form lets through, the service has the last word: a refusal it raises is
    shown in the form on the field it names, not a 500."""

    def refuse(**kwargs: Any) -> Review:
        raise ValidationError({"criterion_quality": ["Rate Quality of work from 1 to 5 stars."]})

    monkeypatch.setattr(services, "submit_review", refuse)
    response = artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA))
    assert response.status_code == 200
    assertContains(response, "Rate Quality of work from 1 to 5 stars.")
    assertContains(response, 'id="id_criterion_quality_error"')


def test_htmx_gets_the_form_back_with_its_errors(artist_client: Client, booking: Booking):
    data = review_data(ARTIST_CRITERIA, rating="7")
    response = artist_client.post(write_url(booking), data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="review-form"')
    assert "<html" not in html
    assert 'id="id_rating_error"' in html
    assert not Review.objects.exists()


def test_htmx_goes_to_the_booking_page_once_sent(artist_client: Client, booking: Booking):
    response = artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == booking.get_absolute_url()
    assert Review.objects.filter(booking=booking).count() == 1


def test_html_in_a_review_is_shown_as_text(
    artist_client: Client, associate_client: Client, booking: Booking, artist: User
):
    artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA, text=SCRIPT))
    assert Review.objects.get().text == SCRIPT  # stored as written: escaping is the page's job
    response = artist_client.get(booking.get_absolute_url())
    assertContains(response, ESCAPED_SCRIPT)
    assertNotContains(response, SCRIPT)


def test_html_in_a_refused_form_is_escaped_too(artist_client: Client, booking: Booking):
    response = artist_client.post(write_url(booking), review_data([], text=SCRIPT))
    assertContains(response, "&lt;script&gt;")
    assertNotContains(response, "<script>alert")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_stranger_gets_a_404(stranger_client: Client, booking: Booking, method: str):
    response = getattr(stranger_client, method)(write_url(booking), review_data(ARTIST_CRITERIA))
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_an_unknown_booking_is_a_404(artist_client: Client):
    assert artist_client.get(reverse("reviews:write", kwargs={"pk": 999999})).status_code == 404


def test_a_visitor_is_asked_to_log_in(client: Client, booking: Booking):
    response = client.get(write_url(booking))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.PAID, Status.CANCELLED])
def test_a_booking_not_completed_cannot_be_reviewed(
    artist_client: Client, nina: Artist, service: Service, status: Status
):
    booking = booking_in(status, nina, service)
    response = artist_client.get(write_url(booking))
    assert response.status_code == 200
    assertContains(response, "you can review it once it is completed")
    assertNotContains(response, 'name="rating"')
    response = artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA))
    assert response.status_code == 200
    assertContains(response, "you can review it once it is completed")
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_booking_is_refused(
    artist_client: Client, booking: Booking, artist: User
):
    first = submit(booking, artist, text="First thoughts.")
    response = artist_client.get(write_url(booking))
    assertContains(response, "You have already reviewed this booking.")
    assertNotContains(response, 'name="rating"')
    artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA, text="Second."))
    assert list(Review.objects.values_list("pk", "text")) == [(first.pk, "First thoughts.")]


def test_a_label_admin_sees_the_booking_but_cannot_review_it(
    client: Client, booking: Booking, label_admin: User
):
    client.force_login(label_admin)
    response = client.post(write_url(booking), review_data(ARTIST_CRITERIA))
    assert response.status_code == 200
    assertContains(response, "Only the artist and the professional of a booking can review it.")
    assert not Review.objects.exists()


def test_the_form_closes_with_the_review_window(
    artist_client: Client, booking: Booking, artist: User
):
    later = timezone.now() + timedelta(days=settings.REVIEW_WINDOW_DAYS + 1)
    with time_machine.travel(later):
        artist_client.force_login(artist)  # the session would have expired by then
        response = artist_client.get(write_url(booking))
        assertContains(response, "The time to review this booking ended on")
        artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA))
    assert not Review.objects.exists()


def test_the_review_form_page_costs_a_fixed_number_of_queries(
    artist_client: Client,
    make_completed_booking: Callable[..., Booking],
    django_assert_num_queries,
):
    booking = make_completed_booking()
    artist_client.get(write_url(booking))  # warm the session and the cached permissions
    # session, user, the bell's unread count, booking and its events, completion event, an
    # existing review, the criteria (one query, however many)
    Criterion.objects.create(slug="vibe", name="Studio vibe")
    with django_assert_num_queries(8):
        response = artist_client.get(write_url(booking))
    assert response.status_code == 200


# --- The reply ----------------------------------------------------------------------------------


def test_the_reviewee_replies_without_javascript(
    associate_client: Client, published_review: Review, marco: Associate
):
    response = associate_client.get(reply_url(published_review))
    assertContains(response, "Marco made the mix sing.")
    assertContains(response, 'name="text"')
    response = associate_client.post(reply_url(published_review), {"text": "Thanks, Nina!"})
    assertRedirects(
        response, associate_reviews_url(marco, published_review), fetch_redirect_response=False
    )
    published_review.refresh_from_db()
    assert published_review.reply == "Thanks, Nina!"
    assert published_review.replied_at is not None


def test_htmx_swaps_the_reply_form_into_the_review_and_then_the_reply(
    associate_client: Client, published_review: Review
):
    response = associate_client.get(reply_url(published_review), headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert f'hx-target="#review-{published_review.pk}-reply"' in html
    assert 'hx-swap="innerHTML"' in html
    assert 'name="text"' in html

    response = associate_client.post(
        reply_url(published_review), {"text": f"Thanks! {SCRIPT}"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert f"Thanks! {ESCAPED_SCRIPT}" in html
    assert "<script>alert" not in html
    assert 'hx-swap-oob="beforeend:#toasts"' in html
    assert "Your reply is published under the review." in html


def test_an_empty_reply_is_refused(associate_client: Client, published_review: Review):
    response = associate_client.post(reply_url(published_review), {"text": "  "}, headers=HTMX)
    assertContains(response, "Write your reply.")
    published_review.refresh_from_db()
    assert published_review.reply == ""


def test_there_is_one_reply_per_review(associate_client: Client, published_review: Review):
    associate_client.post(reply_url(published_review), {"text": "First."})
    response = associate_client.post(reply_url(published_review), {"text": "Second."})
    assert response.status_code == 200
    assertContains(response, "You have already replied to this review.")
    published_review.refresh_from_db()
    assert published_review.reply == "First."


def test_the_reply_closes_after_its_time_limit(
    associate_client: Client, published_review: Review, associate: User
):
    later = timezone.now() + timedelta(days=settings.REVIEW_REPLY_DAYS + 1)
    with time_machine.travel(later):
        associate_client.force_login(associate)  # the session would have expired by then
        response = associate_client.post(reply_url(published_review), {"text": "Late."})
    assertContains(response, "The time to reply ended on")
    published_review.refresh_from_db()
    assert published_review.reply == ""


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_blind_review_cannot_be_seen_or_replied_to_by_its_subject_yet(
    associate_client: Client, booking: Booking, artist: User, method: str
):
    """Double-blind: the reply page would show the review's text and stars before the
    professional wrote theirs; while blind it is a 404, as for an unknown review."""
    review = submit(booking, artist)
    response = getattr(associate_client, method)(reply_url(review), {"text": "Early."})
    assert response.status_code == 404
    assert review.text not in response.content.decode()
    review.refresh_from_db()
    assert review.reply == ""


@pytest.mark.parametrize("who", ["stranger", "author", "label_admin"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_reviewee_may_reply_everyone_else_gets_a_404(
    client: Client,
    published_review: Review,
    outsider: User,
    artist: User,
    label_admin: User,
    who: str,
    method: str,
):
    client.force_login({"stranger": outsider, "author": artist, "label_admin": label_admin}[who])
    response = getattr(client, method)(reply_url(published_review), {"text": "Not mine."})
    assert response.status_code == 404
    published_review.refresh_from_db()
    assert published_review.reply == ""


def test_an_unknown_review_is_a_404(associate_client: Client):
    assert associate_client.get(reverse("reviews:reply", kwargs={"pk": 999999})).status_code == 404


# --- The report ---------------------------------------------------------------------------------


def test_a_signed_in_user_reports_a_review_without_javascript(
    stranger_client: Client, published_review: Review, outsider: User, marco: Associate
):
    response = stranger_client.get(report_url(published_review))
    assertContains(response, "What is wrong with this review?")
    assertContains(response, 'type="radio"', count=len(Report.Reason.choices))
    response = stranger_client.post(
        report_url(published_review), {"reason": "abusive", "details": "Insults."}
    )
    assertRedirects(
        response, associate_reviews_url(marco, published_review), fetch_redirect_response=False
    )
    report = Report.objects.get()
    assert (report.review, report.reporter, report.reason, report.details) == (
        published_review,
        outsider,
        "abusive",
        "Insults.",
    )


def test_htmx_swaps_the_report_form_in_and_then_a_thank_you(
    stranger_client: Client, published_review: Review
):
    response = stranger_client.get(report_url(published_review), headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert f'hx-target="#review-{published_review.pk}-report"' in html
    response = stranger_client.post(report_url(published_review), {"reason": "spam"}, headers=HTMX)
    html = response.content.decode()
    assert "<form" not in html
    assert "Reported, thank you." in html
    assert Report.objects.filter(review=published_review, reason="spam").exists()


def test_the_reviewee_may_report_a_review_about_them(
    associate_client: Client, published_review: Review
):
    associate_client.post(report_url(published_review), {"reason": "fake"})
    assert Report.objects.filter(review=published_review).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a reason."),
        ({"reason": "boring"}, "Choose one of the reasons listed."),
        ({"reason": "other", "details": "x" * 1001}, "1000 characters"),
    ],
)
def test_a_bad_report_is_refused_with_a_clear_message(
    stranger_client: Client, published_review: Review, data: dict, message: str
):
    response = stranger_client.post(report_url(published_review), data, headers=HTMX)
    assert response.status_code == 200
    assertContains(response, message)
    assert not Report.objects.exists()


def test_a_second_report_by_the_same_user_is_refused_clearly(
    stranger_client: Client, published_review: Review
):
    stranger_client.post(report_url(published_review), {"reason": "spam"})
    response = stranger_client.post(report_url(published_review), {"reason": "abusive"})
    assert response.status_code == 200
    assertContains(response, "You have already reported this review.")
    assert list(Report.objects.values_list("reason", flat=True)) == ["spam"]


def test_the_author_cannot_report_their_own_review(artist_client: Client, published_review: Review):
    response = artist_client.post(report_url(published_review), {"reason": "spam"})
    assert response.status_code == 200
    assertContains(response, "This is your own review: you cannot report it.")
    assert not Report.objects.exists()


def test_a_visitor_is_asked_to_log_in_to_report(client: Client, published_review: Review):
    response = client.post(report_url(published_review), {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Report.objects.exists()


def test_a_blind_review_is_a_404_for_a_stranger(
    stranger_client: Client, booking: Booking, artist: User
):
    review = submit(booking, artist)
    assert stranger_client.get(report_url(review)).status_code == 404
    assert stranger_client.post(report_url(review), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_the_reviewee_cannot_report_a_review_still_blind(
    associate_client: Client, booking: Booking, artist: User
):
    """While blind the review does not exist for them (double-blind), so: 404."""
    review = submit(booking, artist)
    response = associate_client.post(report_url(review), {"reason": "spam"})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_another_users_report_does_not_block_mine(
    stranger_client: Client, published_review: Review
):
    Report.objects.create(
        review=published_review, reporter=UserFactory.create(), reason="spam", details=""
    )
    response = stranger_client.post(report_url(published_review), {"reason": "abusive"})
    assert response.status_code == 302
    assert Report.objects.filter(review=published_review).count() == 2


def test_criterion_ratings_of_a_refused_review_are_not_saved(
    artist_client: Client, booking: Booking
):
    artist_client.post(write_url(booking), review_data(ARTIST_CRITERIA, rating="nope"))
    assert not CriterionRating.objects.exists()
