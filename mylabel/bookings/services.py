"""Every change of a booking's state (DESIGN.md §2.4, CONVENTIONS.md "Layers").

One function per transition::

    requested ──accept──▶ accepted ──(payment succeeded)──▶ paid ──complete──▶ completed
        │ decline / expire          │ cancel                 │ cancel / dispute     │ dispute
        ▼                           ▼                        ▼                      ▼
    declined / expired          cancelled                cancelled / disputed ──resolve──▶
                                                                      completed or cancelled

Each function locks the booking row, checks that ``by`` may make this move from the current
state (``PermissionDenied`` for the wrong person, ``ValidationError`` for the wrong state, both
with a message fit to show), records a ``BookingEvent`` (actor, from, to, note), bumps the
calendar sequence, and sends ``booking_status_changed`` after the commit.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import policy
from mylabel.bookings.models import Booking, BookingEvent, BookingQuerySet, Status
from mylabel.bookings.signals import booking_status_changed
from mylabel.bookings.slots import validate_slot
from mylabel.core.ratelimit import check_rate, wait_minutes
from mylabel.payments import services as payments
from mylabel.payments.models import Payment

logger = logging.getLogger(__name__)

OVERLAP_CONSTRAINT = "booking_no_overlap"
REASON_MAX_LENGTH = 2000
PAID_STATUSES = (Payment.Status.SUCCEEDED, Payment.Status.PARTIALLY_REFUNDED)

# Actions a person can take on the booking page, in the order the page shows them.
ACTIONS = ("accept", "decline", "confirm-payment", "complete", "cancel", "dispute", "resolve")


# --- Requesting ---------------------------------------------------------------------------------

REQUEST_RATE_GROUP = "bookings.request_booking"


def check_request_rate(user: User) -> None:
    """Count one booking request of ``user`` against BOOKING_RATE_LIMITS; ``ValidationError``
    (code ``rate_limited``) past the limit. The page and the API call it before
    ``request_booking``: the limit is on people's requests, the demo seed books freely."""
    check_rate(
        group=REQUEST_RATE_GROUP,
        key=str(user.pk),
        windows=settings.BOOKING_RATE_LIMITS,
        message=lambda wait: (
            ngettext(
                "You have sent many booking requests in a short time. Try again in %(minutes)d "
                "minute.",
                "You have sent many booking requests in a short time. Try again in %(minutes)d "
                "minutes.",
                wait_minutes(wait),
            )
            % {"minutes": wait_minutes(wait)}
        ),
    )


