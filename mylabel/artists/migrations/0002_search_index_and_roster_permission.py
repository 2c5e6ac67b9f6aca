from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from mylabel.core.migration_operations import PostgresOnlySQL


def grant_roster_to_label_admins(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    app_config = apps.get_app_config("artists")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Label admins")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="artists", codename__in=["manage_roster", "view_artist"]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("artists", "0001_initial"), ("accounts", "0002_label_admin_group")]
    operations = [
        PostgresOnlySQL(
            "CREATE INDEX artists_search_vector_gin ON artists_artist USING gin (search_vector)",
            "DROP INDEX IF EXISTS artists_search_vector_gin",
        ),
        migrations.RunPython(grant_roster_to_label_admins, migrations.RunPython.noop),
    ]
