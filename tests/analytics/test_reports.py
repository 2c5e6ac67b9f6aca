"""``/reports/``: numbers per grouping against hand-computed fixtures, sorting, filters, the
CSV export (content, cap, spreadsheet safety), bad input and permissions."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.analytics import export
from mylabel.associates.models import Profession
from mylabel.bookings.models import Status
from mylabel.core.models import Genre
from mylabel.payments.models import Payment
from tests.analytics.builders import make_booking, make_payment, make_review
from tests.factories import UserFactory
from tests.htmx import HTMX
from tests.profile_factories import ArtistFactory, AssociateFactory

pytestmark = pytest.mark.django_db

REPORTS = reverse("analytics:reports")
EXPORT = reverse("analytics:report_export")
FEBRUARY = {"start": "2026-02-01", "end": "2026-02-28"}


@pytest.fixture
def admin_client(client: Client, label_admin: User) -> Client:
    client.force_login(label_admin)
    return client


def at(day: int, hour: int = 10, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def table(client: Client, **params: str) -> list[list[str]]:
    response = client.get(REPORTS, {**FEBRUARY, **params})
    assert response.status_code == 200
    return [[text for text, _numeric in row] for row in response.context["rows"]]


def download(client: Client, **params: str) -> list[list[str]]:
    response = client.get(EXPORT, {**FEBRUARY, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mylabel-')
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def studio() -> dict[str, object]:
    """Two professionals in two cities, artists in two genres, February's bookings:
    Ada (Rome, producer): 3 requested (1 completed and paid 100, 1 declined, 1 requested);
    Bea (Milan, producer + mixing): 1 completed, paid 60 of which 20 refunded.
    One booking of Ada's in January and one payment in March stay outside."""
    rock, soul = Genre.objects.order_by("pk")[:2]
    producer = Profession.objects.get(slug="producer")
    mixing = Profession.objects.exclude(pk=producer.pk).order_by("pk").first()
    ada = AssociateFactory.create(display_name="Ada", city="Rome")
    bea = AssociateFactory.create(display_name="Bea", city="Milan", professions=[producer, mixing])
    rocker = ArtistFactory.create(genres=[rock])
    soulful = ArtistFactory.create(genres=[rock, soul])
    done = make_booking(
        requested_at=at(2),
        associate=ada,
        artist=rocker,
        history=(Status.ACCEPTED, Status.PAID, Status.COMPLETED),
    )
    make_payment(done, amount=Decimal("100.00"), paid_at=at(3))
    make_booking(requested_at=at(4), associate=ada, artist=rocker, history=(Status.DECLINED,))
    make_booking(requested_at=at(28, 23), associate=ada, artist=soulful)  # 1 March in Rome
    make_booking(requested_at=at(27, 22, month=2), associate=ada, artist=soulful)
    other = make_booking(
        requested_at=at(10),
        associate=bea,
        artist=soulful,
        history=(Status.ACCEPTED, Status.PAID, Status.COMPLETED),
    )
    make_payment(
        other,
        amount=Decimal("60.00"),
        refunded=Decimal("20.00"),
        paid_at=at(11),
        status=Payment.Status.PARTIALLY_REFUNDED,
    )
    make_booking(requested_at=at(20, month=1), associate=ada, artist=rocker)
    late = make_booking(requested_at=at(20), associate=bea, artist=rocker)
    make_payment(late, amount=Decimal("999.00"), paid_at=at(1, month=3))
    make_review(done, rating=4, published_at=at(5), sentiment_score=0.6)
    make_review(other, rating=2, published_at=at(12), sentiment_score=-0.4)
    return {"rock": rock, "soul": soul, "producer": producer, "mixing": mixing}


def test_bookings_by_professional_count_requests_completions_and_losses(
    admin_client: Client, studio: dict[str, object]
) -> None:
    assert table(admin_client, metric="bookings", group_by="associate") == [
        ["Ada", "3", "1", "1"],
        ["Bea", "2", "1", "0"],
    ]


def test_bookings_by_genre_count_an_artist_in_each_of_their_genres(
    admin_client: Client, studio: dict[str, object]
) -> None:
    rock, soul = studio["rock"], studio["soul"]
    assert table(admin_client, metric="bookings", group_by="genre") == [
        [str(rock), "5", "2", "1"],
        [str(soul), "2", "1", "0"],
    ]


