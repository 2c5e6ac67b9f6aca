"""The README's backup procedure, run for real (issue 10 point 9): a small demo dataset in its
own database, ``pg_dump -Fc`` of it, ``pg_restore`` into a fresh database, and the two compared
table by table (row counts) and row by row (checksums of a few tables).

The source database starts as a copy of the migrated test database (``pg_dump``/``pg_restore``
again, since a database in use cannot be a ``CREATE DATABASE`` template); the demo data is
written into it through the project's own factories and services, from a side connection
pointed at it. Both databases are dropped at the end, whatever happens.
"""

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from mylabel.bookings.models import Status
from mylabel.messaging.services import send_message, start_direct_conversation
from tests.bookings.lifecycle_helpers import booking_in, local_start, make_service, open_every_day
from tests.factories import UserFactory
from tests.profile_factories import ArtistFactory, AssociateFactory
from tests.reviews.factories import ReviewFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# The tables that hold the demo's story, and the columns whose checksum must survive.
COUNTED = (
    "django_migrations",
    "accounts_user",
    "artists_artist",
    "associates_associate",
    "associates_service",
    "bookings_booking",
    "bookings_bookingevent",
    "payments_payment",
    "reviews_review",
    "messaging_conversation",
    "messaging_message",
    "core_genre",
)
CHECKSUMMED = {
    "accounts_user": "id, email, display_name, password, date_joined",
    "bookings_booking": "id, status, price, currency, start, payment_id",
    "payments_payment": "id, status, amount, refunded_amount",
    "reviews_review": "id, rating, text, published_at",
    "messaging_message": "id, body, sender_id, created_at",
}


def _server() -> dict[str, str]:
    params = connection.settings_dict
    return {
        "host": params["HOST"] or "127.0.0.1",
        "port": str(params["PORT"] or 5432),
        "user": params["USER"] or "postgres",
        "password": params["PASSWORD"] or "",
    }


def _run(*command: str) -> None:
    server = _server()
    env = {**os.environ, "PGPASSWORD": server["password"]}
    args = [command[0], "-h", server["host"], "-p", server["port"], "-U", server["user"]]
    # The PostgreSQL client tools with the test database's own parameters.
    subprocess.run(  # noqa: S603
        [*args, *command[1:]], check=True, env=env, capture_output=True, timeout=60
    )


def _query(database: str, sql: str) -> Any:
    server = _server()
    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname=database,
        autocommit=True,
    ) as side:
        return side.execute(sql).fetchall()


def _on_database(database: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread whose Django connection points at ``database``."""

    def run() -> Any:
        side = connections["default"]
        # Without the pool: Django keeps one pool per alias, still connected to the test database.
        options = {k: v for k, v in side.settings_dict["OPTIONS"].items() if k != "pool"}
        side.settings_dict = {**side.settings_dict, "NAME": database, "OPTIONS": options}
        try:
            with side.cursor() as cursor:
                cursor.execute("SELECT current_database()")
                assert cursor.fetchone() == (database,)  # never seed the test database itself
            return work()
        finally:
            side.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _seed_demo() -> None:
    """A few people and what happens between them: bookings in several states, a payment, a
    review, a conversation."""
    artists = [
        ArtistFactory.create(user=UserFactory.create(email=f"artist{n}@example.com"))
        for n in range(3)
    ]
    pro = AssociateFactory.create(user=UserFactory.create(email="pro@example.com"))
    open_every_day(pro)
    service = make_service(pro)
    states = [Status.PAID, Status.CANCELLED, Status.REQUESTED]
    for days, (artist, status) in enumerate(zip(artists, states, strict=True), start=4):
        booking_in(status, artist, service, start=local_start(pro, days=days))
    # Its own completed booking comes with it: four bookings in all.
    ReviewFactory.create(artist=artists[0], associate=pro, rating=5, text="Warm, precise mix.")
    conversation = start_direct_conversation(user=artists[0].user, other=pro.user)
    send_message(conversation=conversation, sender=artists[0].user, body="Stems attached.")
    send_message(conversation=conversation, sender=pro.user, body="Got them, thanks!")


def _counts(database: str) -> dict[str, int]:
    sql = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM {table}" for table in COUNTED)  # noqa: S608  (names are constants)
    return dict(_query(database, sql))


def _checksums(database: str) -> dict[str, str]:
    sums = {}
    for table, columns in CHECKSUMMED.items():
        rows = _query(
            database,
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "  # noqa: S608
            f"FROM (SELECT {columns} FROM {table}) t",
        )
        sums[table] = rows[0][0]
    return sums


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    base = connection.settings_dict["NAME"]
    source, restored = f"{base}_restore_src", f"{base}_restore_dst"
    for name in (source, restored):
        _run("dropdb", "--if-exists", name)
    try:
        yield source, restored
    finally:
        for name in (source, restored):
            _run("dropdb", "--if-exists", "--force", name)


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client tools")
def test_a_custom_format_dump_restores_into_a_fresh_database_identically(
    databases: tuple[str, str], tmp_path: Path, settings
):
    settings.STRIPE_SECRET_KEY = ""  # the offline gateway: no network
    source, restored = databases
    schema = tmp_path / "migrated.dump"
    backup = tmp_path / "demo.dump"
    test_database = connection.settings_dict["NAME"]

    _run("pg_dump", "-Fc", "--no-owner", "-f", str(schema), test_database)
    _run("createdb", source)
    _run("pg_restore", "--no-owner", "-d", source, str(schema))
    _on_database(source, _seed_demo)

    # What the README tells an operator to do.
    _run("pg_dump", "-Fc", "--no-owner", "-f", str(backup), source)
    _run("createdb", restored)
    _run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(backup))

    counts = _counts(source)
    assert counts["bookings_booking"] == 4
    assert counts["reviews_review"] == 1
    assert counts["messaging_message"] == 2
    assert counts["payments_payment"] >= 1
    assert _counts(restored) == counts
    assert _checksums(restored) == _checksums(source)
    # The restored database is at the same migration state: ``migrate`` has nothing to do.
    assert _query(restored, "SELECT app, name FROM django_migrations ORDER BY id") == _query(
        source, "SELECT app, name FROM django_migrations ORDER BY id"
    )
