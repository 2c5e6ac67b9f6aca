from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mylabel.demo.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Create N artists and N associates with bulk inserts, for benchmarks. "
        "Refuses to run in production mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many artists, and how many associates.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable data).")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(
        self, *args: Any, count: int, seed: int | None, batch_size: int, **options: Any
    ) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_scale fills the database with fake profiles; "
                "it refuses to run when DJANGO_DEBUG=false."
            )
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        try:
            result = seed_scale(artists=count, associates=count, seed=seed, batch_size=batch_size)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.artists} artists and {result.associates} associates "
                f"in {result.seconds:.1f} s."
            )
        )
