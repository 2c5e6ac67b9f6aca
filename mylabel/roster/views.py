"""``/roster/``: the artists signed to the label, with their bookings and releases, and the
forms to sign, edit and release them (issue 8 point 3). For whoever may manage the roster
(the label admins' group holds ``artists.manage_roster``): everyone else gets a 403, or the
log-in page when not signed in. Every form is a plain POST that redirects back with a message.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mylabel.accounts.models import User

from . import services
from .forms import ReleaseForm, SignForm, SigningForm
from .models import Signing

View = Callable[..., HttpResponse]


def roster_manager_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_manage_roster(cast(User, request.user)):
            raise PermissionDenied(_("Only label admins can see the roster."))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _page(request: HttpRequest, sign_form: SignForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "roster/roster.html",
        {
            "signings": Signing.objects.current().for_roster(),
            "sign_form": sign_form,
            "release_form": ReleaseForm(),
        },
        status=status,
    )


@roster_manager_required
@require_safe
def roster(request: HttpRequest) -> HttpResponse:
    return _page(request, SignForm())


@roster_manager_required
@require_POST
def sign(request: HttpRequest) -> HttpResponse:
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            signing = services.sign_artist(
                artist=form.cleaned_data["artist"],
                by=cast(User, request.user),
                start_date=form.cleaned_data["start_date"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is on the roster.") % {"name": signing.artist.stage_name}
            )
            return redirect("roster:roster")
    return _page(request, form, status=400)


@roster_manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    signing = services.get_signing_for(cast(User, request.user), pk)
    if request.method != "POST":
        form = SigningForm(initial={"start_date": signing.start_date, "notes": signing.notes})
        return render(request, "roster/signing_form.html", {"signing": signing, "form": form})
    form = SigningForm(request.POST)
    if form.is_valid():
        try:
            services.update_signing(
                signing=signing,
                by=cast(User, request.user),
                start_date=form.cleaned_data["start_date"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Signing saved."))
            return redirect("roster:roster")
    return render(
        request, "roster/signing_form.html", {"signing": signing, "form": form}, status=400
    )


@roster_manager_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    signing = services.get_signing_for(cast(User, request.user), pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.release_artist(
                signing=signing, by=cast(User, request.user), end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(name)s has left the roster.") % {"name": signing.artist.stage_name}
            )
    else:
        messages.error(request, _("Give the day they leave the roster."))
    return redirect("roster:roster")
