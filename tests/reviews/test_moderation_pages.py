"""The label's moderation queue at /moderation/reviews/ (issue 5 points 6, 8 and 10): who may
see and use it, what each row shows, the tabs, the inline htmx actions and their plain-POST
fallback, bad input, and the page's query budget."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from mylabel.accounts.models import User
from mylabel.associates.models import Associate
from mylabel.reviews import cache, services
from mylabel.reviews.models import Moderation, ModerationEvent, Report, Review, Sentiment
from mylabel.reviews.views.moderation import REVIEWS_PER_PAGE
from tests.htmx import HTMX
from tests.reviews.factories import ReviewFactory

QUEUE_URL = reverse("reviews:moderation")


def action_url(review: Review | int, action: str) -> str:
    pk = review if isinstance(review, int) else review.pk
    return reverse("reviews:moderate", args=[pk, action])


@pytest.fixture
def admin_client(label_admin: User) -> Client:
    client = Client()
    client.force_login(label_admin)
    return client


@pytest.fixture
def review(marco: Associate) -> Review:
    return ReviewFactory.create(associate=marco, rating=2, text="Late and rude.")


# --- Permissions: every URL, every method, every persona ----------------------------------------


def _requests(review: Review) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(method, url, data) for every address under /moderation/reviews/."""
    yield "get", QUEUE_URL, {}
    for queue in ["reported", "new", "flagged", "hidden"]:
        yield "get", QUEUE_URL, {"queue": queue}
    yield "post", QUEUE_URL, {}
    for action in ["approve", "hide", "restore", "unknown"]:
        yield "get", action_url(review, action), {}
        yield "post", action_url(review, action), {"reason": "Spam", "queue": "new"}
    yield "post", action_url(987654, "hide"), {"reason": "Spam"}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("persona", ["artist", "associate", "outsider"])
def test_signed_in_non_admins_get_403_on_every_moderation_url(
    request: pytest.FixtureRequest, review: Review, persona: str, htmx: bool
):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    for method, url, data in _requests(review):
        response = getattr(client, method)(url, data, headers=HTMX if htmx else {})
        assert response.status_code == 403, (method, url, data)
        assertNotContains(response, "Late and rude.", status_code=403)
    review.refresh_from_db()
    assert review.moderation == Moderation.NEW
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_visitors_are_sent_to_log_in_from_every_moderation_url(review: Review, htmx: bool):
    client = Client()
    for method, url, data in _requests(review):
        response = getattr(client, method)(url, data, headers=HTMX if htmx else {})
        assert response.status_code == 302, (method, url, data)
        assert response["Location"].startswith(reverse("account_login")), (method, url)
    review.refresh_from_db()
    assert review.moderation == Moderation.NEW
    assert not ModerationEvent.objects.exists()


def test_a_label_admin_gets_the_queue_and_405_for_the_wrong_method(
    admin_client: Client, review: Review
):
    assert admin_client.get(QUEUE_URL).status_code == 200
    assert admin_client.post(QUEUE_URL).status_code == 405
    assert admin_client.get(action_url(review, "hide")).status_code == 405


def test_the_menu_links_to_moderation_for_label_admins_only(
    admin_client: Client, stranger_client: Client
):
    assertContains(admin_client.get(reverse("home")), f'href="{QUEUE_URL}"')
    assertNotContains(stranger_client.get(reverse("home")), f'href="{QUEUE_URL}"')


# --- What a row shows ---------------------------------------------------------------------------


