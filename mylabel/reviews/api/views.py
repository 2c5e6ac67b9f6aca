"""``/api/v1/reviews/``: the published reviews (public), writing one for a completed booking,
the reviewee's reply and reports to the moderators (issue 7, "Resources").

The same rules as the pages: ``bookings.selectors.get_booking_for`` and
``reviews.selectors.get_review_for`` fetch, ``reviews.services`` decide and write. The API is
stricter than ``get_review_for`` about blind reviews: while blind a review is its author's alone
(the double-blind promise), so its subject gets the same 404 as everyone else.
"""

from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.api.permissions import ReadOnlyOrAuthenticated
from mylabel.bookings.selectors import get_booking_for
from mylabel.reviews import services
from mylabel.reviews.api.filters import ReviewFilter
from mylabel.reviews.api.serializers import (
    ReplySerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
)
from mylabel.reviews.eligibility import reply_refusal
from mylabel.reviews.models import CriterionRating, Review, ReviewQuerySet
from mylabel.reviews.selectors import get_review_for

REVIEW_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The review's id.")


def _in_api_terms(error: ValidationError) -> ValidationError:
    """The review service's field keys as this API's input names: ``rating`` is ``overall``
    and ``criterion_<slug>`` is ``ratings.<slug>``."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, list[ValidationError]] = {}
    for key, errors in error.error_dict.items():
        if key == "rating":
            key = "overall"
        elif key.startswith("criterion_"):
            key = "ratings." + key.removeprefix("criterion_")
        renamed.setdefault(key, []).extend(errors)
    return ValidationError(renamed)


def _with_ratings(review: Review) -> Review:
    prefetch_related_objects(
        [review],
        Prefetch("criterion_ratings", queryset=CriterionRating.objects.select_related("criterion")),
    )
    return review


@extend_schema_view(
    list=extend_schema(
        summary="List published reviews",
        description=(
            "Published reviews that moderation has not hidden, about profiles that are listed; "
            "no sign-in needed. Filter by the subject's slug (`artist` or `associate`)."
        ),
        auth=[],
    ),
    retrieve=extend_schema(
        summary="Get a review",
        description=(
            "A published review, for anyone. A blind review (waiting for the other side) is "
            "visible to its author only; a hidden one to its author and its subject."
        ),
        parameters=[REVIEW_ID],
    ),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadOnlyOrAuthenticated]
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    queryset = Review.objects.none()  # for the schema; get_queryset is what is listed
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> ReviewQuerySet:
        return Review.objects.published().about_listed_profiles().for_listing()

    def get_object(self) -> Review:
        """The review at ``pk`` if this reader may see it (see the module's docstring)."""
        review = get_review_for(self.request.user, self.kwargs["pk"])
        if review.published_at is None and review.author_id != self.request.user.pk:
            raise Http404
        return _with_ratings(review)

    @extend_schema(
        summary="Review a completed booking",
        description=(
            "The artist reviews the professional, or the professional the artist, once per "
            "booking, within the review window: an overall rating, a score for every criterion "
            "that applies and a text. The review stays blind (visible to you only) until the "
            "other side has reviewed too or the window closes. A refusal is a 400 whose `code` "
            "names the rule: `not_a_party`, `own_booking`, `not_completed`, "
            "`already_reviewed`, `window_closed`."
        ),
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = cast(User, request.user)
        booking = get_booking_for(user, data["booking"], write=True)
        services.check_submit_rate(user)
        try:
            review = services.submit_review(
                booking=booking,
                author=user,
                rating=data["overall"],
                text=data["text"],
                criteria=data["ratings"],
            )
        except ValidationError as error:
            raise _in_api_terms(error) from error
        return Response(
            ReviewSerializer(_with_ratings(review)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Reply to a review about you",
        description=(
            "The person reviewed answers publicly, once, within the reply window after "
            "publication. Anyone else gets 403; a refusal (not published yet, hidden, already "
            "replied, window over) is a 400 with the code `reply_refused`."
        ),
        parameters=[REVIEW_ID],
        request=ReplySerializer,
        responses={200: ReviewSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        user = cast(User, request.user)
        review = self.get_object()
        if review.subject.user_id != user.pk:
            raise PermissionDenied(reply_refusal(review=review, user=user))
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.reply_to_review(
            review=review, by=user, text=serializer.validated_data["text"]
        )
        return Response(ReviewSerializer(review).data)

    @extend_schema(
        summary="Report a review to the moderators",
        description=(
            "Any signed-in user but its author reports a published review, once. Refusals are "
            "400s with the codes `own_review`, `not_published` or `already_reported`."
        ),
        parameters=[REVIEW_ID],
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        review = self.get_object()
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_review(
            review=review,
            by=cast(User, request.user),
            reason=serializer.validated_data["reason"],
            details=serializer.validated_data["details"],
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
