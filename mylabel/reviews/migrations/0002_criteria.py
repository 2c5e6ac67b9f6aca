from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# (slug, name, applies to): the five criteria of DESIGN.md §2.5. Quality of work and value for
# money describe a professional's service; an artist is rated on how the collaboration went.
CRITERIA = [
    ("quality", "Quality of work", "of_associate"),
    ("communication", "Communication", "both"),
    ("professionalism", "Professionalism", "both"),
    ("punctuality", "Punctuality", "both"),
    ("value", "Value for money", "of_associate"),
]


def add_criteria(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Criterion = apps.get_model("reviews", "Criterion")
    for position, (slug, name, applies_to) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            slug=slug, defaults={"name": name, "applies_to": applies_to, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(add_criteria, migrations.RunPython.noop)]
