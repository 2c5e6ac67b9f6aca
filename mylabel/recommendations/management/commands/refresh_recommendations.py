from typing import Any

from django.core.management.base import BaseCommand

from mylabel.recommendations.services import refresh_recommendations


class Command(BaseCommand):
    help = (
        "Recompute every artist's recommendations (cron, e.g. nightly; bookings also refresh "
        "their artist's within a minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = refresh_recommendations()
        self.stdout.write(f"{written} recommendations written.")
