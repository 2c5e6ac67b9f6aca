"""``/reports/``: custom reports (issue 8 point 2), label admins only.

The report form is a GET form: htmx swaps the ``report-results`` partial and pushes the
address, without JavaScript the page reloads; column headers sort the same way. The CSV export
is the same address's report at ``/reports/export.csv``. Saving, renaming and deleting a report
definition are plain POST forms that redirect back, with the outcome as a message.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.accounts.models import User
from mylabel.analytics import services
from mylabel.analytics.access import label_admin_required
from mylabel.analytics.export import csv_lines, format_value
from mylabel.analytics.models import SavedReport
from mylabel.analytics.reports import PAGE_ROWS, ReportForm
from mylabel.analytics.window import label_today
from mylabel.core.htmx import HtmxHttpRequest

TEMPLATE = "analytics/reports.html"
DEFAULTS = QueryDict("metric=bookings&group_by=associate")


def _form(request: HttpRequest) -> ReportForm:
    return ReportForm(request.GET if request.GET else DEFAULTS)


def _sorting_links(form: ReportForm, query: QueryDict) -> list[dict[str, Any]]:
    """Each column's header link: sorting by it, or reversing the order if it is the sort."""
    report = form.report
    current = report.effective_sort
    headers = []
    for column in report.columns():
        is_current = column.key == current
        descending = not report.descending if is_current else column.numeric
        params = query.copy()
        params["sort"] = column.key
        params["order"] = "desc" if descending else "asc"
        headers.append(
            {
                "column": column,
                "url": f"{reverse('analytics:reports')}?{params.urlencode()}",
                "aria_sort": (
                    ("descending" if report.descending else "ascending") if is_current else ""
                ),
            }
        )
    return headers


@label_admin_required
@require_safe
@vary_on_headers("HX-Request")
def reports(request: HtmxHttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        report = form.report
        query = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
        rows = list(report.rows()[: PAGE_ROWS + 1])
        month = report.group_by == "month"
        context.update(
            report=report,
            headers=_sorting_links(form, query),
            rows=[
                [
                    (format_value(row[column.key], month=month), column.numeric)
                    for column in report.columns()
                ]
                for row in rows[:PAGE_ROWS]
            ],
            truncated=len(rows) > PAGE_ROWS,
            page_rows=PAGE_ROWS,
            query=query.urlencode(),
        )
    if request.htmx:
        return render(request, f"{TEMPLATE}#report-results", context)
    context["saved_reports"] = SavedReport.objects.owned_by(request.user)
    return render(request, TEMPLATE, context)


@label_admin_required
@require_safe
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The report as CSV; a bad report gets the page with its errors (400), not a file."""
    form = _form(request)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    report = form.report
    stamp = label_today().strftime("%Y%m%d")
    filename = f"mylabel-{report.metric}-by-{report.group_by}-{stamp}.csv"
    return StreamingHttpResponse(
        csv_lines(report),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _back(query: str = "") -> HttpResponse:
    return redirect(f"{reverse('analytics:reports')}{'?' + query if query else ''}")


@label_admin_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    parameters = QueryDict(request.POST.get("query", ""))
    try:
        saved = services.save_report(
            by=cast(User, request.user), name=request.POST.get("name", ""), parameters=parameters
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(parameters.urlencode())
    messages.success(request, _("Report “%(name)s” saved.") % {"name": saved.name})
    return redirect(saved.get_absolute_url())


@label_admin_required
@require_safe
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    saved = services.get_saved_report_for(cast(User, request.user), pk)
    return redirect(saved.get_absolute_url())


@label_admin_required
@require_POST
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    saved = services.get_saved_report_for(user, pk)
    try:
        services.rename_report(report=saved, by=user, name=request.POST.get("name", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Report renamed to “%(name)s”.") % {"name": saved.name})
    return _back()


@label_admin_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    saved = services.get_saved_report_for(user, pk)
    name = saved.name
    services.delete_report(report=saved, by=user)
    messages.success(request, _("Report “%(name)s” deleted.") % {"name": name})
    return _back()
