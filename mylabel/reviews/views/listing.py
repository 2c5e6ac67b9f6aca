"""A profile's reviews: the filterable, paginated list at /associates/<slug>/reviews/ and
/artists/<slug>/reviews/, and the reviews section of the profile pages (``profile_context``).

The list's filters live in the URL (a plain GET form; htmx swaps ``#review-list`` and pushes the
tidy address), so a reload or a shared link shows the same page. Bad values never fail: they
are dropped and the list says what it ignored.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from mylabel.artists.models import Artist
from mylabel.artists.selectors import get_artist_for
from mylabel.associates.models import Associate
from mylabel.associates.selectors import get_associate_for
from mylabel.core.directory import paginate, wants_results_only
from mylabel.reviews.cache import summary_for
from mylabel.reviews.eligibility import can_reply, criteria_for
from mylabel.reviews.forms_listing import ReviewFilterForm
from mylabel.reviews.models import Direction, Review, ReviewQuerySet

TEMPLATE = "reviews/profile_reviews.html"
LIST_PARTIAL = "review-list"
# Reviews the profile page shows before its "all reviews" link.
LATEST_ON_PROFILE = 3


def _reviews_about(subject: Artist | Associate) -> ReviewQuerySet:
    """Published, non-hidden reviews about ``subject``."""
    if isinstance(subject, Associate):
        return Review.objects.published().of_associate(subject)
    return Review.objects.published().of_artist(subject)


def _reviews_url(subject: Artist | Associate) -> str:
    name = "associate-reviews" if isinstance(subject, Associate) else "artist-reviews"
    return reverse(f"reviews:{name}", kwargs={"slug": subject.slug})


def profile_context(subject: Artist | Associate) -> dict[str, Any]:
    """What the profile page's reviews section (``reviews/profile_reviews.html#section-reviews``)
    needs. Lazy: a fragment of the profile that does not show the section runs nothing, and a
    profile without reviews (``rating_count`` 0, kept by the reviews services) shows the empty
    state without reading the cache or the reviews."""
    return {
        "review_summary": SimpleLazyObject(lambda: summary_for(subject)),
        # One query when shown; the preview shows no criteria, so nothing is prefetched.
        "latest_reviews": _reviews_about(subject).select_related("artist", "associate")[
            :LATEST_ON_PROFILE
        ],
        "reviews_url": _reviews_url(subject),
    }


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def associate_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    associate = get_associate_for(request.user, slug)
    return _render_reviews(request, associate, Direction.OF_ASSOCIATE)


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def artist_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    artist = get_artist_for(request.user, slug)
    return _render_reviews(request, artist, Direction.OF_ARTIST)


def _render_reviews(
    request: HttpRequest, subject: Artist | Associate, direction: str
) -> HttpResponse:
    """The reviews page, or only its ``#review-list`` for htmx, filtered by ``request.GET``."""
    associate = subject if isinstance(subject, Associate) else None
    form = ReviewFilterForm.from_query(request.GET, criteria=criteria_for(direction, associate))
    criterion = form.cleaned_data.get("criterion")
    reviews = (
        _reviews_about(subject)
        .filter_listing(**form.queryset_filters())
        .listing_order(form.effective_sort, criterion=criterion)
        .for_listing()
    )
    page, page_problems = paginate(reviews, request.GET.get("page"))
    rows = list(page.object_list)
    user = request.user
    # Only the person reviewed may reply; everyone else skips the check.
    replyable = (
        {review.pk for review in rows if can_reply(review=review, user=user)}
        if user.is_authenticated and subject.user_id == user.pk
        else set()
    )
    filters = form.query_string()
    reviews_url = _reviews_url(subject)
    context = {
        "subject": subject,
        "form": form,
        "page_obj": page,
        "reviews": rows,
        "replyable": replyable,
        "problems": [*form.problems, *page_problems],
        "filter_query": filters,
        "reviews_url": reviews_url,
        "chosen_criterion": criterion,
    }
    if not wants_results_only(request):
        # The summary heads the full page only; the list's fragment never reads it.
        context["review_summary"] = SimpleLazyObject(lambda: summary_for(subject))
        return render(request, TEMPLATE, context)
    context["results_only"] = True
    response = render(request, f"{TEMPLATE}#{LIST_PARTIAL}", context)
    # The form sends every field, empty ones too; history gets the tidy, shareable address.
    query = QueryDict(filters, mutable=True)
    if page.number > 1:
        query["page"] = str(page.number)
    return push_url(response, f"{reviews_url}?{query.urlencode()}" if query else reviews_url)


urlpatterns = [
    path("associates/<slug:slug>/reviews/", associate_reviews, name="associate-reviews"),
    path("artists/<slug:slug>/reviews/", artist_reviews, name="artist-reviews"),
]
