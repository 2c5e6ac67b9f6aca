from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SavedReportQuerySet(models.QuerySet["SavedReport"]):
    def owned_by(self, user: object) -> "SavedReportQuerySet":
        return self.filter(owner=user)


class SavedReport(models.Model):
    """A label admin's named report: the report form's query string, rerun by opening it. Kept
    as the query string rather than columns, so a report saved before a new filter existed
    still opens (the form fills in the default)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[SavedReportQuerySet] = SavedReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('analytics:reports')}?{self.query}"
