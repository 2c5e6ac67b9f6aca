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


def _booking_payment_succeeded(sender: Any, payment: Any, **kwargs: Any) -> None:
    from mylabel.bookings.models import Booking
    from mylabel.bookings.services import mark_booking_paid

    booking = Booking.objects.filter(payment=payment).first()
    if booking is not None:
        mark_booking_paid(booking=booking, payment=payment)
