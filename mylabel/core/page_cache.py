"""Whole public pages, cached rendered for visitors who are not signed in (``@public_page``).

A visitor with no session and no pending messages sees exactly what every other such visitor
sees at the same address, in the same language and time zone, asked the same way (a page, or
htmx's fragment), except for two values that are each response's own: the CSP nonce and the CSRF
token. So such a page is stored with those two replaced by markers, and each visitor gets the
stored page with their own: a fresh nonce (which the CSP middleware then puts in the header)
and a token masked from their own CSRF secret (whose cookie the CSRF middleware then sets). A
hit reads no database and renders no template; the home page, the directories and the profiles
are most of what visitors ask for.

Signed-in members, and anyone carrying a session or a messages cookie (a message waiting after
a log-out, a half-finished sign-up), always get a page rendered for them.

Stored under two generation tokens (``mylabel.core.cached``): the directories' (ended by every
write a card shows, ``forget_directory_results``) and the pages' own, ended by
``forget_public_pages`` after the commit of every other write a public page shows (portfolio,
reviews, Spotify, the label's roster), which the apps connect to their models' signals.
``PUBLIC_PAGE_CACHE_SECONDS`` (0 turns it off) bounds what a write that bypasses them (a bulk
``update()``, the admin's reference data) leaves behind.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

# _does_token_match is private (so not in django-stubs): Django's own test of a token against a
# secret, masked or not, rather than a copy of its masking here. A change to it fails at import,
# and tests/core/test_page_cache.py posts with a served token.
from django.middleware.csrf import _does_token_match, get_token  # type: ignore[attr-defined]
from django.utils import timezone
from django.utils.translation import get_language

from mylabel.core import cached, directory

WHAT = "Public pages"
GENERATION_KEY = "public-pages:generation"
# The request headers a public page may vary on: htmx's, read through request.htmx.
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
# Markers for the per-response values. Text typed into the site cannot hold a NUL character
# (Django's form fields refuse it), so no visitor's text can be mistaken for one.
NONCE_MARKER = "\x00csp-nonce\x00"
TOKEN_MARKER = "\x00csrf-token\x00"  # noqa: S105 - a marker, not a secret
# A masked CSRF token: 64 letters and digits, not part of a longer run.
MASKED_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")

type View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class StoredPage:
    content: str
    headers: list[tuple[str, str]]
    has_nonce: bool
    has_token: bool


def public_page(view: View) -> View:
    """Serves ``view``'s answers to visitors from the cache (see the module's docstring). For
    GET views whose 200 answers depend only on the address, the language, the time zone and
    ``VARY_HEADERS`` when nobody is signed in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _key(request) if _is_shared(request) else None
        if key is None:
            return view(request, *args, **kwargs)
        stored = cached.call(WHAT, "get", key)
        if isinstance(stored, StoredPage):
            return _serve(request, stored)
        response = view(request, *args, **kwargs)
        page = _storable(request, response)
        if page is not None:
            cached.call(WHAT, "set", key, page, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return wrapper


def forget_public_pages(**_signal_kwargs: Any) -> None:
    """Every cached public page goes stale once the current transaction commits. Also a signal
    receiver."""
    cached.forget_on_commit(WHAT, GENERATION_KEY)


def forget_public_pages_on_change(*models: type[Model]) -> None:
    """Connects ``forget_public_pages`` to the saves and deletions of ``models`` (an app's
    ``ready()`` names those of its models that a public page shows)."""
    for model in models:
        post_save.connect(forget_public_pages, sender=model, weak=False)
        post_delete.connect(forget_public_pages, sender=model, weak=False)


def _is_shared(request: HttpRequest) -> bool:
    """Whether this request gets the page every visitor gets. A session or a messages cookie
    may carry something for this visitor alone, so either one means a page of their own."""
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or ``None`` when the cache cannot be reached."""
    generation = cached.generation(WHAT, [directory.GENERATION_KEY, GENERATION_KEY])
    if generation is None:
        return None
    asked = "|".join(
        [
            request.get_full_path(),
            get_language(),
            timezone.get_current_timezone_name(),
            *(request.headers.get(header, "") for header in VARY_HEADERS),
        ]
    )
    digest = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()
    return f"page:{generation}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> StoredPage | None:
    """The page to store, with this response's nonce and tokens replaced by markers, or
    ``None`` for an answer that is not everyone's: an error, a redirect, a stream, one that
    sets a cookie or is marked private."""
    cache_control = response.get("Cache-Control", "")
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "private" in cache_control
        or "no-store" in cache_control
    ):
        return None
    content = response.content.decode(response.charset)
    nonce = getattr(request, "_csp_nonce", None)
    has_nonce = bool(nonce) and str(nonce) in content
    if has_nonce:
        content = content.replace(str(nonce), NONCE_MARKER)
    # The page's CSRF tokens are masked anew each time one is asked for: every masked form of
    # this visitor's secret is one of them.
    secret = request.META.get("CSRF_COOKIE")
    has_token = False
    if secret and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):

        def mark(match: re.Match[str]) -> str:
            nonlocal has_token
            if not _does_token_match(match.group(), secret):
                return match.group()
            has_token = True
            return TOKEN_MARKER

        content = MASKED_TOKEN.sub(mark, content)
    return StoredPage(
        content=content,
        headers=list(response.headers.items()),
        has_nonce=has_nonce,
        has_token=has_token,
    )


def _serve(request: HttpRequest, page: StoredPage) -> HttpResponse:
    content = page.content
    if page.has_nonce:
        # Evaluating the nonce is what makes the CSP middleware name it in the header.
        content = content.replace(NONCE_MARKER, str(request._csp_nonce))  # type: ignore[attr-defined]
    if page.has_token:
        # get_token() also has the CSRF middleware set the cookie the token is checked against.
        content = content.replace(TOKEN_MARKER, get_token(request))
    return HttpResponse(content, headers=dict(page.headers))
