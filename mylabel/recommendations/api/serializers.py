from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.recommendations.models import Kind, Recommendation


class TargetSerializer(serializers.Serializer[Any]):
    """The recommended profile: a professional (``kind`` "associate") or an artist."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    headline = serializers.CharField(
        default="", help_text="A professional's one-line headline; empty for an artist."
    )
    url = serializers.CharField(source="get_absolute_url", help_text="The profile's page.")


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    target = serializers.SerializerMethodField()
    reason = serializers.CharField(
        source="reason_text", help_text="Why, in a sentence in the reader's language."
    )
    reason_facts = serializers.JSONField(
        source="reason",
        help_text="The facts behind the reason: `genres` (names), `similar_artists`, "
        "`shared_professionals` and `popular` (counts), `city`, `remote`; each may be absent.",
    )

    class Meta:
        model = Recommendation
        fields = ["kind", "rank", "score", "target", "reason", "reason_facts", "computed_at"]
        read_only_fields = fields

    @extend_schema_field(TargetSerializer)
    def get_target(self, recommendation: Recommendation) -> dict[str, Any]:
        return TargetSerializer(recommendation.target).data
