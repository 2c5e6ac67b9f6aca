"""The label admin's dashboard and reports, mounted at the site root (``/dashboard/``,
``/reports/…``)."""

from django.urls import path

from mylabel.analytics.views import dashboard, reports

app_name = "analytics"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.reports, name="reports"),
]
