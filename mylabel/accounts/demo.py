"""Demo accounts for ``manage.py seed_demo``. Every function here is idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from mylabel.accounts.models import LABEL_ADMIN_GROUP, User

DEMO_PASSWORD = "mylabel-demo"  # noqa: S105 - published on purpose; seed_demo refuses production

DEMO_ACCOUNTS = [
    # (e-mail, display name, is label admin)
    ("admin@example.com", "Label Admin", True),
    ("artist@example.com", "Nina Vale", False),
    ("associate@example.com", "Marco Riva", False),
    ("both@example.com", "Giulia Sole", False),
]


def seed_accounts() -> dict[str, User]:
    """Create or reset the demo accounts, with verified e-mail and the demo password."""
    label_admins = Group.objects.get(name=LABEL_ADMIN_GROUP)
    # Hashing is slow on purpose; one hash of the shared demo password serves every account.
    password_hash = make_password(DEMO_PASSWORD)
    users = {}
    for email, display_name, is_label_admin in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name}
        )
        user.password = password_hash
        # Label admins reach Django's admin for the reference data, but are not superusers.
        user.is_staff = is_label_admin
        user.save()
        if is_label_admin:
            user.groups.add(label_admins)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user
    return users
