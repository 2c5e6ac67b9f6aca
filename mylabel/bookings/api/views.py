"""``/api/v1/bookings/``: the booking pages' list, form, detail and actions for API clients,
through the same selectors (``bookings_for_list``, ``get_booking_for``) and services.

Refusals, the same for every action:
- not a party to the booking (and not a label admin): 404, as for a booking that does not exist;
- a party, but this action is not theirs (the artist accepting): 403;
- the booking is not in a state that allows it (a declined booking accepted): 400 with
  ``code="invalid_state"`` (``"expired"`` for a request not answered in time). Transitions lock
  the booking row, so of two clients racing, the loser gets this 400 with the state it lost to.
- requesting a time another booking holds: 409 with ``code="booked"``.
"""

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts.models import User
from mylabel.api.exceptions import Conflict
from mylabel.api.schema import ERROR_REF
from mylabel.artists.models import Artist
from mylabel.bookings import services
from mylabel.bookings.api.filters import BookingFilter
from mylabel.bookings.api.serializers import (
    BookingCreateSerializer,
    BookingDetailSerializer,
    BookingListSerializer,
    BookingNoInputSerializer,
    BookingOptionalReasonSerializer,
    BookingPaymentInstructionsSerializer,
    BookingReasonSerializer,
    BookingResolveSerializer,
    payment_awaited_from,
)
from mylabel.bookings.models import Booking, BookingQuerySet
from mylabel.bookings.selectors import bookings_for_list, get_booking_for

# validate_slot's codes for a time the service does not offer: the client picked a bad start.
NOT_OFFERED_CODES = {"past", "notice", "horizon", "unavailable", "busy"}
# A time another booking holds (validate_slot saw it, or request_booking's checks under lock).
TAKEN_CODE = "booked"

CONFLICT_RESPONSE = OpenApiResponse(
    response=ERROR_REF,
    description='The time was taken by another booking (`code="booked"`); choose another.',
)
STATE_NOTE = (
    'Refused with 400 `code="invalid_state"` when the booking is not in a state that allows '
    "it (another client may have just changed it: the detail shows its state now), 403 when "
    "the action is the other party's, 404 when you are not a party."
)
BOOKING_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The booking's id.")


def _action_schema(
    summary: str, description: str, request: type[serializers.Serializer[Any]]
) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        description=f"{description}\n\n{STATE_NOTE}",
        request=request,
        responses={200: BookingDetailSerializer},
        parameters=[BOOKING_ID],
    )


def _booking_request_error(error: ValidationError) -> Exception:
    """``request_booking``'s refusal in the API's terms: 409 for a taken time; a time not
    offered, or a service no longer bookable, as an error on that field."""
    if hasattr(error, "error_dict"):
        return error
    code = error.error_list[0].code
    if code == TAKEN_CODE:
        return Conflict(error.messages[0], code=TAKEN_CODE)
    if code in NOT_OFFERED_CODES:
        return ValidationError({"start": error.error_list})
    if code == "inactive_service":
        return ValidationError({"service": error.error_list})
    return error


