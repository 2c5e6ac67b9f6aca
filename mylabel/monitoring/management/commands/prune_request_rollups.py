from typing import Any

from django.core.management.base import BaseCommand

from mylabel.monitoring.rollups import prune_rollups


class Command(BaseCommand):
    help = (
        "Delete request rollups older than METRICS_ROLLUP_RETENTION_DAYS. Server processes do "
        "this hourly while they flush; run it from cron where no server runs for long."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_rollups()
        self.stdout.write(f"{deleted} request rollup(s) deleted.")
