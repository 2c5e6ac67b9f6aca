"""The professional's profile page and its owner's inline editing (DESIGN.md §2.2).

Every section of ``associates/associate_detail.html`` is an inline partial named like its DOM id.
An htmx request gets the partial it targets; a plain request gets the whole page with that
section in the same state, so each form also works as a POST + redirect with JavaScript off.
Services are a list section of their own (add, edit, reorder, remove: ``service_*`` views).
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from mylabel.accounts.models import User
from mylabel.associates import services
from mylabel.associates.forms import (
    AssociateAboutForm,
    AssociateDetailsForm,
    AssociateLinksForm,
    AssociateProfessionsForm,
    ServiceForm,
)
from mylabel.associates.models import Associate, Service
from mylabel.associates.selectors import get_associate_for
from mylabel.core.forms import SectionForm, add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.core.page_cache import public_page
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from mylabel.reviews.views import listing as reviews_listing

TEMPLATE = "associates/associate_detail.html"
SECTION_FORMS: dict[str, type[SectionForm[Associate]]] = {
    "about": AssociateAboutForm,
    "details": AssociateDetailsForm,
    "links": AssociateLinksForm,
    "professions": AssociateProfessionsForm,
}
SAVED_MESSAGES = {
    "about": gettext_lazy("Your profile is saved."),
    "details": gettext_lazy("Your details are saved."),
    "links": gettext_lazy("Your links are saved."),
    "professions": gettext_lazy("Your professions and genres are saved."),
}
# The header shows name, headline, location and the remote badge.
HEADER_SECTIONS = {"about", "details"}


def _page_context(request: HtmxHttpRequest, associate: Associate, **extra: Any) -> dict[str, Any]:
    is_owner = request.user.is_authenticated and associate.user_id == request.user.pk
    return {
        "associate": associate,
        "is_owner": is_owner,
        "editing": None,
        # For the shared portfolio section (portfolio/portfolio.html#section-portfolio). Lazy:
        # fragments that do not show the portfolio never run the query.
        "portfolio_items": PortfolioItem.objects.for_profile(
            associate.user_id, ProfileKind.ASSOCIATE
        ),
        "profile_kind": ProfileKind.ASSOCIATE,
        "profile_url": associate.get_absolute_url(),
        "can_edit": is_owner,
        # The reviews section: lazy, so fragments without it query nothing.
        **reviews_listing.profile_context(associate),
        # Lazy too: one query, in the fragments that show the services only.
        "services": Service.objects.for_profile(associate, include_inactive=is_owner),
        **extra,
    }


def _render_section(
    request: HtmxHttpRequest, associate: Associate, section: str, **extra: Any
) -> HttpResponse:
    """``section`` as the partial for htmx, or the whole page around it."""
    context = _page_context(request, associate, **extra)
    template = f"{TEMPLATE}#section-{section}" if request.htmx else TEMPLATE
    return render(request, template, context)


@require_safe
@public_page
def associate_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate = get_associate_for(request.user, slug)
    return render(request, TEMPLATE, _page_context(request, associate))


@require_safe
@vary_on_headers("HX-Request")
def associate_section(request: HtmxHttpRequest, slug: str, section: str) -> HttpResponse:
    """A section in display mode: what "Cancel" swaps back in."""
    if section not in SECTION_FORMS:
        raise Http404
    associate = get_associate_for(request.user, slug)
    if not request.htmx:
        return redirect(f"{associate.get_absolute_url()}#section-{section}")
    return _render_section(request, associate, section, focus_section=section)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def associate_edit_section(request: HtmxHttpRequest, slug: str, section: str) -> HttpResponse:
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    associate = get_associate_for(request.user, slug, write=True)
    # Not ``request.POST or None``: unticking every box posts an empty body, still a POST.
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=associate)
    if form.is_bound and form.is_valid():
        old_slug = associate.slug
        owner = cast(User, request.user)  # get_associate_for(write=True) passed: the owner
        try:
            services.update_associate_profile(associate=associate, by=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, SAVED_MESSAGES[section])
            if not request.htmx:
                return redirect(f"{associate.get_absolute_url()}#section-{section}")
            if associate.slug != old_slug:
                # Every link on the page carries the old address: load the page at the new one.
                return HttpResponseClientRedirect(associate.get_absolute_url())
            # Read again: the prefetched professions and genres are the ones from before.
            associate = get_associate_for(request.user, associate.slug)
            partials = [f"section-{section}"]
            if section in HEADER_SECTIONS:
                partials.append("profile-header")
            context = _page_context(request, associate, header_oob=True, focus_section=section)
            return render_fragments(request, TEMPLATE, partials, context)
    return _render_section(request, associate, section, editing=section, form=form)


# --- Services: a list section with its own routes (like the portfolio) ------------------------
# Every view answers htmx with ``#section-services`` and a plain request with the whole page
# around it; a change redirects (plain) to the section in edit mode, so all of it works with
# JavaScript off.


def _owner(request: HtmxHttpRequest) -> User:
    # Only called after get_associate_for(write=True) passed: the profile's owner.
    return cast(User, request.user)


def _own_service(request: HtmxHttpRequest, slug: str, pk: int) -> Service:
    """The owner's service ``pk`` with its associate attached; 404 for anyone else's."""
    associate = get_associate_for(request.user, slug, write=True)
    service = get_object_or_404(Service.objects.filter(associate=associate), pk=pk)
    service.associate = associate
    return service


def _services_changed(request: HtmxHttpRequest, associate: Associate, **extra: Any) -> HttpResponse:
    """After a change: the section, still in edit mode, with a toast; or back to it (plain)."""
    if not request.htmx:
        return redirect(
            reverse("associates:services-edit", args=[associate.slug]) + "#section-services"
        )
    context = _page_context(request, associate, services_editing=True, **extra)
    return render_fragments(request, TEMPLATE, ["section-services"], context)


@require_safe
@vary_on_headers("HX-Request")
def associate_services(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The services section in display mode: what "Done" swaps back in."""
    associate = get_associate_for(request.user, slug)
    if not request.htmx:
        return redirect(f"{associate.get_absolute_url()}#section-services")
    return _render_section(request, associate, "services", focus_section="services")


