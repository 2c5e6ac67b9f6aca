"""Inclusion tags for the presentational components in ``components/``.

Components only render what they are handed: they never query the database, so a page's query
count is decided by its view alone.
"""

from typing import Any

from django import forms, template
from django.contrib.messages.storage.base import BaseStorage
from django.core.paginator import Page
from django.http import QueryDict
from django.utils.translation import gettext as _

register = template.Library()

GENRES_IN_SUBTITLE = 3


@register.inclusion_tag("components/avatar.html")
def avatar(person: Any, size: int = 40) -> dict[str, Any]:
    """``person`` is anything with ``name`` and an optional ``avatar`` file (a user, a profile)."""
    name = str(getattr(person, "name", "") or "?")
    image = getattr(person, "avatar", None)
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
    return {"name": name, "url": image.url if image else "", "initials": initials, "size": size}


@register.inclusion_tag("components/toasts.html")
def toasts(messages: BaseStorage | None) -> dict[str, Any]:
    return {"messages": messages}


@register.inclusion_tag("components/field.html")
def field(bound_field: forms.BoundField, **attrs: Any) -> dict[str, Any]:
    """A labelled form field with its help text and errors, wired with aria-describedby."""
    return {"field": bound_field, "attrs": attrs}


@register.inclusion_tag("components/profile_card.html")
def profile_card(profile: Any) -> dict[str, Any]:
    """A directory card for an artist or associate profile.

    Reads what the profile has of ``name``, ``headline``, ``professions``, ``genres``, ``city``,
    ``country``, ``is_on_roster`` and ``works_remotely``. ``genres`` and ``professions`` must be
    prefetched (the QuerySets' ``for_cards()``): the card only reads what it is handed.
    """
    genres = _names(getattr(profile, "genres", None))
    professions = _names(getattr(profile, "professions", None))
    headline = getattr(profile, "headline", "")
    country = getattr(profile, "country", None)
    place = ", ".join(part for part in [profile.city, country.name if country else ""] if part)
    badges = []
    if getattr(profile, "is_on_roster", False):
        badges.append((_("Label roster"), "roster"))
    if getattr(profile, "works_remotely", False):
        badges.append((_("Works remotely"), "remote"))
    return {
        "profile": profile,
        "url": profile.get_absolute_url(),
        "subtitle": headline or " · ".join(genres[:GENRES_IN_SUBTITLE]),
        # With a headline (associates) professions are the tags and genres a line of their own;
        # without one (artists) the genres are the subtitle.
        "tags": professions if headline else [],
        "genres": genres if headline else [],
        "place": place,
        "badges": badges,
    }


def _names(related: Any) -> list[str]:
    """Names of a prefetched many-to-many (``None`` when the profile has no such relation)."""
    return [item.name for item in related.all()] if related is not None else []


@register.inclusion_tag("components/pagination.html")
def pagination(page: Page, *, path: str, query: str = "", target: str = "") -> dict[str, Any]:
    """Previous/next and page-number links for ``page``, keeping ``query`` (an encoded query
    string without ``page``) in every link. With ``target`` (a CSS selector) the links are also
    htmx requests that swap that element and push the address."""

    def address(number: int) -> str:
        params = QueryDict(query, mutable=True)
        if number > 1:
            params["page"] = str(number)
        return f"{path}?{params.urlencode()}" if params else path

    paginator = page.paginator
    numbers = (
        paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        if paginator.num_pages > 1
        else []
    )
    return {
        "page": page,
        "target": target,
        "previous_url": address(page.previous_page_number()) if page.has_previous() else "",
        "next_url": address(page.next_page_number()) if page.has_next() else "",
        "links": [
            {"number": number, "url": address(number) if isinstance(number, int) else ""}
            for number in numbers
        ],
    }
