"""The admin site: Django's, refusing a NUL character in an address's query before any admin view
reads it (``MyLabelAdminConfig`` makes it ``admin.site``).

PostgreSQL text cannot hold a NUL byte, so a list filter or search holding one
(``/admin/payments/payment/?currency=%00``) failed in the database as a 500; the site's own forms
refuse it field by field, the admin's filters and search do not. Every admin view, third-party
apps' included, is wrapped by ``admin_view``, so this covers them all.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class AdminSite(admin.AdminSite):
    def admin_view[V: Callable[..., Any]](self, view: V, cacheable: bool = False) -> V:
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_nul(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if any("\x00" in value for _name, values in request.GET.lists() for value in values):
                return HttpResponseBadRequest(
                    _("This address holds a NUL character, which no filter or search can match."),
                    content_type="text/plain; charset=utf-8",
                )
            return guarded(request, *args, **kwargs)

        return cast(V, refuse_nul)
