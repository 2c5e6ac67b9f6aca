from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils.text import slugify

PROFESSIONS = [
    "Producer", "Mixing engineer", "Mastering engineer", "Recording engineer", "Session musician",
    "Songwriter", "Vocal coach", "Photographer", "Videographer", "Graphic designer", "Manager",
    "PR", "Booking agent",
]


def add_professions(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Profession = apps.get_model("associates", "Profession")
    for name in PROFESSIONS:
        Profession.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("associates", "0001_initial")]
    operations = [migrations.RunPython(add_professions, migrations.RunPython.noop)]
