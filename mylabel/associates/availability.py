"""Services that change a professional's availability (DESIGN.md §2.4): weekly rules, date
exceptions, booking rules, and the external calendar whose events become busy times.

Every function is keyword-only, transactional and owner-checked: ``by`` must be the associate's
own user, or ``PermissionDenied``. Invalid input raises ``ValidationError`` naming the field, and
nothing is written. Times are wall times in the associate's own zone (``user.time_zone``); the
slot maths in ``mylabel.bookings.slots`` reads them.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.associates.models import (
    Associate,
    BusyTime,
    DateException,
    NoticeUnit,
    WeeklyRule,
)

# Longest text kept from an import error (the column's size).
SYNC_ERROR_MAX_LENGTH = 300


@dataclass(frozen=True)
class BusyPeriod:
    """One busy range read from an external calendar; aware datetimes."""

    start: datetime
    end: datetime
    summary: str = ""


def _check_owner(associate: Associate, by: User) -> None:
    if associate.user_id != by.pk:
        raise PermissionDenied(_("Only the professional can change their availability."))


def _check_range(start: time | None, end: time | None) -> None:
    if start is None or end is None:
        raise ValidationError({"end_time": _("Give both a start and an end time.")})
    if end <= start:
        raise ValidationError({"end_time": _("The end must be after the start.")})


def _today_for(associate: Associate) -> date:
    return timezone.now().astimezone(ZoneInfo(associate.user.time_zone)).date()


# --- Weekly rules -------------------------------------------------------------------------------


@transaction.atomic
def add_weekly_rule(
    *, associate: Associate, by: User, weekday: int, start_time: time, end_time: time
) -> WeeklyRule:
    """A new open range on ``weekday`` (0 = Monday). Ranges of one day may touch but not
    overlap."""
    _check_owner(associate, by)
    if weekday not in WeeklyRule.Weekday.values:
        raise ValidationError({"weekday": _("Choose a day of the week.")})
    _check_range(start_time, end_time)
    # Locks the associate's row so two concurrent additions cannot both pass the overlap check.
    Associate.objects.select_for_update().filter(pk=associate.pk).first()
    clash = (
        WeeklyRule.objects.filter(
            associate=associate, weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
        )
        .order_by("start_time")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("This overlaps your %(range)s hours on that day.")
            % {"range": f"{clash.start_time:%H:%M}–{clash.end_time:%H:%M}"}  # noqa: RUF001
        )
    return WeeklyRule.objects.create(
        associate=associate, weekday=weekday, start_time=start_time, end_time=end_time
    )


@transaction.atomic
def delete_weekly_rule(*, rule: WeeklyRule, by: User) -> None:
    _check_owner(rule.associate, by)
    rule.delete()


# --- Date exceptions ----------------------------------------------------------------------------


@transaction.atomic
def add_date_exception(
    *,
    associate: Associate,
    by: User,
    date: date,
    kind: str,
    start_time: time | None = None,
    end_time: time | None = None,
    note: str = "",
) -> DateException:
    """A date that differs from the weekly rules: ``blocked`` with no times blocks the whole day,
    ``blocked`` with times blocks that range, ``open`` (times required) adds an opening."""
    _check_owner(associate, by)
    if kind not in DateException.Kind.values:
        raise ValidationError({"kind": _("Choose whether the date is blocked or open.")})
    if date < _today_for(associate):
        raise ValidationError({"date": _("This date is in the past.")})
    whole_day = start_time is None and end_time is None
    if kind == DateException.Kind.OPEN and whole_day:
        raise ValidationError({"start_time": _("Give the hours of the extra opening.")})
    if not whole_day:
        _check_range(start_time, end_time)
    if kind == DateException.Kind.BLOCKED and whole_day:
        already = DateException.objects.filter(
            associate=associate, date=date, kind=kind, start_time__isnull=True
        ).exists()
        if already:
            raise ValidationError({"date": _("This whole day is already blocked.")})
    return DateException.objects.create(
        associate=associate,
        date=date,
        kind=kind,
        start_time=start_time,
        end_time=end_time,
        note=note.strip(),
    )


@transaction.atomic
def delete_date_exception(*, exception: DateException, by: User) -> None:
    _check_owner(exception.associate, by)
    exception.delete()


# --- Booking rules ------------------------------------------------------------------------------


@transaction.atomic
def update_booking_rules(
    *,
    associate: Associate,
    by: User,
    buffer_minutes: int,
    notice_amount: int,
    notice_unit: str,
    horizon_days: int,
) -> Associate:
    """Buffer between bookings, minimum notice (hours or calendar days) and booking horizon.
    Existing bookings keep the buffer they were made with."""
    _check_owner(associate, by)
    if notice_unit not in NoticeUnit.values:
        raise ValidationError({"notice_unit": _("Choose hours or calendar days.")})
    values = {
        "buffer_minutes": buffer_minutes,
        "notice_amount": notice_amount,
        "notice_unit": notice_unit,
        "horizon_days": horizon_days,
    }
    # The model's validators (ranges) are the rule; checked on a copy so a refusal leaves the
    # caller's object as it was.
    candidate = copy.copy(associate)
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.clean_fields(exclude=[f.name for f in Associate._meta.fields if f.name not in values])
    for name, value in values.items():
        setattr(associate, name, value)
    associate.save(update_fields=[*values, "updated_at"])
    return associate


# --- External calendar --------------------------------------------------------------------------


def normalise_calendar_url(url: str) -> str:
    """``webcal://`` (what Apple and others hand out) is HTTPS; only http(s) is accepted."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(
                {"external_calendar_url": _("Enter the calendar's http(s) or webcal address.")}
            ) from None
    return url


