"""``/dashboard/``: the label's numbers over a date range (issue 8 point 1), label admins only.

The controls are a GET form: htmx swaps the ``dashboard-panels`` partial in place and pushes the
address, without JavaScript the form reloads the page with the same parameters. A bad range
shows the form's error instead of the panels, never a 500.
"""

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.analytics import metrics
from mylabel.analytics.access import label_admin_required
from mylabel.analytics.charts import bar_chart
from mylabel.analytics.window import Window, WindowForm
from mylabel.core.htmx import HtmxHttpRequest

TEMPLATE = "analytics/dashboard.html"


def panels(window: Window) -> dict[str, Any]:
    """Every panel's numbers: one query each (see ``metrics``)."""
    bookings = metrics.bookings_over_time(window)
    revenue = metrics.revenue_over_time(window)
    members = metrics.members_over_time(window)
    reviews = metrics.review_trends(window)
    funnel = metrics.funnel(window)
    return {
        "bookings": bookings,
        "bookings_chart": bar_chart([(point.label, point.value) for point in bookings]),
        "revenue": [
            {
                "currency": currency,
                "points": points,
                "chart": bar_chart([(point.label, point.value) for point in points]),
            }
            for currency, points in revenue.items()
        ],
        "members": members,
        "members_chart": bar_chart([(point.label, point.value) for point in members]),
        "reviews": reviews,
        "rating_chart": bar_chart([(point.label, point.average_rating) for point in reviews]),
        "funnel": [(stage, funnel[stage]) for stage in metrics.FUNNEL_STAGES],
        "funnel_exits": [(stage, funnel[stage]) for stage in metrics.FUNNEL_EXITS],
        "top_by_bookings": metrics.top_associates_by_bookings(window),
        "top_by_revenue": metrics.top_associates_by_revenue(window),
        "top_by_rating": metrics.top_associates_by_rating(window),
        "genres": metrics.busiest_genres(window),
        "professions": metrics.busiest_professions(window),
    }


@label_admin_required
@require_safe
@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    form = WindowForm(request.GET or None)
    window = form.window if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        window = Window.default()
        form = WindowForm(
            initial={
                "start": window.start,
                "end": window.end,
                "granularity": window.granularity,
            }
        )
    context: dict[str, Any] = {"form": form, "window": window, "time_zone": settings.TIME_ZONE}
    if window is not None:
        context.update(panels(window))
    template = f"{TEMPLATE}#dashboard-panels" if request.htmx else TEMPLATE
    return render(request, template, context)
