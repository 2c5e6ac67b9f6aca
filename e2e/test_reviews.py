"""The review journey in a real browser (issue 5, point 12): after a completed booking the artist
reviews the professional and the professional reviews back, so both publish; a visitor sees both
reviews on the profiles; a signed-in member reports one inline; a label admin hides it inline
from /moderation/reviews/ and the profile's average and count change."""

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import F
from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.helpers import Member, assert_no_browser_problems, check_page, watch_browser_problems
from e2e.people import lisbon_artist, mixing_engineer, open_for_bookings, verified_user
from e2e.test_bookings import assert_same_document, mark_document, read_toast
from mylabel.accounts.models import LABEL_ADMIN_GROUP, User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.slots import available_slots
from mylabel.reviews import services as reviews
from mylabel.reviews.eligibility import review_eligibility
from mylabel.reviews.models import Moderation, Review

ARTIST_TEXT = "Lena got the vocals right, but the mixes came back a week late."
STUDIO_TEXT = "Nina came with clean stems and clear notes. Easy to work with."
EARLIER_TEXT = "Superb mix, delivered early. Lena is a pleasure to work with."
HIDE_REASON = "Reported as being about another booking."


def completed_booking(artist: Artist, associate: Associate) -> Booking:
    """A booking taken through the real services: requested for a free slot of the coming days,
    accepted, paid offline, moved back a week (nothing can be requested in the past) and then
    completed, at the real now."""
    service = associate.services.get()
    zone = ZoneInfo(associate.user.time_zone)
    today = datetime.now(zone).date()
    # Hour-long sessions on a 30-minute grid: every second slot, so the bookings, once moved
    # back, do not overlap each other. The first day from tomorrow with that slot free: late in
    # the day, the notice leaves tomorrow only its last few slots. At most 6 days ahead, so a
    # week back is the past.
    taken = Booking.objects.filter(associate=associate).count()
    for days_ahead in range(1, 7):
        day = today + timedelta(days=days_ahead)
        slots = available_slots(associate=associate, service=service, day=day, tz=zone)
        if len(slots) > 2 * taken:
            break
    slot = slots[2 * taken]
    booking = bookings.request_booking(artist=artist, service=service, start=slot.start)
    professional = associate.user
    bookings.accept_booking(booking=booking, by=professional)
    if booking.status == Status.ACCEPTED:
        bookings.confirm_booking_payment(booking=booking, by=professional)
        assert booking.payment is not None
        bookings.mark_booking_paid(booking=booking, payment=booking.payment)
    one_week = timedelta(weeks=1)
    Booking.objects.filter(pk=booking.pk).update(
        start=F("start") - one_week,
        end=F("end") - one_week,
        blocked_until=F("blocked_until") - one_week,
        expires_at=F("expires_at") - one_week,
    )
    BookingEvent.objects.filter(booking=booking).update(created_at=F("created_at") - one_week)
    booking.refresh_from_db()
    bookings.complete_booking(booking=booking, by=professional)
    return booking


def rate(form: Locator, group: str, stars: int) -> None:
    """Choose ``stars`` in the star radios of ``group`` (a fieldset named by its legend)."""
    fieldset = form.get_by_role("group", name=group, exact=True)
    # The radio lies over its star (transparent), so it is what a click or a tap reaches.
    radio = fieldset.get_by_role("radio", name=f"{stars} star" + ("" if stars == 1 else "s"))
    radio.check()
    expect(radio).to_be_checked()


def write_review(page: Page, overall: int, criteria: dict[str, int], text: str) -> None:
    page.get_by_role("link", name="Write your review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review ")
    form = page.locator("#review-form")
    rate(form, "Overall rating", overall)
    for name, stars in criteria.items():
        rate(form, name, stars)
    form.get_by_label("Your review").fill(text)


def log_in(page: Page, member: Member) -> None:
    """Sign in on the log-in page; the review pages hold a status region of their own, so the
    toast is looked for in the toasts' region."""
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#toasts")).to_contain_text("Successfully signed in")


def watched_page(context: BrowserContext) -> Page:
    """Another person's browser, watched for console errors and CSP violations like ``page``."""
    context.set_default_timeout(10_000)
    other = context.new_page()
    watch_browser_problems(other)
    return other


def summary(page: Page) -> Locator:
    return page.locator(".rating-summary__overall")


@pytest.fixture
def studio() -> tuple[Associate, Member]:
    associate, member = mixing_engineer()
    open_for_bookings(
        associate, service="Mixing session", description="A day's mix of up to three songs."
    )
    return associate, member


def artist(name: str, stage_name: str) -> tuple[Artist, Member]:
    return lisbon_artist(name, stage_name)


@pytest.fixture
def label_admin() -> Member:
    """A label admin: the group's data migration runs again, since the live server's
    transactional tests empty every table after each test."""
    module = import_module("mylabel.accounts.migrations.0002_label_admin_group")
    module.create_group(apps, None)
    user, member = verified_user("Ada Label")
    user.groups.add(Group.objects.get(name=LABEL_ADMIN_GROUP))
    assert User.objects.get(pk=user.pk).is_label_admin
    return member


