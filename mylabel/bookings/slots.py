"""Bookable slots: availability minus bookings minus busy times (DESIGN.md §2.4).

Everything here is arithmetic on aware datetimes; the only I/O is a fixed number of queries per
call (weekly rules, date exceptions, active bookings, busy times: four, whatever the data, when the
associate comes with its ``user`` loaded, as ``Associate.objects.for_profile()`` does).

How a slot is found, for one associate and one service:

1. **Open ranges** are built in the associate's own time zone (``associate.user.time_zone``) for
   every local date that can touch the requested window: the weekly rules of that weekday, unless
   a whole-day block covers the date, plus the date's extra open ranges. Each range becomes a UTC
   interval and overlapping or touching intervals merge, so a two-hour slot may span two adjacent
   rules (09:00-12:00 and 12:00-15:00).
2. **Candidate starts** are the wall-clock times on the ``SLOT_STEP_MINUTES`` grid (aligned to
   local midnight) inside a range. A wall time that does not exist (the spring-forward gap) is
   skipped; a wall time that happens twice (the autumn repeated hour) is offered once, at its
   first occurrence (``fold=0``). A candidate must fit with its whole duration in one open
   interval, measured in real elapsed time.
3. **Taken time** is subtracted: blocked ranges of date exceptions as they are; an active booking
   takes ``[start - buffer, blocked_until)`` (``blocked_until`` already holds the buffer after);
   an imported busy time takes ``[start - buffer, end + buffer)``. The buffer is the associate's
   current one, so a new booking keeps it on both sides.
4. **Minimum notice and horizon** bound the start: notice in hours is ``now + hours``; notice in
   calendar days counts whole days in the associate's zone between the request and the booking
   (with 1 day, a request at 23:00 on Monday may book from Wednesday 00:00; with 0, any future
   time). The horizon is a calendar limit too: the last bookable date is today + ``horizon_days``
   in the associate's zone.

A range boundary in a spring-forward gap is moved to the transition (the first wall time that
exists); an ambiguous boundary opens at its first occurrence and closes at its second, so a range
never loses time to the clock change.
"""

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.associates.models import (
    Associate,
    BusyTime,
    DateException,
    NoticeUnit,
    Service,
    WeeklyRule,
)
from mylabel.bookings.models import Booking

ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)

type Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Slot:
    """A bookable time range; both ends aware, in UTC."""

    start: datetime
    end: datetime


# --- Public interface ---------------------------------------------------------------------------


