"""Conversations between the demo accounts (issue 6 point 10), so the inbox, unread counts,
attachments and a booking's conversation can be seen right after ``seed_demo``.

Everything goes through ``mylabel.messaging.services``; only the timestamps are moved back
afterwards (one ``update()`` per message) so the history reads like a few days of talk. The
rate limit is lifted while seeding: the demo sends faster than any person. Idempotent: nothing
is added once Nina and Marco have messages.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking
from mylabel.messaging import services
from mylabel.messaging.models import Conversation, Message

ARTIST = "artist@example.com"
ASSOCIATE = "associate@example.com"
BOTH = "both@example.com"


@dataclass(frozen=True)
class Line:
    sender: str  # e-mail
    body: str
    hours_ago: float
    attachment: str = ""  # "pdf" or "png"


DIRECT = [
    Line(ARTIST, "Hi Marco! I loved the mixes on your profile. Are you taking new projects?", 72),
    Line(
        ASSOCIATE,
        "Hi Nina, thank you! Yes, I have some room next month. What are you working on?",
        71,
    ),
    Line(
        ARTIST, "A five-track EP, indie soul. Drums and bass are tracked, vocals next week.", 70.5
    ),
    Line(ARTIST, "Here is the cover draft, to give you the mood.", 70.4, attachment="png"),
    Line(ASSOCIATE, "Beautiful. Warm and a bit dusty: I can hear it already.", 49),
    Line(ASSOCIATE, "My session notes and rates, so you know how I work.", 48.9, attachment="pdf"),
    Line(ARTIST, "Perfect, I'll book a mixing session from your page.", 26),
    Line(ASSOCIATE, "Great. Send the stems as a zip when you have them, 24-bit WAV please.", 3),
    Line(ASSOCIATE, "And a reference track you love, if you have one.", 2.5),
]

BOOKING = [
    Line(ASSOCIATE, "Thanks for the booking! Bring the session files on a USB stick too.", 20),
    Line(ARTIST, "Will do. Is there parking near the studio?", 19),
    Line(ASSOCIATE, "Yes, in the courtyard: ring the bell marked 'Studio'.", 18),
]

BOTH_DIRECT = [
    Line(BOTH, "Marco, are you free to master a single in two weeks?", 30),
    Line(ASSOCIATE, "Probably yes: send me the date and I'll hold it.", 29),
]


def _pdf_bytes() -> bytes:
    # A one-page PDF written by hand: enough for viewers, no extra library.
    text = b"BT /F1 18 Tf 72 720 Td (Marco Riva - session notes and rates) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _png_bytes() -> bytes:
    image = Image.new("RGB", (480, 480), (201, 55, 20))
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 90, 390, 390), fill=(255, 240, 234))
    draw.ellipse((215, 215, 265, 265), fill=(40, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _attachment(kind: str) -> list[SimpleUploadedFile]:
    if kind == "pdf":
        return [SimpleUploadedFile("session-notes.pdf", _pdf_bytes(), "application/pdf")]
    if kind == "png":
        return [SimpleUploadedFile("ep-cover-draft.png", _png_bytes(), "image/png")]
    return []


def _play(conversation: Conversation, lines: list[Line], users: dict[str, User]) -> int:
    now = timezone.now()
    for line in lines:
        message = services.send_message(
            conversation=conversation,
            sender=users[line.sender],
            body=line.body,
            files=_attachment(line.attachment),
        )
        created_at = now - timedelta(hours=line.hours_ago)
        Message.objects.filter(pk=message.pk).update(created_at=created_at)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=created_at)
    return len(lines)


def seed_conversations() -> int:
    """Create the demo conversations; returns how many messages were added (0 when already
    seeded or when the demo accounts are missing)."""
    users = {user.email: user for user in User.objects.filter(email__in=[ARTIST, ASSOCIATE, BOTH])}
    if len(users) < 3:
        return 0
    nina, marco = users[ARTIST], users[ASSOCIATE]
    if Message.objects.filter(conversation__participants__user=nina, sender=marco).exists():
        return 0
    added = 0
    with override_settings(MESSAGE_RATE_LIMITS=[]):
        direct = services.start_direct_conversation(user=nina, other=marco)
        added += _play(direct, DIRECT, users)
        # Marco has read everything up to his own last message; Nina has two unread from him.
        services.mark_read(
            conversation=direct, user=nina, up_to=direct.messages.filter(sender=nina).last()
        )
        booking = (
            Booking.objects.filter(artist__user=nina, associate__user=marco)
            .order_by("-start")
            .first()
        )
        if booking is not None:
            booked = services.conversation_for_booking(booking=booking)
            added += _play(booked, BOOKING, users)
            services.mark_read(conversation=booked, user=nina)
        giulia = services.start_direct_conversation(user=users[BOTH], other=marco)
        added += _play(giulia, BOTH_DIRECT, users)
    return added
