"""Inclusion tags for the presentational components in ``components/``.

Components only render what they are handed: they never query the database, so a page's query
count is decided by its view alone.
"""

from typing import Any

from django import forms, template
from django.contrib.messages.storage.base import BaseStorage

register = template.Library()


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
