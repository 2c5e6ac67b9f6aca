import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from mylabel.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts
from mylabel.demo.bookings import seed_bookings
from mylabel.demo.community import seed_community
from mylabel.demo.marketplace import seed_marketplace
from mylabel.demo.messaging import seed_conversations
from mylabel.demo.notifications import seed_notifications
from mylabel.demo.reviews import seed_reviews
from mylabel.recommendations.services import refresh_recommendations
from mylabel.recommendations.tasks import refreshes_paused
from mylabel.roster.demo import sign_demo_artists

QUIET_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@contextmanager
def quiet_task_log() -> Iterator[None]:
    """Keep the task runner's per-task INFO lines (hundreds while seeding runs them in-process)
    off the console; warnings and errors still show."""
    logger = logging.getLogger("django.tasks")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Command(BaseCommand):
    help = (
        "Create the demo accounts and a demo community of artists and professionals "
        "(idempotent). Refuses to run in production mode."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "it refuses to run when DJANGO_DEBUG=false."
            )
        # The demo bookings go through the real services, which e-mail both sides after the
        # commit; those mails stay in memory and the tasks' log lines stay quiet, so the console
        # shows the log-ins, not dozens of invitations.
        # Suggestions are computed once at the end, not after each demo booking's changes.
        with quiet_task_log(), refreshes_paused():
            with override_settings(MAILERS=QUIET_MAILERS), transaction.atomic():
                accounts = seed_accounts()
                summary = seed_community(accounts=accounts)
                signings = sign_demo_artists(by=accounts["admin@example.com"])
                associates_set_up = seed_marketplace()
                bookings_created = seed_bookings()
                messages_created = seed_conversations()
                reviews_written = seed_reviews()
            # After the commit, whose tasks may already have written them (demo.notifications).
            notifications_created = seed_notifications()
            # Suggestions are computed from the whole community, bookings included (the cron
            # command refresh_recommendations keeps them fresh afterwards).
            recommendations = refresh_recommendations()
        if summary.artists_created or summary.professionals_created:
            self.stdout.write(
                f"Demo community: {summary.artists_created} artist and "
                f"{summary.professionals_created} professional profiles created."
            )
        else:
            self.stdout.write("Demo community: already in place, nothing to add.")
        if signings:
            self.stdout.write(f"Roster: {signings} signing records for the label's artists.")
        if associates_set_up:
            self.stdout.write(
                f"Marketplace: services and opening hours for {associates_set_up} professionals."
            )
        if bookings_created:
            self.stdout.write(
                f"Bookings: {bookings_created} between the demo accounts, in every state."
            )
        if messages_created:
            self.stdout.write(
                f"Messages: {messages_created} in conversations between the demo accounts."
            )
        if reviews_written:
            self.stdout.write(
                f"Reviews: {reviews_written} on completed bookings, with replies and a report."
            )
        if notifications_created:
            self.stdout.write(f"Notifications: {notifications_created} for the demo accounts.")
        self.stdout.write(f"Recommendations: {recommendations} suggestions computed for artists.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for email, _name, _is_admin in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} password: {DEMO_PASSWORD}")
        self.stdout.write(
            "  Community members (demo-artist-01…, demo-pro-01…@example.com) use the same password."
        )
