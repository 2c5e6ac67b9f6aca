"""Saving, renaming and deleting report definitions. Label admins only, each their own."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from mylabel.accounts.models import User

from .models import SavedReport
from .reports import ReportForm

# The form's fields: anything else in a saved address (a page, a tracking parameter) is dropped.
REPORT_PARAMETERS = tuple(ReportForm.base_fields)


def get_saved_report_for(user: User, pk: int) -> SavedReport:
    """``user``'s saved report ``pk``; a 404 for anyone else's, so ids reveal nothing."""
    report = SavedReport.objects.owned_by(user).filter(pk=pk).first()
    if report is None:
        raise Http404(_("No such saved report."))
    return report


def _clean_name(name: str) -> str:
    name = name.strip()
    if "\x00" in name:
        # PostgreSQL text cannot hold NUL: refused here rather than failing at the INSERT.
        raise ValidationError(
            {"name": _("The name cannot contain null characters.")}, code="null_characters"
        )
    if not name:
        raise ValidationError({"name": _("Give the report a name.")}, code="required")
    if len(name) > 120:
        raise ValidationError({"name": _("Keep the name under 120 characters.")}, code="max_length")
    return name


def _clean_query(parameters: QueryDict) -> str:
    """The report's own parameters as a query string, refused unless they make a valid report."""
    kept = QueryDict(mutable=True)
    for key in REPORT_PARAMETERS:
        if parameters.get(key):
            kept[key] = parameters.get(key, "")
    if not ReportForm(kept).is_valid():
        raise ValidationError(_("Only a report that runs can be saved."), code="invalid_report")
    return kept.urlencode()


def _check(by: User) -> None:
    if not by.is_label_admin:
        raise PermissionDenied(_("Only label admins can save reports."))


@transaction.atomic
def save_report(*, by: User, name: str, parameters: QueryDict) -> SavedReport:
    _check(by)
    return SavedReport.objects.create(
        owner=by, name=_clean_name(name), query=_clean_query(parameters)
    )


@transaction.atomic
def rename_report(*, report: SavedReport, by: User, name: str) -> SavedReport:
    _check(by)
    if report.owner_id != by.pk:
        raise PermissionDenied(_("This report is not yours."))
    report.name = _clean_name(name)
    report.save(update_fields=["name", "updated_at"])
    return report


@transaction.atomic
def delete_report(*, report: SavedReport, by: User) -> None:
    _check(by)
    if report.owner_id != by.pk:
        raise PermissionDenied(_("This report is not yours."))
    report.delete()
