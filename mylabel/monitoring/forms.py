from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WINDOWS = {
    "hour": _("Last hour"),
    "today": _("Today"),
    "day": _("Last 24 hours"),
    "week": _("Last 7 days"),
    "month": _("Last 30 days"),
}
DEFAULT_WINDOW = "day"
_SPANS = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
}


class KpiWindowForm(forms.Form):
    window = forms.ChoiceField(
        label=_("Window"),
        choices=list(WINDOWS.items()),
        error_messages={
            "invalid_choice": _("Unknown window: showing the last 24 hours instead."),
        },
    )

    @classmethod
    def from_query(cls, query: dict[str, str]) -> "KpiWindowForm":
        return cls({"window": query.get("window") or DEFAULT_WINDOW})

    @property
    def chosen(self) -> str:
        if self.is_valid():
            window: str = self.cleaned_data["window"]
            return window
        return DEFAULT_WINDOW

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """[start, end) of the chosen window ending at ``now``. "Today" starts at midnight in
        the active (the viewer's) time zone."""
        if self.chosen == "today":
            local = timezone.localtime(now)
            return local.replace(hour=0, minute=0, second=0, microsecond=0), now
        return now - _SPANS[self.chosen], now
