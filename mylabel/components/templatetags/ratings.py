"""Inclusion tags for ratings: stars for a score, and a profile's rating summary.

Like every component they only render what they are handed: ``rating_summary`` takes the
``RatingSummary`` that ``reviews.cache.summary_for`` returned, it never looks one up.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

register = template.Library()

MAX_STARS = 5
# Bar widths come in steps of this many percent: a class per step, since our CSP forbids inline
# style attributes.
BAR_STEP = 5


@register.inclusion_tag("components/rating_stars.html")
def rating_stars(
    value: Decimal | int | None, count: int | None = None, *, show_value: bool = True
) -> dict[str, Any]:
    """Five stars, as many filled as ``value`` rounds to, with the value as text for everyone
    (screen readers hear "4.5 out of 5 stars" instead of five glyphs). ``count`` adds
    "(12 reviews)". ``show_value=False`` leaves out the number, for a place that shows it
    already (and says "out of 5" itself)."""
    if value is None:
        return {"value": None, "count": count}
    score = Decimal(value)
    filled = int(score.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return {
        # One star's rating reads "4"; an average always has one decimal: "4.0", "4.5".
        "value": value if isinstance(value, int) else score.quantize(Decimal("0.1"), ROUND_HALF_UP),
        "show_value": show_value,
        "filled": "★" * filled,
        "empty": "★" * (MAX_STARS - filled),
        "count": count,
    }


@register.inclusion_tag("components/rating_summary.html")
def rating_summary(
    summary: Any, *, reviews_url: str = "", heading_level: int = 3
) -> dict[str, Any]:
    """A profile's rating summary: average and count, the average of each criterion and one bar
    per number of stars (5 to 1). ``summary`` is a ``reviews.cache.RatingSummary``."""
    return {
        "summary": summary,
        "reviews_url": reviews_url,
        "heading_tag": f"h{heading_level}",
        "criteria": [criterion for criterion in summary.criteria if criterion.count],
        "bars": [
            {"share": share, "width": bar_width(share.percent)} for share in summary.distribution
        ],
    }


def bar_width(percent: int) -> int:
    """``percent`` to the nearest step of ``BAR_STEP``; a share above zero never shows as an
    empty bar."""
    width = round(max(0, min(100, percent)) / BAR_STEP) * BAR_STEP
    return BAR_STEP if percent > 0 and width == 0 else width
