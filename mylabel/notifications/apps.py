from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Observes domain events (DESIGN.md §3) and tells people about them; never imported by
    the domain apps it observes."""

    name = "mylabel.notifications"
    label = "notifications"

    def ready(self) -> None:
        from mylabel.bookings.signals import booking_status_changed
        from mylabel.notifications import receivers

        booking_status_changed.connect(
            receivers.schedule_booking_status_email,
            dispatch_uid="notifications.booking_status_email",
        )

        from mylabel.reviews.signals import review_published

        review_published.connect(
            receivers.schedule_review_published_email,
            dispatch_uid="notifications.review_published_email",
        )
