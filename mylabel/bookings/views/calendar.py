"""iCal feeds and downloads (owned by the calendar work; placeholders until it lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
