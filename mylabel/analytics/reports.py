"""Custom reports (issue 8 point 2): one metric set over a date range, grouped by associate,
profession, genre, city or month, filtered, sorted, as rows of a table or a CSV file.

Every report is a single aggregate query (``values(*group).annotate(*columns)``), the same one
for the page and the export; the page shows the first ``PAGE_ROWS`` rows, the export streams up
to ``EXPORT_MAX_ROWS``. What counts on which day is the dashboard's (see ``metrics``).

Groupings follow the booking: *associate*, *profession* and *city* are the professional's,
*genre* the artist's (the music being made). An artist with two genres counts in both; a total
over genres can therefore exceed the number of bookings.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Avg, Count, DecimalField, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from mylabel.accounts.models import User
from mylabel.associates.models import Profession
from mylabel.bookings.models import Status
from mylabel.core.models import Genre
from mylabel.reviews.models import Direction, Sentiment

from . import metrics
from .window import Window, WindowForm

PAGE_ROWS = 500
EXPORT_MAX_ROWS = 10_000

METRICS = {
    "bookings": _("Bookings"),
    "revenue": _("Revenue"),
    "reviews": _("Reviews"),
    "members": _("Members"),
}
GROUPINGS = {
    "associate": _("Professional"),
    "profession": _("Profession"),
    "genre": _("Genre"),
    "city": _("City"),
    "month": _("Month"),
}
# Members have no professional, genre or city of their own to group or filter by.
MEMBER_GROUPINGS = ("month",)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    numeric: bool = True


# Where each metric's rows lead to the professional, the artist and the date they count on.
_PATHS = {
    "bookings": ("", "created_at"),
    "revenue": ("booking__", "paid_at"),
    "reviews": ("", "published_at"),
}


def _base(metric: str, window: Window) -> QuerySet[Any]:
    if metric == "bookings":
        return metrics.bookings_in(window)
    if metric == "revenue":
        return metrics.kept_payments_in(window)
    if metric == "reviews":
        return metrics.public_reviews_in(window).filter(direction=Direction.OF_ASSOCIATE)
    return User.objects.filter(**window.lookup("date_joined"))


def _columns(metric: str) -> dict[str, Any]:
    """The aggregate columns; counts are distinct because genre and profession join many rows."""
    if metric == "bookings":
        return {
            "bookings": Count("pk", distinct=True),
            "completed": Count("pk", distinct=True, filter=Q(status=Status.COMPLETED)),
            "lost": Count(
                "pk",
                distinct=True,
                filter=Q(status__in=[Status.DECLINED, Status.EXPIRED, Status.CANCELLED]),
            ),
        }
    if metric == "revenue":
        return {
            "payments": Count("pk", distinct=True),
            "net": Sum(metrics.NET_AMOUNT, output_field=DecimalField()),
        }
    if metric == "reviews":
        return {
            "reviews": Count("pk", distinct=True),
            "average_rating": Avg("rating"),
            "average_sentiment": Avg("sentiment_score", filter=Q(sentiment=Sentiment.SCORED)),
        }
    return {
        "members": Count("pk", distinct=True),
        "artists": Count("artist_profile", distinct=True),
        "associates": Count("associate_profile", distinct=True),
    }


# What a report is sorted by when nobody chose: its most telling number.
HEADLINE = {"bookings": "bookings", "revenue": "net", "reviews": "reviews", "members": "members"}

COLUMN_LABELS = {
    "bookings": _("Bookings"),
    "completed": _("Completed"),
    "lost": _("Declined, expired or cancelled"),
    "payments": _("Payments"),
    "net": _("Net revenue"),
    "currency": _("Currency"),
    "reviews": _("Reviews"),
    "average_rating": _("Average stars"),
    "average_sentiment": _("Average sentiment"),
    "members": _("New members"),
    "artists": _("Artists"),
    "associates": _("Professionals"),
}


@dataclass(frozen=True)
class Report:
    metric: str
    window: Window
    group_by: str
    profession: Profession | None = None
    genre: Genre | None = None
    city: str = ""
    sort: str = ""
    descending: bool = True

    def columns(self) -> list[Column]:
        extra = ["currency"] if self.metric == "revenue" else []
        return [
            Column("group", GROUPINGS[self.group_by], numeric=False),
            *(Column(key, COLUMN_LABELS[key], numeric=False) for key in extra),
            *(Column(key, COLUMN_LABELS[key]) for key in _columns(self.metric)),
        ]

    def sort_keys(self) -> list[str]:
        return [column.key for column in self.columns()]

    def rows(self) -> QuerySet[Any]:
        """The report as dictionaries keyed like ``columns()``, in the chosen order."""
        qs = _base(self.metric, self.window)
        if self.metric == "members":
            qs = qs.annotate(group=self.window.truncate("date_joined")).values("group")
        else:
            prefix, date_field = _PATHS[self.metric]
            qs = self._filtered(qs, prefix)
            if self.group_by == "month":
                qs = qs.annotate(group=self.window.truncate(date_field)).values("group")
            else:
                qs = qs.annotate(group=F(self._group_field(prefix))).values("group")
            if self.metric == "revenue":
                qs = qs.values("group", "currency")
        qs = qs.annotate(**_columns(self.metric))
        sort = self.effective_sort
        key = F(sort).desc(nulls_last=True) if self.descending else F(sort).asc(nulls_first=True)
        return qs.order_by(key, "group")

    @property
    def effective_sort(self) -> str:
        """The chosen column, or by default months in order, else the headline number."""
        if self.sort in self.sort_keys():
            return self.sort
        if self.group_by == "month":
            return "group"
        return HEADLINE[self.metric]

    def _group_field(self, prefix: str) -> str:
        artist = "artist__" if self.metric != "revenue" else "booking__artist__"
        return {
            "associate": f"{prefix}associate__display_name",
            "profession": f"{prefix}associate__professions__name",
            "genre": f"{artist}genres__name",
            "city": f"{prefix}associate__city",
        }[self.group_by]

    def _filtered(self, qs: QuerySet[Any], prefix: str) -> QuerySet[Any]:
        artist = "booking__artist__" if self.metric == "revenue" else "artist__"
        if self.profession is not None:
            qs = qs.filter(**{f"{prefix}associate__professions": self.profession})
        if self.genre is not None:
            qs = qs.filter(**{f"{artist}genres": self.genre})
        if self.city:
            qs = qs.filter(**{f"{prefix}associate__city__iexact": self.city})
        return qs


class ReportForm(WindowForm):
    """The report's choices as a GET form; the window's granularity is not asked (grouping by
    month covers time)."""

    default_granularity = "month"

    metric = forms.ChoiceField(label=_("Metrics"), choices=list(METRICS.items()))
    group_by = forms.ChoiceField(label=_("Group by"), choices=list(GROUPINGS.items()))
    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    genre = forms.ModelChoiceField(
        label=_("Genre"),
        queryset=Genre.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    order = forms.ChoiceField(
        required=False,
        choices=[("desc", _("Descending")), ("asc", _("Ascending"))],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["granularity"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        metric, group_by = cleaned.get("metric"), cleaned.get("group_by")
        if metric == "members":
            if group_by and group_by not in MEMBER_GROUPINGS:
                self.add_error("group_by", _("New members can only be grouped by month."))
            if cleaned.get("profession") or cleaned.get("genre") or cleaned.get("city"):
                self.add_error(
                    None,
                    _("New members cannot be filtered by profession, genre or city."),
                )
        return cleaned

    @property
    def report(self) -> Report:
        data = self.cleaned_data
        window = data["window"]
        return Report(
            metric=data["metric"],
            window=Window(window.start, window.end, "month"),
            group_by=data["group_by"],
            profession=data.get("profession"),
            genre=data.get("genre"),
            city=data.get("city", "").strip(),
            sort=data.get("sort", ""),
            # Without a chosen order months read forwards, everything else biggest first.
            descending=(data["order"] == "desc")
            if data.get("order")
            else data["group_by"] != "month",
        )
