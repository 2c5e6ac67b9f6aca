from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "mylabel.monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from mylabel.bookings.signals import booking_status_changed
        from mylabel.monitoring import receivers

        booking_status_changed.connect(
            receivers.count_booking_transition, dispatch_uid="monitoring.booking_transitions"
        )
        task_finished.connect(receivers.record_task_finished, dispatch_uid="monitoring.tasks")
