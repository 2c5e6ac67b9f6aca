"""Web Push endpoints (issue 6 point 6): the service worker at the site root, and the JSON
endpoints the opt-in script posts a browser's subscription to (CSRF-protected like any POST).

Everything answers 404 while push is not configured (no VAPID keys), so the feature is simply
absent then.
"""

import json
from functools import cache
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mylabel.accounts.models import User
from mylabel.notifications import push

SERVICE_WORKER = "js/push-sw.js"
# A subscription is a few hundred bytes; anything much larger is not one.
MAX_BODY_BYTES = 4096


@cache
def _service_worker_source() -> bytes:
    path = finders.find(SERVICE_WORKER)
    if not path or isinstance(path, list):
        raise Http404("No service worker.")
    with open(path, "rb") as source:
        return source.read()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/push-sw.js``: served from the root so its scope can be the whole site (a worker
    registered from /static/ could only control /static/). Not cached for long: browsers
    check for a new worker on each registration."""
    if not push.is_enabled():
        raise Http404("Browser push is not configured.")
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first_error(error: ValidationError) -> str:
    return next(iter(error.messages), _("This subscription cannot be used."))


@login_required
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Store the browser's ``PushSubscription.toJSON()`` (endpoint, keys.p256dh, keys.auth)."""
    if not push.is_enabled():
        return _error(_("Browser push is not available on this site."), status=404)
    data = _json_body(request)
    if data is None:
        return _error(_("The browser sent something that is not a push subscription."))
    raw_keys = data.get("keys")
    keys: dict[str, Any] = raw_keys if isinstance(raw_keys, dict) else {}
    try:
        push.subscribe(
            user=cast(User, request.user),
            endpoint=_text(data.get("endpoint")),
            p256dh=_text(keys.get("p256dh")),
            auth=_text(keys.get("auth")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        return _error(_first_error(error))
    return JsonResponse({"subscribed": True}, status=201)


@login_required
@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget the browser's subscription (``{"endpoint": …}``); fine if it was already gone."""
    if not push.is_enabled():
        return _error(_("Browser push is not available on this site."), status=404)
    data = _json_body(request)
    if data is None or not _text(data.get("endpoint")):
        return _error(_("The browser sent something that is not a push subscription."))
    push.unsubscribe(user=cast(User, request.user), endpoint=_text(data.get("endpoint")))
    return JsonResponse({"subscribed": False})
