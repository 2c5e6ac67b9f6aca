"""Booking pages (owned by the booking-lifecycle work; placeholders until it lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def booking_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def booking_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    raise Http404


def book_service(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
