from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percentage(fraction: float | None) -> str:
    """0.0005 → "0.05 %", localised; an unmeasured rate (None) → "—"."""
    if fraction is None:
        return "—"
    return f"{floatformat(fraction * 100, -3)} %"
