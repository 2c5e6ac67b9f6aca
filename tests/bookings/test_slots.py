"""Slot maths (mylabel.bookings.slots): weekly rules, exceptions, buffers, notice, horizon,
bookings and busy times, across daylight-saving changes and between time zones."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from mylabel.associates.models import (
    Associate,
    BusyTime,
    DateException,
    NoticeUnit,
    Service,
    WeeklyRule,
)
from mylabel.bookings.models import Booking, Status
from mylabel.bookings.slots import Slot, available_slots, validate_slot
from tests.profile_factories import AssociateFactory

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
# A Monday in winter, far from any clock change.
MONDAY = date(2026, 1, 12)
# Long before every day the tests look at, so notice and horizon stay out of the way.
EARLY = datetime(2026, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = ROME, fold: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).replace(fold=fold).astimezone(UTC)


@pytest.fixture
def pro(marco: Associate) -> Associate:
    """Marco in Rome with no buffer, no notice and a year of horizon: each test adds the rule it
    is about."""
    marco.user.time_zone = "Europe/Rome"
    marco.user.save(update_fields=["time_zone"])
    marco.buffer_minutes = 0
    marco.notice_amount = 0
    marco.notice_unit = NoticeUnit.HOURS
    marco.horizon_days = 365
    marco.save()
    return Associate.objects.select_related("user").get(pk=marco.pk)


@pytest.fixture
def hour_session(pro: Associate) -> Service:
    return Service.objects.create(
        associate=pro, name="Mixing session", price=Decimal("80.00"), duration_minutes=60
    )


def weekly(pro: Associate, day: date, start: str, end: str) -> WeeklyRule:
    return WeeklyRule.objects.create(
        associate=pro,
        weekday=day.weekday(),
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
    )


def book(pro: Associate, service: Service, nina, start: datetime, status=Status.REQUESTED):
    end = start + service.duration
    return Booking.objects.create(
        artist=nina,
        associate=pro,
        service=service,
        start=start,
        end=end,
        blocked_until=end + timedelta(minutes=pro.buffer_minutes),
        status=status,
        price=service.price,
        expires_at=start,
    )


def starts(pro, service, day, tz=ROME, now=EARLY) -> list[datetime]:
    slots = available_slots(associate=pro, service=service, day=day, tz=tz, now=now)
    return [slot.start for slot in slots]


def wall_times(values: list[datetime], tz: ZoneInfo = ROME) -> list[str]:
    return [value.astimezone(tz).strftime("%H:%M") for value in values]


# --- Weekly rules and the grid ------------------------------------------------------------------


def test_a_weekly_rule_offers_a_start_every_thirty_minutes_that_fits_the_service(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")

    slots = available_slots(associate=pro, service=hour_session, day=MONDAY, tz=ROME, now=EARLY)

    assert slots[0] == Slot(start=utc(2026, 1, 12, 8, 0), end=utc(2026, 1, 12, 9, 0))
    assert wall_times([slot.start for slot in slots]) == [
        "09:00", "09:30", "10:00", "10:30", "11:00"
    ]  # fmt: skip
    assert all(slot.start.tzinfo is UTC for slot in slots)


def test_starts_are_aligned_to_the_grid_even_when_a_rule_starts_off_it(pro, hour_session):
    weekly(pro, MONDAY, "09:10", "11:00")

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["09:30", "10:00"]


def test_several_ranges_a_day_each_offer_their_own_slots(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "10:00")
    weekly(pro, MONDAY, "15:00", "16:30")

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["09:00", "15:00", "15:30"]


def test_adjacent_ranges_join_so_a_long_session_can_span_both(pro):
    long_session = Service.objects.create(
        associate=pro, name="Long", price=Decimal("200"), duration_minutes=120
    )
    weekly(pro, MONDAY, "09:00", "10:00")
    weekly(pro, MONDAY, "10:00", "11:00")

    assert wall_times(starts(pro, long_session, MONDAY)) == ["09:00"]


def test_a_day_without_rules_has_no_slots(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")

    assert starts(pro, hour_session, MONDAY + timedelta(days=1)) == []


# --- Daylight saving ----------------------------------------------------------------------------


def test_rome_spring_forward_skips_the_missing_hour_and_keeps_real_durations(pro, hour_session):
    sunday = date(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
    weekly(pro, sunday, "01:00", "05:00")

    result = starts(pro, hour_session, sunday)

    assert wall_times(result) == ["01:00", "01:30", "03:00", "03:30", "04:00"]
    assert result[1] == utc(2026, 3, 29, 0, 30)
    assert result[2] == utc(2026, 3, 29, 1, 0)
    # The range closes at 05:00 CEST = 03:00 UTC: 04:00 CEST plus an hour is the last that fits.
    assert result[-1] + hour_session.duration == utc(2026, 3, 29, 3, 0)


def test_rome_autumn_offers_the_repeated_hour_once_at_its_first_occurrence(pro, hour_session):
    sunday = date(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET
    weekly(pro, sunday, "01:00", "05:00")

    result = starts(pro, hour_session, sunday)

    assert wall_times(result) == ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00"]
    assert result[2] == utc(2026, 10, 25, 0, 0)  # 02:00 CEST, not 02:00 CET
    assert len(set(result)) == len(result)
    # The range really is five hours long: it closes at 05:00 CET = 04:00 UTC.
    assert result[-1] == utc(2026, 10, 25, 3, 0)


def test_a_weekly_rule_keeps_its_wall_time_through_the_clock_change(pro, hour_session):
    saturday, monday = date(2026, 3, 28), date(2026, 3, 30)
    weekly(pro, saturday, "09:00", "10:00")
    weekly(pro, monday, "09:00", "10:00")

    assert starts(pro, hour_session, saturday) == [utc(2026, 3, 28, 8, 0)]
    assert starts(pro, hour_session, monday) == [utc(2026, 3, 30, 7, 0)]


def test_new_york_spring_forward_and_fall_back(pro, hour_session):
    pro.user.time_zone = "America/New_York"
    pro.user.save(update_fields=["time_zone"])
    spring, autumn = date(2026, 3, 8), date(2026, 11, 1)
    weekly(pro, spring, "00:30", "04:00")  # both Sundays

    spring_starts = starts(pro, hour_session, spring, tz=NEW_YORK)
    autumn_starts = starts(pro, hour_session, autumn, tz=NEW_YORK)

    assert wall_times(spring_starts, NEW_YORK) == ["00:30", "01:00", "01:30", "03:00"]
    assert spring_starts[-1] == utc(2026, 3, 8, 7, 0)
    assert wall_times(autumn_starts, NEW_YORK) == [
        "00:30", "01:00", "01:30", "02:00", "02:30", "03:00"
    ]  # fmt: skip
    assert autumn_starts[1] == utc(2026, 11, 1, 5, 0)  # 01:00 EDT, the first occurrence
    assert autumn_starts[3] == utc(2026, 11, 1, 7, 0)  # 02:00 EST


def test_a_rule_starting_inside_the_gap_opens_at_the_transition(pro, hour_session):
    sunday = date(2026, 3, 29)
    weekly(pro, sunday, "02:30", "04:00")

    assert wall_times(starts(pro, hour_session, sunday)) == ["03:00"]


# --- Viewer in another zone ---------------------------------------------------------------------


def test_slots_are_listed_under_the_viewers_local_date(pro, hour_session):
    tuesday = MONDAY + timedelta(days=1)
    weekly(pro, tuesday, "02:00", "04:00")  # 01:00-03:00 UTC: Monday evening in New York

    on_monday_in_new_york = starts(pro, hour_session, MONDAY, tz=NEW_YORK)

    assert wall_times(on_monday_in_new_york, NEW_YORK) == ["20:00", "20:30", "21:00"]
    assert starts(pro, hour_session, tuesday, tz=NEW_YORK) == []
    assert len(starts(pro, hour_session, tuesday, tz=ROME)) == 3


def test_a_viewers_day_can_collect_slots_from_two_of_the_associates_dates(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "10:00")  # 17:00 Monday in Tokyo
    weekly(pro, MONDAY + timedelta(days=1), "20:00", "21:00")  # 04:00 Wednesday in Tokyo

    assert wall_times(starts(pro, hour_session, MONDAY, tz=TOKYO), TOKYO) == ["17:00"]
    tuesday_in_tokyo = starts(pro, hour_session, MONDAY + timedelta(days=1), tz=TOKYO)
    assert tuesday_in_tokyo == []
    wednesday_in_tokyo = starts(pro, hour_session, MONDAY + timedelta(days=2), tz=TOKYO)
    assert wall_times(wednesday_in_tokyo, TOKYO) == ["04:00"]


# --- Exceptions ---------------------------------------------------------------------------------


def test_a_whole_day_block_removes_the_weekly_rules_of_that_date_only(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "11:00")
    DateException.objects.create(associate=pro, date=MONDAY, kind=DateException.Kind.BLOCKED)

    assert starts(pro, hour_session, MONDAY) == []
    assert len(starts(pro, hour_session, MONDAY + timedelta(days=7))) == 3


def test_a_blocked_range_removes_the_slots_it_touches(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "13:00")
    DateException.objects.create(
        associate=pro,
        date=MONDAY,
        kind=DateException.Kind.BLOCKED,
        start_time=time(10, 0),
        end_time=time(11, 0),
    )

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["09:00", "11:00", "11:30", "12:00"]


def test_an_extra_opening_adds_slots_on_a_day_without_rules(pro, hour_session):
    DateException.objects.create(
        associate=pro,
        date=MONDAY,
        kind=DateException.Kind.OPEN,
        start_time=time(18, 0),
        end_time=time(19, 30),
    )

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["18:00", "18:30"]


# --- Bookings, busy times, buffers --------------------------------------------------------------


def test_an_active_booking_and_its_buffer_on_both_sides_take_their_time(pro, hour_session, nina):
    pro.buffer_minutes = 30
    pro.save(update_fields=["buffer_minutes"])
    weekly(pro, MONDAY, "08:00", "14:00")
    book(pro, hour_session, nina, local(MONDAY, 10))  # blocks 09:30-11:30 with the buffer

    assert wall_times(starts(pro, hour_session, MONDAY)) == [
        "08:00", "08:30", "11:30", "12:00", "12:30", "13:00"
    ]  # fmt: skip


@pytest.mark.parametrize("status", [Status.DECLINED, Status.CANCELLED, Status.EXPIRED])
def test_an_ended_booking_frees_its_time(pro, hour_session, nina, status):
    weekly(pro, MONDAY, "10:00", "11:00")
    book(pro, hour_session, nina, local(MONDAY, 10), status=status)

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["10:00"]


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.PAID, Status.DISPUTED])
def test_every_active_state_holds_its_time(pro, hour_session, nina, status):
    weekly(pro, MONDAY, "10:00", "11:00")
    book(pro, hour_session, nina, local(MONDAY, 10), status=status)

    assert starts(pro, hour_session, MONDAY) == []


def test_an_imported_busy_time_and_the_buffer_around_it_take_their_time(pro, hour_session):
    pro.buffer_minutes = 30
    pro.save(update_fields=["buffer_minutes"])
    weekly(pro, MONDAY, "08:00", "14:00")
    BusyTime.objects.create(associate=pro, start=local(MONDAY, 10), end=local(MONDAY, 11))

    assert wall_times(starts(pro, hour_session, MONDAY)) == [
        "08:00", "08:30", "11:30", "12:00", "12:30", "13:00"
    ]  # fmt: skip


def test_another_associates_bookings_and_busy_times_do_not_matter(pro, hour_session, nina):
    someone = AssociateFactory.create()
    BusyTime.objects.create(associate=someone, start=local(MONDAY, 9), end=local(MONDAY, 12))
    weekly(pro, MONDAY, "10:00", "11:00")

    assert wall_times(starts(pro, hour_session, MONDAY)) == ["10:00"]


# --- Notice and horizon -------------------------------------------------------------------------


def test_notice_in_hours_hides_starts_before_now_plus_the_notice(pro, hour_session):
    pro.notice_amount = 2
    pro.save(update_fields=["notice_amount"])
    weekly(pro, MONDAY, "08:00", "14:00")

    result = starts(pro, hour_session, MONDAY, now=local(MONDAY, 8, 15))

    assert wall_times(result)[0] == "10:30"


def test_past_starts_are_never_offered(pro, hour_session):
    weekly(pro, MONDAY, "08:00", "11:00")

    assert wall_times(starts(pro, hour_session, MONDAY, now=local(MONDAY, 9))) == [
        "09:00", "09:30", "10:00"
    ]  # fmt: skip
    assert starts(pro, hour_session, MONDAY, now=local(MONDAY, 10, 1)) == []


def test_notice_in_calendar_days_counts_whole_days_in_the_associates_zone(pro, hour_session):
    pro.notice_amount = 1
    pro.notice_unit = NoticeUnit.DAYS
    pro.save(update_fields=["notice_amount", "notice_unit"])
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    weekly(pro, tuesday, "00:00", "02:00")
    weekly(pro, wednesday, "00:00", "02:00")
    late_monday = local(MONDAY, 23)

    assert starts(pro, hour_session, tuesday, now=late_monday) == []
    assert wall_times(starts(pro, hour_session, wednesday, now=late_monday))[0] == "00:00"


def test_zero_calendar_days_of_notice_allows_later_the_same_day(pro, hour_session):
    pro.notice_unit = NoticeUnit.DAYS
    pro.save(update_fields=["notice_unit"])
    weekly(pro, MONDAY, "08:00", "11:00")

    assert wall_times(starts(pro, hour_session, MONDAY, now=local(MONDAY, 9))) == [
        "09:00", "09:30", "10:00"
    ]  # fmt: skip


def test_the_horizon_is_the_last_bookable_date_in_the_associates_zone(pro, hour_session):
    pro.horizon_days = 7
    pro.save(update_fields=["horizon_days"])
    weekly(pro, MONDAY, "22:00", "23:00")
    now = local(MONDAY, 12)

    assert wall_times(starts(pro, hour_session, MONDAY + timedelta(days=7), now=now)) == ["22:00"]
    assert starts(pro, hour_session, MONDAY + timedelta(days=14), now=now) == []


# --- Services -----------------------------------------------------------------------------------


def test_an_inactive_service_has_no_slots(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")
    hour_session.is_active = False
    hour_session.save()

    assert starts(pro, hour_session, MONDAY) == []


def test_another_associates_service_has_no_slots_here(pro, hour_session):
    someone = AssociateFactory.create()
    foreign = Service.objects.create(associate=someone, name="X", price=Decimal("1"))
    weekly(pro, MONDAY, "09:00", "12:00")

    assert starts(pro, foreign, MONDAY) == []


# --- validate_slot ------------------------------------------------------------------------------


def refusal(pro, service, start, now=EARLY) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_slot(associate=pro, service=service, start=start, now=now)
    return caught.value


def test_a_free_start_validates_to_its_slot(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")
    start = local(MONDAY, 10, 30).astimezone(NEW_YORK)

    slot = validate_slot(associate=pro, service=hour_session, start=start, now=EARLY)

    assert slot == Slot(start=utc(2026, 1, 12, 9, 30), end=utc(2026, 1, 12, 10, 30))


def test_every_offered_slot_validates(pro, hour_session, nina):
    pro.buffer_minutes = 15
    pro.save(update_fields=["buffer_minutes"])
    weekly(pro, MONDAY, "08:00", "18:00")
    book(pro, hour_session, nina, local(MONDAY, 12))
    BusyTime.objects.create(associate=pro, start=local(MONDAY, 15), end=local(MONDAY, 15, 20))

    for start in starts(pro, hour_session, MONDAY):
        validate_slot(associate=pro, service=hour_session, start=start, now=EARLY)


@pytest.mark.parametrize(
    ("start_hour", "start_minute", "code", "message"),
    [
        (7, 0, "unavailable", "This time is outside the professional's availability."),
        (9, 15, "unavailable", "This time is outside the professional's availability."),
        (11, 30, "unavailable", "This time is outside the professional's availability."),
        (10, 30, "booked", "This time is already booked."),
        (9, 0, "busy", "The professional is busy at this time."),
    ],
)
def test_a_start_that_is_not_offered_is_refused_with_the_reason(
    pro, hour_session, nina, start_hour, start_minute, code, message
):
    weekly(pro, MONDAY, "09:00", "12:00")
    book(pro, hour_session, nina, local(MONDAY, 11))
    BusyTime.objects.create(associate=pro, start=local(MONDAY, 9, 30), end=local(MONDAY, 9, 45))

    error = refusal(pro, hour_session, local(MONDAY, start_hour, start_minute))

    assert error.code == code
    assert error.messages == [message]


def test_a_start_in_the_past_is_refused(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")

    error = refusal(pro, hour_session, local(MONDAY, 9), now=local(MONDAY, 9, 30))

    assert (error.code, error.messages) == ("past", ["This time is in the past."])


def test_a_start_inside_the_notice_is_refused(pro, hour_session):
    pro.notice_amount = 24
    pro.save(update_fields=["notice_amount"])
    weekly(pro, MONDAY, "09:00", "12:00")

    error = refusal(pro, hour_session, local(MONDAY, 11), now=local(MONDAY, 8))

    assert error.code == "notice"
    assert error.messages == ["This professional needs at least 24 hours of notice."]


def test_a_start_beyond_the_horizon_is_refused(pro, hour_session):
    pro.horizon_days = 30
    pro.save(update_fields=["horizon_days"])
    weekly(pro, MONDAY, "09:00", "12:00")

    error = refusal(pro, hour_session, local(MONDAY + timedelta(days=35), 9), now=local(MONDAY, 8))

    assert error.code == "horizon"
    assert error.messages == ["This professional can be booked at most 30 days ahead."]


def test_an_inactive_service_is_refused(pro, hour_session):
    weekly(pro, MONDAY, "09:00", "12:00")
    hour_session.is_active = False
    hour_session.save()

    error = refusal(pro, hour_session, local(MONDAY, 9))

    assert error.code == "inactive_service"


def test_the_second_occurrence_of_the_repeated_hour_is_not_offered(pro, hour_session):
    sunday = date(2026, 10, 25)
    weekly(pro, sunday, "01:00", "05:00")
    second_two_oclock = local(sunday, 2, fold=1)  # 02:00 CET = 01:00 UTC

    error = refusal(pro, hour_session, second_two_oclock)

    assert second_two_oclock == utc(2026, 10, 25, 1, 0)
    assert error.code == "unavailable"
    validate_slot(associate=pro, service=hour_session, start=local(sunday, 2), now=EARLY)


def test_a_naive_start_is_a_programming_error(pro, hour_session):
    with pytest.raises(ValueError, match="aware"):
        validate_slot(associate=pro, service=hour_session, start=datetime(2026, 1, 12, 9))


# --- Query budget -------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_data(
    pro, hour_session, nina, django_assert_num_queries
):
    weekly(pro, MONDAY, "08:00", "09:00")
    book(pro, hour_session, nina, local(MONDAY, 8))
    with django_assert_num_queries(4):
        starts(pro, hour_session, MONDAY)

    for hour in range(9, 20):
        weekly(pro, MONDAY, f"{hour:02}:00", f"{hour:02}:45")
        book(pro, hour_session, nina, local(MONDAY, hour, 30))
        BusyTime.objects.create(
            associate=pro, start=local(MONDAY, hour), end=local(MONDAY, hour, 5)
        )
        DateException.objects.create(
            associate=pro,
            date=MONDAY,
            kind=DateException.Kind.BLOCKED,
            start_time=time(hour, 40),
            end_time=time(hour, 50),
        )
    with django_assert_num_queries(4):
        starts(pro, hour_session, MONDAY)
    with django_assert_num_queries(4):
        refusal(pro, hour_session, local(MONDAY, 9, 30))


def test_a_day_outside_notice_and_horizon_costs_no_query(
    pro, hour_session, django_assert_num_queries
):
    weekly(pro, MONDAY, "08:00", "09:00")
    with django_assert_num_queries(0):
        assert starts(pro, hour_session, MONDAY, now=local(MONDAY + timedelta(days=3), 8)) == []
