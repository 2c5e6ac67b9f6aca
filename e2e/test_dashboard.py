"""The label admin's dashboard and reports in a real browser (issue 8 point 8): the admin
changes the date range and the panels are swapped in place with the new numbers; runs a report
and downloads its CSV; screenshots and axe at both widths."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.helpers import check_page
from e2e.people import label_admin
from e2e.test_bookings import assert_same_document, log_in, mark_document
from mylabel.bookings.models import Status
from tests.analytics.builders import make_booking, make_payment
from tests.profile_factories import AssociateFactory


def january_and_february() -> None:
    """Ada: two bookings in January (one paid 150 EUR); Bea: one in February (paid 80 EUR)."""
    ada = AssociateFactory.create(display_name="Ada Sound", city="Rome")
    bea = AssociateFactory.create(display_name="Bea Mix", city="Milan")
    paid = make_booking(
        requested_at=datetime(2026, 1, 10, 10, tzinfo=UTC),
        associate=ada,
        history=(Status.ACCEPTED, Status.PAID),
    )
    make_payment(paid, amount=Decimal("150.00"), paid_at=datetime(2026, 1, 11, tzinfo=UTC))
    make_booking(requested_at=datetime(2026, 1, 20, 10, tzinfo=UTC), associate=ada)
    february = make_booking(
        requested_at=datetime(2026, 2, 5, 10, tzinfo=UTC),
        associate=bea,
        history=(Status.ACCEPTED, Status.PAID),
    )
    make_payment(february, amount=Decimal("80.00"), paid_at=datetime(2026, 2, 6, tzinfo=UTC))


def test_an_admin_changes_the_range_and_downloads_a_report(
    page: Page, url: Callable[[str], str]
) -> None:
    january_and_february()
    _user, admin = label_admin()
    page.goto(url("/accounts/login/?next=/dashboard/%3Fstart%3D2026-01-01%26end%3D2026-01-31"))
    log_in(page, admin)

    funnel = page.locator("#table-funnel")
    expect(funnel.locator('tr[data-stage="requested"] td')).to_have_text("2")
    expect(page.locator("#table-top-bookings")).to_contain_text("Ada Sound")
    check_page(page, "dashboard")

    mark_document(page)
    page.get_by_label("From", exact=True).fill("2026-02-01")
    page.get_by_label("To", exact=True).fill("2026-02-28")
    page.get_by_label("Group by").select_option("week")
    page.get_by_role("button", name="Show").click()

    expect(page.locator("#dashboard-range")).to_have_text("From 1 Feb 2026 to 28 Feb 2026")
    expect(funnel.locator('tr[data-stage="requested"] td')).to_have_text("1")
    expect(page.locator("#table-top-revenue")).to_contain_text("Bea Mix")
    expect(page.locator("#table-top-revenue")).to_contain_text("80.00 EUR")
    assert_same_document(page)
    assert "start=2026-02-01" in page.url

    page.get_by_role("navigation", name="Label admin").get_by_role("link", name="Reports").click()
    page.get_by_label("Metrics").select_option("revenue")
    page.get_by_label("Group by").select_option("associate")
    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-02-28")
    mark_document(page)
    page.get_by_role("button", name="Run report").click()

    table = page.locator("#report-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Ada Sound")
    assert_same_document(page)
    check_page(page, "reports")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows == [
        ["Professional", "Currency", "Payments", "Net revenue"],
        ["Ada Sound", "EUR", "1", "150.00"],
        ["Bea Mix", "EUR", "1", "80.00"],
    ]
