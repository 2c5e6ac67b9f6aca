"""``/api/v1/portfolio/``: the signed-in user's portfolio items, for either profile (issue 7).
Only their owner reaches an item here; anyone else's is 404 (``get_portfolio_item_for``)."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.portfolio import services
from mylabel.portfolio.api.filters import PortfolioFilter
from mylabel.portfolio.api.serializers import (
    PortfolioItemCreateSerializer,
    PortfolioItemSerializer,
    PortfolioItemUpdateSerializer,
    PortfolioMoveSerializer,
)
from mylabel.portfolio.forms import PortfolioItemForm
from mylabel.portfolio.models import PortfolioItem
from mylabel.portfolio.selectors import get_own_profile, get_portfolio_item_for


def _validated_by_form(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked by the site's portfolio form, so the API refuses what the page refuses
    (the upload is checked by its content there)."""
    upload = data.get("file")
    form = PortfolioItemForm(
        {key: data[key] for key in ("kind", "title", "description", "url")},
        MultiValueDict({"file": [upload]}) if upload is not None else None,
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


@extend_schema_view(
    list=extend_schema(summary="List your portfolio items"),
    retrieve=extend_schema(summary="Get one of your portfolio items"),
    create=extend_schema(
        summary="Add a portfolio item",
        description="An uploaded image, audio or video (multipart form data), or a YouTube, "
        "SoundCloud or Spotify link (JSON or form data). It goes at the end of the portfolio of "
        "the profile named by `profile_kind`, which must be yours.",
        request={
            "multipart/form-data": PortfolioItemCreateSerializer,
            "application/json": PortfolioItemCreateSerializer,
        },
        responses={201: PortfolioItemSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a portfolio item's title or description",
        request=PortfolioItemUpdateSerializer,
        responses={200: PortfolioItemSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a portfolio item",
        responses={204: OpenApiResponse(description="The item and its file are deleted.")},
    ),
    move=extend_schema(
        summary="Move a portfolio item up or down",
        description="At either end of the list it stays where it is.",
        request=PortfolioMoveSerializer,
        responses={200: PortfolioItemSerializer},
    ),
)
class PortfolioViewSet(viewsets.GenericViewSet[PortfolioItem]):
    serializer_class = PortfolioItemSerializer
    filterset_class = PortfolioFilter
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> Any:
        return PortfolioItem.objects.for_owner(cast(User, self.request.user).pk)

    def _own_item(self, pk: str) -> PortfolioItem:
        return get_portfolio_item_for(self.request.user, int(pk), write=True)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PortfolioItemSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(PortfolioItemSerializer(self._own_item(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = PortfolioItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile_kind = serializer.validated_data["profile_kind"]
        try:
            get_own_profile(request.user, profile_kind)
        except Http404:
            raise ValidationError(
                {"profile_kind": _("You have no profile of this kind.")}, code="no_profile"
            ) from None
        cleaned = _validated_by_form(serializer.validated_data)
        item = services.add_portfolio_item(
            owner=cast(User, request.user),
            profile_kind=profile_kind,
            kind=cleaned["kind"],
            title=cleaned["title"],
            description=cleaned["description"],
            upload=cleaned["file"],
            url=cleaned["url"],
        )
        return Response(PortfolioItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        item = self._own_item(pk)
        serializer = PortfolioItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.update_portfolio_item(
            item=item, by=cast(User, request.user), **serializer.validated_data
        )
        return Response(PortfolioItemSerializer(item).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_portfolio_item(item=self._own_item(pk), by=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        item = self._own_item(pk)
        serializer = PortfolioMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.move_portfolio_item(
            item=item, by=cast(User, request.user), offset=serializer.validated_data["offset"]
        )
        return Response(PortfolioItemSerializer(self._own_item(pk)).data)
