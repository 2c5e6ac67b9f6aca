from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """Observes bookings and reads the domain apps (DESIGN.md §3); no domain app imports it."""

    name = "mylabel.recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mylabel.bookings.signals import booking_status_changed
        from mylabel.recommendations import receivers

        booking_status_changed.connect(
            receivers.refresh_after_booking, dispatch_uid="recommendations.refresh_after_booking"
        )
