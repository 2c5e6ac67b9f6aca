"""Data for the booking lifecycle tests: an associate open every day, a service, start times
a few days ahead (past the default 24-hour notice), and bookings in any state built through the
services, the way users reach them."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service, WeeklyRule
from mylabel.bookings import services
from mylabel.bookings.models import Booking, Status
from mylabel.payments.services import confirm_offline_payment


def open_every_day(associate: Associate, start: time = time(8), end: time = time(22)) -> None:
    WeeklyRule.objects.bulk_create(
        WeeklyRule(associate=associate, weekday=day, start_time=start, end_time=end)
        for day in range(7)
    )


def make_service(associate: Associate, **fields: Any) -> Service:
    values: dict[str, Any] = {
        "name": "Mixing session",
        "price": Decimal("200.00"),
        "duration_minutes": 60,
        "deposit_percent": 0,
        "free_cancellation_hours": 48,
        "late_cancellation_refund_percent": 50,
        **fields,
    }
    return Service.objects.create(associate=associate, **values)


def local_start(
    associate: Associate, *, days: int = 4, hour: int = 10, minute: int = 0
) -> datetime:
    """``hour:minute`` on the ``days``-th day from today, in the associate's zone, as UTC."""
    tz = ZoneInfo(associate.user.time_zone)
    day = timezone.now().astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(ZoneInfo("UTC"))


def book(artist: Artist, service: Service, start: datetime | None = None, **kwargs: Any) -> Booking:
    return services.request_booking(
        artist=artist,
        service=service,
        start=start or local_start(service.associate),
        **kwargs,
    )


def booking_in(status: Status, artist: Artist, service: Service, **kwargs: Any) -> Booking:
    """A booking brought to ``status`` through the services (``on_commit`` callbacks do not run
    inside a test's transaction, so the payment's success is passed on by hand)."""
    booking = book(artist, service, **kwargs)
    associate_user: User = service.associate.user
    if status == Status.REQUESTED:
        return booking
    if status == Status.DECLINED:
        return services.decline_booking(booking=booking, by=associate_user)
    if status == Status.EXPIRED:
        Booking.objects.filter(pk=booking.pk).update(expires_at=timezone.now())
        services.expire_stale_requests()
        booking.refresh_from_db()
        return booking
    services.accept_booking(booking=booking, by=associate_user)
    if status == Status.ACCEPTED:
        return booking
    if status == Status.CANCELLED:
        return services.cancel_booking(booking=booking, by=associate_user, reason="Ill")
    assert booking.payment is not None
    payment = confirm_offline_payment(payment=booking.payment, by=associate_user)
    services.mark_booking_paid(booking=booking, payment=payment)
    if status == Status.PAID:
        return booking
    Booking.objects.filter(pk=booking.pk).update(
        start=booking.start - timedelta(days=10),
        end=booking.end - timedelta(days=10),
        blocked_until=booking.blocked_until - timedelta(days=10),
    )
    booking.refresh_from_db()
    if status == Status.COMPLETED:
        return services.complete_booking(booking=booking, by=associate_user)
    if status == Status.DISPUTED:
        return services.open_dispute(booking=booking, by=artist.user, reason="No-show")
    raise ValueError(status)
