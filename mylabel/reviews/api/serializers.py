"""Reviews as JSON, and the input of writing, replying to and reporting one.

Input serializers check shapes and types only; every rule (eligibility, the criteria of the
review's direction, the double-blind period, who may reply or report) is the services'.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.api.serializers import StrictFieldsMixin
from mylabel.reviews.models import MAX_RATING, MIN_RATING, Report, Review
from mylabel.reviews.services import REPLY_MAX_LENGTH, REPORT_DETAILS_MAX_LENGTH, TEXT_MAX_LENGTH

# Generous bounds for a primary key sent as input: beyond a 64-bit integer nothing exists, and
# some databases refuse to even compare with such a number.
MAX_ID = 2**63 - 1


class ProfileRefSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CriterionScoreSerializer(serializers.Serializer[Any]):
    criterion = serializers.SlugField(source="criterion.slug")
    name = serializers.CharField(source="criterion.name")
    rating = serializers.IntegerField(min_value=MIN_RATING, max_value=MAX_RATING)


class ReviewSerializer(serializers.ModelSerializer[Review]):
    """A review as its readers see it. ``state`` is ``published`` for everyone else; its
    author also sees it ``blind`` (waiting for the other side) and its two sides ``hidden``."""

    artist = serializers.SerializerMethodField()
    associate = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField(
        help_text=_("Who the review is about: `artist` or `associate`.")
    )
    overall = serializers.IntegerField(source="rating")
    ratings = CriterionScoreSerializer(source="criterion_ratings", many=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "booking",
            "subject",
            "artist",
            "associate",
            "overall",
            "ratings",
            "text",
            "verified",
            "state",
            "published_at",
            "window_closes_at",
            "reply",
            "replied_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProfileRefSerializer)
    def get_artist(self, review: Review) -> dict[str, str]:
        return {"slug": review.artist.slug, "name": review.artist.stage_name}

    @extend_schema_field(ProfileRefSerializer)
    def get_associate(self, review: Review) -> dict[str, str]:
        return {"slug": review.associate.slug, "name": review.associate.display_name}

    @extend_schema_field(serializers.ChoiceField(choices=["artist", "associate"]))
    def get_subject(self, review: Review) -> str:
        return "associate" if review.subject is review.associate else "artist"

    @extend_schema_field(serializers.ChoiceField(choices=["published", "blind", "hidden"]))
    def get_state(self, review: Review) -> str:
        if review.published_at is None:
            return "blind"
        return "published" if review.is_published else "hidden"


class ReviewCreateSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """A review of the other side of a completed booking."""

    booking = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("A completed booking of yours.")
    )
    overall = serializers.IntegerField(min_value=MIN_RATING, max_value=MAX_RATING)
    ratings = serializers.DictField(
        child=serializers.IntegerField(min_value=MIN_RATING, max_value=MAX_RATING),
        help_text=_("A score from 1 to 5 for every criterion of the review's direction, by slug."),
    )
    # Blank and surrounding spaces are the service's to judge, with its own message.
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, allow_blank=True, trim_whitespace=False
    )


class ReplySerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """The reviewee's public answer."""

    text = serializers.CharField(
        max_length=REPLY_MAX_LENGTH, allow_blank=True, trim_whitespace=False
    )


class ReportCreateSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    """Why the review should be looked at by the label's moderators."""

    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    details = serializers.CharField(
        max_length=REPORT_DETAILS_MAX_LENGTH,
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=False,
    )


class ReportSerializer(serializers.ModelSerializer[Report]):
    """A report, as its reporter sees it."""

    class Meta:
        model = Report
        fields = ["id", "review", "reason", "details", "created_at"]
        read_only_fields = fields
