from typing import Any

from django.core.management.base import BaseCommand

from mylabel.reviews.services import publish_due_reviews


class Command(BaseCommand):
    help = (
        "Publish the blind reviews whose review window has closed. The task worker does this on "
        "its own; run this from cron where tasks run in-process (the embedded default)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        published = publish_due_reviews()
        self.stdout.write(f"{published} review(s) published.")
