from typing import Any

from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "mylabel.bookings"
    label = "bookings"

    def ready(self) -> None:
        # Payments never import bookings (DESIGN.md §3): bookings listens to their signal.
        from mylabel.payments.signals import payment_succeeded

        payment_succeeded.connect(
            _booking_payment_succeeded, dispatch_uid="bookings.mark_booking_paid"
        )

        from mylabel.bookings.signals import booking_status_changed
        from mylabel.bookings.tasks import schedule_request_expiry

        booking_status_changed.connect(
            schedule_request_expiry, dispatch_uid="bookings.schedule_request_expiry"
        )

        from mylabel.accounts.signals import account_deleted, account_deletion_requested

        account_deletion_requested.connect(
            _refuse_deletion_with_bookings_in_progress,
            dispatch_uid="bookings.refuse_deletion_in_progress",
        )
        account_deleted.connect(_close_calendar_feed, dispatch_uid="bookings.close_calendar_feed")


def _booking_payment_succeeded(sender: Any, payment: Any, **kwargs: Any) -> None:
    from mylabel.bookings.models import Booking
    from mylabel.bookings.services import mark_booking_paid

    booking = Booking.objects.filter(payment=payment).first()
    if booking is not None:
        mark_booking_paid(booking=booking, payment=payment)


def _refuse_deletion_with_bookings_in_progress(sender: Any, user: Any, **kwargs: Any) -> None:
    """A booking still in progress binds the other side and may still move money: the person
    settles or cancels it first (deleting the account does not cancel it for them)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from mylabel.bookings.models import Booking

    if Booking.objects.active().involving(user).exists():
        raise ValidationError(
            _(
                "You have bookings in progress. Cancel them, or wait until they are completed, "
                "before deleting your account."
            ),
            code="bookings_in_progress",
        )


def _close_calendar_feed(sender: Any, user: Any, **kwargs: Any) -> None:
    from mylabel.bookings.models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()
