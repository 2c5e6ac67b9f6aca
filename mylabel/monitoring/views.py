"""The label's monitoring pages: ``/dashboard/kpis/`` for label admins."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mylabel.accounts.models import User

View = Callable[..., HttpResponse]


def label_admin_required(view: View) -> View:
    """Log-in first, then a 403 for anyone who is not a label admin."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cast(User, request.user).is_label_admin:
            raise PermissionDenied(_("Only label admins can see the platform's KPIs."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@label_admin_required
@require_safe
def kpis(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/kpis.html", {})
