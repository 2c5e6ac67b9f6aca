"""Bookings in every state between the demo accounts, so a newcomer sees a living calendar.

Every booking is requested with ``request_booking`` on a free slot that ``available_slots``
offers, and every change of state goes through ``mylabel.bookings.services``, so the events,
the offline payments and their refunds are the real ones. Two things need a note:

- **Payment.** The offline payment becomes ``paid`` through the ``payment_succeeded`` receiver,
  which runs after the commit; ``seed_demo`` runs in one transaction, so right after
  ``confirm_booking_payment`` we call the receiver's own service, ``mark_booking_paid``. The
  receiver's call at commit then finds the booking paid and does nothing (it is idempotent).
- **The past.** Nothing can be requested in the past (``validate_slot``), and a booking can only
  be completed once it has started. A past booking is therefore requested for a free slot in the
  coming days, taken as far as it went before its start (paid, or left unanswered), and then
  moved back by whole weeks with one ``update()`` of its times and of its events' timestamps:
  the same weekday and hour, so it still sits in the professional's opening hours. Its status is
  never written there; completing, disputing and expiring it then happen through the services,
  at the real ``now``. Its payment keeps today's date.

Idempotent (nothing is added once the demo artists have bookings) and deterministic for a
given day.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.slots import Slot, available_slots

DEMO_ARTISTS = ("artist@example.com", "both@example.com")
ONE_WEEK = timedelta(weeks=1)
SEARCH_DAYS = 21

type Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class DemoBooking:
    artist: str  # e-mail of the booking artist
    associate: str  # e-mail of the booked professional
    service: int  # index in the professional's services, by pk
    day: int  # first day (from today, in the professional's zone) to look for a free slot
    outcome: Status
    past: bool = False
    message: str = ""


# Past bookings come first: while they are being set up they hold a slot in the coming days,
# which they free when they move back.
PLAN = [
    DemoBooking(
        "artist@example.com",
        "associate@example.com",
        0,
        1,
        Status.COMPLETED,
        past=True,
        message="Mix of 'Low Tide', stems in the shared folder.",
    ),
    DemoBooking("both@example.com", "associate@example.com", 1, 2, Status.COMPLETED, past=True),
    DemoBooking(
        "artist@example.com",
        "demo-pro-01@example.com",
        0,
        1,
        Status.DISPUTED,
        past=True,
        message="Mix of 'Paper Moons', first single of the EP.",
    ),
    DemoBooking("both@example.com", "demo-pro-02@example.com", 0, 2, Status.EXPIRED, past=True),
    DemoBooking(
        "artist@example.com",
        "associate@example.com",
        1,
        7,
        Status.PAID,
        message="Let's listen to the vocal balance together.",
    ),
    DemoBooking("artist@example.com", "associate@example.com", 0, 11, Status.ACCEPTED),
    DemoBooking(
        "artist@example.com",
        "demo-pro-02@example.com",
        0,
        13,
        Status.REQUESTED,
        message="Streaming master for two tracks, please.",
    ),
    DemoBooking("artist@example.com", "both@example.com", 0, 8, Status.PAID),
    DemoBooking("artist@example.com", "demo-pro-03@example.com", 0, 10, Status.CANCELLED),
    DemoBooking("both@example.com", "associate@example.com", 1, 14, Status.REQUESTED),
    DemoBooking("both@example.com", "demo-pro-04@example.com", 0, 9, Status.PAID),
    DemoBooking("both@example.com", "associate@example.com", 0, 16, Status.DECLINED),
    DemoBooking("both@example.com", "demo-pro-01@example.com", 1, 12, Status.ACCEPTED),
]

DECLINE_REASON = "I'm away that week, sorry! Any time the week after works."
CANCEL_REASON = "The band moved the release date; we'll book again soon."
DISPUTE_REASON = "The mix came back without the revisions we agreed on."


def seed_bookings() -> int:
    """Create the ``PLAN``'s bookings, unless the demo artists already have bookings (or the
    demo accounts are missing). Returns how many were created. Call after ``seed_marketplace``.
    """
    artists = {artist.user.email: artist for artist in _demo_artists()}
    if len(artists) < len(DEMO_ARTISTS):
        return 0
    if Booking.objects.filter(artist__in=artists.values()).exists():
        return 0
    associates = {
        associate.user.email: associate
        for associate in Associate.objects.select_related("user").filter(
            user__email__in={item.associate for item in PLAN}
        )
    }
    past_intervals: dict[int, list[Interval]] = {}
    created = 0
    for item in PLAN:
        associate = associates.get(item.associate)
        if associate is None:
            continue
        service = demo_service(associate, item.service)
        if service is None:
            continue
        taken = past_intervals.setdefault(associate.pk, [])
        found = _free_slot(associate, service, item.day, past=item.past, avoid=taken)
        if found is None:
            continue
        slot, shift = found
        booking = services.request_booking(
            artist=artists[item.artist], service=service, start=slot.start, message=item.message
        )
        play_booking(booking, item, shift)
        if item.past:
            taken.append((booking.start, booking.blocked_until))
        created += 1
    return created


def _demo_artists() -> list[Artist]:
    return list(Artist.objects.select_related("user").filter(user__email__in=DEMO_ARTISTS))


def demo_service(associate: Associate, index: int) -> Service | None:
    offered = list(Service.objects.filter(associate=associate, is_active=True).order_by("pk"))
    return offered[index % len(offered)] if offered else None


def _free_slot(
    associate: Associate, service: Service, first_day: int, *, past: bool, avoid: list[Interval]
) -> tuple[Slot, timedelta] | None:
    """The first slot ``available_slots`` offers from ``first_day`` on, with how far the booking
    will move back: nothing for an upcoming booking; for a past one, enough whole weeks to start
    before today, and the moved slot must not overlap ``avoid`` (the professional's bookings
    already moved back)."""
    zone = ZoneInfo(associate.user.time_zone)
    now = datetime.now(zone)
    today = now.date()
    buffer = timedelta(minutes=associate.buffer_minutes)
    for offset in range(first_day, first_day + SEARCH_DAYS):
        day = today + timedelta(days=offset)
        for slot in available_slots(associate=associate, service=service, day=day, tz=zone):
            if not past:
                return slot, timedelta(0)
            shift = ONE_WEEK * ((slot.start - now) // ONE_WEEK + 1)
            start, end = slot.start - shift, slot.end - shift + buffer
            if not any(start < taken_end and taken_start < end for taken_start, taken_end in avoid):
                return slot, shift
    return None


def play_booking(booking: Booking, item: DemoBooking, shift: timedelta) -> None:
    """Take a requested ``booking`` to ``item.outcome`` through the services."""
    artist = booking.artist.user
    professional: User = booking.associate.user
    if item.outcome == Status.REQUESTED:
        return
    if item.outcome == Status.DECLINED:
        services.decline_booking(booking=booking, by=professional, reason=DECLINE_REASON)
        return
    if item.outcome == Status.EXPIRED:
        _move_back(booking, shift)
        services.expire_stale_requests()
        return
    services.accept_booking(booking=booking, by=professional)
    if item.outcome == Status.ACCEPTED:
        return
    if booking.status == Status.ACCEPTED:
        services.confirm_booking_payment(booking=booking, by=professional)
        assert booking.payment is not None  # accept_booking started it
        services.mark_booking_paid(booking=booking, payment=booking.payment)
    if item.outcome == Status.CANCELLED:
        services.cancel_booking(booking=booking, by=artist, reason=CANCEL_REASON)
        return
    if item.past:
        _move_back(booking, shift)
        services.complete_booking(booking=booking, by=professional)
    if item.outcome == Status.DISPUTED:
        services.open_dispute(booking=booking, by=artist, reason=DISPUTE_REASON)


def _move_back(booking: Booking, shift: timedelta) -> None:
    """Move ``booking``, and what happened to it so far, ``shift`` into the past (see the
    module's docstring). Its status is left as it is."""
    Booking.objects.filter(pk=booking.pk).update(
        start=F("start") - shift,
        end=F("end") - shift,
        blocked_until=F("blocked_until") - shift,
        expires_at=F("expires_at") - shift,
        created_at=F("created_at") - shift,
    )
    BookingEvent.objects.filter(booking=booking).update(created_at=F("created_at") - shift)
    booking.refresh_from_db()
