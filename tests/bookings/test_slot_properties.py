"""Properties of the slot maths over generated weeks: whatever the rules, bookings and zones,
every offered slot is on the grid, inside the viewer's day, clear of bookings and their buffers,
and accepted by ``validate_slot``."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mylabel.associates.models import Associate, Service, WeeklyRule
from mylabel.bookings.models import Booking
from mylabel.bookings.slots import available_slots, validate_slot

ZONES = ["Europe/Rome", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
# Days around both clock changes of 2026 in Europe and North America.
DAYS = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1)]
EARLY = datetime(2026, 1, 1, tzinfo=UTC)

ranges = st.tuples(st.integers(0, 46), st.integers(1, 8)).map(
    lambda r: (r[0] * 30, min(r[0] * 30 + r[1] * 45, 23 * 60 + 59))
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    database=None,  # no .hypothesis folder in the work tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    associate_zone=st.sampled_from(ZONES),
    viewer_zone=st.sampled_from(ZONES),
    day=st.sampled_from(DAYS),
    rule_ranges=st.lists(ranges, min_size=1, max_size=4),
    booking_offsets=st.lists(st.integers(-48, 96), max_size=4),
    buffer=st.sampled_from([0, 10, 30]),
    duration=st.sampled_from([30, 45, 60, 120]),
)
def test_every_offered_slot_is_valid_and_clear_of_bookings(
    marco: Associate,
    nina,
    associate_zone,
    viewer_zone,
    day,
    rule_ranges,
    booking_offsets,
    buffer,
    duration,
):
    Booking.objects.all().delete()
    WeeklyRule.objects.all().delete()
    Service.objects.all().delete()
    marco.user.time_zone = associate_zone
    marco.user.save(update_fields=["time_zone"])
    marco.buffer_minutes, marco.notice_amount, marco.horizon_days = buffer, 0, 365
    marco.save()
    pro = Associate.objects.select_related("user").get(pk=marco.pk)
    service = Service.objects.create(
        associate=pro, name="S", price=Decimal("10"), duration_minutes=duration
    )
    for start_minute, end_minute in rule_ranges:
        for weekday in range(7):
            clash = WeeklyRule.objects.filter(
                associate=pro,
                weekday=weekday,
                start_time__lt=time(end_minute // 60, end_minute % 60),
                end_time__gt=time(start_minute // 60, start_minute % 60),
            ).exists()
            if not clash:
                WeeklyRule.objects.create(
                    associate=pro,
                    weekday=weekday,
                    start_time=time(start_minute // 60, start_minute % 60),
                    end_time=time(end_minute // 60, end_minute % 60),
                )
    viewer = ZoneInfo(viewer_zone)
    midnight = datetime.combine(day, time(0), tzinfo=viewer).astimezone(UTC)
    taken: list[tuple[datetime, datetime]] = []
    for offset in booking_offsets:
        start = midnight + timedelta(minutes=30 * offset)
        end = start + timedelta(minutes=60)
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        Booking.objects.create(
            artist=nina,
            associate=pro,
            service=service,
            start=start,
            end=end,
            blocked_until=end + timedelta(minutes=buffer),
            price=Decimal("10"),
            expires_at=start,
        )
        taken.append((start - timedelta(minutes=buffer), end + timedelta(minutes=buffer)))

    slots = available_slots(associate=pro, service=service, day=day, tz=viewer, now=EARLY)

    starts = [slot.start for slot in slots]
    assert starts == sorted(set(starts))
    home = ZoneInfo(associate_zone)
    for slot in slots:
        assert slot.end - slot.start == timedelta(minutes=duration)
        assert slot.start.astimezone(viewer).date() == day
        assert slot.start.astimezone(home).minute % 30 == 0
        assert not any(slot.start < end and start < slot.end for start, end in taken)
        assert validate_slot(associate=pro, service=service, start=slot.start, now=EARLY) == slot
