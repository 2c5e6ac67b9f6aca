"""How a service's terms read on a page: price with currency and unit, duration, deposit and the
cancellation policy in words. Filters only: they never query."""

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.associates.money import format_money, share_of

register = template.Library()


@register.filter
def money(amount: Any, currency: str = "EUR") -> str:
    """``{{ service.price|money:service.currency }}`` → "€120"; empty for no amount."""
    return "" if amount is None or amount == "" else format_money(amount, currency)


@register.filter
def service_price(service: Any) -> str:
    """Like "€120 per session"."""
    return _("%(price)s %(unit)s") % {
        "price": format_money(service.price, service.currency),
        "unit": service.get_pricing_unit_display(),
    }


@register.filter
def duration(minutes: int) -> str:
    """90 → "1 h 30 min"; 45 → "45 min"; 120 → "2 h"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}


@register.filter
def deposit(service: Any) -> str:
    """Like "30% up front (€36)", or "No deposit"."""
    if not service.deposit_percent:
        return _("No deposit")
    if service.deposit_percent == 100:
        return _("Paid in full up front")
    amount = share_of(service.price, service.deposit_percent)
    return _("%(percent)s%% up front (%(amount)s)") % {
        "percent": service.deposit_percent,
        "amount": format_money(amount, service.currency),
    }


@register.filter
def cancellation_policy(service: Any) -> str:
    """The refund an artist gets on cancelling, in one sentence."""
    hours = service.free_cancellation_hours
    late = service.late_cancellation_refund_percent
    if late == 100 or hours == 0:
        return _("Free cancellation up to the start.")
    free = ngettext(
        "Full refund if cancelled at least %(hours)s hour before the start;",
        "Full refund if cancelled at least %(hours)s hours before the start;",
        hours,
    ) % {"hours": hours}
    if late == 0:
        return _("%(free)s no refund after that.") % {"free": free}
    return _("%(free)s %(percent)s%% refund after that.") % {"free": free, "percent": late}
