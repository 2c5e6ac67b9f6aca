from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mylabel.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts


class Command(BaseCommand):
    help = "Create the demo accounts and data (idempotent). Refuses to run in production mode."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "it refuses to run when DJANGO_DEBUG=false."
            )
        with transaction.atomic():
            seed_accounts()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for email, _name, _is_admin in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} password: {DEMO_PASSWORD}")
