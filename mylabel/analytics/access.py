"""Who may see the label's numbers: label admins only. Everyone else gets a 403 (the log-in page
when not signed in) on every address of the dashboard and the reports, GET or POST, page or
fragment, before any input is read, so a stranger learns nothing from the answers."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from mylabel.accounts.models import User

View = Callable[..., HttpResponseBase]


def label_admin_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not cast(User, request.user).is_label_admin:
            raise PermissionDenied(_("Only label admins can see the label's analytics."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)
