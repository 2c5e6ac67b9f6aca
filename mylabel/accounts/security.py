"""Log-in brute-force protection: the audit trail and the lockout's answer.

The counting is allauth's own (ACCOUNT_RATE_LIMITS["login_failed"], "5/30m/ip,5/30m/key" in
settings): every password check through ``adapter.authenticate`` takes one unit from the bucket
of the client address and one from the bucket of the e-mail address, and gives them back when the
password was right. So after 5 failures in 30 minutes the account is locked from every address,
and the address is locked for every account; the 6th try is refused before the password is even
checked, right password or not, until the oldest failure is 30 minutes old. A password reset
clears the account's bucket. The site's log-in form and the API token endpoint
(``mylabel.api.serializers.TokenRequestSerializer``) both go through the adapter, so they count
in the same buckets.

Here: the audit lines (logger ``mylabel.security``: ``event`` login_failed / login_locked, the
client address, the user's id when the address belongs to an account and a hash of the e-mail
address, never the address itself nor the password), the lockout message, and the log-in page
answering 429 while locked.
"""

import hashlib
import logging
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.views import LoginView as AllauthLoginView
from allauth.core.internal.ratelimit import parse_rates
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from mylabel.accounts.models import User

logger = logging.getLogger("mylabel.security")

LOCKED_CODE = "too_many_login_attempts"


def lockout_seconds() -> int:
    """How long a locked account or address waits at most: the longest log-in failure window."""
    rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=0))


def email_digest(email: str) -> str:
    """A short, stable stand-in for an address in the logs: lines about one address can be
    grouped, and whoever knows the address can find them, without the log holding it."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def audit(event: str, request: HttpRequest, credentials: dict[str, Any]) -> None:
    # Only the e-mail is read from credentials: the password must never reach a log line.
    email = str(credentials.get("email") or credentials.get("username") or "")
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    ip = get_adapter(request).get_client_ip(request)
    logger.warning(
        "%s for account %s from %s",
        event,
        user_id if user_id is not None else "(unknown)",
        ip,
        extra={
            "event": event,
            "ip": ip,
            "email_hash": email_digest(email),
            "target_user_id": user_id,
        },
    )


class LoginAuditAdapterMixin(DefaultAccountAdapter):
    """The audit lines and the lockout message, mixed into the project's account adapter."""

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            audit("login_locked", request, credentials)
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        audit("login_failed", request, credentials)
        super().authentication_failed(request, **credentials)

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        if code != LOCKED_CODE:
            return super().validation_error(code, *args)
        minutes = max(lockout_seconds() // 60, 1)
        message = ngettext(
            "Too many failed log-ins for this account or from your network. Try again in "
            "%(minutes)d minute, or reset your password.",
            "Too many failed log-ins for this account or from your network. Try again in "
            "%(minutes)d minutes, or reset your password.",
            minutes,
        ) % {"minutes": minutes}
        return ValidationError(message, code=code)


def is_locked_out(form: Form) -> bool:
    return form.has_error(NON_FIELD_ERRORS, LOCKED_CODE)


class LoginView(AllauthLoginView):
    """allauth's log-in page, answering 429 (with the form and the lockout message) while the
    account or the address is locked, so clients and monitoring see the refusal for what it is."""

    def form_invalid(self, form: Form) -> HttpResponse:
        response = super().form_invalid(form)
        if is_locked_out(form):
            response.status_code = 429
            response["Retry-After"] = str(lockout_seconds())
        return response
