"""seed_demo's conversations between the demo accounts (issue 6 point 10)."""

import io

import pytest
from django.core.management import call_command

from mylabel.accounts.models import User
from mylabel.messaging.models import Attachment, Conversation, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_mode(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_seed_demo_creates_conversations_with_messages_and_attachments(debug_mode, client):
    call_command("seed_demo", stdout=io.StringIO())

    nina = User.objects.get(email="artist@example.com")
    marco = User.objects.get(email="associate@example.com")
    direct = Conversation.objects.involving(nina.pk).involving(marco.pk).get(booking=None)
    assert direct.messages.filter(sender=nina).exists()
    assert direct.messages.filter(sender=marco).exists()
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    # A booking conversation between them too, and Nina has unread messages waiting.
    assert Conversation.objects.involving(nina.pk).filter(booking__isnull=False).exists()
    assert Conversation.objects.for_inbox(nina.pk).get(pk=direct.pk).unread_count == 2  # type: ignore[attr-defined]

    client.force_login(nina)
    inbox = client.get("/messages/").content.decode()
    assert "Marco Riva" in inbox
    assert "2 unread" in inbox
    page = client.get(direct.get_absolute_url()).content.decode()
    assert "session-notes.pdf" in page
    attachment = Attachment.objects.get(content_type="application/pdf")
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_seed_demo_adds_no_messages_the_second_time(debug_mode):
    call_command("seed_demo", stdout=io.StringIO())
    before = Message.objects.count()

    call_command("seed_demo", stdout=io.StringIO())

    assert Message.objects.count() == before > 0
