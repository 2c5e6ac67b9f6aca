"""The notification centre (issue 6 point 4): ``/notifications/`` (newest first, unread
highlighted, paginated), marking one or all read, opening one, and the preferences grid.

Every action is a plain POST with a redirect; htmx gets the changed fragments plus the bell as
an out-of-band swap.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest
from mylabel.notifications import services
from mylabel.notifications.forms import PreferencesForm
from mylabel.notifications.selectors import (
    get_notification_for,
    notifications_for_list,
    preference_grid,
    unread_count,
)

LIST_TEMPLATE = "notifications/notification_list.html"
PREFERENCES_TEMPLATE = "notifications/preferences.html"
BELL = "notifications/bell.html#notification-bell"
NOTIFICATIONS_PER_PAGE = 20


def _fragments(request: HtmxHttpRequest, parts: list[tuple[str, dict[str, Any]]]) -> HttpResponse:
    """Rendered ``(template#partial, context)`` pairs in order, then pending messages as toasts
    (like ``core.htmx.render_fragments``, across more than one template)."""
    html = [render_to_string(name, context, request) for name, context in parts]
    html.append(
        render_to_string(
            "components/toasts_oob.html", {"messages": messages.get_messages(request)}, request
        )
    )
    return HttpResponse("".join(html))


def _bell(user: User) -> tuple[str, dict[str, Any]]:
    return BELL, {"unread": unread_count(user), "oob": True, "user": user}


def _list_context(request: HtmxHttpRequest, user: User) -> dict[str, Any]:
    page = Paginator(notifications_for_list(user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    unread = unread_count(user)
    # The bell reads this instead of counting the same rows again (see context_processors).
    return {"page": page, "unread": unread, "unread_notifications": unread}


@login_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    """``/notifications/``: newest first, 20 a page; htmx gets the ``notification-list``."""
    user = cast(User, request.user)
    context = _list_context(request, user)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{LIST_TEMPLATE}#notification-list", context)
    return render(request, LIST_TEMPLATE, context)


def _back_to_list(request: HtmxHttpRequest) -> HttpResponseRedirect:
    """Back where the form was (the centre's page the user was on), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read. htmx: the line (now read), the unread summary and the bell."""
    user = cast(User, request.user)
    notification = services.mark_read(user=user, notification=get_notification_for(user, pk))
    if request.htmx:
        unread = unread_count(user)
        return _fragments(
            request,
            [
                (f"{LIST_TEMPLATE}#notification", {"notification": notification}),
                (f"{LIST_TEMPLATE}#notification-summary", {"unread": unread, "oob": True}),
                (BELL, {"unread": unread, "oob": True, "user": user}),
            ],
        )
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request: HtmxHttpRequest) -> HttpResponse:
    """Mark every notification read. htmx: the list, the summary and the bell."""
    user = cast(User, request.user)
    changed = services.mark_all_read(user=user)
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    else:
        messages.info(request, _("There was nothing unread."))
    if request.htmx:
        context = _list_context(request, user)
        return _fragments(
            request,
            [
                (f"{LIST_TEMPLATE}#notification-list", context),
                (f"{LIST_TEMPLATE}#notification-summary", {**context, "oob": True}),
                _bell(user),
            ],
        )
    return _back_to_list(request)


@login_required
@require_safe
def notification_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: mark it read and go where it points. A GET with a side effect on
    purpose (as GitHub's notification links): it only moves the viewer's own read marker and is
    idempotent, and it keeps the line a real link (open in a new tab, copy the address)."""
    user = cast(User, request.user)
    notification = services.mark_read(user=user, notification=get_notification_for(user, pk))
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def notification_preferences(request: HtmxHttpRequest) -> HttpResponse:
    """``/notifications/preferences/``: a checkbox per event and channel. Plain POST and
    redirect; htmx posts the form on every change and gets the form back."""
    user = cast(User, request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, grid=preference_grid(user))
        if form.is_valid():
            try:
                services.set_preferences(user=user, choices=form.choices())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your notification settings are saved."))
                if not request.htmx:
                    return redirect("notifications:preferences")
                form = PreferencesForm(grid=preference_grid(user))
        if request.htmx:
            return _fragments(
                request, [(f"{PREFERENCES_TEMPLATE}#preference-form", {"form": form})]
            )
    else:
        form = PreferencesForm(grid=preference_grid(user))
    return render(request, PREFERENCES_TEMPLATE, {"form": form})