def test_revenue_by_city_is_net_of_refunds_in_its_currency(
    admin_client: Client, studio: dict[str, object]
) -> None:
    assert table(admin_client, metric="revenue", group_by="city") == [
        ["Rome", "EUR", "1", "100.00"],
        ["Milan", "EUR", "1", "40.00"],
    ]


def test_revenue_by_profession_counts_bea_under_both_her_professions(
    admin_client: Client, studio: dict[str, object]
) -> None:
    producer, mixing = studio["producer"], studio["mixing"]
    assert table(
        admin_client, metric="revenue", group_by="profession", sort="group", order="asc"
    ) == sorted([[str(producer), "EUR", "2", "140.00"], [str(mixing), "EUR", "1", "40.00"]])


def test_reviews_by_month_average_stars_and_sentiment(
    admin_client: Client, studio: dict[str, object]
) -> None:
    assert table(admin_client, metric="reviews", group_by="month") == [
        ["2026-02", "2", "3.00", "0.10"]
    ]


def test_members_by_month_split_artists_and_professionals(admin_client: Client) -> None:
    AssociateFactory.create(user=UserFactory.create(date_joined=at(1, 0)))  # 1 Feb, 01:00 Rome
    ArtistFactory.create(user=UserFactory.create(date_joined=at(31, 23, month=1)))  # 1 Feb Rome
    UserFactory.create(date_joined=at(31, 22, month=1))  # 31 January 23:00 in Rome: outside

    assert table(admin_client, metric="members", group_by="month") == [["2026-02", "2", "1", "1"]]


def test_filters_narrow_the_rows(admin_client: Client, studio: dict[str, object]) -> None:
    soul = studio["soul"]
    mixing = studio["mixing"]
    assert table(admin_client, metric="bookings", group_by="associate", genre=soul.slug) == [  # type: ignore[attr-defined]
        ["Ada", "1", "0", "0"],
        ["Bea", "1", "1", "0"],
    ]
    assert table(admin_client, metric="bookings", group_by="associate", city="milan") == [
        ["Bea", "2", "1", "0"]
    ]
    assert table(
        admin_client,
        metric="bookings",
        group_by="city",
        profession=mixing.slug,  # type: ignore[attr-defined]
    ) == [["Milan", "2", "1", "0"]]


def test_column_headers_sort_both_ways(admin_client: Client, studio: dict[str, object]) -> None:
    ascending = table(
        admin_client, metric="bookings", group_by="associate", sort="bookings", order="asc"
    )
    descending = table(
        admin_client, metric="bookings", group_by="associate", sort="bookings", order="desc"
    )

    assert [row[0] for row in ascending] == ["Bea", "Ada"]
    assert [row[0] for row in descending] == ["Ada", "Bea"]


def test_the_sorted_header_says_so_and_links_to_the_other_order(
    admin_client: Client, studio: dict[str, object]
) -> None:
    response = admin_client.get(
        REPORTS,
        {
            **FEBRUARY,
            "metric": "bookings",
            "group_by": "associate",
            "sort": "bookings",
            "order": "asc",
        },
    )

    sorted_header = next(h for h in response.context["headers"] if h["aria_sort"])
    assert sorted_header["column"].key == "bookings"
    assert sorted_header["aria_sort"] == "ascending"
    assert "order=desc" in sorted_header["url"]
    assert 'aria-sort="ascending"' in response.content.decode()


def test_an_unknown_sort_falls_back_to_the_headline_number(
    admin_client: Client, studio: dict[str, object]
) -> None:
    assert [
        row[0]
        for row in table(admin_client, metric="bookings", group_by="associate", sort="password")
    ] == [
        "Ada",
        "Bea",
    ]


def test_the_csv_has_the_tables_rows(admin_client: Client, studio: dict[str, object]) -> None:
    assert download(admin_client, metric="revenue", group_by="associate") == [
        ["Professional", "Currency", "Payments", "Net revenue"],
        ["Ada", "EUR", "1", "100.00"],
        ["Bea", "EUR", "1", "40.00"],
    ]


def test_the_csv_of_an_empty_range_is_just_the_header(admin_client: Client) -> None:
    assert download(admin_client, metric="reviews", group_by="month") == [
        ["Month", "Reviews", "Average stars", "Average sentiment"]
    ]


