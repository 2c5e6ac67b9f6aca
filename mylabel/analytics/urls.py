"""The label admin's dashboard and reports, mounted at the site root (``/dashboard/``,
``/reports/…``)."""

from django.urls import path

from mylabel.analytics.views import dashboard, reports

app_name = "analytics"
urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.reports, name="reports"),
    path("reports/export.csv", reports.export, name="report_export"),
    path("reports/saved/", reports.save, name="report_save"),
    path("reports/saved/<int:pk>/", reports.rerun, name="saved_report"),
    path("reports/saved/<int:pk>/rename/", reports.rename, name="saved_report_rename"),
    path("reports/saved/<int:pk>/delete/", reports.delete, name="saved_report_delete"),
]
