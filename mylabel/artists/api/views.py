"""``/api/v1/artists/``: the artist directory, profiles, and their owners' edits (issue 7)."""

from typing import Any, cast

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.api.profiles import ProfileViewSet
from mylabel.artists import services
from mylabel.artists.api.filters import ArtistFilter
from mylabel.artists.api.serializers import (
    ArtistSerializer,
    ArtistSummarySerializer,
    ArtistUpdateSerializer,
    RosterSerializer,
)
from mylabel.artists.models import Artist
from mylabel.artists.selectors import get_artist_for


@extend_schema_view(
    list=extend_schema(
        summary="List artists",
        description="The artist directory: listed profiles, searched, filtered and sorted as on "
        "the site. Public.",
        auth=[],
    ),
    retrieve=extend_schema(summary="Get an artist's profile", auth=[]),
    partial_update=extend_schema(
        summary="Change your artist profile",
        description="Only the profile's owner; anyone else gets 404. Fields left out are "
        "unchanged; `genres` replaces the list.",
        request=ArtistUpdateSerializer,
        responses={200: ArtistSerializer},
    ),
    roster=extend_schema(
        summary="Sign an artist to the roster, or take them off",
        description="Label admins only (403 for anyone else signed in).",
        request=RosterSerializer,
        responses={200: ArtistSerializer},
    ),
)
class ArtistViewSet(ProfileViewSet[Artist]):
    # The directory's rules, applied by ArtistFilter through the QuerySet's own methods.
    queryset = Artist.objects.listed()
    filterset_class = ArtistFilter
    serializer_class = ArtistSerializer
    summary_serializer_class = ArtistSummarySerializer
    update_serializer_class = ArtistUpdateSerializer

    def get_profile(self, slug: str, *, write: bool = False) -> Artist:
        return get_artist_for(self.request.user, slug, write=write)

    def update_profile(self, profile: Artist, changes: dict[str, Any]) -> None:
        services.update_artist_profile(artist=profile, by=cast(User, self.request.user), **changes)

    @action(detail=True, methods=["post"])
    def roster(self, request: Request, slug: str) -> Response:
        artist = get_artist_for(request.user, slug)
        serializer = RosterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_roster_status(
            artist=artist,
            by=cast(User, request.user),
            on_roster=serializer.validated_data["on_roster"],
        )
        return Response(ArtistSerializer(artist).data)
