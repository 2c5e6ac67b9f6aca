"""``/api/v1/me/recommendations/``: the signed-in artist's precomputed suggestions (issue 9)."""

from typing import cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from mylabel.accounts.models import User
from mylabel.recommendations.api.filters import RecommendationFilter
from mylabel.recommendations.api.serializers import RecommendationSerializer
from mylabel.recommendations.models import Recommendation, RecommendationQuerySet


class IsArtist(permissions.IsAuthenticated):
    """Signed in with an artist profile: recommendations are computed for artists only."""

    message = _("Recommendations are for artists: create an artist profile to get them.")
    code = "not_an_artist"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and hasattr(request.user, "artist_profile")


@extend_schema_view(
    list=extend_schema(
        summary="Your recommendations",
        description="Professionals you are likely to book next and artists like you, best "
        "first, each with a score in [0, 1] and a reason. Recomputed nightly and shortly after "
        "each of your bookings changes. Artists only: 403 (`not_an_artist`) for other accounts.",
    )
)
class RecommendationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Recommendation]):
    permission_classes = [IsArtist]
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    queryset = Recommendation.objects.none()

    def get_queryset(self) -> RecommendationQuerySet:
        return Recommendation.objects.visible_to(cast(User, self.request.user))
