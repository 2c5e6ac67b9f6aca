"""Accounts and targets for the load test (bin/load): run by ``load/run.py`` with the app's venv
against the load database, after ``seed_scale`` and ``seed_demo``.

Makes the first ACCOUNTS ``seed_scale`` artists loginable (one known password, a verified
e-mail: allauth's mandatory verification would otherwise stop them at the log-in) and writes
what the locust users pick from to a JSON file: those accounts, profile slugs, the directory's
filter values, and the professionals that sell services with opening hours (seed_demo's), the
only ones a booking can be requested from. Idempotent; refuses a production-mode settings file.
"""

import json
import os
import random
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402

from mylabel.accounts.models import User  # noqa: E402
from mylabel.api.models import ApiToken  # noqa: E402
from mylabel.artists.models import Artist  # noqa: E402
from mylabel.associates.models import Associate, Profession  # noqa: E402
from mylabel.core.models import Genre  # noqa: E402

# Published on purpose: these accounts exist only in the throw-away load database.
PASSWORD = "load-test-only"  # noqa: S105


def main() -> int:
    if not settings.DEBUG:
        print("load/prepare.py writes known passwords; run it with DJANGO_DEBUG=true.")
        return 2
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    output = Path(sys.argv[1])
    rng = random.Random(1)  # noqa: S311 - a repeatable sample, not a secret

    # seed_scale's artists (their e-mails end in .invalid), oldest first: the same ones each run.
    artists = list(
        Artist.objects.listed()
        .filter(user__email__endswith="@example.invalid")
        .order_by("pk")
        .values_list("user_id", "user__email")[:count]
    )
    user_ids = [user_id for user_id, _email in artists]
    # One hash for all (hashing is slow on purpose), written in one UPDATE.
    User.objects.filter(pk__in=user_ids).update(password=make_password(PASSWORD))
    # Each run's API users make a token, and an account may hold 20: start every run with none.
    ApiToken.objects.filter(user_id__in=user_ids).delete()
    verified = set(
        EmailAddress.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email, verified=True, primary=True)
        for user_id, email in artists
        if user_id not in verified
    )

    bookable = list(
        Associate.objects.listed()
        .filter(services__is_active=True, weekly_rules__isnull=False)
        .distinct()
        .values_list("slug", flat=True)
    )
    associate_slugs = list(Associate.objects.listed().values_list("slug", flat=True))
    artist_slugs = list(Artist.objects.listed().values_list("slug", flat=True))
    cities = sorted({city for city in Associate.objects.values_list("city", flat=True) if city})
    data = {
        "password": PASSWORD,
        "accounts": [email for _user_id, email in artists],
        "bookable": sorted(bookable),
        "associates": rng.sample(associate_slugs, min(1000, len(associate_slugs))),
        "artists": rng.sample(artist_slugs, min(1000, len(artist_slugs))),
        "genres": list(Genre.objects.values_list("slug", flat=True)),
        "professions": list(Profession.objects.values_list("slug", flat=True)),
        "cities": cities[:60],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=1))
    print(
        f"Load accounts: {len(artists)} artists (password {PASSWORD!r}); "
        f"{len(bookable)} bookable professionals; data in {output}."
    )
    return 0 if artists and bookable else 1


if __name__ == "__main__":
    sys.exit(main())
