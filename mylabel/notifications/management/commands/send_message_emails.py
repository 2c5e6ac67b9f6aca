from typing import Any

from django.core.management.base import BaseCommand

from mylabel.notifications.email_batching import send_due_batches


class Command(BaseCommand):
    help = (
        "Send the message e-mails whose batch is due. The task worker does this on its own; "
        "run this from cron (every minute) where tasks run in-process (the embedded default)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_batches()
        self.stdout.write(f"{sent} message e-mail(s) sent.")
