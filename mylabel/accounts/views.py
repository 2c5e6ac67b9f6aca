from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mylabel.accounts import deletion, services
from mylabel.accounts.forms import AccountSettingsForm, DeleteAccountForm


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
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """The confirmation page of the settings page's "Delete account": a plain form asking for
    the password (no JavaScript needed); success logs out and says so on the home page."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deletion.delete_account(
                user=request.user,  # type: ignore[arg-type]
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
