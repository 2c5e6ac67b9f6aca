from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils.text import slugify

GENRES = [
    "Afrobeats", "Alternative", "Ambient", "Blues", "Classical", "Country", "Dance", "Drum & Bass",
    "Electronic", "Folk", "Funk", "Gospel", "Hip-Hop", "House", "Indie", "Italian Pop", "Jazz",
    "Latin", "Metal", "Pop", "Punk", "R&B", "Reggae", "Rock", "Singer-Songwriter", "Soul",
    "Soundtrack", "Techno", "Trap", "World",
]


def add_genres(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Genre = apps.get_model("core", "Genre")
    for name in GENRES:
        Genre.objects.get_or_create(slug=slugify(name.replace("&", "and")), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_genres, migrations.RunPython.noop)]
