"""The navigation's bell shows the unread count in the server-rendered page, so it is right
without JavaScript; the socket only keeps it current (tests/notifications/test_consumer.py)."""

import pytest
from django.test import Client
from django.utils import timezone

from mylabel.accounts.models import User
from tests.notifications.notification_helpers import make_notification

pytestmark = pytest.mark.django_db


def test_the_bell_shows_how_many_notifications_are_unread(
    artist_client: Client, artist: User
) -> None:
    make_notification(artist)
    make_notification(artist)
    make_notification(artist, read_at=timezone.now())

    response = artist_client.get("/")

    assert b'class="notification-bell notification-bell--unread"' in response.content
    assert b'<span class="notification-bell__count">2<' in response.content


def test_the_bell_has_no_badge_when_everything_is_read(artist_client: Client, artist: User) -> None:
    make_notification(artist, read_at=timezone.now())

    response = artist_client.get("/")

    assert b'id="notification-bell"' in response.content
    assert b"notification-bell__count" not in response.content


def test_visitors_have_no_bell(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert b'id="notification-bell"' not in response.content
