from typing import Any

from django.core.management.base import BaseCommand

from mylabel.bookings.services import expire_stale_requests


class Command(BaseCommand):
    help = (
        "Expire booking requests not answered in time. The task worker does this on its own; "
        "run this from cron where tasks run in-process (the embedded default)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_stale_requests()
        self.stdout.write(f"{expired} booking request(s) expired.")
