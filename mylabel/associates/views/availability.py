"""The professional's availability page (DESIGN.md §2.4): weekly hours, date exceptions, booking
rules and the external calendar, each an inline partial of ``associates/availability.html``
named like its DOM id (``availability-<section>``).

Only the owner reaches any of it; everyone else gets 404, as for a profile that does not exist.
Every form posts as plain HTML (redirect back to the section) or with htmx (the section swapped,
the message as a toast); writes go through ``associates.availability``.
"""

from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mylabel.accounts.models import User
from mylabel.associates import availability
from mylabel.associates.forms_availability import (
    BookingRulesForm,
    DateExceptionForm,
    ExternalCalendarForm,
    WeeklyRuleForm,
)
from mylabel.associates.models import Associate, DateException, WeeklyRule
from mylabel.associates.selectors import get_associate_for
from mylabel.core.forms import add_service_error
from mylabel.core.htmx import HtmxHttpRequest, render_fragments

TEMPLATE = "associates/availability.html"


def _owner_associate(request: HtmxHttpRequest, slug: str) -> tuple[Associate, User]:
    associate = get_associate_for(request.user, slug, write=True)
    return associate, cast(User, request.user)  # write=True passed: the signed-in owner


def _context(associate: Associate, **forms_in_use: forms.BaseForm) -> dict[str, Any]:
    """Everything the page shows; bound forms (with errors) replace the blank ones."""
    rules = list(WeeklyRule.objects.filter(associate=associate))
    today = timezone.now().astimezone(ZoneInfo(associate.user.time_zone)).date()
    context: dict[str, Any] = {
        "associate": associate,
        "weekdays": [
            (label, [rule for rule in rules if rule.weekday == value])
            for value, label in WeeklyRule.Weekday.choices
        ],
        "exceptions": DateException.objects.filter(associate=associate, date__gte=today),
        "weekly_form": WeeklyRuleForm(),
        "exception_form": DateExceptionForm(),
        "rules_form": BookingRulesForm(instance=associate),
        "calendar_form": ExternalCalendarForm(
            initial={"external_calendar_url": associate.external_calendar_url}
        ),
        "associate_time_zone": associate.user.time_zone,
    }
    context.update(forms_in_use)
    return context


def _answer(
    request: HtmxHttpRequest,
    associate: Associate,
    section: str,
    *,
    saved: str | None = None,
    **forms_in_use: forms.BaseForm,
) -> HttpResponse:
    """After a write (``saved`` says what happened) or a refusal (the bound form carries the
    errors): the section for htmx, a redirect or the whole page otherwise."""
    if saved:
        messages.success(request, saved)
        if not request.htmx:
            page = reverse("associates:availability", args=[associate.slug])
            return redirect(f"{page}#availability-{section}")
    context = _context(associate, **forms_in_use)
    if request.htmx:
        return render_fragments(request, TEMPLATE, [f"availability-{section}"], context)
    return render(request, TEMPLATE, context)


@require_safe
def availability_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, _owner = _owner_associate(request, slug)
    return render(request, TEMPLATE, _context(associate))


@require_POST
def weekly_rule_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    form = WeeklyRuleForm(request.POST)
    if form.is_valid():
        try:
            availability.add_weekly_rule(associate=associate, by=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _answer(request, associate, "weekly", saved=_("Your hours are saved."))
    return _answer(request, associate, "weekly", weekly_form=form)


@require_POST
def weekly_rule_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    rule = get_object_or_404(
        WeeklyRule.objects.select_related("associate"), pk=pk, associate=associate
    )
    availability.delete_weekly_rule(rule=rule, by=owner)
    return _answer(request, associate, "weekly", saved=_("Those hours are removed."))


@require_POST
def date_exception_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    form = DateExceptionForm(request.POST)
    if form.is_valid():
        try:
            availability.add_date_exception(associate=associate, by=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _answer(request, associate, "exceptions", saved=_("The date is saved."))
    return _answer(request, associate, "exceptions", exception_form=form)


@require_POST
def date_exception_delete(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    exception = get_object_or_404(
        DateException.objects.select_related("associate"), pk=pk, associate=associate
    )
    availability.delete_date_exception(exception=exception, by=owner)
    return _answer(request, associate, "exceptions", saved=_("The date is removed."))


@require_POST
def booking_rules_update(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    form = BookingRulesForm(request.POST, instance=associate)
    if form.is_valid():
        try:
            availability.update_booking_rules(associate=associate, by=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _answer(request, associate, "rules", saved=_("Your booking rules are saved."))
    return _answer(request, associate, "rules", rules_form=form)


@require_POST
def external_calendar_update(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    form = ExternalCalendarForm(request.POST)
    if form.is_valid():
        try:
            availability.set_external_calendar(
                associate=associate, by=owner, url=form.cleaned_data["external_calendar_url"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            # The sync may have run already (immediate task backend): show its outcome.
            associate.refresh_from_db()
            saved = (
                _("Your calendar is connected.")
                if associate.external_calendar_url
                else _("Your calendar is disconnected.")
            )
            return _answer(request, associate, "calendar", saved=saved)
    return _answer(request, associate, "calendar", calendar_form=form)


@require_POST
def external_calendar_sync(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    associate, owner = _owner_associate(request, slug)
    try:
        availability.request_calendar_sync(associate=associate, by=owner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not request.htmx:
            return redirect(
                f"{reverse('associates:availability', args=[slug])}#availability-calendar"
            )
        return _answer(request, associate, "calendar")
    associate.refresh_from_db()
    return _answer(request, associate, "calendar", saved=_("Your calendar is being synced."))