def available_slots(
    *,
    associate: Associate,
    service: Service,
    day: date,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> list[Slot]:
    """The slots of ``service`` whose start falls on ``day`` in the viewer's zone ``tz``, sorted.

    An inactive service, or one of another associate, has no slots (and costs no query).
    """
    if not _is_bookable(associate, service):
        return []
    now = _as_utc(now or timezone.now())
    window = (_local_midnight(day, tz), _local_midnight(day + ONE_DAY, tz))
    calendar = _Calendar(associate, now)
    earliest, latest_end = calendar.start_bounds()
    if window[1] <= earliest or window[0] >= latest_end:
        return []
    calendar.load(*window)
    return [
        slot
        for slot in calendar.slots(service.duration)
        if window[0] <= slot.start < window[1] and earliest <= slot.start < latest_end
    ]


def available_slots_between(
    *,
    associate: Associate,
    service: Service,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> list[Slot]:
    """``available_slots`` for every day from ``first_day`` to ``last_day`` (inclusive), sorted,
    in the same four queries as one day (the API's slot list; callers bound the span)."""
    if not _is_bookable(associate, service) or last_day < first_day:
        return []
    now = _as_utc(now or timezone.now())
    window = (_local_midnight(first_day, tz), _local_midnight(last_day + ONE_DAY, tz))
    calendar = _Calendar(associate, now)
    earliest, latest_end = calendar.start_bounds()
    if window[1] <= earliest or window[0] >= latest_end:
        return []
    # Only the part of the window where a start can be allowed needs loading.
    calendar.load(max(window[0], earliest), min(window[1], latest_end))
    return [
        slot
        for slot in calendar.slots(service.duration)
        if window[0] <= slot.start < window[1] and earliest <= slot.start < latest_end
    ]


def validate_slot(
    *, associate: Associate, service: Service, start: datetime, now: datetime | None = None
) -> Slot:
    """The slot of ``service`` starting at ``start`` (aware), or ``ValidationError`` saying why it
    cannot be booked. Checked in this order, each with its own ``code``: ``inactive_service``,
    ``past``, ``notice``, ``horizon``, ``unavailable``, ``booked``, ``busy``."""
    if timezone.is_naive(start):
        raise ValueError("validate_slot() needs an aware start.")
    if not _is_bookable(associate, service):
        raise ValidationError(
            _("This service cannot be booked at the moment."), code="inactive_service"
        )
    now = _as_utc(now or timezone.now())
    start = _as_utc(start)
    if start <= now:
        raise ValidationError(_("This time is in the past."), code="past")
    calendar = _Calendar(associate, now)
    earliest, latest_end = calendar.start_bounds()
    if start < earliest:
        raise ValidationError(_notice_message(associate), code="notice")
    if start >= latest_end:
        raise ValidationError(
            ngettext(
                "This professional can be booked at most %(days)d day ahead.",
                "This professional can be booked at most %(days)d days ahead.",
                associate.horizon_days,
            )
            % {"days": associate.horizon_days},
            code="horizon",
        )
    slot = Slot(start=start, end=start + service.duration)
    calendar.load(start, slot.end)
    if start not in calendar.candidate_starts(service.duration):
        raise ValidationError(
            _("This time is outside the professional's availability."), code="unavailable"
        )
    if _overlaps_any(slot, calendar.booked):
        raise ValidationError(_("This time is already booked."), code="booked")
    if _overlaps_any(slot, calendar.busy):
        raise ValidationError(_("The professional is busy at this time."), code="busy")
    return slot


# --- Time zone arithmetic -----------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _exists(wall: datetime) -> bool:
    """Whether the naive-looking wall time ``wall`` (aware, in its zone) exists on the clock:
    a time in the spring-forward gap does not survive the round trip through UTC."""
    back = wall.astimezone(UTC).astimezone(wall.tzinfo)
    return back.replace(tzinfo=None, fold=0) == wall.replace(tzinfo=None, fold=0)


def _wall_to_utc(day: date, wall: time, tz: ZoneInfo, *, fold: int) -> datetime:
    """The instant of wall time ``wall`` on ``day`` in ``tz``. ``fold`` picks the occurrence of a
    repeated wall time (0: first, 1: second); a wall time in a gap becomes the transition, i.e.
    the first wall time after it that exists."""
    local = datetime.combine(day, wall, tzinfo=tz).replace(fold=fold)
    if _exists(local):
        return _as_utc(local)
    # Gaps are at most a few hours long and come on whole minutes.
    probe = local.replace(second=0, microsecond=0, fold=0)
    while not _exists(probe):
        probe = (probe.replace(tzinfo=None) + ONE_MINUTE).replace(tzinfo=tz)
    return _as_utc(probe)


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``tz`` (a few zones skip midnight itself)."""
    return _wall_to_utc(day, time(0), tz, fold=0)


def _local_dates(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """Local dates in ``tz`` that the instants [start, end) touch, plus one on each side, so open
    ranges that touch across midnight merge."""
    first = start.astimezone(tz).date() - ONE_DAY
    last = (end - ONE_MINUTE).astimezone(tz).date() + ONE_DAY
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlaps_any(slot: Slot, intervals: Iterable[Interval]) -> bool:
    return any(start < slot.end and slot.start < end for start, end in intervals)


def _contained(start: datetime, end: datetime, merged: list[Interval]) -> bool:
    """Whether [start, end) lies inside one of the sorted, disjoint ``merged`` intervals."""
    index = bisect.bisect_right(merged, (start, datetime.max.replace(tzinfo=UTC))) - 1
    return index >= 0 and merged[index][0] <= start and end <= merged[index][1]


# --- The associate's calendar -------------------------------------------------------------------


def _is_bookable(associate: Associate, service: Service) -> bool:
    return service.is_active and service.associate_id == associate.pk


def _notice_message(associate: Associate) -> str:
    if associate.notice_unit == NoticeUnit.DAYS:
        return ngettext(
            "This professional needs %(count)d full calendar day of notice.",
            "This professional needs %(count)d full calendar days of notice.",
            associate.notice_amount,
        ) % {"count": associate.notice_amount}
    return ngettext(
        "This professional needs at least %(count)d hour of notice.",
        "This professional needs at least %(count)d hours of notice.",
        associate.notice_amount,
    ) % {"count": associate.notice_amount}


class _Calendar:
    """One associate's open ranges and taken time around a window, loaded in four queries."""

    def __init__(self, associate: Associate, now: datetime) -> None:
        self.associate = associate
        self.now = now
        self.tz = ZoneInfo(associate.user.time_zone)
        self.buffer = timedelta(minutes=associate.buffer_minutes)
        self.dates: list[date] = []
        self.open: list[Interval] = []
        self.blocked: list[Interval] = []
        self.booked: list[Interval] = []
        self.busy: list[Interval] = []
        self._ranges: list[tuple[date, time, time]] = []

    def start_bounds(self) -> tuple[datetime, datetime]:
        """Earliest allowed start (notice) and the instant starts must come before (horizon)."""
        today = self.now.astimezone(self.tz).date()
        amount = self.associate.notice_amount
        if self.associate.notice_unit == NoticeUnit.DAYS and amount:
            earliest = _local_midnight(today + timedelta(days=amount + 1), self.tz)
        elif self.associate.notice_unit == NoticeUnit.DAYS:
            earliest = self.now
        else:
            earliest = self.now + timedelta(hours=amount)
        horizon = today + timedelta(days=self.associate.horizon_days + 1)
        return max(earliest, self.now), _local_midnight(horizon, self.tz)

    def load(self, start: datetime, end: datetime) -> None:
        """Read everything that bears on starts in [start, end) (UTC)."""
        self.dates = _local_dates(start, end, self.tz)
        weekdays = {day.weekday() for day in self.dates}
        rules = list(
            WeeklyRule.objects.filter(associate=self.associate, weekday__in=weekdays).only(
                "weekday", "start_time", "end_time"
            )
        )
        exceptions = list(
            DateException.objects.filter(
                associate=self.associate, date__range=(self.dates[0], self.dates[-1])
            ).only("date", "kind", "start_time", "end_time")
        )
        span_start = _local_midnight(self.dates[0], self.tz) - self.buffer
        span_end = _local_midnight(self.dates[-1] + ONE_DAY, self.tz) + self.buffer
        self.booked = [
            (booking_start - self.buffer, blocked_until)
            for booking_start, blocked_until in Booking.objects.active()
            .filter(associate=self.associate, start__lt=span_end, blocked_until__gt=span_start)
            .values_list("start", "blocked_until")
        ]
        self.busy = [
            (busy_start - self.buffer, busy_end + self.buffer)
            for busy_start, busy_end in BusyTime.objects.filter(
                associate=self.associate, start__lt=span_end, end__gt=span_start
            ).values_list("start", "end")
        ]
        self._build_ranges(rules, exceptions)

    def _build_ranges(self, rules: list[WeeklyRule], exceptions: list[DateException]) -> None:
        whole_day_blocks = {
            exception.date
            for exception in exceptions
            if exception.kind == DateException.Kind.BLOCKED and exception.start_time is None
        }
        rules_by_weekday: dict[int, list[WeeklyRule]] = {}
        for rule in rules:
            rules_by_weekday.setdefault(rule.weekday, []).append(rule)
        ranges: list[tuple[date, time, time]] = []
        for day in self.dates:
            if day not in whole_day_blocks:
                ranges += [
                    (day, rule.start_time, rule.end_time)
                    for rule in rules_by_weekday.get(day.weekday(), [])
                ]
        blocked: list[Interval] = []
        for exception in exceptions:
            if exception.start_time is None or exception.end_time is None:
                continue
            if exception.kind == DateException.Kind.OPEN:
                ranges.append((exception.date, exception.start_time, exception.end_time))
            else:
                blocked.append(
                    self._interval(exception.date, exception.start_time, exception.end_time)
                )
        self._ranges = ranges
        self.open = _merge(self._interval(day, start, end) for day, start, end in ranges)
        self.blocked = blocked

    def _interval(self, day: date, start: time, end: time) -> Interval:
        # Widest reading of a repeated hour: open at its first occurrence, close at its second.
        return (
            _wall_to_utc(day, start, self.tz, fold=0),
            _wall_to_utc(day, end, self.tz, fold=1),
        )

    def _grid(self) -> Iterator[datetime]:
        """Each wall time on the step grid inside an open range, once, as UTC."""
        step = settings.SLOT_STEP_MINUTES
        seen: set[tuple[date, int]] = set()
        for day, start, end in self._ranges:
            first = -(-(start.hour * 60 + start.minute) // step) * step
            last = end.hour * 60 + end.minute
            for minutes in range(first, last, step):
                if (day, minutes) in seen:
                    continue
                seen.add((day, minutes))
                wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)
                if _exists(wall):  # the spring-forward gap offers nothing
                    yield _as_utc(wall)  # fold=0: a repeated wall time once, first occurrence

    def candidate_starts(self, duration: timedelta) -> set[datetime]:
        """Grid starts whose whole duration fits in open time and misses blocked ranges."""
        starts = set()
        for start in self._grid():
            slot = Slot(start=start, end=start + duration)
            if _contained(slot.start, slot.end, self.open) and not _overlaps_any(
                slot, self.blocked
            ):
                starts.add(start)
        return starts

    def slots(self, duration: timedelta) -> list[Slot]:
        """Candidate starts that no booking or busy time takes, sorted."""
        taken = _merge(self.booked + self.busy)
        slots = (
            Slot(start=start, end=start + duration) for start in self.candidate_starts(duration)
        )
        return sorted(
            (slot for slot in slots if not _overlaps_any(slot, taken)),
            key=lambda slot: slot.start,
        )
