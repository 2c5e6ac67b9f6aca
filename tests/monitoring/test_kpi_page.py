"""The KPI page at /dashboard/kpis/ (issue 8 point 5): label admins only, the figures against
the KPIs with breaches said in words, the window control (htmx and plain), bad input, and the
page's query budget."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from mylabel.accounts.models import User
from mylabel.monitoring.templatetags.monitoring import percentage
from tests.htmx import HTMX
from tests.monitoring.helpers import rollup

KPIS_URL = reverse("monitoring:kpis")


@pytest.fixture
def admin_client(label_admin: User) -> Client:
    client = Client()
    client.force_login(label_admin)
    return client


def minutes_ago(minutes: int):
    return (timezone.now() - timedelta(minutes=minutes)).replace(second=0, microsecond=0)


# --- Who may see it -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_anonymous_visitors_are_sent_to_log_in(client, headers):
    response = client.get(KPIS_URL, headers=headers)
    assertRedirects(
        response, f"{reverse('account_login')}?next={KPIS_URL}", fetch_redirect_response=False
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["artist_client", "associate_client", "stranger_client"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_signed_in_non_admins_get_403(request, persona, headers):
    rollup(minute=minutes_ago(5), route="bookings:secret-route", le_50=3)
    client: Client = request.getfixturevalue(persona)

    response = client.get(KPIS_URL, {"window": "hour"}, headers=headers)

    assert response.status_code == 403
    assertNotContains(response, "secret-route", status_code=403)


@pytest.mark.django_db
def test_only_reading_is_allowed(admin_client):
    assert admin_client.post(KPIS_URL).status_code == 405


# --- What it shows ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_sees_each_routes_percentiles_and_the_kpis_met(admin_client):
    rollup(minute=minutes_ago(5), route="home", le_50=5, le_200=5)
    rollup(minute=minutes_ago(3), route="readyz", le_5=10)

    response = admin_client.get(KPIS_URL)

    assert response.status_code == 200
    assertContains(response, 'aria-current="page"')  # the label admin's sub-navigation
    report = response.context["report"]
    assert [(f.route, f.requests) for f in report.routes] == [("home", 10), ("readyz", 10)]
    content = response.content.decode()
    # home: p50 50 ms, p95 190 ms; no server errors; availability 100 % from the probes.
    assert '<td class="number">50 ms</td>' in content
    assert '<td class="number">190 ms</td>' in content
    assert "Availability (readiness probes)" in content
    assert "100 %" in content
    assertNotContains(response, "Breached")
    assertContains(response, "Met")


@pytest.mark.django_db
def test_breaches_are_said_in_words_not_only_in_colour(admin_client):
    rollup(minute=minutes_ago(5), route="search", errors=1, le_500=20)

    response = admin_client.get(KPIS_URL)

    content = response.content.decode()
    assert "✗ Breached" in content
    # The route's row says which KPI it misses: p95 490 ms (300 + 200 x 19/20), 5 % errors.
    assert "✗ Breached: response time" in content
    assert "✗ Breached: error rate" in content
    assert 'class="kpi-breached"' in content
    # 1 of 20 requests failed: 5 % errors, 95 % availability from request success.
    assert "5 %" in content
    assert "95 %" in content
    assert "Availability (successful requests)" in content


@pytest.mark.django_db
def test_an_empty_window_says_so(admin_client):
    rollup(minute=minutes_ago(90), route="home", le_50=3)

    response = admin_client.get(KPIS_URL, {"window": "hour"})

    assertContains(response, "No requests were recorded in this window.")
    assertNotContains(response, "<table")


@pytest.mark.django_db
def test_the_window_control_swaps_only_the_report_for_htmx(admin_client):
    rollup(minute=minutes_ago(90), route="home", le_50=3)

    plain = admin_client.get(KPIS_URL, {"window": "day"})
    fragment = admin_client.get(KPIS_URL, {"window": "hour"}, headers=HTMX)

    assertContains(plain, '<option value="day" selected>')
    assertContains(plain, "<code>home</code>")
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="kpi-report"')
    assert "<h1" not in body
    assert "No requests were recorded in this window." in body


@pytest.mark.django_db
@pytest.mark.parametrize("window", ["forever", "", "'; DROP TABLE", "x" * 5000])
def test_an_unknown_window_gets_a_message_and_the_last_day(admin_client, window):
    rollup(minute=minutes_ago(600), route="home", le_50=3)

    response = admin_client.get(KPIS_URL, {"window": window})

    assert response.status_code == 200
    assertContains(response, "<code>home</code>")
    if window:
        assertContains(response, "Unknown window: showing the last 24 hours instead.")
    else:
        assertNotContains(response, "Unknown window")


# --- Query budget -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("routes", [1, 30])
def test_the_page_costs_the_same_queries_for_one_route_as_for_many(
    admin_client, routes, django_assert_num_queries
):
    for index in range(routes):
        for minute in range(1, 4):
            rollup(minute=minutes_ago(minute), route=f"route-{index}", errors=index % 2, le_100=7)
    admin_client.get(KPIS_URL)  # warm the session and the cached permissions

    # Session, user, the bell's unread count, and one query for every route's sums.
    with django_assert_num_queries(4):
        response = admin_client.get(KPIS_URL)

    assert len(response.context["report"].routes) == routes


def test_rates_read_as_percentages_and_an_unmeasured_one_as_a_dash():
    assert percentage(0.0005) == "0.05 %"
    assert percentage(0.999) == "99.9 %"
    assert percentage(1.0) == "100 %"
    assert percentage(None) == "—"
