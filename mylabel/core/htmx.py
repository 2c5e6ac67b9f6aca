"""Answering htmx requests with fragments of the page they belong to (CONVENTIONS.md "Templates
and htmx").

A view that changes something answers an htmx request with the partials it changed, plus the
pending ``messages`` as an out-of-band toast, so the same ``messages.success(...)`` call serves the
htmx path and the plain POST + redirect path alike.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of views behind ``HtmxMiddleware`` (django-htmx's typing recipe)."""

    htmx: HtmxDetails


def render_fragments(
    request: HttpRequest, template_name: str, partials: Iterable[str], context: dict[str, Any]
) -> HttpResponse:
    """The named ``partials`` of ``template_name``, one after the other, followed by any pending
    messages as toasts swapped out of band into ``#toasts``. Partials after the first must carry
    their own ``hx-swap-oob`` attribute."""
    html = [render_to_string(f"{template_name}#{name}", context, request) for name in partials]
    html.append(
        render_to_string("components/toasts_oob.html", {"messages": get_messages(request)}, request)
    )
    return HttpResponse("".join(html))
