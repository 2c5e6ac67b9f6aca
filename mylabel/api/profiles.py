"""What the artist and professional endpoints share: a public directory list, a profile by
slug (404 for what the reader may not see), and the owner's partial update through the app's
service. Each app's view set names its serializers and says how to fetch and update."""

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.api.permissions import ReadOnlyOrAuthenticated
from mylabel.core import cached, directory

SLUG_PATTERN = "[-a-zA-Z0-9_]+"

ProfileT = TypeVar("ProfileT", bound=Model)


class ProfileViewSet(viewsets.GenericViewSet[ProfileT]):
    permission_classes = [ReadOnlyOrAuthenticated]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    # The list shows cards, without the long columns the directory never reads.
    summary_serializer_class: type[serializers.Serializer[Any]]
    update_serializer_class: type[serializers.Serializer[Any]]

    def get_profile(self, slug: str, *, write: bool = False) -> ProfileT:
        """The app's permission-checked getter (``Http404`` for strangers)."""
        raise NotImplementedError

    def update_profile(self, profile: ProfileT, changes: dict[str, Any]) -> None:
        """The app's update service, as ``request.user``."""
        raise NotImplementedError

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return self.summary_serializer_class
        return super().get_serializer_class()

    def list(self, request: Request) -> Response:
        """A page of the directory, the same for every reader of the same address: cached
        like the site's directory results (``mylabel.core.directory``), so forgotten after
        every write a card shows. Bad filters and pages raise before anything is stored."""
        key = directory.results_key("api", request.build_absolute_uri())
        data = cached.call(directory.WHAT, "get", key) if key else None
        if data is None:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            cards = self.summary_serializer_class(page, many=True).data
            # Plain dicts and lists: DRF's return types keep a link to their serializer.
            data = dict(self.get_paginated_response(list(cards)).data)
            if key:
                lifetime = settings.DIRECTORY_RESULTS_CACHE_SECONDS
                cached.call(directory.WHAT, "set", key, data, lifetime)
        return Response(data)

    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(self.get_profile(slug)).data)

    def partial_update(self, request: Request, slug: str) -> Response:
        profile = self.get_profile(slug, write=True)
        changes = self.update_serializer_class(data=request.data)
        changes.is_valid(raise_exception=True)
        self.update_profile(profile, changes.validated_data)
        # Read again (the slug may have changed; every profile model has one): the prefetched
        # genres and professions are the ones from before.
        return Response(self.get_serializer(self.get_profile(profile.slug)).data)  # type: ignore[attr-defined]
