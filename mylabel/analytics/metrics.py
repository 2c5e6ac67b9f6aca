"""The label's numbers, aggregated in the database (one query per panel, whatever the number of
rows): bookings, revenue, the conversion funnel, members, reviews, genres and professions.

What counts where:
- a **booking** counts on the day it was requested (``Booking.created_at``), in the label's time
  zone; the funnel follows the bookings requested in the window to wherever they went since;
- **revenue** is money actually kept: booking payments that succeeded, minus what was refunded
  (``Payment.amount - Payment.refunded_amount``, so a fully refunded payment nets zero), counted on
  the day it was paid (``Payment.paid_at``), per currency (amounts in different currencies are
  never added up);
- a **member** counts on the day they joined (``User.date_joined``);
- a **review** counts on the day it was published, and only while it is public (not hidden);
  sentiment averages only the reviews the sentiment model scored.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, Exists, F, OuterRef, Q, Sum

from mylabel.accounts.models import User
from mylabel.associates.models import Profession
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.core.models import Genre
from mylabel.payments.models import Payment
from mylabel.reviews.models import Direction, Review, Sentiment

from .window import Window

# Payments whose money (less refunds) the label keeps; a fully refunded one nets zero anyway.
KEPT_PAYMENT_STATUSES = (
    Payment.Status.SUCCEEDED,
    Payment.Status.PARTIALLY_REFUNDED,
    Payment.Status.REFUNDED,
)
NET_AMOUNT = F("amount") - F("refunded_amount")
TOP = 5
BUSIEST = 8


def bookings_in(window: Window) -> Any:
    return Booking.objects.filter(**window.lookup("created_at"))


def kept_payments_in(window: Window) -> Any:
    """Booking payments paid inside the window."""
    return Payment.objects.filter(
        booking__isnull=False, status__in=KEPT_PAYMENT_STATUSES, **window.lookup("paid_at")
    )


def public_reviews_in(window: Window) -> Any:
    return Review.objects.published().filter(**window.lookup("published_at"))


@dataclass(frozen=True)
class Point:
    period: date
    label: str
    value: Decimal | int | float | None


def _fill(window: Window, rows: dict[date, Any]) -> list[Point]:
    """One point per period of the window, zero where nothing happened."""
    return [
        Point(period, window.period_label(period), rows.get(period, 0))
        for period in window.periods()
    ]


def bookings_over_time(window: Window) -> list[Point]:
    rows = (
        bookings_in(window)
        .annotate(period=window.truncate("created_at"))
        .values("period")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return _fill(window, {row["period"]: row["total"] for row in rows})


def revenue_over_time(window: Window) -> dict[str, list[Point]]:
    """Net revenue per period, one series per currency (the busiest currency first)."""
    rows = (
        kept_payments_in(window)
        .annotate(period=window.truncate("paid_at"))
        .values("period", "currency")
        .annotate(net=Sum(NET_AMOUNT, output_field=DecimalField()))
        .order_by()
    )
    by_currency: dict[str, dict[date, Decimal]] = {}
    for row in rows:
        by_currency.setdefault(row["currency"], {})[row["period"]] = row["net"]
    ordered = sorted(by_currency.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {currency: _fill(window, values) for currency, values in ordered}


def members_over_time(window: Window) -> list[Point]:
    rows = (
        User.objects.filter(**window.lookup("date_joined"))
        .annotate(period=window.truncate("date_joined"))
        .values("period")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return _fill(window, {row["period"]: row["total"] for row in rows})


@dataclass(frozen=True)
class ReviewTrendPoint:
    period: date
    label: str
    reviews: int
    average_rating: Decimal | None
    average_sentiment: Decimal | None


def review_trends(window: Window) -> list[ReviewTrendPoint]:
    """Average stars and average sentiment score (-1 … +1) of the reviews published per period."""
    rows = (
        public_reviews_in(window)
        .annotate(period=window.truncate("published_at"))
        .values("period")
        .annotate(
            reviews=Count("pk"),
            average_rating=Avg("rating"),
            average_sentiment=Avg("sentiment_score", filter=Q(sentiment=Sentiment.SCORED)),
        )
        .order_by()
    )
    by_period = {row["period"]: row for row in rows}
    points = []
    for period in window.periods():
        row = by_period.get(period, {})
        points.append(
            ReviewTrendPoint(
                period,
                window.period_label(period),
                row.get("reviews", 0),
                _round(row.get("average_rating")),
                _round(row.get("average_sentiment")),
            )
        )
    return points


def _round(value: float | Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _reached(status: str) -> Exists:
    return Exists(BookingEvent.objects.filter(booking=OuterRef("pk"), to_status=status))


FUNNEL_STAGES = ("requested", "accepted", "paid", "completed")
FUNNEL_EXITS = ("declined", "expired", "cancelled")


def funnel(window: Window) -> dict[str, int]:
    """Of the bookings requested in the window: how many were ever accepted, paid and completed
    (from their history, so a booking completed since still counted as accepted and paid), and
    how many ended declined, expired or cancelled."""
    return bookings_in(window).aggregate(
        requested=Count("pk"),
        accepted=Count("pk", filter=_reached(Status.ACCEPTED)),
        paid=Count("pk", filter=_reached(Status.PAID)),
        completed=Count("pk", filter=_reached(Status.COMPLETED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        expired=Count("pk", filter=Q(status=Status.EXPIRED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )


ASSOCIATE_FIELDS = ("associate__pk", "associate__display_name", "associate__slug")


def top_associates_by_bookings(window: Window) -> list[dict[str, Any]]:
    return list(
        bookings_in(window)
        .values(*ASSOCIATE_FIELDS)
        .annotate(bookings=Count("pk"))
        .order_by("-bookings", "associate__display_name", "associate__pk")[:TOP]
    )


def top_associates_by_revenue(window: Window) -> list[dict[str, Any]]:
    """Per associate and currency: a euro total and a pound total are never ranked as one."""
    return list(
        kept_payments_in(window)
        .values(*(f"booking__{field}" for field in ASSOCIATE_FIELDS), "currency")
        .annotate(net=Sum(NET_AMOUNT, output_field=DecimalField()))
        .order_by("-net", "booking__associate__display_name", "booking__associate__pk")[:TOP]
    )


def top_associates_by_rating(window: Window) -> list[dict[str, Any]]:
    """From the reviews of associates published in the window; among equal averages, more
    reviews rank higher."""
    return [
        {**row, "average_rating": _round(row["average_rating"])}
        for row in public_reviews_in(window)
        .filter(direction=Direction.OF_ASSOCIATE)
        .values(*ASSOCIATE_FIELDS)
        .annotate(average_rating=Avg("rating"), reviews=Count("pk"))
        .order_by("-average_rating", "-reviews", "associate__display_name", "associate__pk")[:TOP]
    ]


def busiest_genres(window: Window) -> list[Any]:
    """Genres by bookings requested in the window by artists of that genre."""
    in_window = Q(
        artists__bookings__created_at__gte=window.since,
        artists__bookings__created_at__lt=window.until,
    )
    return list(
        Genre.objects.annotate(bookings=Count("artists__bookings", filter=in_window, distinct=True))
        .filter(bookings__gt=0)
        .order_by("-bookings", "name")
        .values("name", "bookings")[:BUSIEST]
    )


def busiest_professions(window: Window) -> list[Any]:
    """Professions by bookings requested in the window from associates practising them."""
    in_window = Q(
        associates__bookings__created_at__gte=window.since,
        associates__bookings__created_at__lt=window.until,
    )
    return list(
        Profession.objects.annotate(
            bookings=Count("associates__bookings", filter=in_window, distinct=True)
        )
        .filter(bookings__gt=0)
        .order_by("-bookings", "name")
        .values("name", "bookings")[:BUSIEST]
    )
