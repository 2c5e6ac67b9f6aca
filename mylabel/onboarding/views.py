"""Onboarding: a new account chooses to be an artist, a professional or both, and fills the
essentials of those profiles on one page. An account with one profile can add the other later.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.artists.services import create_artist_profile
from mylabel.associates.models import Associate
from mylabel.associates.services import create_associate_profile
from mylabel.onboarding.forms import (
    ArtistOnboardingForm,
    ProfessionalOnboardingForm,
    add_service_error,
)
from mylabel.onboarding.profiles import UserProfiles


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The choice: artist, professional or both. Only a user without any profile sees it."""
    profiles = UserProfiles.of(request.user)
    if profiles.has_both:
        messages.info(request, _("You already have an artist and a professional profile."))
        return redirect(profiles.home_url)
    if profiles.has_artist:
        return redirect("onboarding:professional")
    if profiles.has_associate:
        return redirect("onboarding:artist")
    return render(request, "onboarding/start.html")


@login_required
@require_http_methods(["GET", "POST"])
def artist(request: HttpRequest) -> HttpResponse:
    return _profile_setup(request, artist=True, professional=False)


@login_required
@require_http_methods(["GET", "POST"])
def professional(request: HttpRequest) -> HttpResponse:
    return _profile_setup(request, artist=False, professional=True)


@login_required
@require_http_methods(["GET", "POST"])
def both(request: HttpRequest) -> HttpResponse:
    return _profile_setup(request, artist=True, professional=True)


@login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    """The navigation's "My profile": looked up when followed, so no page pays a query for it."""
    return redirect(UserProfiles.of(request.user).home_url)


def _profile_setup(request: HttpRequest, *, artist: bool, professional: bool) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    profiles = UserProfiles.of(user)
    wants_artist = artist and not profiles.has_artist
    wants_professional = professional and not profiles.has_associate
    if (wants_artist, wants_professional) != (artist, professional):
        # Only offer what is missing: someone with an artist profile who opens /welcome/both/
        # (or /welcome/artist/ again, say after a double submit) is sent to what is left.
        if artist and profiles.has_artist and not professional:
            messages.info(request, _("You already have an artist profile."))
        elif professional and profiles.has_associate and not artist:
            messages.info(request, _("You already have a professional profile."))
        return redirect("onboarding:start")

    data = request.POST if request.method == "POST" else None
    initial = {"stage_name": user.display_name, "display_name": user.display_name}
    artist_form = ArtistOnboardingForm(data, initial=initial) if artist else None
    professional_form = (
        ProfessionalOnboardingForm(data, initial=initial, same_place_as_artist=artist)
        if professional
        else None
    )
    forms = [form for form in (artist_form, professional_form) if form is not None]

    if data is not None and all(form.is_valid() for form in forms):
        created = _create_profiles(user, artist_form, professional_form)
        if created is not None:
            messages.success(request, _welcome_message(created, had_a_profile=profiles.has_any))
            return redirect(created[0].get_absolute_url())

    return render(
        request,
        "onboarding/profile_form.html",
        {
            "artist_form": artist_form,
            "professional_form": professional_form,
            "adding_to_existing": profiles.has_any,
        },
    )


def _create_profiles(
    user: User,
    artist_form: ArtistOnboardingForm | None,
    professional_form: ProfessionalOnboardingForm | None,
) -> list[Artist | Associate] | None:
    """Create the profiles of the valid forms, all or none. On a ``ValidationError`` from a
    service the error is put on its form and ``None`` returned; nothing is saved."""
    created: list[Artist | Associate] = []
    current: ArtistOnboardingForm | ProfessionalOnboardingForm | None = None
    try:
        with transaction.atomic():
            if artist_form is not None:
                current = artist_form
                created.append(create_artist_profile(user=user, **artist_form.cleaned_data))
            if professional_form is not None:
                current = professional_form
                place: dict[str, str] = {}
                if artist_form is not None:
                    place = {key: artist_form.cleaned_data[key] for key in ("city", "country")}
                created.append(
                    create_associate_profile(
                        user=user, **{**place, **professional_form.cleaned_data}
                    )
                )
    except ValidationError as error:
        if current is None:  # pragma: no cover - only the services above raise it
            raise
        add_service_error(current, error)
        return None
    return created


def _welcome_message(created: list[Artist | Associate], *, had_a_profile: bool) -> str:
    if len(created) == 2:
        return _("Welcome to MyLabel! Your artist and professional profiles are live.")
    if isinstance(created[0], Artist):
        if had_a_profile:
            return _("Your artist profile is live.")
        return _("Welcome to MyLabel! Your artist profile is live.")
    if had_a_profile:
        return _("Your professional profile is live.")
    return _("Welcome to MyLabel! Your professional profile is live.")
