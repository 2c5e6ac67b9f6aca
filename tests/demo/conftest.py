"""The demo seed, once per test module: seed_demo takes seconds, and most of these modules only
read what it wrote."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

# The real hasher is slow on purpose and irrelevant to what the demo tests check.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def seeded_in_transaction(*, run_on_commit: bool) -> Iterator[str]:
    """seed_demo inside a transaction that is rolled back on leaving, so a module's tests (each
    in its own savepoint, as pytest-django nests them) share one seed and leave nothing behind.

    ``run_on_commit`` runs the seed's after-commit work (tasks, caches) as a commit would, the
    way ``captureOnCommitCallbacks(execute=True)`` does; otherwise it is dropped with the
    rollback, as it is for a test that seeds inside its own transaction. seed_demo refuses to run
    outside debug mode, hence the override. Yields what the seed printed."""
    output = StringIO()
    with transaction.atomic():
        with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS):
            if run_on_commit:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("seed_demo", stdout=output)
            else:
                call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
