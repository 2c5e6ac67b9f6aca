"""``/api/v1/notifications/``: my notifications, marking one or all read (issue 7,
"Resources"). The same reads and writes as the centre's page: ``notifications.selectors`` and
``notifications.services`` (which also update the bell on open pages)."""

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.notifications import services
from mylabel.notifications.api.filters import NotificationFilter
from mylabel.notifications.api.serializers import MarkedReadSerializer, NotificationSerializer
from mylabel.notifications.models import Notification, NotificationQuerySet
from mylabel.notifications.selectors import (
    get_notification_for,
    notifications_for_list,
    unread_count,
)

# The list's body is the standard page; the bell's number travels beside it.
UNREAD_HEADER = "X-Unread-Count"
NOTIFICATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The notification's id."
)


def _viewer(request: Request) -> User:
    return cast(User, request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List my notifications",
        description=(
            f"Newest first. The `{UNREAD_HEADER}` header says how many are unread in all "
            "(whatever the filter and page)."
        ),
        parameters=[
            OpenApiParameter(
                UNREAD_HEADER,
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[200],
                description="How many of my notifications are unread.",
            )
        ],
    ),
    retrieve=extend_schema(summary="Get one of my notifications", parameters=[NOTIFICATION_ID]),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()  # for the schema; get_queryset is what is listed
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> NotificationQuerySet:
        return notifications_for_list(_viewer(self.request))

    def get_object(self) -> Notification:
        return get_notification_for(_viewer(self.request), self.kwargs["pk"])

    def list(self, request: Request) -> Response:
        response = super().list(request)
        response[UNREAD_HEADER] = str(unread_count(_viewer(request)))
        return response

    @extend_schema(
        summary="Mark a notification read",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: NotificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        viewer = _viewer(request)
        notification = services.mark_read(
            user=viewer, notification=get_notification_for(viewer, self.kwargs["pk"])
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedReadSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        marked = services.mark_all_read(user=_viewer(request))
        return Response(MarkedReadSerializer({"marked": marked}).data)
