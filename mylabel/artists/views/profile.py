"""The artist profile page and its owner's inline editing (DESIGN.md §2.2).

Every section of ``artists/artist_detail.html`` is an inline partial named like its DOM id. An
htmx request gets the partial it targets; a plain request gets the whole page with that section
in the same state, so each form also works as a POST + redirect with JavaScript off.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from mylabel.accounts.models import User
from mylabel.artists import services
from mylabel.artists.forms import (
    ArtistAboutForm,
    ArtistGenresForm,
    ArtistLinksForm,
    ReleaseForm,
    RosterForm,
)
from mylabel.artists.models import Artist, Release
from mylabel.artists.selectors import get_artist_for, release_of
from mylabel.core.forms import SectionForm, add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.core.page_cache import public_page
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from mylabel.reviews.views import listing as reviews_listing

TEMPLATE = "artists/artist_detail.html"
SECTIONS = ("about", "links", "genres", "releases")
SECTION_FORMS: dict[str, type[SectionForm[Artist]]] = {
    "about": ArtistAboutForm,
    "links": ArtistLinksForm,
    "genres": ArtistGenresForm,
}
SAVED_MESSAGES = {
    "about": gettext_lazy("Your profile is saved."),
    "links": gettext_lazy("Your links are saved."),
    "genres": gettext_lazy("Your genres are saved."),
}


def _owner(request: HtmxHttpRequest) -> User:
    # Only called after get_artist_for(write=True) succeeded, so the user is the signed-in owner.
    return cast(User, request.user)


def _page_context(request: HtmxHttpRequest, artist: Artist, **extra: Any) -> dict[str, Any]:
    is_owner = request.user.is_authenticated and artist.user_id == request.user.pk
    return {
        "artist": artist,
        "is_owner": is_owner,
        "editing": None,
        # For the shared portfolio section (portfolio/portfolio.html#section-portfolio). Lazy:
        # fragments that do not show the portfolio never run the query.
        "portfolio_items": PortfolioItem.objects.for_profile(artist.user_id, ProfileKind.ARTIST),
        "profile_kind": ProfileKind.ARTIST,
        "profile_url": artist.get_absolute_url(),
        "can_edit": is_owner,
        # The reviews section: lazy, so fragments without it query nothing.
        **reviews_listing.profile_context(artist),
        **extra,
    }


def _render_section(
    request: HtmxHttpRequest, artist: Artist, section: str, **extra: Any
) -> HttpResponse:
    """``section`` as the partial for htmx, or the whole page around it."""
    context = _page_context(request, artist, **extra)
    template = f"{TEMPLATE}#section-{section}" if request.htmx else TEMPLATE
    return render(request, template, context)


def _saved(request: HtmxHttpRequest, artist: Artist, section: str) -> HttpResponse:
    """After a change: the section again, as saved (plus the header, which shows the name and
    location, after an about change), or a redirect to the profile without JavaScript."""
    if not request.htmx:
        return redirect(f"{artist.get_absolute_url()}#section-{section}")
    # Read again: the prefetched genres and releases are the ones from before the change.
    artist = get_artist_for(request.user, artist.slug)
    partials = [f"section-{section}"]
    if section == "about":
        partials.append("profile-header")
    context = _page_context(request, artist, header_oob=True, focus_section=section)
    return render_fragments(request, TEMPLATE, partials, context)


@require_safe
@public_page
def artist_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    artist = get_artist_for(request.user, slug)
    return render(request, TEMPLATE, _page_context(request, artist))


@require_safe
@vary_on_headers("HX-Request")
def artist_section(request: HtmxHttpRequest, slug: str, section: str) -> HttpResponse:
    """A section in display mode: what "Cancel" swaps back in."""
    if section not in SECTIONS:
        raise Http404
    artist = get_artist_for(request.user, slug)
    if not request.htmx:
        return redirect(f"{artist.get_absolute_url()}#section-{section}")
    return _render_section(request, artist, section, focus_section=section)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def artist_edit_section(request: HtmxHttpRequest, slug: str, section: str) -> HttpResponse:
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    artist = get_artist_for(request.user, slug, write=True)
    # Not ``request.POST or None``: unticking every genre posts an empty body, still a POST.
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=artist)
    if form.is_bound and form.is_valid():
        old_slug = artist.slug
        try:
            services.update_artist_profile(artist=artist, by=_owner(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, SAVED_MESSAGES[section])
            if artist.slug != old_slug and request.htmx:
                # Every link on the page carries the old address: load the page at the new one.
                return HttpResponseClientRedirect(artist.get_absolute_url())
            return _saved(request, artist, section)
    return _render_section(request, artist, section, editing=section, form=form)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def release_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    artist = get_artist_for(request.user, slug, write=True)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ReleaseForm(data, files, instance=Release(artist=artist))
    if form.is_bound and form.is_valid():
        try:
            release = services.add_release(artist=artist, by=_owner(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is on your profile.") % {"title": release})
            return _saved(request, artist, "releases")
    return _render_section(
        request, artist, "releases", editing="releases", form=form, editing_release=None
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def release_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    artist = get_artist_for(request.user, slug, write=True)
    release = release_of(artist, pk)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ReleaseForm(data, files, instance=release)
    if form.is_bound and form.is_valid():
        try:
            services.update_release(release=release, by=_owner(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": release})
            return _saved(request, artist, "releases")
    return _render_section(
        request, artist, "releases", editing="releases", form=form, editing_release=release
    )


@require_POST
def release_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    artist = get_artist_for(request.user, slug, write=True)
    release = release_of(artist, pk)
    services.delete_release(release=release, by=_owner(request))
    messages.success(request, _("“%(title)s” is deleted.") % {"title": release})
    return _saved(request, artist, "releases")


@require_POST
def artist_roster(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Sign the artist to the label's roster or take them off it (label admins only)."""
    artist = get_artist_for(request.user, slug)
    if not request.user.is_authenticated:
        raise PermissionDenied
    form = RosterForm(request.POST)
    form.is_valid()  # a lone optional boolean: every input is valid
    on_roster = bool(form.cleaned_data.get("on_roster"))
    services.set_roster_status(artist=artist, by=request.user, on_roster=on_roster)
    if on_roster:
        messages.success(request, _("%(name)s is signed to MyLabel.") % {"name": artist})
    else:
        messages.success(request, _("%(name)s is off the roster.") % {"name": artist})
    if not request.htmx:
        return redirect(artist)
    return render_fragments(request, TEMPLATE, ["profile-header"], _page_context(request, artist))
