"""No double booking, enforced by PostgreSQL (DESIGN.md §2.4): two active bookings of one
associate may not overlap, buffer included. SQLite has no exclusion constraints; there the
booking service serialises requests and re-checks inside its transaction."""

from django.db import migrations

from mylabel.core.migration_operations import PostgresOnlySQL

ACTIVE = "'requested', 'accepted', 'paid', 'disputed'"


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS btree_gist", migrations.RunSQL.noop),
        PostgresOnlySQL(
            "ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
            "(associate_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&) "
            f"WHERE (status IN ({ACTIVE}))",
            "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap",
        ),
    ]