@transaction.atomic
def set_external_calendar(*, associate: Associate, by: User, url: str) -> Associate:
    """Store (or, with an empty ``url``, remove) the iCal address and sync it after commit.
    Removing it also removes its busy times."""
    from mylabel.associates.tasks import sync_external_calendar

    _check_owner(associate, by)
    url = normalise_calendar_url(url)
    if len(url) > Associate._meta.get_field("external_calendar_url").max_length:  # type: ignore[operator]
        raise ValidationError({"external_calendar_url": _("This address is too long.")})
    associate.external_calendar_url = url
    associate.calendar_sync_error = ""
    associate.calendar_synced_at = None
    associate.save(
        update_fields=[
            "external_calendar_url",
            "calendar_sync_error",
            "calendar_synced_at",
            "updated_at",
        ]
    )
    if url:
        pk = associate.pk
        transaction.on_commit(lambda: sync_external_calendar.enqueue(pk))
    else:
        BusyTime.objects.filter(associate=associate).delete()
    return associate


@transaction.atomic
def request_calendar_sync(*, associate: Associate, by: User) -> None:
    """ "Sync now": enqueue an import of the external calendar after commit."""
    from mylabel.associates.tasks import sync_external_calendar

    _check_owner(associate, by)
    if not associate.external_calendar_url:
        raise ValidationError(_("Add your calendar's address first."))
    pk = associate.pk
    transaction.on_commit(lambda: sync_external_calendar.enqueue(pk))


@transaction.atomic
def import_busy_times(
    *, associate: Associate, periods: Iterable[BusyPeriod], synced_at: datetime | None = None
) -> int:
    """Replace the associate's busy times with ``periods`` (empty ones are skipped) and record a
    successful sync. Called by the sync task, not by a user: no owner check. Returns the count."""
    rows = [
        BusyTime(
            associate=associate,
            start=period.start,
            end=period.end,
            summary=period.summary[: BusyTime._meta.get_field("summary").max_length],
        )
        for period in periods
        if period.end > period.start
    ]
    BusyTime.objects.filter(associate=associate).delete()
    BusyTime.objects.bulk_create(rows, batch_size=500)
    associate.calendar_synced_at = synced_at or timezone.now()
    associate.calendar_sync_error = ""
    associate.save(update_fields=["calendar_synced_at", "calendar_sync_error"])
    return len(rows)


@transaction.atomic
def record_calendar_sync_error(*, associate: Associate, error: str) -> None:
    """Keep the last good busy times and say why this sync failed."""
    associate.calendar_sync_error = error[:SYNC_ERROR_MAX_LENGTH]
    associate.save(update_fields=["calendar_sync_error"])
