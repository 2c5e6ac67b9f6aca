"""The "Label admins" group from the data migration, and how roles read (DESIGN.md §1)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from mylabel.accounts.models import LABEL_ADMIN_GROUP, LABEL_ADMIN_PERMISSION, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_the_label_admin_group_with_its_permission():
    group = Group.objects.get(name=LABEL_ADMIN_GROUP)
    codenames = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }
    assert LABEL_ADMIN_PERMISSION in codenames
    assert "accounts.view_user" in codenames


def test_a_member_of_the_group_is_a_label_admin(label_admin):
    assert label_admin.is_label_admin
    assert not label_admin.is_superuser


@pytest.mark.parametrize("persona", ["artist", "associate", "outsider"])
def test_everyone_else_is_not_a_label_admin(request, persona):
    assert not request.getfixturevalue(persona).is_label_admin


def test_a_deactivated_label_admin_loses_the_role(label_admin):
    label_admin.is_active = False
    label_admin.save()
    assert not User.objects.get(pk=label_admin.pk).is_label_admin


def test_the_navigation_links_label_admins_to_the_admin(client, label_admin, artist):
    client.force_login(label_admin)
    assert b'href="/admin/"' in client.get("/").content
    client.force_login(artist)
    assert b'href="/admin/"' not in client.get("/").content


def test_user_name_falls_back_to_the_email_before_the_at():
    assert User(email="nina@example.com", display_name="").name == "nina"
    assert str(User(email="nina@example.com", display_name="Nina Vale")) == "Nina Vale"


def test_time_zones_are_checked_against_tzdata():
    user = UserFactory.build(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "Mars/Olympus is not a known time zone." in error.value.message_dict["time_zone"]


def test_create_user_requires_an_email_and_lowercases_it():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("")
    user = User.objects.create_user("Nina@Example.COM", "pw-long-enough-123")
    assert user.email == "nina@example.com"


def test_create_superuser_is_staff_and_superuser():
    user = User.objects.create_superuser("root@example.com", "pw-long-enough-123")
    assert user.is_staff
    assert user.is_superuser
