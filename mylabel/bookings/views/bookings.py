"""Booking pages (DESIGN.md §2.4): the booking form on a professional's address, the list of the
user's bookings and one booking with the actions its viewer may take.

Times are shown in the viewer's time zone: ``UserPreferencesMiddleware`` activates it for
signed-in users; the booking form also lists its slots in it (the professional's own zone for
visitors who are not signed in).
"""

import zoneinfo
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import policy, services
from mylabel.bookings.forms import (
    BookingFilterForm,
    BookingRequestForm,
    OptionalReasonForm,
    ReasonForm,
    ResolveDisputeForm,
    SlotQueryForm,
)
from mylabel.bookings.models import Booking
from mylabel.bookings.selectors import bookings_for_list, get_booking_for
from mylabel.bookings.slots import Slot, available_slots, available_slots_between
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.reviews.views.writing import review_box

FORM_TEMPLATE = "bookings/booking_form.html"
LIST_TEMPLATE = "bookings/booking_list.html"
DETAIL_TEMPLATE = "bookings/booking_detail.html"
BOOKINGS_PER_PAGE = 20


# --- The booking form ---------------------------------------------------------------------------


def _viewer_zone(request: HtmxHttpRequest, associate: Associate) -> zoneinfo.ZoneInfo:
    name = request.user.time_zone if request.user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or associate.user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(associate.user.time_zone)


def _cannot_book_reason(request: HtmxHttpRequest, associate: Associate) -> str:
    """Why the viewer cannot send a request here, or "" when they can."""
    user = request.user
    if not user.is_authenticated:
        return ""  # the form sends them to log in
    if associate.user_id == user.pk:
        return _("This is your own profile: artists book you here.")
    if not Artist.objects.filter(user_id=user.pk).exists():
        return _("You need an artist profile to book a professional.")
    return ""


# Free times already computed for a (service, day) while filling in the page's defaults.
type KnownSlots = dict[tuple[int, date], list[Slot]]


def _slot_choices(
    associate: Associate,
    service: Service | None,
    day: date | None,
    tz: zoneinfo.ZoneInfo,
    known: KnownSlots,
) -> list[dict[str, str]]:
    if service is None or day is None:
        return []
    slots = known.get((service.pk, day))
    if slots is None:
        slots = available_slots(associate=associate, service=service, day=day, tz=tz)
    return [
        {
            "value": slot.start.isoformat(),
            "label": f"{slot.start.astimezone(tz):%H:%M}–{slot.end.astimezone(tz):%H:%M}",  # noqa: RUF001
        }
        for slot in slots
    ]


FIRST_OPEN_DAY_SEARCH_DAYS = 14


def _first_open_day(
    associate: Associate, service: Service, tz: zoneinfo.ZoneInfo, today: date
) -> tuple[date, list[Slot]]:
    """The first day from ``today`` with a free time, so the page opens on something bookable,
    and that day's free times; ``today`` (and none) when none of the next two weeks has one.
    The two weeks are read at once: one day at a time was four queries a day, and most of the
    booking page's time."""
    slots = available_slots_between(
        associate=associate,
        service=service,
        first_day=today,
        last_day=today + timedelta(days=FIRST_OPEN_DAY_SEARCH_DAYS - 1),
        tz=tz,
    )
    if not slots:
        return today, []
    day = slots[0].start.astimezone(tz).date()
    return day, [slot for slot in slots if slot.start.astimezone(tz).date() == day]


