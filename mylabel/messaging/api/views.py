"""``/api/v1/conversations/``: my conversations, starting one, their messages, sending and
marking read (issue 7, "Resources").

The same rules as the pages: ``selectors.get_conversation_for`` fetches (404 for anyone but a
participant, label admins included), ``messaging.services`` decide and write. A message sent
here goes through ``send_message`` like the page's composer, so its ``message_sent`` signal
pushes it to the participants' open pages after the commit, the same fragment as theirs.
"""

from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.selectors import get_booking_for
from mylabel.messaging import services
from mylabel.messaging.api.serializers import (
    ConversationSerializer,
    ConversationStartSerializer,
    MarkReadSerializer,
    MessageSendSerializer,
    MessageSerializer,
)
from mylabel.messaging.models import (
    Conversation,
    ConversationQuerySet,
    Message,
    direct_key_for,
)
from mylabel.messaging.selectors import (
    attachment_response,
    get_attachment_for,
    get_conversation_for,
)

CONVERSATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The conversation's id."
)


def _viewer(request: Request) -> User:
    # Every view here requires a signed-in user (the default permission).
    return cast(User, request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List my conversations",
        description=(
            "Most recently active first, each with the other participants, the last message "
            "and how many messages are unread."
        ),
    ),
    retrieve=extend_schema(summary="Get one of my conversations", parameters=[CONVERSATION_ID]),
)
class ConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ConversationSerializer
    queryset = Conversation.objects.none()  # for the schema; get_queryset is what is listed
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> ConversationQuerySet:
        return Conversation.objects.for_inbox(_viewer(self.request).pk)

    def get_object(self) -> Conversation:
        conversation = get_conversation_for(self.request.user, self.kwargs["pk"])
        return self._as_listed(conversation)

    def _as_listed(self, conversation: Conversation) -> Conversation:
        return self.get_queryset().get(pk=conversation.pk)

    @extend_schema(
        summary="Start a conversation",
        description=(
            "With a listed artist or professional (by the profile's slug), as their profile's "
            "“Message” button does, or the conversation of a booking of yours (its artist and "
            "its professional). Answers 201 with a new conversation, 200 with the one that "
            "already exists."
        ),
        request=ConversationStartSerializer,
        responses={
            200: OpenApiResponse(ConversationSerializer, description="It already existed."),
            201: OpenApiResponse(ConversationSerializer, description="Started now."),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = ConversationStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        viewer = _viewer(request)
        if "booking" in data:
            # Label admins can see every booking but are not in its conversation (as the page).
            booking = get_booking_for(viewer, data["booking"], write=True)
            if viewer.pk not in {booking.artist.user_id, booking.associate.user_id}:
                raise Http404
            existed = Conversation.objects.filter(booking=booking).exists()
            conversation = services.conversation_for_booking(booking=booking)
        else:
            other = self._profile_owner(data)
            existed = Conversation.objects.filter(
                direct_key=direct_key_for(viewer.pk, other.pk)
            ).exists()
            conversation = services.start_direct_conversation(user=viewer, other=other)
        return Response(
            ConversationSerializer(self._as_listed(conversation)).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @staticmethod
    def _profile_owner(data: dict[str, Any]) -> User:
        """The account behind the listed profile named in ``data`` (404 if none is listed)."""
        if "artist" in data:
            profiles: QuerySet[Any] = Artist.objects.listed()
            slug = data["artist"]
        else:
            profiles = Associate.objects.listed()
            slug = data["associate"]
        return get_object_or_404(profiles.select_related("user"), slug=slug).user

    @extend_schema(
        summary="Mark a conversation read",
        description=(
            "Up to `message` (a message of this conversation), or up to the newest message. "
            "The read marker never moves back."
        ),
        parameters=[CONVERSATION_ID],
        request=MarkReadSerializer,
        responses={204: OpenApiResponse(description="Marked read.")},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        viewer = _viewer(request)
        conversation = get_conversation_for(viewer, self.kwargs["pk"])
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        up_to: Message | None = None
        if "message" in serializer.validated_data:
            up_to = conversation.messages.filter(pk=serializer.validated_data["message"]).first()
            if up_to is None:
                raise exceptions.ValidationError(
                    {"message": [_("That message is not in this conversation.")]}
                )
        services.mark_read(conversation=conversation, user=viewer, up_to=up_to)
        return Response(status=status.HTTP_204_NO_CONTENT)


MESSAGES_PATH = OpenApiParameter(
    "conversation_pk", int, OpenApiParameter.PATH, description="The conversation's id."
)


@extend_schema_view(
    list=extend_schema(
        summary="List a conversation's messages",
        description="Newest first. Reading them does not mark them read (see `…/read/`).",
        parameters=[MESSAGES_PATH],
    ),
    create=extend_schema(
        summary="Send a message",
        description=(
            'JSON `{"body": …}`, or multipart with the body and up to the per-message '
            "number of files under `attachments` (images, audio, PDF or zip, each within the "
            "size limit; checked by content). The participants' open pages get it at once. "
            "Sending too fast is a 429 with `Retry-After`."
        ),
        parameters=[MESSAGES_PATH],
        request={
            "application/json": MessageSendSerializer,
            "multipart/form-data": MessageSendSerializer,
        },
        responses={201: MessageSerializer},
    ),
)
class MessageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    queryset = Message.objects.none()  # for the schema; get_queryset is what is listed

    def conversation(self) -> Conversation:
        if not hasattr(self, "_conversation"):
            self._conversation = get_conversation_for(
                self.request.user, self.kwargs["conversation_pk"]
            )
        return self._conversation

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return self.conversation().messages.for_display().order_by("-pk")

    def create(self, request: Request, conversation_pk: int) -> Response:
        conversation = self.conversation()
        serializer = MessageSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A rate-limit refusal becomes a 429 with Retry-After in the API's exception handler.
        message = services.send_message(
            conversation=conversation,
            sender=_viewer(request),
            body=serializer.validated_data["body"],
            files=serializer.validated_data["attachments"],
        )
        message = Message.objects.for_display().get(pk=message.pk)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Download an attachment",
    description=(
        "The file, to the participants of its conversation only (404 for anyone else), with "
        "the type detected when it was uploaded, always as a download."
    ),
    parameters=[
        OpenApiParameter("id", int, OpenApiParameter.PATH, description="The attachment's id.")
    ],
    responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    tags=["conversations"],
)
@api_view(["GET"])
def attachment_download(request: Request, pk: int) -> FileResponse:
    """The page's download (``messaging.views.attachment_download``) for token clients: the
    same participants-only lookup and the same headers."""
    return attachment_response(get_attachment_for(_viewer(request), pk))
