"""Members' permissions are cached between requests (mylabel/accounts/backends.py): a signed-in
page reads no permission, and every change to who may do what shows on the very next request."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mylabel.accounts.models import LABEL_ADMIN_GROUP, User
from tests.factories import UserFactory
from tests.reviews.test_cache import BROKEN_CACHE

pytestmark = pytest.mark.django_db

ADMIN_LINK = "/dashboard/"  # the menu's "Dashboard" link, for label admins only


@pytest.fixture
def label_admin() -> User:
    """Made in a savepoint of its own, as by an earlier request. Tests never commit, so the
    group's change stays queued; queued outside the changes tested, it is not taken for one that
    covers them (``cached.forget_on_commit`` queues one per transaction)."""
    with transaction.atomic():
        return UserFactory.create(label_admin=True)


def permission_queries(client: Client) -> tuple[bool, int]:
    """Whether the menu shows the label admin's links, and how many queries read permissions."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bookings/")
    assert response.status_code == 200
    reads = sum('"auth_permission"' in query["sql"] for query in queries.captured_queries)
    return f'href="{ADMIN_LINK}"' in response.content.decode(), reads


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def label_admins() -> Group:
    return Group.objects.get(name=LABEL_ADMIN_GROUP)


def test_the_second_page_reads_no_permission(label_admin: User):
    client = signed_in(label_admin)

    assert permission_queries(client) == (True, 2)
    assert permission_queries(client) == (True, 0)


def join_the_group(user: User) -> None:
    user.groups.add(label_admins())


def be_given_the_permission(user: User) -> None:
    group = Group.objects.create(name="Moderators")
    group.permissions.add(*label_admins().permissions.all())
    user.groups.add(group)


def be_given_it_directly(user: User) -> None:
    user.user_permissions.add(*label_admins().permissions.all())


def become_superuser(user: User) -> None:
    user.is_superuser = True
    user.save()


@pytest.mark.parametrize(
    "change", [join_the_group, be_given_the_permission, be_given_it_directly, become_superuser]
)
def test_a_permission_given_shows_on_the_next_page(
    change: Callable[[User], None], django_capture_on_commit_callbacks
):
    member = UserFactory.create()
    client = signed_in(member)
    assert permission_queries(client)[0] is False

    with django_capture_on_commit_callbacks(execute=True):
        change(member)

    assert permission_queries(client)[0] is True


def leave_the_group(user: User) -> None:
    user.groups.remove(label_admins())


def group_loses_the_permission(user: User) -> None:
    label_admins().permissions.clear()


def group_deleted(user: User) -> None:
    label_admins().delete()


def permission_deleted(user: User) -> None:
    Permission.objects.filter(codename="access_label_admin").delete()


def deactivated(user: User) -> None:
    user.is_active = False
    user.save()


@pytest.mark.parametrize(
    "change",
    [
        leave_the_group,
        group_loses_the_permission,
        group_deleted,
        permission_deleted,
    ],
)
def test_a_permission_taken_away_shows_on_the_next_page(
    label_admin: User, change: Callable[[User], None], django_capture_on_commit_callbacks
):
    client = signed_in(label_admin)
    assert permission_queries(client)[0] is True

    with django_capture_on_commit_callbacks(execute=True):
        change(label_admin)

    assert permission_queries(client)[0] is False


def test_a_deactivated_label_admin_has_no_permission_even_cached(label_admin: User):
    client = signed_in(label_admin)
    permission_queries(client)
    deactivated(label_admin)  # no commit: the account's own row says it, not the cache

    assert not User.objects.get(pk=label_admin.pk).is_label_admin


def test_a_change_rolled_back_keeps_the_cache(
    label_admin: User, django_capture_on_commit_callbacks
):
    client = signed_in(label_admin)
    permission_queries(client)

    with django_capture_on_commit_callbacks() as callbacks:
        leave_the_group(label_admin)

    assert len(callbacks) == 1  # ends the generation only if this transaction commits
    assert permission_queries(client) == (True, 0)


def test_with_the_cache_down_permissions_are_read_from_the_database(
    label_admin: User, settings, caplog
):
    settings.CACHES = BROKEN_CACHE
    client = signed_in(label_admin)

    assert permission_queries(client) == (True, 2)
    assert permission_queries(client) == (True, 2)
    assert "Permissions cache" in caplog.text


def test_a_zero_lifetime_turns_the_cache_off(label_admin: User, settings):
    settings.PERMISSIONS_CACHE_SECONDS = 0
    client = signed_in(label_admin)
    permission_queries(client)

    assert permission_queries(client) == (True, 2)
