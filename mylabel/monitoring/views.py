"""``/metrics`` for the Prometheus scraper and ``/dashboard/kpis/`` for label admins.

``/metrics`` answers only callers the settings name: ``Authorization: Bearer <METRICS_TOKEN>`` or
a client address in ``METRICS_ALLOWED_IPS`` (addresses or networks, matched against the direct
peer's address: a forwarded-for header is the client's to forge). With neither configured the
address does not exist (404); a configured endpoint refuses anyone else with a 403.
"""

import ipaddress
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.core.htmx import HtmxHttpRequest
from mylabel.monitoring import metrics as prometheus
from mylabel.monitoring import rollups
from mylabel.monitoring.forms import WINDOWS, KpiWindowForm

View = Callable[..., HttpResponse]


def label_admin_required(view: View) -> View:
    """Log-in first, then a 403 for anyone who is not a label admin."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cast(User, request.user).is_label_admin:
            raise PermissionDenied(_("Only label admins can see the platform's KPIs."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _bearer_token(request: HttpRequest) -> str:
    scheme, _separator, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _address_allowed(address: str, allowed: list[str]) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if client in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a typo in the setting must not open or break the endpoint
    return False


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token: str = getattr(settings, "METRICS_TOKEN", "")
    allowed: list[str] = getattr(settings, "METRICS_ALLOWED_IPS", [])
    if not token and not allowed:
        raise Http404
    offered = _bearer_token(request)
    by_token = bool(token) and secrets.compare_digest(offered.encode(), token.encode())
    by_address = _address_allowed(request.META.get("REMOTE_ADDR", ""), allowed)
    if not (by_token or by_address):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body, content_type = prometheus.exposition()
    return HttpResponse(body, content_type=content_type)


@label_admin_required
@require_safe
@vary_on_headers("HX-Request")
def kpis(request: HtmxHttpRequest) -> HttpResponse:
    form = KpiWindowForm.from_query(request.GET)
    start, end = form.bounds(timezone.now())
    report = rollups.kpi_report(start=start, end=end)
    # The window control swaps only the report (htmx); a plain GET gets the whole page.
    template = "monitoring/kpis.html#kpi-report" if request.htmx else "monitoring/kpis.html"
    return render(
        request,
        template,
        {
            "form": form,
            "windows": WINDOWS,
            "window": form.chosen,
            "report": report,
            "kpi": {
                "latency_ms": rollups.KPI_LATENCY_MS,
                "error_rate": rollups.KPI_ERROR_RATE,
                "availability": rollups.KPI_AVAILABILITY,
            },
        },
    )
