"""The site's error handlers (config/urls.py handler400…500): under /api/ they answer in the
API's JSON error shape, elsewhere with Django's defaults, which render the site's 4xx/5xx pages.

DRF answers its own views' errors (mylabel.api.exceptions); these cover what happens outside
them: unknown URLs, and what Django refuses before any view runs (a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from mylabel.api.exceptions import PayloadTooLarge


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(detail: str, code: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "fields": {}}, status=status_code)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _error(str(PayloadTooLarge.default_detail), PayloadTooLarge.default_code, 413)
    return _error(_("The request is malformed."), "bad_request", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _error(_("You do not have permission to perform this action."), "permission_denied", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _error(_("Not found."), "not_found", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return defaults.server_error(request)
    return _error(_("Something went wrong on our side. It has been reported."), "server_error", 500)
