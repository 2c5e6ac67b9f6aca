"""``manage.py seed_demo`` (issue 2 §8)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from mylabel.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mylabel.accounts.models import User
from tests.accounts.helpers import is_logged_in

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {email for email, _name, _is_admin in DEMO_ACCOUNTS}


@pytest.fixture
def debug_mode(settings):
    # pytest-django runs tests with DEBUG=False; seed_demo only runs in debug mode.
    settings.DEBUG = True


def test_seed_demo_creates_the_four_demo_accounts(debug_mode, capsys):
    call_command("seed_demo")

    assert {
        "admin@example.com",
        "artist@example.com",
        "associate@example.com",
        "both@example.com",
    } == DEMO_EMAILS
    # Later issues add a demo community beside them; the four log-ins are always there.
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_EMAILS
    output = capsys.readouterr().out
    for email in DEMO_EMAILS:
        assert email in output
    assert DEMO_PASSWORD in output


def test_seed_demo_is_idempotent(debug_mode):
    call_command("seed_demo")
    first = dict(User.objects.values_list("email", "pk"))
    call_command("seed_demo")

    assert dict(User.objects.values_list("email", "pk")) == first
    assert EmailAddress.objects.count() == len(first)
    assert User.objects.get(email="admin@example.com").groups.count() == 1


def test_seed_demo_accounts_can_log_in_with_the_demo_password(debug_mode, client):
    call_command("seed_demo")
    call_command("seed_demo")

    for email in DEMO_EMAILS:
        assert EmailAddress.objects.get(email=email).verified
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert is_logged_in(client), email
        client.post("/accounts/logout/")


def test_seed_demo_resets_a_changed_demo_password(debug_mode):
    call_command("seed_demo")
    user = User.objects.get(email="artist@example.com")
    user.set_password("something-else-entirely")
    user.save()

    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_only_the_admin_demo_account_is_a_label_admin(debug_mode):
    call_command("seed_demo")
    admins = {user.email for user in User.objects.all() if user.is_label_admin}
    assert admins == {"admin@example.com"}
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff
    assert not admin.is_superuser


def test_seed_demo_refuses_to_run_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_demo")
    assert not User.objects.exists()
