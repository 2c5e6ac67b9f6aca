"""One error shape for every API response that is not a success:

    {"detail": "<one sentence for a person>", "code": "<stable machine code>", "fields": {...}}

``fields`` maps a field name (dotted for nested input) to its messages; it is ``{}`` when the
error is not about one field. Services raise Django's ``ValidationError`` and
``PermissionDenied``; they are translated here, so API views call services without wrapping.
"""

from typing import Any

from django.core import exceptions as django_exceptions
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEYS = {"non_field_errors", django_exceptions.NON_FIELD_ERRORS}


class Conflict(exceptions.APIException):
    """The request is valid but the state changed under it (e.g. someone booked the slot)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class TooManyRequests(exceptions.APIException):
    """429 with ``Retry-After`` (DRF's handler sets it from ``wait``) and the refusal's own
    message: a service's rate limit (``ValidationError`` code ``rate_limited``) or the log-in
    lockout at the token endpoint."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many requests. Try again later.")
    default_code = "rate_limited"

    def __init__(self, detail: str, wait: int, code: str = "rate_limited") -> None:
        super().__init__(detail, code=code)
        self.wait = wait


def from_django_validation_error(
    error: django_exceptions.ValidationError,
) -> exceptions.APIException:
    """A service's ``ValidationError`` as DRF's, keeping field names and the first code; a
    rate limit's (code ``rate_limited`` with ``params["seconds"]``) as a 429."""
    rate_limited = _rate_limit_wait(error)
    if rate_limited is not None:
        return TooManyRequests(error.messages[0], rate_limited)
    return _as_validation_error(error)


def _rate_limit_wait(error: django_exceptions.ValidationError) -> int | None:
    if hasattr(error, "error_dict"):
        return None
    first = error.error_list[0] if hasattr(error, "error_list") else error
    params = getattr(first, "params", None) or {}
    if first.code == "rate_limited" and "seconds" in params:
        return int(params["seconds"])
    return None


def _as_validation_error(
    error: django_exceptions.ValidationError,
) -> exceptions.APIException:
    if hasattr(error, "error_dict"):
        detail: Any = {
            field: [
                exceptions.ErrorDetail(str(message), code=e.code or "invalid")
                for e in errors
                for message in e.messages
            ]
            for field, errors in error.error_dict.items()
        }
        return exceptions.ValidationError(detail)
    first = error.error_list[0] if hasattr(error, "error_list") else error
    return exceptions.ValidationError(
        [exceptions.ErrorDetail(str(m), code=first.code or "invalid") for m in error.messages]
    )


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub": [messages]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            fields[prefix] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix] = [str(detail)]
    return fields


def _first_code(detail: Any) -> str | None:
    if isinstance(detail, exceptions.ErrorDetail):
        return detail.code
    if isinstance(detail, dict):
        detail = list(detail.values())
    if isinstance(detail, list):
        for item in detail:
            code = _first_code(item)
            if code:
                return code
    return None


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(detail, dict):
            fields = _flatten(detail)
            general = [m for key in NON_FIELD_KEYS for m in fields.pop(key, [])]
            message = general[0] if general else str(_("Some fields are invalid; see fields."))
            code = _first_code(detail) if general else "invalid"
        else:
            messages = _flatten(detail).get("", []) or [str(_("Invalid input."))]
            fields, message, code = {}, messages[0], _first_code(detail)
        return {"detail": message, "code": code or "invalid", "fields": fields}
    code = _first_code(detail) or exc.default_code
    return {"detail": str(detail), "code": code, "fields": {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, django_exceptions.ValidationError):
        exc = from_django_validation_error(exc)
    elif isinstance(exc, django_exceptions.RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, django_exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handler answers (JSON under /api/, see api.views)
    assert isinstance(exc, exceptions.APIException)
    response.data = error_body(exc)
    return response