@require_safe
@vary_on_headers("HX-Request")
def associate_services_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate = get_associate_for(request.user, slug, write=True)
    return _render_section(request, associate, "services", services_editing=True)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def service_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate = get_associate_for(request.user, slug, write=True)
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=Service(associate=associate))
    if form.is_bound and form.is_valid():
        try:
            service = services.add_service(
                associate=associate, by=_owner(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is added to your services.") % {"name": service}
            )
            return _services_changed(request, associate, focus_service=service.pk)
    return _render_section(
        request,
        associate,
        "services",
        services_editing=True,
        editing_service="new",
        service_form=form,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def service_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    service = _own_service(request, slug, pk)
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=service)
    if form.is_bound and form.is_valid():
        try:
            service = services.update_service(
                service=service, by=_owner(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": service})
            return _services_changed(request, service.associate, focus_service=service.pk)
    return _render_section(
        request,
        service.associate,
        "services",
        services_editing=True,
        editing_service=service.pk,
        service_form=form,
    )


@require_POST
def service_move(request: HtmxHttpRequest, slug: str, pk: int, offset: int) -> HttpResponse:
    service = _own_service(request, slug, pk)
    services.move_service(service=service, by=_owner(request), offset=offset)
    # Keep the keyboard where it was: on the same button of the service that moved.
    return _services_changed(
        request, service.associate, focus_service_move=service.pk, focus_offset=offset
    )


@require_POST
def service_remove(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    service = _own_service(request, slug, pk)
    deleted = services.delete_or_deactivate_service(service=service, by=_owner(request))
    if deleted:
        message = _("“%(name)s” is deleted.")
    else:
        message = _("“%(name)s” has bookings, so it is kept, but artists can no longer book it.")
    messages.success(request, message % {"name": service})
    return _services_changed(request, service.associate, focus_add=True)
