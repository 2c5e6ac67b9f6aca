from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mylabel.accounts import services
from mylabel.accounts.forms import AccountSettingsForm
from mylabel.accounts.models import User
from mylabel.api import services as api_services
from mylabel.api.forms import ApiTokenForm
from mylabel.api.models import ApiToken
from mylabel.core.htmx import render_fragments

SETTINGS_TEMPLATE = "accounts/settings.html"


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_account_settings(
            user=request.user,  # type: ignore[arg-type]
            display_name=form.cleaned_data["display_name"],
            time_zone=form.cleaned_data["time_zone"],
            language=form.cleaned_data["language"],
            avatar=form.cleaned_data["avatar"],
            remove_avatar=request.POST.get("avatar-clear") == "on",
            share_read_receipts=form.cleaned_data["share_read_receipts"],
        )
        messages.success(request, _("Your settings are saved."))
        return redirect("account_settings")
    context = {"form": form, **_api_tokens_context(request.user)}  # type: ignore[arg-type]
    return render(request, SETTINGS_TEMPLATE, context)


def _api_tokens_context(
    user: User, *, token_form: ApiTokenForm | None = None, new_key: str = ""
) -> dict[str, Any]:
    return {
        "api_tokens": ApiToken.objects.for_user(user),
        "token_form": token_form or ApiTokenForm(),
        "new_key": new_key,
    }


def _render_api_tokens(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The token section alone for htmx, else the whole settings page around it."""
    if getattr(request, "htmx", False):
        return render_fragments(request, SETTINGS_TEMPLATE, ["api-tokens"], context)
    form = AccountSettingsForm(instance=request.user)
    return render(request, SETTINGS_TEMPLATE, {"form": form, **context})


@login_required
@require_POST
def create_api_token(request: HttpRequest) -> HttpResponse:
    """Makes a token and shows its key in this response only: it is never stored (only its
    digest is), so it goes into no session, message or redirect."""
    user: User = request.user  # type: ignore[assignment]
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            _token, key = api_services.create_api_token(
                user=user, name=token_form.cleaned_data["name"]
            )
        except ValidationError as error:
            token_form.add_error(None, error)
        else:
            return _render_api_tokens(request, _api_tokens_context(user, new_key=key))
    return _render_api_tokens(request, _api_tokens_context(user, token_form=token_form))


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = api_services.get_api_token_for(user, pk)
    api_services.revoke_api_token(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    if getattr(request, "htmx", False):
        return render_fragments(
            request, SETTINGS_TEMPLATE, ["api-tokens"], _api_tokens_context(user)
        )
    return redirect(reverse("account_settings") + "#api-tokens")