@extend_schema_view(
    list=extend_schema(
        summary="List my bookings",
        description=(
            "The bookings you made as an artist and those made with you as a professional, "
            "latest start first (then by id, so pages never overlap)."
        ),
    ),
    retrieve=extend_schema(
        summary="One booking",
        description=(
            "Price, deposit, cancellation policy, both parties, payment, history, and the "
            "actions you may take now. Visible to its artist, its professional and label admins."
        ),
        parameters=[BOOKING_ID],
    ),
)
class BookingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Booking]):
    serializer_class = BookingDetailSerializer
    filterset_class = BookingFilter
    # Ids are integers: anything else is an unknown address (404), never a lookup error.
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> BookingQuerySet:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model
            return Booking.objects.none()
        user = cast(User, self.request.user)
        disputes = self.request.query_params.get("role") == "disputes"
        # The list shows each booking's payment status.
        return bookings_for_list(user, role="disputes" if disputes else "").select_related(
            "payment"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return BookingListSerializer if self.action == "list" else BookingDetailSerializer

    def _booking(self, *, write: bool = False) -> Booking:
        return get_booking_for(self.request.user, int(self.kwargs["pk"]), write=write)

    def _detail(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        # Read again with the history: the service's instance lacks the events just recorded.
        booking = get_booking_for(self.request.user, pk)
        return Response(self.get_serializer(booking).data, status=status_code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self._booking()).data)

    @extend_schema(
        summary="Request a booking",
        description=(
            "Sends a booking request to the service's professional, as the booking form does. "
            "Needs an artist profile (403 without one). `start` must be one of the service's "
            "free times (`/api/v1/associates/{slug}/slots/`) with its UTC offset; a time it does "
            "not offer is a 400 on `start` with the reason; a time another booking holds, 409."
        ),
        request=BookingCreateSerializer,
        responses={201: BookingDetailSerializer, 409: CONFLICT_RESPONSE},
        examples=[
            OpenApiExample(
                "Request",
                value={
                    "service": 12,
                    "start": "2026-05-04T10:00:00+02:00",
                    "message": "Two songs, stems ready.",
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        artist = Artist.objects.filter(user=cast(User, request.user)).first()
        if artist is None:
            raise PermissionDenied(_("You need an artist profile to book a professional."))
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.check_request_rate(cast(User, request.user))
        try:
            booking = services.request_booking(artist=artist, **serializer.validated_data)
        except ValidationError as error:
            raise _booking_request_error(error) from error
        return self._detail(booking.pk, status.HTTP_201_CREATED)

    def _transition(
        self, serializer_class: type[serializers.Serializer[Any]], call: Callable[..., Booking]
    ) -> Response:
        booking = self._booking(write=True)
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        call(booking=booking, by=self.request.user, **serializer.validated_data)
        return self._detail(booking.pk)

    @_action_schema(
        "Accept a request", "The professional accepts; payment starts.", BookingNoInputSerializer
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._transition(BookingNoInputSerializer, services.accept_booking)

    @_action_schema(
        "Decline a request",
        "The professional declines, optionally saying why.",
        BookingOptionalReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._transition(BookingOptionalReasonSerializer, services.decline_booking)

    @_action_schema(
        "Cancel a booking",
        "Either party cancels before the start, with a reason; what was paid is refunded per "
        "the booking's cancellation policy.",
        BookingReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._transition(BookingReasonSerializer, services.cancel_booking)

    @_action_schema(
        "Mark a booking completed",
        "The professional, once a paid booking has started.",
        BookingNoInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._transition(BookingNoInputSerializer, services.complete_booking)

    @_action_schema(
        "Confirm an offline payment",
        "The professional says the artist's payment arrived (offline payments only); the "
        "booking becomes paid.",
        BookingNoInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="confirm-payment")
    def confirm_payment(self, request: Request, pk: str) -> Response:
        return self._transition(BookingNoInputSerializer, services.confirm_booking_payment)

    @_action_schema(
        "Open a dispute",
        "Either party, on a paid or completed booking, with a reason.",
        BookingReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str) -> Response:
        return self._transition(BookingReasonSerializer, services.open_dispute)

    @_action_schema(
        "Resolve a dispute",
        'A label admin closes it: "completed" keeps the payment with the professional, '
        '"cancelled" refunds the artist.',
        BookingResolveSerializer,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        return self._transition(BookingResolveSerializer, services.resolve_dispute)

    @extend_schema(
        summary="Pay for an accepted booking",
        description=(
            "The artist, while the booking waits for their payment (it starts when the "
            "professional accepts). With the payment provider: `checkout_url` is where to pay, "
            "and the booking becomes paid when the provider confirms. Offline (no provider "
            "configured): pay the professional as agreed; they confirm with "
            "`…/confirm-payment/`. Changes nothing; asking again answers the same.\n\n" + STATE_NOTE
        ),
        request=BookingNoInputSerializer,
        responses={200: BookingPaymentInstructionsSerializer},
        parameters=[BOOKING_ID],
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        booking = self._booking(write=True)
        BookingNoInputSerializer(data=request.data).is_valid(raise_exception=True)
        user = cast(User, request.user)
        if booking.artist.user_id != user.pk:
            raise PermissionDenied(_("Only the artist pays for a booking."))
        if not payment_awaited_from(booking, user):
            raise ValidationError(
                _("This booking is %(status)s: no payment is awaited.")
                % {"status": booking.get_status_display().lower()},
                code="invalid_state",
            )
        return Response(BookingPaymentInstructionsSerializer(booking.payment).data)
