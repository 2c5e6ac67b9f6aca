"""The one permission-checked way to fetch a booking (CONVENTIONS.md "Layers")."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking, BookingEvent, BookingQuerySet, Status


def get_booking_for(
    user: AbstractBaseUser | AnonymousUser, pk: int, *, write: bool = False
) -> Booking:
    """Booking ``pk`` if ``user`` is its artist or professional, or a label admin; otherwise
    ``Http404``, exactly as for a booking that does not exist, so ids reveal nothing.

    ``write=True`` is for endpoints that change the booking: the same people get it (which
    change each may make is the services' decision), without the page's event history.
    """
    if not user.is_authenticated or not isinstance(user, User):
        raise Http404
    bookings = Booking.objects.select_related(
        "service", "artist__user", "associate__user", "payment"
    )
    if not write:
        bookings = bookings.prefetch_related(
            Prefetch("events", queryset=BookingEvent.objects.select_related("actor"))
        )
    if not user.is_label_admin:
        bookings = bookings.involving(user)
    return get_object_or_404(bookings, pk=pk)


def bookings_for_list(user: User, *, role: str = "", status: str = "") -> BookingQuerySet:
    """``user``'s bookings for the list page, newest start first: ``role`` "artist" keeps those
    they booked, "professional" those booked with them, "" both, and "disputes" every disputed
    booking for a label admin (none for anyone else); ``status`` "" keeps every status."""
    if role == "disputes":
        # Label admins resolve disputes between any artist and professional.
        disputed = Booking.objects.filter(status=Status.DISPUTED)
        bookings = disputed if user.is_label_admin else Booking.objects.none()
    elif role == "artist":
        bookings = Booking.objects.filter(artist__user=user)
    elif role == "professional":
        bookings = Booking.objects.filter(associate__user=user)
    else:
        bookings = Booking.objects.involving(user)
    if status:
        bookings = bookings.filter(status=status)
    # pk last: a stable order, so pages never overlap.
    return bookings.for_list().order_by("-start", "-pk")
