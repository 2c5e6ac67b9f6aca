"""Forms of the availability page. They parse and check shapes; the services in
``associates.availability`` own the rules (overlaps, past dates, permissions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.associates.models import Associate, DateException, WeeklyRule
from mylabel.core.forms import SectionForm


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M", attrs={"step": 300})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class WeeklyRuleForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WeeklyRule.Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())


class DateExceptionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("This date"), choices=DateException.Kind.choices, initial="blocked"
    )
    start_time = forms.TimeField(
        label=_("From"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave both times empty to block the whole day."),
    )
    end_time = forms.TimeField(label=_("To"), required=False, widget=TimeInput())
    note = forms.CharField(label=_("Note (only you see it)"), max_length=120, required=False)


class BookingRulesForm(SectionForm[Associate]):
    class Meta:
        model = Associate
        fields = ["buffer_minutes", "notice_amount", "notice_unit", "horizon_days"]
        help_texts = {
            "buffer_minutes": _("Kept free before and after every booking."),
            "notice_amount": _(
                "In hours, or in whole calendar days between the request and the session "
                "(1 day: a request on Monday can book from Wednesday)."
            ),
            "horizon_days": _("How far ahead artists can book you."),
        }


class ExternalCalendarForm(forms.Form):
    external_calendar_url = forms.CharField(
        label=_("Calendar address (iCal)"),
        max_length=1000,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=_(
            "The secret iCal address of your Google, Apple or Outlook calendar. Its events "
            "block your availability. Leave empty to stop importing."
        ),
    )
