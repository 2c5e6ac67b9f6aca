"""Forms of the booking pages. They parse input only; the services decide and write."""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Status
from mylabel.bookings.services import REASON_MAX_LENGTH

# Longer than any service, buffer or time zone offset.
MARGIN = datetime.timedelta(days=2)


class SlotQueryForm(forms.Form):
    """Which service and day to list free times for (the booking page's GET form).

    ``services`` are the associate's active services when the caller has read them already (the
    booking page uses them for its defaults too); the form reads them otherwise. Either way they
    are read once: choosing, validating and rendering the select use that list.
    """

    service = forms.TypedChoiceField(
        label=_("Service"),
        coerce=int,
        # ModelChoiceField's wording (and Django's translation): a tampered value is not quoted.
        error_messages={
            "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        *args: Any,
        associate: Associate,
        today: datetime.date,
        services: Sequence[Service] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        offered = associate.services.active() if services is None else services
        self.services = {service.pk: service for service in offered}
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.TypedChoiceField)
        service_field.choices = [(pk, str(service)) for pk, service in self.services.items()]
        self.today = today
        self.last_day = today + datetime.timedelta(days=associate.horizon_days)
        self.fields["date"].widget.attrs.update(
            {"min": today.isoformat(), "max": self.last_day.isoformat()}
        )

    def clean_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if day < self.today:
            raise ValidationError(_("Choose today or a later date."))
        if day > self.last_day:
            raise ValidationError(
                _("Choose a date until %(date)s: this professional takes bookings that far ahead.")
                % {"date": formats.date_format(self.last_day)}
            )
        return day


class BookingRequestForm(SlotQueryForm):
    """The request itself: a service, a day, one of that day's start times and a message.
    Price, currency and status are never read from the request: the service copies them."""

    start = forms.CharField(
        label=_("Time"), error_messages={"required": _("Choose one of the free times.")}
    )
    message = forms.CharField(
        label=_("Message to the professional"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would like to work on, references, anything they should know."),
    )

    def clean_date(self) -> datetime.date | None:  # type: ignore[override]
        # Only the day whose times are listed again if the request fails: ``start`` is what is
        # booked, and the service checks it. A day out of range is dropped, not an error.
        try:
            return super().clean_date()
        except ValidationError:
            return None

    def clean_start(self) -> datetime.datetime:
        try:
            start = datetime.datetime.fromisoformat(self.cleaned_data["start"])
        except ValueError as error:
            raise ValidationError(_("Choose one of the free times.")) from error
        if timezone.is_naive(start):
            raise ValidationError(_("Choose one of the free times."))
        try:
            # Times at the ends of the calendar overflow once moved to UTC or lengthened.
            start.astimezone(datetime.UTC) + MARGIN
            start.astimezone(datetime.UTC) - MARGIN
        except OverflowError as error:
            raise ValidationError(_("Choose one of the free times.")) from error
        return start


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolveDisputeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Status.COMPLETED, _("Completed: the professional keeps the payment")),
            (Status.CANCELLED, _("Cancelled: refund the artist")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Decision"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


ROLE_CHOICES = [
    ("", _("All my bookings")),
    ("artist", _("As artist")),
    ("professional", _("As professional")),
]


class BookingFilterForm(forms.Form):
    """The list's filters; invalid values fall back to "all" rather than failing the page."""

    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )

    def __init__(self, *args: Any, label_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label_admin:
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.choices = [*ROLE_CHOICES, ("disputes", _("Disputes to resolve (label admin)"))]

    @classmethod
    def from_query(cls, query: Any, *, label_admin: bool = False) -> "BookingFilterForm":
        form = cls(query, label_admin=label_admin)
        if not form.is_valid():
            valid = {key: query.get(key, "") for key in form.fields if key not in form.errors}
            form = cls(valid, label_admin=label_admin)
            form.is_valid()
        return form
