"""The date range and granularity every analytics page reads, in the label's time zone.

A day, week or month is a calendar day, ISO week (Monday first) or month in
``settings.TIME_ZONE`` (Europe/Rome): a booking requested at 23:30 UTC on 31 January counts on
1 February there. ``Window`` turns the chosen dates into the half-open UTC range the queries
filter on, and lists every period of the range, so empty periods show as zero instead of being
missing from the charts and tables.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import DateField, Expression
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GRANULARITIES = {"day": _("Day"), "week": _("Week"), "month": _("Month")}
# Past this many points a chart stops being readable and a table stops being useful; a year by
# day (366) still fits.
MAX_PERIODS = 400
# Nothing happened on the platform before it existed; a range reaching further back is a typo.
EARLIEST = date(2000, 1, 1)
DEFAULT_DAYS = 30


def label_time_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def label_today() -> date:
    return timezone.localdate(timezone=label_time_zone())


@dataclass(frozen=True)
class Window:
    """``start`` and ``end`` are both included."""

    start: date
    end: date
    granularity: str = "day"

    @classmethod
    def default(cls) -> "Window":
        today = label_today()
        return cls(today - timedelta(days=DEFAULT_DAYS - 1), today, "day")

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=label_time_zone())

    @property
    def until(self) -> datetime:
        """The first instant after the window (midnight after ``end``)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=label_time_zone())

    def lookup(self, field: str) -> dict[str, datetime]:
        """Filter keyword arguments keeping ``field`` inside the window."""
        return {f"{field}__gte": self.since, f"{field}__lt": self.until}

    def truncate(self, field: str) -> Expression:
        """``field`` truncated to the start date of its period, in the label's time zone."""
        return Trunc(field, self.granularity, output_field=DateField(), tzinfo=label_time_zone())

    def period_of(self, day: date) -> date:
        if self.granularity == "week":
            return day - timedelta(days=day.weekday())
        if self.granularity == "month":
            return day.replace(day=1)
        return day

    def periods(self) -> list[date]:
        """The start date of every period touching the window, in order."""
        periods = []
        current = self.period_of(self.start)
        while current <= self.end:
            periods.append(current)
            current = self._next(current)
        return periods

    def _next(self, period: date) -> date:
        if self.granularity == "week":
            return period + timedelta(days=7)
        if self.granularity == "month":
            return (period.replace(day=28) + timedelta(days=4)).replace(day=1)
        return period + timedelta(days=1)

    def count_periods(self) -> int:
        if self.granularity == "week":
            return (self.period_of(self.end) - self.period_of(self.start)).days // 7 + 1
        if self.granularity == "month":
            return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return (self.end - self.start).days + 1

    def period_label(self, period: date) -> str:
        if self.granularity == "month":
            return period.strftime("%Y-%m")
        return period.isoformat()


class WindowForm(forms.Form):
    """``?start=…&end=…&granularity=…`` as a GET form: an empty field takes the default (the
    last 30 days by day), a bad one is an error the page shows instead of the numbers."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    granularity = forms.ChoiceField(
        label=_("Group by"), choices=list(GRANULARITIES.items()), required=False
    )
    default_granularity = "day"

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        absurd = forms.ValidationError(
            _("Choose dates between %(earliest)s and a year from today.")
            % {"earliest": EARLIEST.isoformat()},
            code="absurd_range",
        )
        latest = label_today() + timedelta(days=366)
        # Bounds first: the default start is computed from the end, and 0001-01-01 minus 29
        # days is an OverflowError, not a date.
        if any(
            day < EARLIEST or day > latest
            for day in (cleaned.get("start"), cleaned.get("end"))
            if day
        ):
            raise absurd
        default = Window.default()
        end = cleaned.get("end") or default.end
        start = cleaned.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(
                _("The start date is after the end date."), code="inverted_range"
            )
        if start < EARLIEST:
            raise absurd
        window = Window(start, end, cleaned.get("granularity") or self.default_granularity)
        if window.count_periods() > MAX_PERIODS:
            raise forms.ValidationError(
                _(
                    "That range has more than %(max)d periods: choose a shorter range or group "
                    "by week or month."
                )
                % {"max": MAX_PERIODS},
                code="too_many_periods",
            )
        cleaned["window"] = window
        return cleaned

    @property
    def window(self) -> Window:
        return self.cleaned_data["window"]
