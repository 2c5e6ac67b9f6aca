from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mylabel.spotify import client
from mylabel.spotify.services import refresh_due_spotify_artists


class Command(BaseCommand):
    help = (
        "Refresh the Spotify data of linked artist profiles that are stale or due for a retry, "
        "oldest first, in one batch. Run it from cron (e.g. every 15 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many links per run."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not client.is_configured():
            self.stdout.write("Spotify is not configured (SPOTIFY_CLIENT_ID/SECRET): nothing done.")
            return
        outcomes = refresh_due_spotify_artists(limit=max(options["limit"], 0))
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Spotify links refreshed: {summary or 'none due'}.")