def test_a_row_shows_the_review_its_reports_sentiment_and_history(
    admin_client: Client, label_admin: User, outsider: User, artist: User, marco: Associate
):
    review = ReviewFactory.create(
        associate=marco,
        rating=4,
        criterion_ratings={"communication": 2},
        text="Great mix, <b>slow</b> replies.",
        reply="Thanks, I was on tour.",
        replied_at=timezone.now(),
        sentiment=Sentiment.SCORED,
        sentiment_score=0.42,
        sentiment_language="en",
    )
    Report.objects.create(
        review=review, reporter=outsider, reason=Report.Reason.FAKE, details="Never met them."
    )
    Report.objects.create(
        review=review,
        reporter=artist,
        reason=Report.Reason.SPAM,
        resolved_at=review.created_at,  # closed earlier: not shown as open
    )
    ModerationEvent.objects.create(
        review=review,
        moderator=label_admin,
        action=ModerationEvent.Action.APPROVE,
        reason="Checked the booking",
    )

    response = admin_client.get(QUEUE_URL, {"queue": "reported"})

    assertContains(response, f'id="review-{review.pk}"', count=1)
    assertContains(response, f"{review.artist.stage_name} about Marco Riva")
    assertContains(response, review.author.name)
    assertContains(response, "4 out of 5 stars")
    assertContains(response, "<dt>Communication</dt><dd>2/5</dd>", html=False)
    assertContains(response, "<dt>Quality of work</dt><dd>4/5</dd>", html=False)
    assertContains(response, "Great mix, &lt;b&gt;slow&lt;/b&gt; replies.")
    assertContains(response, "Verified booking")
    assertContains(response, "Thanks, I was on tour.")
    assertContains(response, "Published")
    # the open report with its reason, details, reporter and time; the closed one is not listed
    assertContains(response, "1 open report")
    assertContains(response, "Not a real booking or a conflict of interest")
    assertContains(response, "Never met them.")
    assertContains(response, outsider.name)
    assertNotContains(response, "Spam or advertising")
    assertContains(response, "0.42 (en)")
    assertNotContains(response, "The stars contradict the text")
    # the history: what, who, why
    assertContains(response, "Moderation history")
    assertContains(response, "Checked the booking")
    assertContains(response, label_admin.name)


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"sentiment": Sentiment.PENDING}, "pending"),
        ({"sentiment": Sentiment.NOT_SCORED, "sentiment_language": "it"}, "not scored (it)"),
        (
            {"sentiment": Sentiment.SCORED, "sentiment_score": -0.9, "sentiment_language": "en"},
            "-0.90 (en)",
        ),
    ],
)
def test_the_sentiment_shows_its_score_or_why_there_is_none(
    admin_client: Client, marco: Associate, fields: dict[str, object], shown: str
):
    ReviewFactory.create(associate=marco, **fields)
    response = admin_client.get(QUEUE_URL, {"queue": "new"})
    assertContains(response, f"<strong>Sentiment:</strong>\n    \n      {shown}", html=False)


def test_a_blind_review_says_so_and_when_it_publishes(admin_client: Client, marco: Associate):
    review = ReviewFactory.create(associate=marco, published_at=None, verified=False)
    response = admin_client.get(QUEUE_URL, {"queue": "new"})
    assertContains(response, "Blind")
    assertContains(
        response, f'datetime="{localtime(review.window_closes_at).isoformat()}"', html=False
    )
    assertNotContains(response, "Verified booking")


# --- Tabs ---------------------------------------------------------------------------------------


@pytest.fixture
def one_of_each(marco: Associate, outsider: User) -> dict[str, Review]:
    reported = ReviewFactory.create(associate=marco, moderation=Moderation.APPROVED)
    Report.objects.create(review=reported, reporter=outsider, reason=Report.Reason.ABUSIVE)
    settled = ReviewFactory.create(associate=marco, moderation=Moderation.APPROVED)
    Report.objects.create(
        review=settled,
        reporter=outsider,
        reason=Report.Reason.SPAM,
        resolved_at=settled.created_at,
    )
    return {
        "reported": reported,
        "settled": settled,
        "new": ReviewFactory.create(associate=marco),
        "hidden": ReviewFactory.create(
            associate=marco, moderation=Moderation.HIDDEN, hidden_reason="Spam"
        ),
        # 5 stars, strongly negative text: the sentiment task would flag it
        "flagged": ReviewFactory.create(
            associate=marco,
            rating=5,
            text="Terrible. Rude, late and the mix was awful.",
            sentiment=Sentiment.SCORED,
            sentiment_score=-0.93,
            sentiment_language="en",
            contradicts_rating=True,
        ),
        "flag_approved": ReviewFactory.create(
            associate=marco, moderation=Moderation.APPROVED, contradicts_rating=True
        ),
    }


def _rows(response: object) -> set[int]:
    page = response.context["page"]  # type: ignore[attr-defined]
    return {review.pk for review in page.object_list}


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("reported", {"reported"}),
        ("new", {"new", "flagged"}),
        ("flagged", {"flagged"}),
        ("hidden", {"hidden"}),
        ("", {"reported"}),
        ("nonsense", {"reported"}),
    ],
)
def test_each_tab_lists_its_reviews(
    admin_client: Client, one_of_each: dict[str, Review], queue: str, expected: set[str]
):
    response = admin_client.get(QUEUE_URL, {"queue": queue})
    assert _rows(response) == {one_of_each[name].pk for name in expected}


def test_the_flagged_tab_shows_the_contradiction(
    admin_client: Client, one_of_each: dict[str, Review]
):
    response = admin_client.get(QUEUE_URL, {"queue": "flagged"})
    assertContains(response, "The stars contradict the text", count=1)
    assertContains(response, "-0.93 (en)")
    assertContains(response, "5 out of 5 stars")