def test_both_sides_review_a_visitor_sees_both_a_member_reports_and_an_admin_hides_inline(
    page: Page,
    visitor_page: Page,
    new_context: Callable[..., BrowserContext],
    url: Callable[[str], str],
    studio: tuple[Associate, Member],
    label_admin: Member,
) -> None:
    associate, studio_member = studio
    nina, nina_member = artist("Nina Vega", "Nina Vega & The Tides")
    # An earlier, published five-star review, so hiding the new one moves the average.
    earlier_artist, _earlier_member = artist("Tom Reed", "Tom Reed Quartet")
    earlier = completed_booking(earlier_artist, associate)
    for author, text in ((earlier_artist.user, EARLIER_TEXT), (associate.user, STUDIO_TEXT)):
        eligibility = review_eligibility(booking=earlier, user=author)
        reviews.submit_review(
            booking=earlier,
            author=author,
            rating=5,
            text=text,
            criteria={criterion.slug: 5 for criterion in eligibility.criteria},
        )
    booking = completed_booking(nina, associate)

    # --- The artist reviews the professional: blind until the other side reviews -------------
    page.goto(url(f"/accounts/login/?next={booking.get_absolute_url()}"))
    log_in(page, nina_member)
    write_review(
        page,
        2,
        {
            "Quality of work": 4,
            "Communication": 3,
            "Professionalism": 3,
            "Punctuality": 1,
            "Value for money": 2,
        },
        ARTIST_TEXT,
    )
    check_page(page, "60-review-form")
    page.get_by_role("button", name="Send my review").click()
    expect(page).to_have_url(url(booking.get_absolute_url()))
    mine = page.locator(".booking-review").filter(has_text="Your review")
    expect(mine).to_contain_text("Hidden until the other side reviews too")
    check_page(page, "61-review-blind")
    review = Review.objects.get(booking=booking, author=nina.user)
    assert review.published_at is None
    assert review.criterion_ratings.count() == 5

    # --- The professional reviews back: both publish -----------------------------------------
    studio_page = visitor_page
    studio_page.goto(url(f"/accounts/login/?next={booking.get_absolute_url()}"))
    log_in(studio_page, studio_member)
    write_review(
        studio_page,
        5,
        {"Communication": 5, "Professionalism": 5, "Punctuality": 4},
        STUDIO_TEXT,
    )
    studio_page.get_by_role("button", name="Send my review").click()
    expect(studio_page).to_have_url(url(booking.get_absolute_url()))
    expect(studio_page.locator(".booking-review").filter(has_text="Your review")).to_contain_text(
        "Published on"
    )
    review.refresh_from_db()
    assert review.published_at is not None
    associate.refresh_from_db()
    assert (associate.rating_average, associate.rating_count) == (Decimal("3.50"), 2)

    # --- A visitor sees both reviews, on the profiles and the review pages --------------------
    visitor = watched_page(new_context())
    visitor.goto(url(f"/associates/{associate.slug}/"))
    expect(summary(visitor)).to_contain_text("3.5")
    expect(summary(visitor)).to_contain_text("2 reviews")
    expect(visitor.locator("#section-reviews")).to_contain_text(ARTIST_TEXT)
    check_page(visitor, "62-profile-reviews")
    visitor.goto(url(f"/associates/{associate.slug}/reviews/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Reviews of Lena Brandt")
    expect(visitor.locator("#review-list")).to_contain_text(ARTIST_TEXT)
    check_page(visitor, "63-reviews-page")
    visitor.goto(url(f"/artists/{nina.slug}/reviews/"))
    expect(visitor.locator("#review-list")).to_contain_text(STUDIO_TEXT)
    visitor.goto(url(f"/artists/{nina.slug}/"))
    expect(visitor.locator("#section-reviews")).to_contain_text(STUDIO_TEXT)

    # --- A signed-in member reports the artist's review, inline -------------------------------
    _reporter, reporter_member = verified_user("Olga Outsider")
    reporter = watched_page(new_context())
    reporter.goto(url(f"/accounts/login/?next=/associates/{associate.slug}/reviews/"))
    log_in(reporter, reporter_member)
    item = reporter.locator(f"#review-{review.pk}")
    mark_document(reporter)
    item.get_by_role("link", name="Report this review").click()
    report_form = item.locator(f"#review-{review.pk}-report")
    report_form.get_by_text("Not about the booking").click()
    report_form.get_by_label("Details (optional)").fill("This is about another session.")
    check_page(reporter, "64-review-report-form")
    report_form.get_by_role("button", name="Send the report").click()
    expect(report_form).to_contain_text("Reported, thank you")
    assert_same_document(reporter)
    assert review.reports.count() == 1

    # --- A label admin hides it inline, with a reason -----------------------------------------
    admin = watched_page(new_context())
    admin.goto(url("/accounts/login/?next=/moderation/reviews/"))
    log_in(admin, label_admin)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review moderation")
    card = admin.locator(f"#review-{review.pk}")
    expect(card).to_contain_text(ARTIST_TEXT)
    expect(card).to_contain_text("Not about the booking")
    check_page(admin, "65-moderation-queue")
    mark_document(admin)
    card.get_by_label("Reason for hiding").fill(HIDE_REASON)
    card.get_by_role("button", name="Hide").click()
    read_toast(admin, "Review hidden from public pages.")
    expect(card).to_contain_text("Hidden because")
    expect(card).to_contain_text(HIDE_REASON)
    assert_same_document(admin)
    check_page(admin, "66-moderation-hidden")
    review.refresh_from_db()
    assert review.moderation == Moderation.HIDDEN
    assert review.moderation_events.get().reason == HIDE_REASON

    # --- The profile's average and count follow at once ---------------------------------------
    visitor.goto(url(f"/associates/{associate.slug}/"))
    expect(summary(visitor)).to_contain_text("5.0")
    expect(summary(visitor)).to_contain_text("1 review")
    expect(visitor.locator("#section-reviews")).not_to_contain_text(ARTIST_TEXT)
    visitor.goto(url(f"/associates/{associate.slug}/reviews/"))
    expect(visitor.locator("#review-list")).not_to_contain_text(ARTIST_TEXT)
    check_page(visitor, "67-reviews-after-hiding")
    for other in (reporter, admin):
        assert_no_browser_problems(other)
