"""Payment pages and gateway webhooks (placeholders until the payments work lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def stripe_webhook(request: HttpRequest) -> HttpResponse:
    raise Http404
