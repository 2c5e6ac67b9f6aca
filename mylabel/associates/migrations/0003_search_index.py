from django.db import migrations

from mylabel.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("associates", "0002_professions")]
    operations = [
        PostgresOnlySQL(
            "CREATE INDEX associates_search_vector_gin ON associates_associate "
            "USING gin (search_vector)",
            "DROP INDEX IF EXISTS associates_search_vector_gin",
        )
    ]
