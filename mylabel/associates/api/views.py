"""``/api/v1/associates/``: the professionals directory, profiles and their owners' edits, the
services they sell and the free times of one (issue 7). The same getters, QuerySet methods,
services and slot computation as the site's pages."""

import zoneinfo
from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.api.permissions import ReadOnlyOrAuthenticated
from mylabel.api.profiles import SLUG_PATTERN, ProfileViewSet
from mylabel.associates import services
from mylabel.associates.api.filters import AssociateFilter
from mylabel.associates.api.serializers import (
    AssociateSerializer,
    AssociateSummarySerializer,
    AssociateUpdateSerializer,
    ServiceInputSerializer,
    ServiceSerializer,
    SlotListSerializer,
    SlotQuerySerializer,
)
from mylabel.associates.models import Associate, Service
from mylabel.associates.selectors import get_associate_for
from mylabel.bookings.slots import available_slots_between

SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{SLUG_PATTERN}$"
)
SLOT_PARAMETERS = [
    OpenApiParameter("service", OpenApiTypes.INT, required=True, description="A service's id."),
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="First day (default: today, your time zone)."
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Last day, at most 62 days from `from` (default: 6 days after it).",
    ),
]


def _viewer_zone(request: Request, associate: Associate) -> zoneinfo.ZoneInfo:
    """The booking page's choice: the signed-in viewer's zone, else the professional's."""
    name = request.user.time_zone if request.user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or associate.user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(associate.user.time_zone)


def _is_owner(request: Request, associate: Associate) -> bool:
    return request.user.is_authenticated and associate.user_id == request.user.pk


@extend_schema_view(
    list=extend_schema(
        summary="List professionals",
        description="The professionals directory: listed profiles, searched, filtered and "
        "sorted as on the site. Public.",
        auth=[],
    ),
    retrieve=extend_schema(summary="Get a professional's profile", auth=[]),
    partial_update=extend_schema(
        summary="Change your professional profile",
        description="Only the profile's owner; anyone else gets 404. Fields left out are "
        "unchanged; `professions` and `genres` replace their lists.",
        request=AssociateUpdateSerializer,
        responses={200: AssociateSerializer},
    ),
    slots=extend_schema(
        summary="List a service's free times",
        description="The times an artist could book, computed as on the booking page. Dates "
        "are read in your time zone (the professional's when not signed in).",
        parameters=SLOT_PARAMETERS,
        responses={200: SlotListSerializer},
        auth=[],
    ),
)
class AssociateViewSet(ProfileViewSet[Associate]):
    # The directory's rules, applied by AssociateFilter through the QuerySet's own methods.
    queryset = Associate.objects.listed()
    filterset_class = AssociateFilter
    serializer_class = AssociateSerializer
    summary_serializer_class = AssociateSummarySerializer
    update_serializer_class = AssociateUpdateSerializer

    def get_profile(self, slug: str, *, write: bool = False) -> Associate:
        return get_associate_for(self.request.user, slug, write=write)

    def update_profile(self, profile: Associate, changes: dict[str, Any]) -> None:
        services.update_associate_profile(
            associate=profile, by=cast(User, self.request.user), **changes
        )

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def slots(self, request: Request, slug: str) -> Response:
        associate = get_associate_for(request.user, slug)
        tz = _viewer_zone(request, associate)
        query = SlotQuerySerializer(
            data=request.query_params, today=timezone.now().astimezone(tz).date()
        )
        query.is_valid(raise_exception=True)
        service = (
            Service.objects.for_profile(associate, include_inactive=False)
            .filter(pk=query.validated_data["service"])
            .first()
        )
        if service is None:
            raise serializers.ValidationError(
                {"service": [_("This professional offers no bookable service with this id.")]},
                code="unknown_service",
            )
        first, last = query.validated_data["from"], query.validated_data["to"]
        slots = available_slots_between(
            associate=associate, service=service, first_day=first, last_day=last, tz=tz
        )
        body = {
            "time_zone": tz.key,
            "service": service.pk,
            "date_from": first,
            "date_to": last,
            "slots": slots,
        }
        return Response(SlotListSerializer(body).data)


@extend_schema(parameters=[SLUG_PARAMETER])
@extend_schema_view(
    list=extend_schema(
        summary="List a professional's services",
        description="The bookable ones; the owner also sees those no longer bookable. Public.",
        auth=[],
    ),
    retrieve=extend_schema(summary="Get a service", auth=[]),
    create=extend_schema(
        summary="Add a service",
        description="Only the profile's owner; anyone else gets 404.",
        request=ServiceInputSerializer,
        responses={201: ServiceSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a service",
        description="Only the profile's owner. Bookings already made keep their terms.",
        request=ServiceInputSerializer,
        responses={200: ServiceSerializer},
    ),
    destroy=extend_schema(
        summary="Remove a service",
        description="Deleted (204), or, when it has bookings, kept for their history but no "
        "longer bookable (200, with the service).",
        responses={
            200: ServiceSerializer,
            204: OpenApiResponse(description="The service is deleted."),
        },
    ),
)
class ServiceViewSet(viewsets.GenericViewSet[Service]):
    permission_classes = [ReadOnlyOrAuthenticated]
    serializer_class = ServiceSerializer
    queryset = Service.objects.none()  # every action reads through the profile's getter
    lookup_value_regex = "[0-9]{1,18}"

    def _services(self, associate: Associate) -> Any:
        return Service.objects.for_profile(
            associate, include_inactive=_is_owner(self.request, associate)
        )

    def _own_service(self, slug: str, pk: str) -> Service:
        """The owner's service ``pk`` with its profile attached; 404 for anyone else's."""
        associate = get_associate_for(self.request.user, slug, write=True)
        service = get_object_or_404(Service.objects.filter(associate=associate), pk=int(pk))
        service.associate = associate
        return service

    def list(self, request: Request, slug: str) -> Response:
        associate = get_associate_for(request.user, slug)
        page = self.paginate_queryset(self._services(associate))
        return self.get_paginated_response(ServiceSerializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        associate = get_associate_for(request.user, slug)
        return Response(
            ServiceSerializer(get_object_or_404(self._services(associate), pk=int(pk))).data
        )

    def create(self, request: Request, slug: str) -> Response:
        associate = get_associate_for(request.user, slug, write=True)
        serializer = ServiceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.add_service(
            associate=associate, by=cast(User, request.user), **serializer.validated_data
        )
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, slug: str, pk: str) -> Response:
        service = self._own_service(slug, pk)
        serializer = ServiceInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service = services.update_service(
            service=service, by=cast(User, request.user), **serializer.validated_data
        )
        return Response(ServiceSerializer(service).data)

    def destroy(self, request: Request, slug: str, pk: str) -> Response:
        service = self._own_service(slug, pk)
        if services.delete_or_deactivate_service(service=service, by=cast(User, request.user)):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ServiceSerializer(service).data)
