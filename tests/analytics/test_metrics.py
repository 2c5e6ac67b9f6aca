"""The dashboard's numbers against hand-computed fixtures, in the label's time zone
(Europe/Rome: UTC+1 in winter, UTC+2 in summer)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mylabel.analytics import metrics
from mylabel.analytics.window import Window
from mylabel.associates.models import Profession
from mylabel.bookings.models import Status
from mylabel.core.models import Genre
from mylabel.payments.models import Payment
from mylabel.reviews.models import Direction
from tests.analytics.builders import make_booking, make_payment, make_review
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory

pytestmark = pytest.mark.django_db

JANUARY_TO_MARCH = Window(date(2026, 1, 1), date(2026, 3, 31), "month")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def values(points: list[metrics.Point]) -> list[object]:
    return [point.value for point in points]


def test_a_booking_late_on_the_last_utc_day_of_a_month_counts_in_the_next_month_in_rome() -> None:
    make_booking(requested_at=at(2026, 1, 31, 23, 30))  # 00:30 on 1 February in Rome
    make_booking(requested_at=at(2026, 1, 31, 22, 30))  # 23:30 on 31 January in Rome
    make_booking(requested_at=at(2026, 3, 3, 12, 0))

    assert values(metrics.bookings_over_time(JANUARY_TO_MARCH)) == [1, 1, 1]


def test_days_follow_rome_and_empty_days_are_zero() -> None:
    window = Window(date(2026, 2, 1), date(2026, 2, 4), "day")
    make_booking(requested_at=at(2026, 1, 31, 23, 30))
    make_booking(requested_at=at(2026, 2, 3, 22, 59))
    make_booking(requested_at=at(2026, 2, 3, 23, 0))  # midnight of the 4th in Rome

    points = metrics.bookings_over_time(window)

    assert [point.label for point in points] == [
        "2026-02-01",
        "2026-02-02",
        "2026-02-03",
        "2026-02-04",
    ]
    assert values(points) == [1, 0, 1, 1]


def test_the_window_ends_at_midnight_in_rome_after_its_last_day() -> None:
    window = Window(date(2026, 6, 1), date(2026, 6, 30), "month")
    make_booking(requested_at=at(2026, 5, 31, 22, 0))  # 00:00 on 1 June in Rome (summer)
    make_booking(requested_at=at(2026, 6, 30, 21, 59))
    make_booking(requested_at=at(2026, 6, 30, 22, 0))  # 1 July in Rome: outside

    assert values(metrics.bookings_over_time(window)) == [2]


def test_weeks_start_on_monday_and_include_the_partial_first_week() -> None:
    window = Window(date(2026, 2, 4), date(2026, 2, 16), "week")  # a Wednesday to a Monday
    make_booking(requested_at=at(2026, 2, 4, 10))
    make_booking(requested_at=at(2026, 2, 8, 22, 30))  # Sunday 23:30 in Rome: first week
    make_booking(requested_at=at(2026, 2, 8, 23, 30))  # Monday 00:30 in Rome: second week

    points = metrics.bookings_over_time(window)

    assert [point.period for point in points] == [
        date(2026, 2, 2),
        date(2026, 2, 9),
        date(2026, 2, 16),
    ]
    assert values(points) == [2, 1, 0]


def test_revenue_is_what_was_paid_minus_refunds_on_the_day_it_was_paid_per_currency() -> None:
    paid = make_booking(requested_at=at(2026, 1, 5, 10))
    make_payment(paid, amount=Decimal("200.00"), paid_at=at(2026, 1, 31, 23, 30))  # February
    partly = make_booking(requested_at=at(2026, 1, 5, 11))
    make_payment(
        partly,
        amount=Decimal("100.00"),
        refunded=Decimal("30.00"),
        paid_at=at(2026, 2, 10, 10),
        status=Payment.Status.PARTIALLY_REFUNDED,
    )
    fully = make_booking(requested_at=at(2026, 1, 5, 12))
    make_payment(
        fully,
        amount=Decimal("80.00"),
        refunded=Decimal("80.00"),
        paid_at=at(2026, 1, 10, 10),
        status=Payment.Status.REFUNDED,
    )
    waiting = make_booking(requested_at=at(2026, 1, 5, 13))
    make_payment(waiting, amount=Decimal("500.00"), paid_at=None, status=Payment.Status.PENDING)
    pounds = make_booking(requested_at=at(2026, 1, 5, 14))
    make_payment(pounds, amount=Decimal("40.00"), paid_at=at(2026, 3, 1, 10), currency="GBP")

    revenue = metrics.revenue_over_time(JANUARY_TO_MARCH)

    assert list(revenue) == ["EUR", "GBP"]
    assert values(revenue["EUR"]) == [Decimal("0"), Decimal("270.00"), 0]
    assert values(revenue["GBP"]) == [0, 0, Decimal("40.00")]


def test_the_funnel_follows_the_bookings_requested_in_the_window_through_their_history() -> None:
    requested_at = at(2026, 2, 1, 10)
    make_booking(requested_at=requested_at)
    make_booking(requested_at=requested_at, history=(Status.ACCEPTED,))
    make_booking(requested_at=requested_at, history=(Status.ACCEPTED, Status.PAID))
    make_booking(
        requested_at=requested_at, history=(Status.ACCEPTED, Status.PAID, Status.COMPLETED)
    )
    make_booking(requested_at=requested_at, history=(Status.DECLINED,))
    make_booking(requested_at=requested_at, history=(Status.EXPIRED,))
    make_booking(requested_at=requested_at, history=(Status.ACCEPTED, Status.CANCELLED))
    make_booking(requested_at=at(2025, 12, 1, 10), history=(Status.ACCEPTED,))  # outside

    assert metrics.funnel(JANUARY_TO_MARCH) == {
        "requested": 7,
        "accepted": 4,
        "paid": 2,
        "completed": 1,
        "declined": 1,
        "expired": 1,
        "cancelled": 1,
    }


def test_an_empty_window_has_zeroes_everywhere() -> None:
    assert values(metrics.bookings_over_time(JANUARY_TO_MARCH)) == [0, 0, 0]
    assert metrics.revenue_over_time(JANUARY_TO_MARCH) == {}
    assert set(metrics.funnel(JANUARY_TO_MARCH).values()) == {0}
    assert metrics.top_associates_by_bookings(JANUARY_TO_MARCH) == []
    assert metrics.busiest_genres(JANUARY_TO_MARCH) == []
    assert [point.reviews for point in metrics.review_trends(JANUARY_TO_MARCH)] == [0, 0, 0]


def test_new_members_count_on_the_day_they_joined() -> None:
    UserFactory.create(date_joined=at(2026, 1, 31, 23, 30))
    UserFactory.create(date_joined=at(2026, 3, 15, 9))
    UserFactory.create(date_joined=at(2026, 3, 16, 9))
    UserFactory.create(date_joined=at(2026, 4, 16, 9))

    assert values(metrics.members_over_time(JANUARY_TO_MARCH)) == [0, 1, 2]


def test_review_trends_average_public_reviews_and_only_scored_sentiment() -> None:
    booking = make_booking(requested_at=at(2026, 1, 2, 10))
    make_review(booking, rating=5, published_at=at(2026, 1, 20), sentiment_score=0.8)
    make_review(
        booking,
        rating=2,
        published_at=at(2026, 1, 21),
        direction=Direction.OF_ARTIST,
    )
    make_review(
        make_booking(requested_at=at(2026, 1, 2, 10)),
        rating=1,
        published_at=at(2026, 1, 22),
        sentiment_score=-0.9,
        hidden=True,
    )
    make_review(
        make_booking(requested_at=at(2026, 1, 2, 10)),
        rating=4,
        published_at=at(2026, 3, 1),
        sentiment_score=0.25,
    )
    make_review(make_booking(requested_at=at(2026, 1, 2, 10)), rating=3, published_at=None)

    january, february, march = metrics.review_trends(JANUARY_TO_MARCH)

    assert (january.reviews, january.average_rating, january.average_sentiment) == (
        2,
        Decimal("3.50"),
        Decimal("0.80"),
    )
    assert (february.reviews, february.average_rating, february.average_sentiment) == (
        0,
        None,
        None,
    )
    assert (march.reviews, march.average_rating, march.average_sentiment) == (
        1,
        Decimal("4.00"),
        Decimal("0.25"),
    )


def test_top_associates_rank_by_bookings_revenue_and_rating() -> None:
    ada = AssociateFactory.create(display_name="Ada")
    bea = AssociateFactory.create(display_name="Bea")
    requested_at = at(2026, 2, 1, 10)
    ada_bookings = [make_booking(requested_at=requested_at, associate=ada) for _ in range(3)]
    bea_booking = make_booking(requested_at=requested_at, associate=bea)
    make_booking(requested_at=at(2025, 1, 1), associate=bea)  # outside the window
    make_payment(ada_bookings[0], amount=Decimal("100.00"), paid_at=requested_at)
    make_payment(bea_booking, amount=Decimal("250.00"), paid_at=requested_at)
    make_review(ada_bookings[0], rating=4, published_at=requested_at)
    make_review(ada_bookings[1], rating=5, published_at=requested_at)
    make_review(bea_booking, rating=5, published_at=requested_at)

    by_bookings = metrics.top_associates_by_bookings(JANUARY_TO_MARCH)
    by_revenue = metrics.top_associates_by_revenue(JANUARY_TO_MARCH)
    by_rating = metrics.top_associates_by_rating(JANUARY_TO_MARCH)

    assert [(row["associate__display_name"], row["bookings"]) for row in by_bookings] == [
        ("Ada", 3),
        ("Bea", 1),
    ]
    assert [
        (row["booking__associate__display_name"], row["net"], row["currency"]) for row in by_revenue
    ] == [("Bea", Decimal("250.00"), "EUR"), ("Ada", Decimal("100.00"), "EUR")]
    assert [
        (row["associate__display_name"], row["average_rating"], row["reviews"]) for row in by_rating
    ] == [("Bea", Decimal("5.00"), 1), ("Ada", Decimal("4.50"), 2)]


def test_busiest_genres_and_professions_count_each_booking_once() -> None:
    rock, soul = Genre.objects.order_by("pk")[:2]
    producer = Profession.objects.get(slug="producer")
    other = Profession.objects.exclude(pk=producer.pk).order_by("pk").first()
    assert other is not None
    both = ArtistFactory.create(genres=[rock, soul])
    soul_only = ArtistFactory.create(genres=[soul])
    versatile = AssociateFactory.create(professions=[producer, other])
    requested_at = at(2026, 2, 1, 10)
    make_booking(requested_at=requested_at, artist=both, associate=versatile)
    make_booking(requested_at=requested_at, artist=soul_only, associate=versatile)
    make_booking(requested_at=requested_at, artist=soul_only)
    make_booking(requested_at=at(2025, 2, 1), artist=both)  # outside

    assert metrics.busiest_genres(JANUARY_TO_MARCH) == [
        {"name": soul.name, "bookings": 3},
        {"name": rock.name, "bookings": 1},
    ]
    assert metrics.busiest_professions(JANUARY_TO_MARCH) == sorted(
        [{"name": producer.name, "bookings": 3}, {"name": other.name, "bookings": 2}],
        key=lambda row: (-int(str(row["bookings"])), str(row["name"])),
    )
