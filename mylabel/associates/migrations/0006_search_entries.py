"""Professionals' search vectors move to a narrow table of their own (AssociateSearchEntry).

Ranking a broad search reads every match's vector. In the profile rows those sit among bios,
plain-text copies and booking settings (about 40 MB for 20,000 profiles); in this table they
are most of a 13 MB heap, next to the ``listed`` flag and the name the ranking also needs.
``listed`` mirrors ``accounts_user.is_active`` through a trigger (PostgreSQL, where the ranking
reads it), so the ranking never joins the users table.
"""

from typing import Any

import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mylabel.core.migration_operations import PostgresOnlySQL

COPY_ENTRIES = """
    INSERT INTO associates_associatesearchentry (associate_id, listed, display_name, vector)
    SELECT associate.id, account.is_active, associate.display_name, associate.search_vector
    FROM associates_associate associate
    JOIN accounts_user account ON account.id = associate.user_id
"""
COPY_VECTORS_BACK = """
    UPDATE associates_associate SET search_vector = (
        SELECT entry.vector FROM associates_associatesearchentry entry
        WHERE entry.associate_id = associates_associate.id
    )
"""
LISTED_TRIGGER = """
    CREATE FUNCTION associates_search_entry_listed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE associates_associatesearchentry SET listed = NEW.is_active
        WHERE associate_id IN (
            SELECT id FROM associates_associate WHERE user_id = NEW.id
        );
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER associates_search_entry_listed
    AFTER UPDATE OF is_active ON accounts_user
    FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION associates_search_entry_listed();
"""
DROP_LISTED_TRIGGER = """
    DROP TRIGGER IF EXISTS associates_search_entry_listed ON accounts_user;
    DROP FUNCTION IF EXISTS associates_search_entry_listed();
"""


def copy_entries(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(COPY_ENTRIES)


def copy_vectors_back(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(COPY_VECTORS_BACK)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("associates", "0005_rating_summary"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssociateSearchEntry",
            fields=[
                (
                    "associate",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="associates.associate",
                    ),
                ),
                ("listed", models.BooleanField(default=True)),
                ("display_name", models.CharField(max_length=120)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
        migrations.RunPython(copy_entries, copy_vectors_back),
        PostgresOnlySQL(
            "DROP INDEX IF EXISTS associates_search_vector_gin",
            "CREATE INDEX associates_search_vector_gin ON associates_associate "
            "USING gin (search_vector)",
        ),
        # fastupdate off: profiles change one at a time, and searches should never have to
        # read a pending list of unindexed entries (nor the planner price one) until the next
        # autovacuum.
        PostgresOnlySQL(
            "CREATE INDEX associates_search_entry_gin ON associates_associatesearchentry "
            "USING gin (vector) WITH (fastupdate = off)",
            "DROP INDEX IF EXISTS associates_search_entry_gin",
        ),
        PostgresOnlySQL(LISTED_TRIGGER, DROP_LISTED_TRIGGER),
        migrations.RemoveField(model_name="associate", name="search_vector"),
    ]