def test_the_tabs_show_their_counts_and_mark_the_current_one(
    admin_client: Client, one_of_each: dict[str, Review]
):
    response = admin_client.get(QUEUE_URL, {"queue": "hidden"})
    counts = {tab["queue"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"reported": 1, "new": 2, "flagged": 1, "hidden": 1}
    assertContains(response, 'aria-current="page"', count=1)
    assertContains(response, 'hx-push-url="true" aria-current="page">Hidden', html=False)


def test_switching_tabs_with_htmx_returns_the_queue_fragment(
    admin_client: Client, one_of_each: dict[str, Review]
):
    response = admin_client.get(QUEUE_URL, {"queue": "hidden"}, headers=HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="moderation-queue"')
    assert "<html" not in content
    assert f'id="review-{one_of_each["hidden"].pk}"' in content
    assert response["Vary"].count("HX-Request") == 1


def test_an_empty_tab_says_so(admin_client: Client, label_admin: User):
    assertContains(admin_client.get(QUEUE_URL), "No open reports. Nothing waits here.")


def test_the_queue_is_paginated_and_keeps_its_tab_in_the_page_links(
    admin_client: Client, marco: Associate
):
    ReviewFactory.create_batch(REVIEWS_PER_PAGE + 1, associate=marco)
    first = admin_client.get(QUEUE_URL, {"queue": "new"})
    assert len(first.context["page"].object_list) == REVIEWS_PER_PAGE
    assertContains(first, f'href="{QUEUE_URL}?queue=new&amp;page=2"')
    second = admin_client.get(QUEUE_URL, {"queue": "new", "page": "2"})
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("rows", [1, 30])
def test_the_queue_costs_a_fixed_number_of_queries(
    admin_client: Client,
    label_admin: User,
    outsider: User,
    marco: Associate,
    rows: int,
    django_assert_num_queries,
):
    for _ in range(rows):
        review = ReviewFactory.create(associate=marco)
        Report.objects.create(review=review, reporter=outsider, reason=Report.Reason.SPAM)
        ModerationEvent.objects.create(
            review=review, moderator=label_admin, action=ModerationEvent.Action.APPROVE
        )
    # session, user, the two permission reads (is_label_admin), the bell's unread count, the tab
    # counts, the page's count, the rows (author and both profiles joined), then criteria, open
    # reports with reporters and history with moderators, prefetched
    with django_assert_num_queries(11):
        response = admin_client.get(QUEUE_URL, {"queue": "reported"})
    assertContains(response, 'class="card moderation-review', count=min(rows, REVIEWS_PER_PAGE))


# --- Inline actions with htmx -------------------------------------------------------------------


def test_hiding_inline_returns_the_updated_row_the_tab_counts_and_a_toast(
    admin_client: Client, label_admin: User, outsider: User, review: Review
):
    Report.objects.create(review=review, reporter=outsider, reason=Report.Reason.ABUSIVE)

    response = admin_client.post(
        action_url(review, "hide"),
        {"reason": "Insults the professional", "queue": "reported"},
        headers=HTMX,
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<article id="review-{review.pk}"')
    assert "<html" not in content
    assert "Insults the professional" in content
    assert action_url(review, "restore") in content  # the row now offers Restore
    assert action_url(review, "hide") not in content
    assert (
        '<nav id="moderation-tabs" class="moderation-tabs" aria-label="Queues" hx-swap-oob="true">'
        in content
    )
    assert 'hx-swap-oob="beforeend:#toasts"' in content
    assert "Review hidden from public pages." in content
    review.refresh_from_db()
    assert (review.moderation, review.hidden_reason) == (
        Moderation.HIDDEN,
        "Insults the professional",
    )
    event = ModerationEvent.objects.get(review=review)
    assert (event.moderator, event.action) == (label_admin, ModerationEvent.Action.HIDE)
    assert not Report.objects.filter(review=review, resolved_at__isnull=True).exists()


def test_approving_inline_returns_the_approved_row(admin_client: Client, review: Review):
    response = admin_client.post(action_url(review, "approve"), {"queue": "new"}, headers=HTMX)
    assertContains(response, "Review approved.")
    assertContains(response, 'moderation-review--approved"')
    assertNotContains(response, action_url(review, "approve"))  # nothing left to approve
    review.refresh_from_db()
    assert review.moderation == Moderation.APPROVED


def test_restoring_inline_returns_the_row_with_hide_again(admin_client: Client, review: Review):
    review.moderation, review.hidden_reason = Moderation.HIDDEN, "Spam"
    review.save()
    response = admin_client.post(action_url(review, "restore"), {"queue": "hidden"}, headers=HTMX)
    assertContains(response, "Review restored: it is public again.")
    assertContains(response, action_url(review, "hide"))
    review.refresh_from_db()
    assert review.moderation == Moderation.APPROVED


def test_a_hide_through_the_page_changes_the_public_rating_on_the_very_next_read(
    admin_client: Client,
    marco: Associate,
    review: Review,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    ReviewFactory.create(associate=marco, rating=4)
    services.refresh_rating(review)
    cache.summary_for(marco)
    with django_assert_num_queries(0):
        assert cache.summary_for(marco).average == Decimal("3.00")  # warm

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(action_url(review, "hide"), {"reason": "Rude"}, headers=HTMX)

    summary = cache.summary_for(marco)
    assert (summary.count, summary.average) == (1, Decimal("4.00"))
    marco.refresh_from_db()
    assert (marco.rating_average, marco.rating_count) == (Decimal("4.00"), 1)


# --- Without JavaScript -------------------------------------------------------------------------


def test_a_plain_post_redirects_back_to_the_same_tab_and_page(admin_client: Client, review: Review):
    response = admin_client.post(
        action_url(review, "hide"), {"reason": "Spam", "queue": "new", "page": "2"}
    )
    assertRedirects(response, f"{QUEUE_URL}?queue=new&page=2", fetch_redirect_response=False)
    review.refresh_from_db()
    assert review.moderation == Moderation.HIDDEN
    followed = admin_client.get(response["Location"])
    assertContains(followed, "Review hidden from public pages.")


def test_a_plain_post_with_a_bad_tab_or_page_goes_back_to_the_default_tab(
    admin_client: Client, review: Review
):
    response = admin_client.post(
        action_url(review, "approve"), {"queue": "https://evil.example", "page": "-3"}
    )
    assertRedirects(response, f"{QUEUE_URL}?queue=reported", fetch_redirect_response=False)


# --- Bad input: a clear message, nothing changed, never a 500 -----------------------------------


def _unchanged(review: Review, moderation: str = Moderation.NEW) -> None:
    review.refresh_from_db()
    assert review.moderation == moderation
    assert not ModerationEvent.objects.filter(review=review).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_hiding_without_a_reason_inline_keeps_the_row_and_says_why(
    admin_client: Client, review: Review, reason: str
):
    response = admin_client.post(action_url(review, "hide"), {"reason": reason}, headers=HTMX)
    assert response.status_code == 200
    assertContains(response, f'<article id="review-{review.pk}"', html=False)
    assertContains(response, "Say why the review is hidden", count=2)  # toast and the field
    assertContains(response, 'aria-invalid="true"')
    assertContains(response, "toast--error")
    _unchanged(review)


def test_hiding_without_a_reason_without_javascript_redirects_with_the_message(
    admin_client: Client, review: Review
):
    response = admin_client.post(action_url(review, "hide"), {"queue": "new"}, follow=True)
    assertContains(response, "Say why the review is hidden")
    _unchanged(review)


def test_restoring_a_visible_review_is_refused_with_a_message(admin_client: Client, review: Review):
    response = admin_client.post(action_url(review, "restore"), headers=HTMX)
    assertContains(response, "This review is not hidden: there is nothing to restore.")
    _unchanged(review)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_unknown_action_is_refused_with_a_message(
    admin_client: Client, review: Review, htmx: bool
):
    response = admin_client.post(
        action_url(review, "delete"), {"reason": "x"}, headers=HTMX if htmx else {}, follow=True
    )
    assertContains(response, "Unknown moderation action: nothing was changed.")
    _unchanged(review)


def test_an_unknown_review_inline_shows_a_toast_and_swaps_nothing(
    admin_client: Client, review: Review
):
    response = admin_client.post(action_url(987654, "hide"), {"reason": "x"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assertContains(response, "This review does not exist (any more): nothing was changed.")
    assertNotContains(response, "<article")
    assert not ModerationEvent.objects.exists()


def test_an_unknown_review_without_javascript_redirects_with_the_message(
    admin_client: Client,
):
    response = admin_client.post(action_url(987654, "approve"), follow=True)
    assertContains(response, "This review does not exist (any more): nothing was changed.")


def test_a_hidden_review_leaves_the_public_review_list_and_a_restored_one_returns(
    admin_client: Client, client: Client, marco: Associate, django_capture_on_commit_callbacks
):
    review = ReviewFactory.create(associate=marco, rating=1, text="He shouted at the drummer.")
    ReviewFactory.create(associate=marco, rating=5, text="Lovely warm mix.")
    services.refresh_rating(review)
    public = reverse("reviews:associate-reviews", args=[marco.slug])
    assertContains(client.get(public), "He shouted at the drummer.")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(action_url(review, "hide"), {"reason": "Unverifiable claim"})
    page = client.get(public)
    assertNotContains(page, "He shouted at the drummer.")
    assertContains(page, "Lovely warm mix.")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(action_url(review, "restore"))
    assertContains(client.get(public), "He shouted at the drummer.")