def _with_defaults(
    query: QueryDict,
    associate: Associate,
    offered: list[Service],
    tz: zoneinfo.ZoneInfo,
    today: date,
) -> tuple[QueryDict, KnownSlots]:
    """``query`` with a service (the first one) and a day (the first with free times) filled in
    when missing, as when arriving from the profile's "Book" link; and the free times that
    finding the day computed, so the page does not compute them again."""
    query = query.copy()
    if not query.get("service") and offered:
        query["service"] = str(offered[0].pk)
    known: KnownSlots = {}
    if not query.get("date"):
        chosen = query.get("service", "")
        service = next((s for s in offered if str(s.pk) == chosen), None)
        if service is None:
            query["date"] = today.isoformat()
        else:
            day, slots = _first_open_day(associate, service, tz, today)
            known[service.pk, day] = slots
            query["date"] = day.isoformat()
    return query, known


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def book_service(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """``/associates/<slug>/book/``: GET lists the free times of a service on a day (htmx gets
    the ``slot-list`` partial); POST sends the request and goes to the new booking."""
    associate = get_object_or_404(Associate.objects.listed().select_related("user"), slug=slug)
    tz = _viewer_zone(request, associate)
    today = timezone.now().astimezone(tz).date()
    # Read once: the defaults, the form's choices and its validation all use this list.
    offered = list(associate.services.active())
    known: KnownSlots = {}
    form: SlotQueryForm
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = BookingRequestForm(request.POST, associate=associate, today=today, services=offered)
        if form.is_valid():
            booking = _request_booking(request, associate, form)
            if booking is not None:
                messages.success(
                    request, _("Your request is sent. You will hear back when they answer.")
                )
                return redirect(booking)
    else:
        query, known = _with_defaults(request.GET, associate, offered, tz, today)
        form = SlotQueryForm(query, associate=associate, today=today, services=offered)
        form.is_valid()
    service = form.cleaned_data.get("service")
    day = form.cleaned_data.get("date")
    context = {
        "associate": associate,
        "form": form,
        "service": service,
        "day": day,
        "offered": offered,
        "slots": _slot_choices(associate, service, day, tz, known),
        "selected_start": form.data.get("start", "") if form.is_bound else "",
        "message": form.data.get("message", "") if form.is_bound else "",
        "time_zone": tz.key,
        "today": today,
        "last_day": today + timedelta(days=associate.horizon_days),
        "cannot_book": _cannot_book_reason(request, associate),
    }
    if request.htmx and not request.htmx.history_restore_request and request.method == "GET":
        return render(request, f"{FORM_TEMPLATE}#slot-list", context)
    return render(request, FORM_TEMPLATE, context)


def _request_booking(
    request: HtmxHttpRequest, associate: Associate, form: BookingRequestForm
) -> Booking | None:
    user = cast(User, request.user)
    artist = Artist.objects.filter(user=user).first()
    if artist is None:
        form.add_error(None, _("You need an artist profile to book a professional."))
        return None
    try:
        services.check_request_rate(user)
        return services.request_booking(
            artist=artist,
            service=form.cleaned_data["service"],
            start=form.cleaned_data["start"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None


# --- The list -----------------------------------------------------------------------------------


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def booking_list(request: HtmxHttpRequest) -> HttpResponse:
    """``/bookings/``: the user's bookings as artist and as professional, filtered by role and
    status in the query string, paginated; htmx gets the ``booking-list`` partial."""
    user = cast(User, request.user)
    form = BookingFilterForm.from_query(request.GET, label_admin=user.is_label_admin)
    bookings = bookings_for_list(
        user, role=form.cleaned_data.get("role", ""), status=form.cleaned_data.get("status", "")
    )
    page = Paginator(bookings, BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "viewer": user}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{LIST_TEMPLATE}#booking-list", context)
    return render(request, LIST_TEMPLATE, context)


# --- One booking --------------------------------------------------------------------------------


def _detail_context(request: HtmxHttpRequest, booking: Booking, **extra: Any) -> dict[str, Any]:
    user = cast(User, request.user)
    actions = services.available_actions(booking, user)
    payment = booking.payment
    is_artist = booking.artist.user_id == user.pk
    return {
        "booking": booking,
        "events": booking.events.all(),
        "is_artist": is_artist,
        "is_associate": booking.associate.user_id == user.pk,
        "actions": actions,
        "amount_due": policy.amount_due_on_accept(booking),
        "free_cancellation_until": policy.free_cancellation_deadline(booking),
        "pay_url": (
            payment.checkout_url
            if is_artist
            and payment
            and payment.status == "pending"
            and booking.status == "accepted"
            else ""
        ),
        "forms": {
            "decline": OptionalReasonForm(prefix="decline"),
            "cancel": ReasonForm(prefix="cancel"),
            "dispute": ReasonForm(prefix="dispute"),
            "resolve": ResolveDisputeForm(prefix="resolve"),
            **extra.pop("forms", {}),
        },
        "review_box": review_box(booking, user),
        **extra,
    }


@login_required
@require_safe
def booking_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    booking = get_booking_for(request.user, pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, booking))


# action → (form class or None, the service call, the message on success)
Handler = Callable[[Booking, User, dict[str, Any]], Booking]
ACTION_HANDLERS: dict[str, tuple[type[forms.Form] | None, Handler, Promise]] = {
    "accept": (
        None,
        lambda booking, user, data: services.accept_booking(booking=booking, by=user),
        gettext_lazy("Booking accepted. The artist is asked to pay."),
    ),
    "decline": (
        OptionalReasonForm,
        lambda booking, user, data: services.decline_booking(
            booking=booking, by=user, reason=data["reason"]
        ),
        gettext_lazy("Request declined."),
    ),
    "confirm-payment": (
        None,
        lambda booking, user, data: services.confirm_booking_payment(booking=booking, by=user),
        gettext_lazy("Payment confirmed: the booking is paid."),
    ),
    "complete": (
        None,
        lambda booking, user, data: services.complete_booking(booking=booking, by=user),
        gettext_lazy("Booking completed."),
    ),
    "cancel": (
        ReasonForm,
        lambda booking, user, data: services.cancel_booking(
            booking=booking, by=user, reason=data["reason"]
        ),
        gettext_lazy("Booking cancelled."),
    ),
    "dispute": (
        ReasonForm,
        lambda booking, user, data: services.open_dispute(
            booking=booking, by=user, reason=data["reason"]
        ),
        gettext_lazy("Dispute opened. A label admin will look into it."),
    ),
    "resolve": (
        ResolveDisputeForm,
        lambda booking, user, data: services.resolve_dispute(
            booking=booking, by=user, outcome=data["outcome"], note=data["note"]
        ),
        gettext_lazy("Dispute resolved."),
    ),
}


@login_required
@require_POST
def booking_transition(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """POST ``/bookings/<pk>/<action>/``: one transition. A refused one (wrong person, wrong
    state, bad input) changes nothing and says why; htmx gets the actions, status and history
    partials, a plain POST a redirect to the booking."""
    handler = ACTION_HANDLERS.get(action)
    if handler is None:
        raise Http404
    form_class, call, success_message = handler
    booking = get_booking_for(request.user, pk, write=True)
    user = cast(User, request.user)
    form = form_class(request.POST, prefix=action) if form_class else None
    extra_forms: dict[str, forms.Form] = {}
    if form is not None and not form.is_valid():
        extra_forms[action] = form
        _add_error_messages(request, form)
    else:
        try:
            call(booking, user, form.cleaned_data if form else {})
        except (ValidationError, PermissionDenied) as error:
            if form is not None and isinstance(error, ValidationError):
                add_service_error(form, error)
                extra_forms[action] = form
            messages.error(request, " ".join(_error_messages(error)))
        else:
            messages.success(request, str(success_message))
    if not request.htmx:
        return redirect(booking)
    booking = get_booking_for(request.user, pk)
    context = _detail_context(request, booking, forms=extra_forms, oob=True, open_form=action)
    # The reviews box too: completing the booking is what opens it.
    partials = ["booking-actions", "booking-status", "booking-history", "booking-reviews"]
    return render_fragments(request, DETAIL_TEMPLATE, partials, context)


def _error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error) or _("You cannot do that.")]


def _add_error_messages(request: HtmxHttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
