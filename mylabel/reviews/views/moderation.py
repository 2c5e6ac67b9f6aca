"""The label's review moderation queue under ``/moderation/reviews/`` (issue 5 point 6), for
label admins only: everyone else gets a 403, or the log-in page when not signed in, on every
address here, GET or POST.

The queue's tabs are a GET filter (``?queue=reported|new|flagged|hidden``). Approve, hide and
restore are plain POST forms in each row: htmx swaps the updated row in place and shows the
outcome as a toast; without JavaScript the POST redirects back to the same tab and page.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap

from mylabel.accounts.models import User
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.reviews import moderation
from mylabel.reviews.models import Review

QUEUE_TEMPLATE = "reviews/moderation_queue.html"
REVIEWS_PER_PAGE = 20

View = Callable[..., HttpResponse]


def label_admin_required(view: View) -> View:
    """Log-in first, then a 403 for anyone who is not a label admin, before anything else (the
    method, the action, whether the review exists) is looked at."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cast(User, request.user).is_label_admin:
            raise PermissionDenied(_("Only label admins can moderate reviews."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _queue_address(queue: str, page: int | None = None) -> str:
    params: dict[str, str | int] = {"queue": queue}
    if page and page > 1:
        params["page"] = page
    return f"{reverse('reviews:moderation')}?{urlencode(params)}"


def _tabs(current: str) -> list[dict[str, Any]]:
    counts = moderation.queue_counts()
    return [
        {
            "queue": queue,
            "label": label,
            "count": counts[queue],
            "url": _queue_address(queue),
            "current": queue == current,
        }
        for queue, label in moderation.QUEUES.items()
    ]


@label_admin_required
@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def moderation_queue(request: HtmxHttpRequest) -> HttpResponse:
    """``/moderation/reviews/?queue=…&page=…``: one tab of the queue, paginated; htmx (switching
    tabs or pages) gets the ``moderation-queue`` partial. An unknown tab shows the default one."""
    queue = request.GET.get("queue", "")
    if queue not in moderation.QUEUES:
        queue = moderation.DEFAULT_QUEUE
    page = Paginator(moderation.moderation_queue(queue), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "queue": queue,
        "queue_label": moderation.QUEUES[queue],
        "tabs": _tabs(queue),
        "page": page,
        "page_number": page.number,
        "query": urlencode({"queue": queue}),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{QUEUE_TEMPLATE}#moderation-queue", context)
    return render(request, QUEUE_TEMPLATE, context)


class ModerationForm(forms.Form):
    """What a row's forms send besides the action: the reason (the service decides whether it
    is required) and the tab and page to go back to without JavaScript."""

    reason = forms.CharField(required=False)
    queue = forms.ChoiceField(
        choices=[(queue, queue) for queue in moderation.QUEUES], required=False
    )
    page = forms.IntegerField(min_value=1, required=False)


Action = Callable[..., Review]
ACTIONS: dict[str, tuple[Action, Promise]] = {
    "approve": (moderation.approve_review, gettext_lazy("Review approved.")),
    "hide": (moderation.hide_review, gettext_lazy("Review hidden from public pages.")),
    "restore": (moderation.restore_review, gettext_lazy("Review restored: it is public again.")),
}


@label_admin_required
@require_POST
def moderate_review(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """POST ``/moderation/reviews/<pk>/<action>/`` with action ``approve``, ``hide`` (with a
    ``reason``) or ``restore``. A refused one (unknown action or review, wrong state, no reason)
    changes nothing and says why. htmx gets the review's row and the tab counts, out of band;
    a plain POST a redirect to the tab and page it came from."""
    form = ModerationForm(request.POST)
    form.is_valid()  # a bad queue or page only falls back to the default; the reason is checked
    queue = form.cleaned_data.get("queue") or moderation.DEFAULT_QUEUE
    page_number = form.cleaned_data.get("page") or 1
    reason = form.cleaned_data.get("reason") or ""
    review = Review.objects.filter(pk=pk).first()
    handler = ACTIONS.get(action)
    hide_error = ""
    if handler is None:
        messages.error(request, _("Unknown moderation action: nothing was changed."))
    elif review is None:
        messages.error(request, _("This review does not exist (any more): nothing was changed."))
    else:
        call, success_message = handler
        try:
            call(review=review, by=cast(User, request.user), reason=reason)
        except (ValidationError, PermissionDenied, Review.DoesNotExist) as error:
            text = _error_text(error)
            messages.error(request, text)
            if action == "hide":
                hide_error = text
        else:
            messages.success(request, str(success_message))
    if not request.htmx:
        return redirect(_queue_address(queue, page_number))
    try:
        row = moderation.review_for_moderation(pk)
    except Review.DoesNotExist:
        # Nothing to swap: the toast alone says why.
        return reswap(render_fragments(request, QUEUE_TEMPLATE, [], {}), "none")
    context = {
        "review": row,
        "queue": queue,
        "page_number": page_number,
        "tabs": _tabs(queue),
        "oob": True,
        "hide_error": hide_error,
        "hide_reason": reason if hide_error else "",
    }
    return render_fragments(request, QUEUE_TEMPLATE, ["review", "moderation-tabs"], context)


def _error_text(error: ValidationError | PermissionDenied | Review.DoesNotExist) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, Review.DoesNotExist):
        return _("This review does not exist (any more): nothing was changed.")
    return str(error) or _("You cannot do that.")


urlpatterns = [
    path("", moderation_queue, name="moderation"),
    path("<int:pk>/<slug:action>/", moderate_review, name="moderate"),
]
