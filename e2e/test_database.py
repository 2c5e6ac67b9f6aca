"""The live server's threads and the test write to one database at once: the second writer must
wait for the first, not fail (on SQLite, see ``django_db_modify_db_settings`` in conftest)."""

import threading
import time

from django.db import connection, transaction

from mylabel.core.models import Genre

HOLD_SECONDS = 0.5


def test_a_second_writer_waits_for_the_first_instead_of_failing(transactional_db: None) -> None:
    writing = threading.Event()

    def write_and_hold() -> None:
        try:
            with transaction.atomic():
                Genre.objects.create(name="Dub", slug="dub")
                writing.set()
                time.sleep(HOLD_SECONDS)
        finally:
            connection.close()

    other = threading.Thread(target=write_and_hold)
    other.start()
    assert writing.wait(5)
    # In Django's in-memory SQLite database this raised "database table is locked" at once.
    Genre.objects.create(name="Drill", slug="drill")
    other.join()

    assert set(Genre.objects.filter(slug__in=["dub", "drill"]).values_list("slug", flat=True)) == {
        "dub",
        "drill",
    }
