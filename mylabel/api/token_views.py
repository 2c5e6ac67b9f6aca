"""The "API tokens" page of account settings: list, create (key shown once), revoke.

It lives in the api app because domain apps never import ``api`` (DESIGN.md §3); account
settings only link here.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mylabel.accounts.models import User
from mylabel.api import services
from mylabel.api.forms import ApiTokenForm
from mylabel.api.models import ApiToken
from mylabel.core.htmx import render_fragments

TEMPLATE = "api/tokens.html"


def _context(user: User, *, form: ApiTokenForm | None = None, new_key: str = "") -> dict[str, Any]:
    return {
        "api_tokens": ApiToken.objects.for_user(user),
        "token_form": form or ApiTokenForm(),
        "new_key": new_key,
    }


def _render(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render_fragments(request, TEMPLATE, ["api-tokens"], context)
    return render(request, TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET lists the tokens; POST makes one and shows its key in this response only: it is
    never stored (only its digest is), so it goes into no session, message or redirect."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "GET":
        return _render(request, _context(user))
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.create_api_token(user=user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _render(request, _context(user, new_key=key))
    return _render(request, _context(user, form=form))


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = services.get_api_token_for(user, pk)
    services.revoke_api_token(token=token)
    # render_fragments shows it as a toast beside the swapped section.
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    if getattr(request, "htmx", False):
        return render_fragments(request, TEMPLATE, ["api-tokens"], _context(user))
    return redirect("api_tokens")
