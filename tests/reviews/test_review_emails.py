"""The e-mail to the person reviewed when a review about them is published (issue 5 point 9):
enqueued after the commit by a task, in the recipient's language and time zone, HTML and text,
linking to their reviews page."""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.tasks import default_task_backend

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking
from mylabel.notifications.tasks import send_review_published_email
from mylabel.reviews import services
from mylabel.reviews.models import Direction, Moderation, Review
from mylabel.reviews.signals import review_published
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 12, 14, 23, 30, tzinfo=UTC)


def announce(review: Review) -> None:
    """What ``reviews.services`` does once a publication commits."""
    review_published.send(sender=Review, review=review)


@pytest.fixture
def review(nina: Artist, marco: Associate) -> Review:
    """Nina's review of Marco, published."""
    return ReviewFactory.create(
        artist=nina,
        associate=marco,
        rating=4,
        text="Great mix <b>really</b>.\nWould book again.",
        published_at=PUBLISHED,
    )


# --- When and to whom ---------------------------------------------------------------------------


def test_when_both_sides_have_reviewed_each_reviewee_gets_one_mail_after_the_commit(
    booking: Booking, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_review(
            booking=booking,
            author=booking.artist.user,
            rating=5,
            text="Great",
            criteria=dict.fromkeys(
                ["quality", "communication", "professionalism", "punctuality", "value"], 5
            ),
        )
    assert mailoutbox == []  # blind: nobody is told yet

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_review(
            booking=booking,
            author=booking.associate.user,
            rating=4,
            text="Fine",
            criteria=dict.fromkeys(["communication", "professionalism", "punctuality"], 4),
        )
        assert mailoutbox == []  # inside the transaction: nothing yet

    assert sorted(address for message in mailoutbox for address in message.to) == [
        "marco@example.com",
        "nina@example.com",
    ]


def test_a_review_published_when_its_window_closes_mails_the_reviewee(
    booking: Booking, mailoutbox, django_capture_on_commit_callbacks
):
    review = services.submit_review(
        booking=booking,
        author=booking.associate.user,
        rating=4,
        text="Came prepared.",
        criteria=dict.fromkeys(["communication", "professionalism", "punctuality"], 4),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_due_reviews(now=review.window_closes_at)

    (message,) = mailoutbox
    assert message.to == ["nina@example.com"]
    assert "Marco Riva reviewed you: 4 out of 5" in message.subject


def test_a_rolled_back_publication_mails_nobody(
    review: Review, mailoutbox, django_capture_on_commit_callbacks
):
    def fail_after_announcing() -> None:
        with transaction.atomic():
            announce(review)
            raise RuntimeError("the publication failed after announcing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        fail_after_announcing()

    assert callbacks == []
    assert mailoutbox == []


def test_the_receiver_only_enqueues_the_task(
    review: Review, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]

    with django_capture_on_commit_callbacks(execute=True):
        announce(review)

    # Other subscribers (in-app notifications) may enqueue tasks of their own.
    mails = [
        result
        for result in default_task_backend.results  # type: ignore[attr-defined]
        if result.task.name == send_review_published_email.name
    ]
    assert [result.args for result in mails] == [[review.pk]]
    assert mailoutbox == []


def test_a_review_hidden_before_the_task_runs_is_not_announced(review: Review, mailoutbox):
    Review.objects.filter(pk=review.pk).update(moderation=Moderation.HIDDEN)

    assert send_review_published_email.call(review.pk) == 0
    assert mailoutbox == []


def test_a_review_that_is_gone_sends_nothing(mailoutbox):
    assert send_review_published_email.call(987654) == 0
    assert mailoutbox == []


def test_an_inactive_reviewee_gets_no_mail(review: Review, associate, mailoutbox):
    associate.is_active = False
    associate.save()

    assert send_review_published_email.call(review.pk) == 0
    assert mailoutbox == []


# --- What it says -------------------------------------------------------------------------------


def test_the_mail_names_the_reviewer_rating_and_links_to_the_reviews_page(
    review: Review, mailoutbox, settings
):
    settings.SITE_URL = "https://mylabel.example"

    assert send_review_published_email.call(review.pk) == 1

    (message,) = mailoutbox
    assert message.to == ["marco@example.com"]
    assert message.subject == "[MyLabel] Nina Vale reviewed you: 4 out of 5"
    link = "https://mylabel.example/associates/marco-riva/reviews/"
    assert link in message.body
    assert "Great mix <b>really</b>." in message.body  # plain text: as written
    assert "Mixing session" in message.body
    assert "Verified booking" in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    # HTML escapes what the reviewer wrote.
    assert "Great mix &lt;b&gt;really&lt;/b&gt;.<br>Would book again." in html
    assert "<b>really</b>" not in html


def test_a_review_of_an_artist_links_to_the_artist_reviews_page(
    nina: Artist, marco: Associate, mailoutbox
):
    review = ReviewFactory.create(
        artist=nina, associate=marco, direction=Direction.OF_ARTIST, rating=3, verified=False
    )

    send_review_published_email.call(review.pk)

    (message,) = mailoutbox
    assert message.to == ["nina@example.com"]
    assert message.subject == "[MyLabel] Marco Riva reviewed you: 3 out of 5"
    assert "/artists/nina-vale/reviews/" in message.body
    assert "Verified booking" not in message.body


def test_the_mail_is_in_the_recipients_language_and_time_zone(
    review: Review, associate, mailoutbox, settings
):
    settings.REVIEW_REPLY_DAYS = 30
    associate.language, associate.time_zone = "it", "Europe/Rome"
    associate.save()

    send_review_published_email.call(review.pk)

    (message,) = mailoutbox
    # Published 23:30 UTC on 14 December is 00:30 on the 15th in Rome; the reply deadline is
    # 30 days later, written the Italian way (Django's own Italian formats).
    assert "14 Gennaio 2027" in message.body
    assert "(Europe/Rome)" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="it">' in html


def test_the_reply_deadline_is_in_the_recipients_time_zone(review: Review, associate, mailoutbox):
    associate.language, associate.time_zone = "en", "America/New_York"
    associate.save()

    send_review_published_email.call(review.pk)

    (message,) = mailoutbox
    # 23:30 UTC on 13 January is still the 13th in New York.
    assert "You can publish one reply until Jan. 13, 2027." in message.body
