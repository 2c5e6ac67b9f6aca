from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mylabel.accounts import services
from mylabel.accounts.forms import AccountSettingsForm


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
