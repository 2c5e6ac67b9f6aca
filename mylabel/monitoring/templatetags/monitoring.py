from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percentage(fraction: float | None) -> str:
    """0.0005 → "0.05 %", up to three decimals, localised; an unmeasured rate (None) → "—"."""
    if fraction is None:
        return "—"
    # Three decimals tell 99.95 % from 99.9 %; trailing zeros say nothing.
    return f"{floatformat(fraction * 100, 3).rstrip('0').rstrip('.,')} %"
