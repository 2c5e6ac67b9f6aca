"""The demo accounts have notifications (issue 6 point 10): from their bookings, reviews and
messages, the newest few unread; seeding again adds none. One test, because seeding is slow."""

import io

import pytest
from django.core.management import call_command

from mylabel.demo.notifications import KEEP_UNREAD, seed_notifications
from mylabel.notifications.models import Event, Notification

pytestmark = pytest.mark.django_db

DEMO_USERS = ["artist@example.com", "associate@example.com", "both@example.com"]


def test_the_demo_accounts_get_notifications_once(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Inside the test's transaction the commit's own tasks never run: seed_demo builds them.
    call_command("seed_demo", stdout=io.StringIO())

    for email in DEMO_USERS:
        lines = Notification.objects.filter(recipient__email=email)
        assert lines.exists(), email
        assert 0 < lines.filter(read_at=None).count() <= KEEP_UNREAD, email
    events = set(
        Notification.objects.filter(recipient__email__in=DEMO_USERS).values_list("event", flat=True)
    )
    assert {Event.BOOKING_REQUESTED, Event.BOOKING_ACCEPTED, Event.MESSAGE_RECEIVED} <= events
    assert not Notification.objects.exclude(url__startswith="/").exists()

    count = Notification.objects.count()
    assert seed_notifications() == 0
    call_command("seed_demo", stdout=io.StringIO())
    assert Notification.objects.count() == count
