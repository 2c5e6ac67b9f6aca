import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mylabel.messaging import services
from mylabel.messaging.models import Attachment, Conversation, Message, Participant
from mylabel.messaging.signals import conversation_read, message_sent
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day
from tests.factories import UserFactory
from tests.messaging.conftest import MP3_BYTES, pdf_upload, png_upload, upload, zip_bytes

pytestmark = pytest.mark.django_db


def test_starting_a_direct_conversation_twice_returns_the_same_one(artist, associate, direct):
    again = services.start_direct_conversation(user=associate, other=artist)

    assert again.pk == direct.pk
    assert Conversation.objects.count() == 1
    assert set(direct.participants.values_list("user_id", flat=True)) == {artist.pk, associate.pk}


def test_nobody_can_start_a_conversation_with_themselves(artist):
    with pytest.raises(ValidationError) as error:
        services.start_direct_conversation(user=artist, other=artist)

    assert error.value.code == "self"
    assert not Conversation.objects.exists()


def test_a_deactivated_account_cannot_be_messaged(artist):
    gone = UserFactory.create(is_active=False)

    with pytest.raises(ValidationError):
        services.start_direct_conversation(user=artist, other=gone)
    assert not Conversation.objects.exists()


def test_a_booking_has_one_conversation_with_its_artist_and_professional(nina, marco):
    open_every_day(marco)
    booking = book(nina, make_service(marco))

    conversation = services.conversation_for_booking(booking=booking)
    again = services.conversation_for_booking(booking=booking)

    assert again.pk == conversation.pk
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        nina.user_id,
        marco.user_id,
    }


def test_a_sent_message_is_trimmed_saved_and_announced_after_commit(
    artist, direct, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, message, **kwargs):
        received.append(message)

    message_sent.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = services.send_message(conversation=direct, sender=artist, body="  Hi!  \r\n")
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        message_sent.disconnect(receiver)

    assert received == [message]
    assert message.body == "Hi!"
    direct.refresh_from_db()
    assert direct.last_message_at == message.created_at
    # The sender has read their own message.
    assert Participant.objects.get(conversation=direct, user=artist).last_read_message == message


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_an_empty_message_without_files_is_refused(artist, direct, body):
    with pytest.raises(ValidationError) as error:
        services.send_message(conversation=direct, sender=artist, body=body)

    assert error.value.message_dict["body"]
    assert not Message.objects.exists()


def test_a_message_over_5000_characters_is_refused(artist, direct):
    with pytest.raises(ValidationError) as error:
        services.send_message(conversation=direct, sender=artist, body="x" * 5001)

    assert "5000" in error.value.message_dict["body"][0]
    assert not Message.objects.exists()


def test_exactly_5000_characters_after_trimming_is_fine(artist, direct):
    message = services.send_message(conversation=direct, sender=artist, body=" " + "x" * 5000 + " ")

    assert len(message.body) == 5000


def test_someone_outside_the_conversation_cannot_post(outsider, direct):
    with pytest.raises(PermissionDenied):
        services.send_message(conversation=direct, sender=outsider, body="Let me in")
    assert not Message.objects.exists()


def test_a_file_alone_is_a_message_and_is_stored_under_an_unguessable_name(artist, direct):
    message = services.send_message(
        conversation=direct, sender=artist, body="", files=[pdf_upload("../../etc/Contract.pdf")]
    )

    attachment = message.attachments.get()
    stored = attachment.file.name or ""
    assert attachment.original_name == "Contract.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == attachment.file.size
    assert "Contract" not in stored
    assert stored.startswith("messages/")
    assert stored.endswith(".pdf")
    # A 32-character random token: nobody can guess another file's path.
    token = stored.rsplit("/", 1)[1].removesuffix(".pdf")
    assert len(token) == 32


def test_images_audio_pdf_and_zip_are_accepted_by_their_content(artist, direct):
    files = [
        png_upload("photo.bin"),
        upload("demo.mp3", MP3_BYTES, "audio/mpeg"),
        pdf_upload(),
        upload("stems.zip", zip_bytes(), "application/zip"),
    ]

    message = services.send_message(conversation=direct, sender=artist, body="", files=files)

    assert [a.content_type for a in message.attachments.all()] == [
        "image/png",
        "audio/mpeg",
        "application/pdf",
        "application/zip",
    ]
    # The stored extension follows the content, not the uploaded name.
    assert (message.attachments.all()[0].file.name or "").endswith(".png")


