"""``{% recommended_for_you %}``: the "Recommended for you" section of the home page and the
professionals directory.

A tag rather than view code so the pages' views (core, associates) need not import this app:
no domain app depends on the recommender (DESIGN.md §3). It costs one query for a signed-in
visitor whatever the number of rows, none for an anonymous one.
"""

from typing import Any

from django import template

from mylabel.recommendations.models import Kind, Recommendation

register = template.Library()

# Suggestions shown per kind; the table keeps more (services.KEEP) for the API.
SHOWN = 6


@register.inclusion_tag("recommendations/recommended_for_you.html", takes_context=True)
def recommended_for_you(context: template.Context, kind: str = "") -> dict[str, Any]:
    """The signed-in artist's precomputed suggestions: both kinds, or only ``kind``
    ("associate" or "artist"). Renders nothing for anyone else or before the first refresh."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"groups": []}
    rows = Recommendation.objects.visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    by_kind: dict[str, list[Recommendation]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    groups = [
        {"kind": value, "title": label, "rows": by_kind[value][:SHOWN]}
        for value, label in Kind.choices
        if by_kind.get(value)
    ]
    return {"groups": groups}
