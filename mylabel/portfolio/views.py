"""Editing a portfolio: add, move, delete (DESIGN.md §2.2).

Each view answers htmx with the portfolio section of the profile page
(``portfolio/portfolio.html#section-portfolio``, which both profile pages include) and a plain
request with the portfolio's edit page, so everything works without JavaScript.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments
from mylabel.portfolio import services
from mylabel.portfolio.forms import PortfolioItemForm
from mylabel.portfolio.models import PortfolioItem
from mylabel.portfolio.selectors import Profile, get_own_profile, get_portfolio_item_for

TEMPLATE = "portfolio/portfolio.html"
SECTION = "section-portfolio"


def _owner(request: HtmxHttpRequest) -> User:
    # Only called after get_own_profile / get_portfolio_item_for(write=True) succeeded.
    return cast(User, request.user)


def _context(
    request: HtmxHttpRequest, profile: Profile, profile_kind: str, **extra: Any
) -> dict[str, Any]:
    return {
        "profile": profile,
        "profile_kind": profile_kind,
        "profile_url": profile.get_absolute_url(),
        "portfolio_items": PortfolioItem.objects.for_profile(_owner(request).pk, profile_kind),
        "can_edit": True,
        "portfolio_editing": True,
        "portfolio_form": PortfolioItemForm(),
        **extra,
    }


def _edit_page(request: HtmxHttpRequest, profile: Profile, kind: str, **extra: Any) -> HttpResponse:
    """The section in edit mode for htmx, or the portfolio's edit page."""
    template = f"{TEMPLATE}#{SECTION}" if request.htmx else TEMPLATE
    return render(request, template, _context(request, profile, kind, **extra))


def _changed(request: HtmxHttpRequest, profile_kind: str, **extra: Any) -> HttpResponse:
    """After a change: the section (still in edit mode) with a toast, or back to the edit page."""
    if not request.htmx:
        return redirect("portfolio:edit", profile_kind=profile_kind)
    profile = get_own_profile(request.user, profile_kind)
    context = _context(request, profile, profile_kind, **extra)
    return render_fragments(request, TEMPLATE, [SECTION], context)


@require_safe
@vary_on_headers("HX-Request")
def portfolio_edit(request: HtmxHttpRequest, profile_kind: str) -> HttpResponse:
    profile = get_own_profile(request.user, profile_kind)
    return _edit_page(request, profile, profile_kind)


@require_safe
@vary_on_headers("HX-Request")
def portfolio_section(request: HtmxHttpRequest, profile_kind: str) -> HttpResponse:
    """The owner's portfolio section in display mode: what "Done" swaps back in."""
    profile = get_own_profile(request.user, profile_kind)
    if not request.htmx:
        return redirect(f"{profile.get_absolute_url()}#{SECTION}")
    context = _context(request, profile, profile_kind, portfolio_editing=False, focus_edit=True)
    return render(request, f"{TEMPLATE}#{SECTION}", context)


@require_POST
def portfolio_item_add(request: HtmxHttpRequest, profile_kind: str) -> HttpResponse:
    profile = get_own_profile(request.user, profile_kind)
    form = PortfolioItemForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.add_portfolio_item(
                owner=_owner(request),
                profile_kind=profile_kind,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is in your portfolio.") % {"title": item})
            return _changed(request, profile_kind)
    return _edit_page(request, profile, profile_kind, portfolio_form=form)


@require_POST
def portfolio_item_move(request: HtmxHttpRequest, pk: int, offset: int) -> HttpResponse:
    item = get_portfolio_item_for(request.user, pk, write=True)
    services.move_portfolio_item(item=item, by=_owner(request), offset=offset)
    # Keep the keyboard where it was: on the same button of the item that moved.
    return _changed(request, item.profile_kind, focus_item=item.pk, focus_offset=offset)


@require_POST
def portfolio_item_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = get_portfolio_item_for(request.user, pk, write=True)
    services.delete_portfolio_item(item=item, by=_owner(request))
    messages.success(request, _("“%(title)s” is removed from your portfolio.") % {"title": item})
    return _changed(request, item.profile_kind)