def test_a_text_file_renamed_to_pdf_is_refused(artist, direct):
    fake = upload("invoice.pdf", b"#!/bin/sh\nrm -rf /\n" * 10, "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.send_message(conversation=direct, sender=artist, body="See invoice", files=[fake])

    assert "not a file type we accept" in error.value.message_dict["attachments"][0]
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_an_executable_is_refused_whatever_its_name(artist, direct):
    elf = upload("song.mp3", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "audio/mpeg")

    with pytest.raises(ValidationError):
        services.send_message(conversation=direct, sender=artist, body="", files=[elf])
    assert not Message.objects.exists()


def test_a_broken_image_behind_a_png_signature_is_refused(artist, direct):
    broken = upload("cover.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "image/png")

    with pytest.raises(ValidationError):
        services.send_message(conversation=direct, sender=artist, body="", files=[broken])
    assert not Message.objects.exists()


def test_an_oversized_file_is_refused(settings, artist, direct):
    settings.MESSAGE_ATTACHMENT_MAX_MB = 1
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.send_message(conversation=direct, sender=artist, body="Big one", files=[big])

    assert "limit is 1.0" in error.value.message_dict["attachments"][0]
    assert not Message.objects.exists()


def test_an_empty_file_is_refused(artist, direct):
    with pytest.raises(ValidationError):
        services.send_message(
            conversation=direct, sender=artist, body="", files=[upload("empty.pdf", b"")]
        )
    assert not Message.objects.exists()


def test_too_many_files_are_refused(settings, artist, direct):
    settings.MESSAGE_ATTACHMENTS_PER_MESSAGE = 2

    with pytest.raises(ValidationError) as error:
        services.send_message(
            conversation=direct,
            sender=artist,
            body="",
            files=[pdf_upload(), pdf_upload(), pdf_upload()],
        )

    assert "at most 2 files" in error.value.message_dict["attachments"][0]
    assert not Message.objects.exists()


def test_one_bad_file_among_good_ones_saves_nothing(artist, direct, settings, tmp_path):
    bad = upload("notes.pdf", b"plain text", "application/pdf")

    with pytest.raises(ValidationError):
        services.send_message(
            conversation=direct, sender=artist, body="", files=[pdf_upload(), bad]
        )

    assert not Attachment.objects.exists()
    assert not list((tmp_path).rglob("*.pdf"))


def test_flooding_is_refused_until_the_window_passes(settings, artist, associate, direct):
    settings.MESSAGE_RATE_LIMITS = [(3, 10), (300, 3600)]
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        for number in range(3):
            services.send_message(conversation=direct, sender=artist, body=f"Message {number}")
        with pytest.raises(ValidationError) as error:
            services.send_message(conversation=direct, sender=artist, body="One too many")
        assert error.value.code == "rate_limited"
        assert "too fast" in error.value.messages[0]
        # Someone else's limit is their own.
        services.send_message(conversation=direct, sender=associate, body="I can still write")

        traveller.shift(timedelta(seconds=11))
        services.send_message(conversation=direct, sender=artist, body="Back again")

    assert list(direct.messages.filter(sender=artist).values_list("body", flat=True)) == [
        "Message 0",
        "Message 1",
        "Message 2",
        "Back again",
    ]


def start_of_rate_window(user, seconds: int) -> datetime:
    """A moment just after ``user``'s fixed ``seconds`` window opened (django-ratelimit offsets
    each key's windows by crc32 of the key), so a test's sends all fall in one window."""
    offset = zlib.crc32(str(user.pk).encode()) % seconds
    base = int(timezone.now().timestamp()) // seconds * seconds
    return datetime.fromtimestamp(base + offset + 1, tz=UTC)


def test_the_hourly_limit_holds_across_short_windows(settings, artist, direct):
    settings.MESSAGE_RATE_LIMITS = [(20, 10), (4, 3600)]
    start = start_of_rate_window(artist, 3600)
    with time_machine.travel(start, tick=False) as traveller:
        for number in range(4):
            services.send_message(conversation=direct, sender=artist, body=f"Message {number}")
            traveller.shift(timedelta(seconds=30))
        with pytest.raises(ValidationError):
            services.send_message(conversation=direct, sender=artist, body="Fifth")
    assert direct.messages.count() == 4


def test_a_refused_body_does_not_count_against_the_rate_limit(settings, artist, direct):
    settings.MESSAGE_RATE_LIMITS = [(1, 60)]
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(3):
            with pytest.raises(ValidationError):
                services.send_message(conversation=direct, sender=artist, body="")
        services.send_message(conversation=direct, sender=artist, body="Now a real one")


def test_mark_read_moves_the_marker_forward_only_and_announces_it(
    artist, associate, direct, django_capture_on_commit_callbacks
):
    first = services.send_message(conversation=direct, sender=artist, body="one")
    second = services.send_message(conversation=direct, sender=artist, body="two")
    events = []

    def receiver(sender, conversation, user, message, **kwargs):
        events.append((conversation.pk, user.pk, message.pk))

    conversation_read.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_read(conversation=direct, user=associate)
            services.mark_read(conversation=direct, user=associate, up_to=first)  # older: no-op
            services.mark_read(conversation=direct, user=associate)  # nothing new: no-op
    finally:
        conversation_read.disconnect(receiver)

    marker = Participant.objects.get(conversation=direct, user=associate).last_read_message_id
    assert marker == second.pk
    assert events == [(direct.pk, associate.pk, second.pk)]


def test_mark_read_refuses_a_message_of_another_conversation(artist, associate, outsider, direct):
    other = services.start_direct_conversation(user=artist, other=outsider)
    foreign = services.send_message(conversation=other, sender=outsider, body="elsewhere")

    with pytest.raises(ValidationError):
        services.mark_read(conversation=direct, user=associate, up_to=foreign)


def test_mark_read_is_for_participants_only(outsider, direct):
    with pytest.raises(PermissionDenied):
        services.mark_read(conversation=direct, user=outsider)


def inbox_row(user, conversation) -> Any:
    """The conversation as ``user``'s inbox shows it (with its annotations)."""
    return Conversation.objects.for_inbox(user.pk).get(pk=conversation.pk)


def test_unread_counts_are_what_others_sent_after_my_marker(artist, associate, direct):
    services.send_message(conversation=direct, sender=artist, body="one")
    services.send_message(conversation=direct, sender=artist, body="two")
    services.send_message(conversation=direct, sender=associate, body="my own reply")

    # Replying moved Marco's marker past Nina's two messages.
    assert inbox_row(associate, direct).unread_count == 0
    assert inbox_row(artist, direct).unread_count == 1

    services.send_message(conversation=direct, sender=artist, body="three")
    services.send_message(conversation=direct, sender=artist, body="four")
    row = inbox_row(associate, direct)
    assert row.unread_count == 2
    assert row.last_body == "four"
    assert row.last_sender_id == artist.pk
    assert [p.user for p in row.others] == [artist]

    services.mark_read(conversation=direct, user=associate)
    assert inbox_row(associate, direct).unread_count == 0