@transaction.atomic
def request_booking(
    *, artist: Artist, service: Service, start: datetime, message: str = ""
) -> Booking:
    """Book ``service`` for ``artist`` at ``start`` (aware). Prices and the cancellation policy
    are copied from the service, so later changes to it never alter this booking.

    Double bookings are impossible: on PostgreSQL the exclusion constraint refuses an overlapping
    row (turned into a ``ValidationError`` here); on SQLite, which has no such constraint, the
    request first writes to the professional's row, which takes SQLite's single write lock, so
    the overlap check below runs with every other request for the same time waiting.
    A time taken by another booking is refused with code ``booked``, as ``validate_slot`` does,
    so callers (the API's 409) can tell "taken" from "not offered".
    """
    associate = service.associate
    if artist.user_id == associate.user_id:
        raise ValidationError(_("You cannot book yourself."), code="self_booking")
    if len(message) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _("Keep the message under %(max)d characters.")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    if connection.vendor != "postgresql":
        Associate.objects.filter(pk=associate.pk).update(buffer_minutes=F("buffer_minutes"))
    associate = Associate.objects.select_related("user").get(pk=associate.pk)
    service = Service.objects.get(pk=service.pk)
    if not service.is_active:
        raise ValidationError(
            _("This service cannot be booked at the moment."), code="inactive_service"
        )
    now = timezone.now()
    slot = validate_slot(associate=associate, service=service, start=start, now=now)
    blocked_until = slot.end + timedelta(minutes=associate.buffer_minutes)
    # validate_slot may have read before a concurrent request committed: check again, here,
    # with the write lock held (SQLite) or right before the constraint decides (PostgreSQL).
    if _overlaps_active_booking(associate, slot.start, blocked_until):
        raise ValidationError(
            _("That time has just been booked. Please choose another time."), code="booked"
        )
    booking = Booking(
        artist=artist,
        associate=associate,
        service=service,
        start=slot.start,
        end=slot.end,
        blocked_until=blocked_until,
        status=Status.REQUESTED,
        message=message,
        price=service.price,
        currency=service.currency,
        deposit_percent=service.deposit_percent,
        free_cancellation_hours=service.free_cancellation_hours,
        late_cancellation_refund_percent=service.late_cancellation_refund_percent,
        expires_at=min(now + timedelta(hours=settings.BOOKING_REQUEST_TTL_HOURS), slot.start),
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT in str(error):
            raise ValidationError(
                _("That time has just been booked. Please choose another time."), code="booked"
            ) from error
        raise
    _record(booking, actor=artist.user, from_status="", note=message)
    return booking


def _overlaps_active_booking(
    associate: Associate, start: datetime, blocked_until: datetime
) -> bool:
    return (
        Booking.objects.active()
        .filter(associate=associate, start__lt=blocked_until, blocked_until__gt=start)
        .exists()
    )


# --- Who may do what, when ----------------------------------------------------------------------


def _is_artist(booking: Booking, user: User) -> bool:
    return user.is_authenticated and booking.artist.user_id == user.pk


def _is_associate(booking: Booking, user: User) -> bool:
    return user.is_authenticated and booking.associate.user_id == user.pk


def _refuse_state(booking: Booking, message: str) -> ValidationError:
    return ValidationError(
        message % {"status": booking.get_status_display().lower()}, code="invalid_state"
    )


def check_action(action: str, *, booking: Booking, by: User, now: datetime) -> None:
    """Raise ``PermissionDenied`` or ``ValidationError`` unless ``by`` may take ``action`` on
    ``booking`` at ``now``. The one place the rules live: the services call it, and the booking
    page offers exactly the actions it lets through (``available_actions``)."""
    status = booking.status
    if action in {"accept", "decline"}:
        if not _is_associate(booking, by):
            raise PermissionDenied(_("Only the professional can answer a booking request."))
        if status != Status.REQUESTED:
            raise _refuse_state(
                booking, _("This booking is %(status)s: it is no longer a request.")
            )
        if booking.expires_at <= now:
            raise ValidationError(_("This request has expired."), code="expired")
    elif action == "confirm-payment":
        if not _is_associate(booking, by):
            raise PermissionDenied(_("Only the professional can confirm a payment."))
        if status != Status.ACCEPTED:
            raise _refuse_state(booking, _("This booking is %(status)s: no payment is awaited."))
        payment = booking.payment
        if payment is None or payment.status != Payment.Status.PENDING:
            raise ValidationError(_("No payment is waiting for confirmation."))
        if payment.gateway != "offline":
            raise ValidationError(_("This payment is confirmed by the payment provider."))
    elif action == "complete":
        if not _is_associate(booking, by):
            raise PermissionDenied(_("Only the professional can mark a booking completed."))
        if status != Status.PAID:
            raise _refuse_state(
                booking, _("This booking is %(status)s: only a paid booking can be completed.")
            )
        if now < booking.start:
            raise ValidationError(_("You can mark the booking completed once it has started."))
    elif action == "cancel":
        if not (_is_artist(booking, by) or _is_associate(booking, by)):
            raise PermissionDenied(_("Only the artist or the professional can cancel a booking."))
        if status not in {Status.REQUESTED, Status.ACCEPTED, Status.PAID}:
            raise _refuse_state(booking, _("This booking is %(status)s: it cannot be cancelled."))
        if now >= booking.start:
            raise ValidationError(
                _("The booking has already started: open a dispute if something went wrong.")
            )
    elif action == "dispute":
        if not (_is_artist(booking, by) or _is_associate(booking, by)):
            raise PermissionDenied(_("Only the artist or the professional can open a dispute."))
        if status not in {Status.PAID, Status.COMPLETED}:
            raise _refuse_state(
                booking, _("This booking is %(status)s: only a paid booking can be disputed.")
            )
    elif action == "resolve":
        if not by.is_authenticated or not by.is_label_admin:
            raise PermissionDenied(_("Only a label admin can resolve a dispute."))
        if status != Status.DISPUTED:
            raise _refuse_state(booking, _("This booking is %(status)s: there is no dispute."))
    else:
        raise ValidationError(_("Unknown action."))


def available_actions(booking: Booking, user: User, *, now: datetime | None = None) -> list[str]:
    """The actions of ``ACTIONS`` that ``user`` may take on ``booking`` now."""
    now = now or timezone.now()
    allowed = []
    for action in ACTIONS:
        try:
            check_action(action, booking=booking, by=user, now=now)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


# --- Transitions --------------------------------------------------------------------------------


@transaction.atomic
def accept_booking(*, booking: Booking, by: User) -> Booking:
    """The professional accepts: the payment starts (``policy.amount_due_on_accept``). A booking
    with nothing to pay is paid at once."""
    locked = _lock(booking, "accept", by)
    from_status = locked.status
    amount = policy.amount_due_on_accept(locked)
    locked.status = Status.ACCEPTED
    _save(locked)
    _record(locked, actor=by, from_status=from_status)
    if amount > 0:
        url = _absolute_url(locked.get_absolute_url())
        locked.payment = payments.start_payment(
            payer=locked.artist.user,
            payee=locked.associate.user,
            amount=amount,
            currency=locked.currency,
            description=_("%(service)s with %(associate)s")
            % {"service": locked.service.name, "associate": locked.associate.display_name},
            idempotency_key=f"booking-{locked.pk}-accept",
            success_url=url,
            cancel_url=url,
        )
        locked.save(update_fields=["payment", "updated_at"])
    else:
        locked.status = Status.PAID
        _save(locked)
        _record(locked, actor=by, from_status=Status.ACCEPTED, note=_("Nothing to pay."))
    return _sync(booking, locked)


@transaction.atomic
def decline_booking(*, booking: Booking, by: User, reason: str = "") -> Booking:
    locked = _lock(booking, "decline", by)
    return _sync(booking, _move(locked, Status.DECLINED, actor=by, note=_clean_reason(reason)))


@transaction.atomic
def cancel_booking(*, booking: Booking, by: User, reason: str) -> Booking:
    """Either side cancels before the start, with a reason. What was paid is refunded per the
    booking's policy (``policy.cancellation_refund``)."""
    reason = _clean_reason(reason, required=True)
    locked = _lock(booking, "cancel", by)
    now = timezone.now()
    by_associate = _is_associate(locked, by)
    note = reason
    refund = _refund(
        locked,
        amount_for=lambda paid: policy.cancellation_refund(
            booking=locked, paid=paid, by_associate=by_associate, now=now
        ),
        key="cancel",
    )
    if refund is not None:
        note = _("%(reason)s (refund: %(amount)s %(currency)s)") % {
            "reason": reason,
            "amount": refund,
            "currency": locked.currency,
        }
    return _sync(booking, _move(locked, Status.CANCELLED, actor=by, note=note))


@transaction.atomic
def complete_booking(*, booking: Booking, by: User) -> Booking:
    locked = _lock(booking, "complete", by)
    return _sync(booking, _move(locked, Status.COMPLETED, actor=by))


@transaction.atomic
def open_dispute(*, booking: Booking, by: User, reason: str) -> Booking:
    reason = _clean_reason(reason, required=True)
    locked = _lock(booking, "dispute", by)
    try:
        with transaction.atomic():
            moved = _move(locked, Status.DISPUTED, actor=by, note=reason)
    except IntegrityError as error:
        # A completed booking's buffer may already be taken by a newer booking.
        if OVERLAP_CONSTRAINT in str(error):
            raise ValidationError(
                _("This booking's time has been booked again; contact the label instead.")
            ) from error
        raise
    return _sync(booking, moved)


@transaction.atomic
def resolve_dispute(*, booking: Booking, by: User, outcome: str, note: str) -> Booking:
    """A label admin closes a dispute: ``"completed"`` keeps the payment with the professional,
    ``"cancelled"`` refunds whatever is left of it to the artist."""
    if outcome not in {Status.COMPLETED, Status.CANCELLED}:
        raise ValidationError(
            {"outcome": _("Choose whether the booking is completed or cancelled.")}
        )
    note = _clean_reason(note, required=True, field="note")
    locked = _lock(booking, "resolve", by)
    if outcome == Status.CANCELLED:
        refund = _refund(locked, amount_for=policy.to_cents, key="dispute")
        if refund is not None:
            note = _("%(note)s (refund: %(amount)s %(currency)s)") % {
                "note": note,
                "amount": refund,
                "currency": locked.currency,
            }
    return _sync(booking, _move(locked, Status(outcome), actor=by, note=note))


@transaction.atomic
def confirm_booking_payment(*, booking: Booking, by: User) -> Booking:
    """The professional says the offline payment arrived; the booking becomes paid through
    the ``payment_succeeded`` receiver (``mark_booking_paid``), after the commit."""
    locked = _lock(booking, "confirm-payment", by)
    assert locked.payment is not None  # check_action made sure
    payments.confirm_offline_payment(payment=locked.payment, by=by)
    return _sync(booking, locked)


@transaction.atomic
def mark_booking_paid(*, booking: Booking, payment: Payment) -> Booking:
    """The booking's payment succeeded (called from the ``payment_succeeded`` receiver).

    Idempotent: a paid booking stays as it is. A payment arriving after the booking stopped
    waiting for it (cancelled, expired…) is refunded in full rather than kept.
    """
    locked = _locked_rows().get(pk=booking.pk)
    if locked.status in {Status.PAID, Status.COMPLETED, Status.DISPUTED}:
        return _sync(booking, locked)
    if locked.status != Status.ACCEPTED or locked.payment_id != payment.pk:
        payment = Payment.objects.get(pk=payment.pk)
        if payment.refundable_amount > 0:
            payments.refund_payment(
                payment=payment,
                amount=payment.refundable_amount,
                idempotency_key=f"booking-{locked.pk}-payment-{payment.pk}-unwanted",
            )
            logger.warning(
                "Payment %s succeeded for booking %s in state %s: refunded.",
                payment.pk,
                locked.pk,
                locked.status,
            )
        else:
            # A repeated notice of a payment the cancellation already refunded: nothing to do.
            logger.info(
                "Payment %s succeeded for booking %s in state %s: already refunded.",
                payment.pk,
                locked.pk,
                locked.status,
            )
        return _sync(booking, locked)
    moved = _move(locked, Status.PAID, actor=payment.payer, note=_("Payment received."))
    return _sync(booking, moved)


@transaction.atomic
def expire_stale_requests(*, now: datetime | None = None) -> int:
    """Expire every request not answered by its ``expires_at``; returns how many."""
    now = now or timezone.now()
    stale = _locked_rows().filter(status=Status.REQUESTED, expires_at__lte=now)
    count = 0
    for booking in stale:
        _move(booking, Status.EXPIRED, actor=None, note=_("Not answered in time."))
        count += 1
    return count


# --- Helpers ------------------------------------------------------------------------------------

_RELATED = ("artist__user", "associate__user", "service", "payment")


def _absolute_url(path: str) -> str:
    """``path`` on the site's public origin (payment providers redirect the payer there)."""
    return f"{settings.SITE_URL}{path}"


def _locked_rows() -> BookingQuerySet:
    # ``of``: PostgreSQL cannot lock the nullable side of the outer join to the payment.
    return Booking.objects.select_for_update(of=("self",)).select_related(*_RELATED)


def _lock(booking: Booking, action: str, by: User) -> Booking:
    """The booking's row, locked for this transaction and read fresh, once ``by`` may ``action``."""
    locked = _locked_rows().get(pk=booking.pk)
    check_action(action, booking=locked, by=by, now=timezone.now())
    return locked


def _clean_reason(reason: str, *, required: bool = False, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({field: _("Please give a reason.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep it under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _refund(
    booking: Booking, *, amount_for: Callable[[Decimal], Decimal], key: str
) -> Decimal | None:
    """Refund ``amount_for(refundable)`` of the booking's succeeded payment; ``None`` when
    nothing was paid."""
    payment = booking.payment
    if payment is None or payment.status not in PAID_STATUSES:
        return None
    amount = amount_for(payment.refundable_amount)
    booking.payment = payments.refund_payment(
        payment=payment, amount=amount, idempotency_key=f"booking-{booking.pk}-{key}"
    )
    return amount


def _save(booking: Booking) -> None:
    booking.ical_sequence += 1
    booking.save(update_fields=["status", "ical_sequence", "updated_at"])


def _move(booking: Booking, to_status: Status, *, actor: User | None, note: str = "") -> Booking:
    from_status = booking.status
    booking.status = to_status
    _save(booking)
    _record(booking, actor=actor, from_status=from_status, note=note)
    return booking


def _record(
    booking: Booking, *, actor: User | None, from_status: str, note: str = ""
) -> BookingEvent:
    event = BookingEvent.objects.create(
        booking=booking, actor=actor, from_status=from_status, to_status=booking.status, note=note
    )
    transaction.on_commit(
        lambda: booking_status_changed.send(sender=Booking, booking=booking, event=event)
    )
    return event


def _sync(original: Booking, locked: Booking) -> Booking:
    """Give the caller's instance the state just saved, and return it."""
    if original is not locked:
        for field in ("status", "ical_sequence", "updated_at", "payment_id"):
            setattr(original, field, getattr(locked, field))
        if original.payment_id is not None:
            original.payment = locked.payment
    return original
