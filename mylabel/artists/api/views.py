"""``/api/v1/artists/``: the artist directory, profiles, and their owners' edits (issue 7)."""

from typing import cast

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.api.permissions import ReadOnlyOrAuthenticated
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

SLUG_PATTERN = "[-a-zA-Z0-9_]+"


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
class ArtistViewSet(viewsets.GenericViewSet[Artist]):
    permission_classes = [ReadOnlyOrAuthenticated]
    # The directory's rules, applied by ArtistFilter through the QuerySet's own methods.
    queryset = Artist.objects.listed()
    filterset_class = ArtistFilter
    serializer_class = ArtistSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_serializer_class(self) -> type[ArtistSummarySerializer | ArtistSerializer]:
        # The list shows cards, without the long columns the directory never reads.
        return ArtistSummarySerializer if self.action == "list" else ArtistSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ArtistSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(ArtistSerializer(get_artist_for(request.user, slug)).data)

    def partial_update(self, request: Request, slug: str) -> Response:
        artist = get_artist_for(request.user, slug, write=True)
        serializer = ArtistUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.update_artist_profile(
            artist=artist, by=cast(User, request.user), **serializer.validated_data
        )
        # Read again: the prefetched genres are the ones from before the change.
        return Response(ArtistSerializer(get_artist_for(request.user, artist.slug)).data)

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
