"""Prices as people read them: "€120", "€49.50", "£1,200" in English, "120 €", "49,50 €",
"1.200 £" in Italian (CONVENTIONS.md: money is a ``Decimal`` with a currency)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The currencies a service can be priced in: those the payment gateways settle.
CURRENCY_CHOICES = [
    ("EUR", _("Euro (€)")),
    ("GBP", _("Pound sterling (£)")),
    ("USD", _("US dollar ($)")),
    ("CHF", _("Swiss franc (CHF)")),
]
CURRENCY_CODES = {code for code, _label in CURRENCY_CHOICES}
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
CENT = Decimal("0.01")
# Languages that write the symbol after the amount, as Italian does ("49,50 €"); the rest write
# it before ("€49.50"). A no-break space keeps the two on one line.
_SYMBOL_AFTER = {"it"}


def format_money(amount: Decimal, currency: str) -> str:
    """``amount`` with its currency's symbol (or code), grouped and placed as the active
    language does; whole amounts without decimals, others with two."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, places, use_l10n=True, force_grouping=True)
    symbol = _SYMBOLS.get(currency)
    if (get_language() or "").split("-")[0] in _SYMBOL_AFTER:
        return f"{number}\u00a0{symbol or currency}"
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


def share_of(amount: Decimal, percent: int) -> Decimal:
    """``percent`` % of ``amount``, rounded to the cent (a deposit, a refund)."""
    return (Decimal(amount) * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