def test_text_that_a_spreadsheet_would_run_is_defused(admin_client: Client) -> None:
    for index, name in enumerate(['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "Plain"]):
        make_booking(
            requested_at=at(2 + index), associate=AssociateFactory.create(display_name=name)
        )

    names = sorted(
        row[0] for row in download(admin_client, metric="bookings", group_by="associate")[1:]
    )

    assert names == ["'+1", "'-2", '\'=HYPERLINK("http://evil")', "'@SUM(A1)", "Plain"]


def test_the_export_stops_at_its_cap_and_says_so(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 2)
    for index in range(3):
        make_booking(
            requested_at=at(2 + index),
            associate=AssociateFactory.create(display_name=f"Pro {index}"),
        )

    rows = download(admin_client, metric="bookings", group_by="associate")

    assert len(rows) == 4
    assert rows[-1] == [
        "Stopped after 2 rows: narrow the date range or add filters to export the rest."
    ]


def test_the_page_shows_a_limited_number_of_rows_and_points_to_the_csv(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mylabel.analytics.views.reports.PAGE_ROWS", 1)
    make_booking(requested_at=at(2))
    make_booking(requested_at=at(3))

    response = admin_client.get(
        REPORTS, {**FEBRUARY, "metric": "bookings", "group_by": "associate"}
    )

    assert len(response.context["rows"]) == 1
    assert "Showing the first 1 rows" in response.content.decode()


def test_the_page_without_parameters_shows_bookings_by_professional(admin_client: Client) -> None:
    response = admin_client.get(REPORTS)

    assert response.status_code == 200
    assert response.context["report"].metric == "bookings"
    assert response.context["report"].group_by == "associate"


def test_htmx_gets_only_the_results(admin_client: Client) -> None:
    response = admin_client.get(
        REPORTS, {**FEBRUARY, "metric": "bookings", "group_by": "month"}, headers=HTMX
    )

    assert response.content.decode().lstrip().startswith('<div id="report-results"')


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metric": "salaries", "group_by": "month"}, "Select a valid choice"),
        ({"metric": "bookings", "group_by": "zodiac"}, "Select a valid choice"),
        (
            {"metric": "bookings", "group_by": "month", "start": "2026-03-01", "end": "2026-01-01"},
            "The start date is after the end date.",
        ),
        (
            {"metric": "bookings", "group_by": "month", "start": "0001-01-01"},
            "Choose dates between",
        ),
        ({"metric": "members", "group_by": "city"}, "New members can only be grouped by month."),
        (
            {"metric": "members", "group_by": "month", "city": "Rome"},
            "New members cannot be filtered",
        ),
        (
            {"metric": "bookings", "group_by": "month", "genre": "no-such-genre"},
            "Select a valid choice",
        ),
    ],
)
def test_bad_choices_are_explained_on_the_page_and_refused_as_csv(
    admin_client: Client, params: dict[str, str], message: str
) -> None:
    page = admin_client.get(REPORTS, params)
    fragment = admin_client.get(REPORTS, params, headers=HTMX)
    csv_response = admin_client.get(EXPORT, params)

    assert page.status_code == 200
    assert message in page.content.decode()
    assert message in fragment.content.decode()
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_a_ten_year_report_by_month_runs(admin_client: Client) -> None:
    response = admin_client.get(
        REPORTS,
        {"metric": "bookings", "group_by": "month", "start": "2016-01-01", "end": "2026-01-01"},
    )

    assert response.status_code == 200
    assert response.context["rows"] == []


@pytest.mark.parametrize("rows", [1, 8])
def test_the_report_page_costs_the_same_queries_whatever_the_rows(
    admin_client: Client, django_assert_num_queries, rows: int
) -> None:
    for index in range(rows):
        make_booking(requested_at=at(2 + index), associate=AssociateFactory.create())
    genre = Genre.objects.order_by("pk")[0]
    params = {**FEBRUARY, "metric": "bookings", "group_by": "associate", "genre": genre.slug}
    admin_client.get(REPORTS, params)

    # session, user, the genre filter's lookup, the report, the profession and genre options of
    # the form, the saved reports, the bell (the permissions are cached by the first request)
    with django_assert_num_queries(8):
        admin_client.get(REPORTS, params)
