from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mylabel.core import health
from mylabel.core.page_cache import public_page


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches no dependency, so a database outage never gets
    healthy processes restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and channel layer all answer; 503 names the ones that don't."""
    results = health.run_checks()
    failed = sorted(name for name, problem in results.items() if problem)
    body = {
        "status": "unavailable" if failed else "ok",
        "failed": failed,
        "checks": {name: problem or "ok" for name, problem in results.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
