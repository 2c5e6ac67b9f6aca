"""allauth hooks (ACCOUNT_ADAPTER)."""

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from mylabel.accounts.models import User
from mylabel.accounts.security import LoginAuditAdapterMixin

ONBOARDING_URL_NAME = "onboarding:start"


def has_a_profile(user: User) -> bool:
    """Whether ``user`` has an artist or a professional profile, in one query.

    Asked through the reverse relations' names, so accounts imports neither profile app
    (DESIGN.md §3: dependencies run downwards).
    """
    return (
        User.objects.filter(pk=user.pk)
        .filter(Q(artist_profile__isnull=False) | Q(associate_profile__isnull=False))
        .exists()
    )


class AccountAdapter(LoginAuditAdapterMixin):
    """The project's allauth adapter; log-in failures are audited and lockouts explained by
    ``LoginAuditAdapterMixin`` (mylabel/accounts/security.py)."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A member without a profile goes to onboarding, everyone else to LOGIN_REDIRECT_URL.

        A ``?next=`` URL still wins (allauth checks it before asking here). Label admins are not
        sent to onboarding: they run the label, they are not necessarily members of it.
        """
        user = request.user
        if isinstance(user, User) and not user.is_label_admin and not has_a_profile(user):
            return reverse(ONBOARDING_URL_NAME)
        return super().get_login_redirect_url(request)

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """A new account starts in the language the visitor was reading the site in (their
        choice or their browser's), so its first e-mails are already in that language."""
        active = translation.get_language() or settings.LANGUAGE_CODE
        if active in {code for code, _name in settings.LANGUAGES}:
            user.language = active
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's e-mails (address confirmation, password reset) in the account's language,
        whatever language the request that triggered them was in."""
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        language = user.language if user else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
