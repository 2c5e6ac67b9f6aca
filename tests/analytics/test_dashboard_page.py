"""``/dashboard/``: who may see it, the controls, the htmx fragment, bad ranges and the page's
pinned query count."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.bookings.models import Status
from tests.analytics.builders import make_booking, make_payment, make_review
from tests.htmx import HTMX

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")
FEBRUARY = {"start": "2026-02-01", "end": "2026-02-28", "granularity": "week"}


@pytest.fixture
def admin_client(client: Client, label_admin: User) -> Client:
    client.force_login(label_admin)
    return client


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
@pytest.mark.parametrize("persona_client", ["artist_client", "associate_client", "stranger_client"])
def test_members_who_are_not_label_admins_are_refused(
    request: pytest.FixtureRequest, persona_client: str, headers: dict[str, str]
) -> None:
    client = request.getfixturevalue(persona_client)

    response = client.get(DASHBOARD, FEBRUARY, headers=headers)

    assert response.status_code == 403
    assert b"panel-bookings" not in response.content


def test_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_refuses_to_be_posted_to(admin_client: Client) -> None:
    assert admin_client.post(DASHBOARD).status_code == 405


def test_the_page_shows_the_last_thirty_days_by_default(admin_client: Client) -> None:
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["window"].granularity == "day"
    assert (response.context["window"].end - response.context["window"].start).days == 29
    assert len(response.context["bookings"]) == 30


def test_the_panels_show_the_range_numbers_in_charts_and_tables(admin_client: Client) -> None:
    booking = make_booking(
        requested_at=datetime(2026, 2, 3, 10, tzinfo=UTC),
        history=(Status.ACCEPTED, Status.PAID, Status.COMPLETED),
    )
    make_payment(booking, amount=Decimal("120.50"), paid_at=datetime(2026, 2, 4, tzinfo=UTC))
    make_review(booking, rating=4, published_at=datetime(2026, 2, 10, tzinfo=UTC))

    response = admin_client.get(DASHBOARD, FEBRUARY)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html
    assert '<title id="chart-bookings-title">' in html
    # The week of Monday 2 February holds the booking; the five weeks touching February are rows.
    assert '<th scope="row">2026-02-02</th><td class="number">1</td>' in html
    assert '<th scope="row">2026-01-26</th><td class="number">0</td>' in html
    assert '<th scope="row">2026-02-02</th><td class="number">120.50</td>' in html
    assert (
        '<tr data-stage="completed"><th scope="row">Completed</th><td class="number">1</td>' in html
    )
    assert booking.associate.display_name in html


def test_htmx_gets_only_the_panels(admin_client: Client) -> None:
    response = admin_client.get(DASHBOARD, FEBRUARY, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="dashboard-panels"')
    assert "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "The start date is after the end date."),
        ({"start": "1066-10-14", "end": "2026-02-01"}, "Choose dates between 2000-01-01"),
        ({"start": "2026-01-01", "end": "9999-12-31"}, "Choose dates between 2000-01-01"),
        ({"start": "2020-01-01", "end": "2026-01-01", "granularity": "day"}, "more than 400"),
        ({"granularity": "fortnight"}, "Select a valid choice"),
        ({"start": "yesterday"}, "Enter a valid date"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_a_bad_range_is_explained_instead_of_the_panels(
    admin_client: Client, params: dict[str, str], message: str, headers: dict[str, str]
) -> None:
    response = admin_client.get(DASHBOARD, params, headers=headers)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert b'role="alert"' in response.content
    assert b"panel-bookings" not in response.content


def test_a_long_range_by_month_is_fine(admin_client: Client) -> None:
    response = admin_client.get(
        DASHBOARD, {"start": "2016-01-01", "end": "2026-01-31", "granularity": "month"}
    )

    assert response.status_code == 200
    assert len(response.context["bookings"]) == 121


def _fill(rows: int) -> None:
    for index in range(rows):
        booking = make_booking(
            requested_at=datetime(2026, 2, 1 + index % 27, 10, tzinfo=UTC),
            history=(Status.ACCEPTED, Status.PAID),
        )
        make_payment(booking, amount=Decimal("10.00"), paid_at=booking.created_at)
        make_review(booking, rating=5, published_at=booking.created_at, sentiment_score=0.5)


@pytest.mark.parametrize("rows", [1, 12])
def test_the_dashboard_costs_the_same_queries_whatever_the_data(
    admin_client: Client, django_assert_num_queries, rows: int
) -> None:
    _fill(rows)
    # From here on the permissions are cached (mylabel/accounts/backends.py).
    admin_client.get(DASHBOARD, FEBRUARY)

    # session, user, one query per panel (10), the bell's unread count
    with django_assert_num_queries(13):
        response = admin_client.get(DASHBOARD, FEBRUARY)

    assert response.status_code == 200
