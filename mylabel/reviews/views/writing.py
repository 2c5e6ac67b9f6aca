"""Writing reviews on the site (issue 5 points 1, 3, 4 and 6): the review form of a completed
booking, the reviewee's one reply and the report form, plus the review box of the booking page.

Every page works as a plain GET + POST + redirect; with htmx the forms swap in place: the review
form its ``review-form`` partial, the reply and report forms the slots ``#review-<pk>-reply`` and
``#review-<pk>-report`` of the review list's items. Refusals are shown with their reason (status
200, so htmx swaps them in too), never as a 500.
"""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking, Status
from mylabel.bookings.selectors import get_booking_for
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.reviews import services
from mylabel.reviews.eligibility import Eligibility, reply_refusal, review_eligibility
from mylabel.reviews.forms import ReplyForm, ReportForm, ReviewForm
from mylabel.reviews.models import CriterionRating, Direction, Review
from mylabel.reviews.selectors import get_review_for

FORM_TEMPLATE = "reviews/review_form.html"
REPLY_TEMPLATE = "reviews/review_reply.html"
REPORT_TEMPLATE = "reviews/review_report.html"


def _wants_fragment(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _when(moment: Any) -> str:
    """A date and time in the viewer's zone (the middleware activates it), as pages show them."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# --- The review form ----------------------------------------------------------------------------


def _reviewee_name(booking: Booking, direction: str | None) -> str:
    if direction == Direction.OF_ARTIST:
        return booking.artist.stage_name
    return booking.associate.display_name


def _submitted_message(review: Review, other_side: str) -> str:
    if review.published_at is not None:
        return _("Thank you: your review is published, next to %(name)s's review of you.") % {
            "name": other_side
        }
    return _(
        "Thank you: your review stays hidden until %(name)s reviews you too, or until %(date)s "
        "at the latest. Then both reviews are published."
    ) % {"name": other_side, "date": _when(review.window_closes_at)}


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def write_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """``/bookings/<pk>/review/``: the review of the other side of a completed booking.

    Strangers get a 404 (the booking getter). A party who may not review (not completed yet,
    window closed, already reviewed) gets the page with the reason instead of the form; a POST
    from them saves nothing. htmx posts get the ``review-form`` partial back with its errors,
    and a full-page redirect to the booking on success.
    """
    booking = get_booking_for(request.user, pk)
    user = cast(User, request.user)
    eligibility = review_eligibility(booking=booking, user=user)
    form: ReviewForm | None = None
    if eligibility.allowed:
        data = request.POST if request.method == "POST" else None
        form = ReviewForm(data, criteria=eligibility.criteria)
        if form.is_bound and form.is_valid():
            try:
                services.check_submit_rate(user)
                review = services.submit_review(
                    booking=booking,
                    author=user,
                    rating=form.cleaned_data["rating"],
                    text=form.cleaned_data["text"],
                    criteria=form.criterion_ratings(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                name = _reviewee_name(booking, review.direction)
                messages.success(request, _submitted_message(review, name))
                if request.htmx:
                    return HttpResponseClientRedirect(booking.get_absolute_url())
                return redirect(booking)
    context = {
        "booking": booking,
        "eligibility": eligibility,
        "form": form,
        "reviewee": _reviewee_name(booking, eligibility.direction) if eligibility.allowed else "",
    }
    if _wants_fragment(request):
        return render(request, f"{FORM_TEMPLATE}#review-form", context)
    return render(request, FORM_TEMPLATE, context)


# --- The reply ----------------------------------------------------------------------------------


def reviews_page_url(review: Review) -> str:
    """The public list of reviews about the review's subject, at this review."""
    if review.direction == Direction.OF_ARTIST:
        url = reverse("reviews:artist-reviews", kwargs={"slug": review.artist.slug})
    else:
        url = reverse("reviews:associate-reviews", kwargs={"slug": review.associate.slug})
    return f"{url}#review-{review.pk}"


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def reply_to_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """``/reviews/<pk>/reply/``: the reviewee's one public reply. Anyone else gets a 404, as for a
    review that does not exist. htmx gets the ``review-reply`` slot: the form, then the reply."""
    user = cast(User, request.user)
    review = get_review_for(user, pk)
    if review.subject.user_id != user.pk:
        raise Http404
    refusal = reply_refusal(review=review, user=user)
    form = ReplyForm(request.POST if request.method == "POST" else None) if not refusal else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            review = services.reply_to_review(
                review=review, by=user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your reply is published under the review."))
            if request.htmx:
                context: dict[str, Any] = {"review": review, "form": None, "refusal": ""}
                return render_fragments(request, REPLY_TEMPLATE, ["review-reply"], context)
            return redirect(reviews_page_url(review))
    context = {
        "review": review,
        "form": form,
        "refusal": refusal,
        "back_url": reviews_page_url(review),
    }
    if _wants_fragment(request):
        return render(request, f"{REPLY_TEMPLATE}#review-reply", context)
    return render(request, REPLY_TEMPLATE, context)


# --- The report ---------------------------------------------------------------------------------


def _why_no_report(review: Review, user: User) -> str:
    if review.author_id == user.pk:
        return _("This is your own review: you cannot report it.")
    if not review.is_published:
        # Its author and its subject see a blind or hidden review; nobody else can report it.
        return _("Only reviews shown on the site can be reported.")
    if review.reports.filter(reporter=user).exists():
        return _("You have already reported this review. The label's moderators will look at it.")
    return ""


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def report_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """``/reviews/<pk>/report/``: any signed-in user but the author reports a review to the
    label's moderators, once. htmx gets the ``review-report`` slot: the form, then a thank-you."""
    user = cast(User, request.user)
    review = get_review_for(user, pk)
    refusal = _why_no_report(review, user)
    form = ReportForm(request.POST if request.method == "POST" else None) if not refusal else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.report_review(
                review=review,
                by=user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Reported, thank you. The label's moderators will look at it.")
            )
            if request.htmx:
                context: dict[str, Any] = {"review": review, "form": None, "reported": True}
                return render_fragments(request, REPORT_TEMPLATE, ["review-report"], context)
            return redirect(reviews_page_url(review))
    context = {
        "review": review,
        "form": form,
        "refusal": refusal,
        "back_url": reviews_page_url(review),
    }
    if _wants_fragment(request):
        return render(request, f"{REPORT_TEMPLATE}#review-report", context)
    return render(request, REPORT_TEMPLATE, context)


# --- The review box of the booking page ---------------------------------------------------------


@dataclass(frozen=True)
class ReviewBox:
    """What the booking page shows about the reviews of a completed booking, for one viewer:
    whether they may write theirs, their own review (in any state) and the other published ones.
    """

    eligibility: Eligibility
    mine: Review | None
    others: list[Review]

    @property
    def mine_is_blind(self) -> bool:
        return self.mine is not None and self.mine.published_at is None


def review_box(booking: Booking, user: User) -> ReviewBox | None:
    """The review box of ``booking``'s page for ``user``; ``None`` until the booking is completed
    (then it costs no query at all). The other side's review stays out until it is published:
    that is the double-blind promise."""
    if booking.status != Status.COMPLETED:
        return None
    reviews = list(
        booking.reviews.select_related("author").prefetch_related(
            Prefetch(
                "criterion_ratings",
                queryset=CriterionRating.objects.select_related("criterion"),
            )
        )
    )
    mine = next((review for review in reviews if review.author_id == user.pk), None)
    others = [review for review in reviews if review is not mine and review.is_published]
    return ReviewBox(
        eligibility=review_eligibility(booking=booking, user=user), mine=mine, others=others
    )


urlpatterns = [
    path("bookings/<int:pk>/review/", write_review, name="write"),
    path("reviews/<int:pk>/reply/", reply_to_review, name="reply"),
    path("reviews/<int:pk>/report/", report_review, name="report"),
]
