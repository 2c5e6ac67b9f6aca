"""The messaging journey in two browsers (issue 6, point 11): an artist opens a conversation with a
professional from the professional's profile; what one of them sends appears in the other's open
page without a reload, a shared file reaches the other side and downloads byte for byte, the
professional's bell counts the new message live, and the typing line and "Seen" follow along.

Both browsers stay on their pages while the other acts: every live change is asserted in the same
document (no navigation), after the page's socket has really opened (``wait_for_socket``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from e2e.helpers import Member, check_page
from e2e.people import lisbon_artist, mixing_engineer
from e2e.test_bookings import assert_same_document, log_in, mark_document
from mylabel.messaging.models import Attachment, Conversation, Message

HELLO = "Hi Lena! Could you mix three songs for the new EP in March?"
REPLY = "Hello Nina, March works. Send me the stems when they are ready."
NOTES = "My notes for the mix are in the PDF."
FILE_NAME = "mix-notes.pdf"
# A small but well-formed PDF: attachments are checked by their content, not by their name.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"% Song 2: more tape saturation on the vocals.\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Records what the htmx ``ws`` extension does on each page (init scripts are exempt from the CSP):
# the sockets that opened (by their ``ws-connect`` path) and every frame received, so the journey
# can wait for a socket to be up, or for a push to have been applied, instead of guessing.
_RECORD_SOCKETS = """
window.e2eSockets = { open: [], received: [] };
document.addEventListener("htmx:wsOpen", (event) => {
  window.e2eSockets.open.push(event.target.getAttribute("ws-connect") || "");
});
document.addEventListener("htmx:wsAfterMessage", (event) => {
  window.e2eSockets.received.push(String(event.detail.message));
});
"""
_SOCKET_OPEN = "(path) => window.e2eSockets.open.some((url) => url.startsWith(path))"
_FRAME_RECEIVED = "(text) => window.e2eSockets.received.some((frame) => frame.includes(text))"


@dataclass(frozen=True)
class Studio:
    member: Member
    slug: str


def wait_for_socket(page: Page, path: str) -> None:
    """Wait until the page's htmx socket for ``path`` (``/ws/notifications/``…) is open."""
    page.wait_for_function(_SOCKET_OPEN, arg=path)


def wait_for_frame(page: Page, text: str) -> None:
    """Wait until a frame containing ``text`` has been received and swapped in by htmx."""
    page.wait_for_function(_FRAME_RECEIVED, arg=text)


def message_list(page: Page) -> Locator:
    return page.get_by_role("region", name="Messages")


def bell(page: Page) -> Locator:
    return page.get_by_role("link", name=re.compile(r"^Notifications"))


@pytest.fixture
def artist_page(page: Page) -> Page:
    page.add_init_script(_RECORD_SOCKETS)
    return page


@pytest.fixture
def studio_page(visitor_page: Page) -> Page:
    visitor_page.add_init_script(_RECORD_SOCKETS)
    return visitor_page


@pytest.fixture
def studio() -> Studio:
    associate, member = mixing_engineer()
    return Studio(member=member, slug=associate.slug)


@pytest.fixture
def artist_member() -> Member:
    return lisbon_artist("Nina Vega", "Nina Vega & The Tides")[1]


def test_artist_and_professional_message_live_share_a_file_and_the_bell_follows(
    artist_page: Page,
    studio_page: Page,
    url: Callable[[str], str],
    studio: Studio,
    artist_member: Member,
) -> None:
    artist, pro = artist_page, studio_page

    # --- The professional waits on the notification centre -----------------------------------
    pro.goto(url("/accounts/login/?next=/notifications/"))
    log_in(pro, studio.member)
    expect(pro.get_by_role("heading", level=1)).to_have_text("Notifications")
    wait_for_socket(pro, "/ws/notifications/")
    expect(bell(pro)).to_have_accessible_name("Notifications")
    expect(pro.get_by_text("Nothing here yet.")).to_be_visible()

    # --- The artist starts the conversation from the professional's profile ------------------
    artist.goto(url(f"/accounts/login/?next=/associates/{studio.slug}/"))
    log_in(artist, artist_member)
    artist.get_by_role("button", name="Message Lena Brandt").click()
    expect(artist).to_have_url(re.compile(r"/messages/\d+/$"))
    conversation = Conversation.objects.get()
    expect(artist.get_by_role("heading", level=1)).to_have_text("Lena Brandt")
    expect(artist.get_by_text("No messages yet. Say hello!")).to_be_visible()
    wait_for_socket(artist, f"/ws/conversations/{conversation.pk}/")
    check_page(artist, "70-conversation-new-artist")

    mark_document(artist)
    mark_document(pro)
    composer = artist.get_by_label("Message", exact=True)
    composer.fill(HELLO)
    artist.get_by_role("button", name="Send").click()
    expect(message_list(artist).get_by_role("article").filter(has_text=HELLO)).to_be_visible()
    expect(composer).to_have_value("")
    expect(artist.get_by_text("No messages yet. Say hello!")).to_have_count(0)
    hello = Message.objects.get(body=HELLO)
    # The composer's answer and the push to the sender's own socket both carry the message: once
    # both have arrived it must still show once.
    wait_for_frame(artist, f'id="message-{hello.pk}"')
    expect(message_list(artist).get_by_role("article")).to_have_count(1)
    assert_same_document(artist)

    # The professional's bell and centre count it at once, without a reload.
    expect(bell(pro)).to_have_accessible_name("Notifications 1 unread")
    line = pro.locator("#notification-items").get_by_role("listitem")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Nina Vega sent you a message")
    expect(line).to_contain_text(HELLO)
    assert_same_document(pro)
    check_page(pro, "71-notifications-new-message")

    # --- The professional opens it from the inbox ---------------------------------------------
    pro.get_by_role("link", name="Messages", exact=True).first.click()
    expect(pro.get_by_role("heading", level=1)).to_have_text("Messages")
    row = pro.get_by_role("listitem").filter(has_text="Nina Vega")
    expect(row).to_contain_text(HELLO)
    expect(row).to_contain_text("1 unread")
    check_page(pro, "72-inbox-unread")
    row.get_by_role("link", name="Nina Vega").click()
    expect(pro).to_have_url(url(f"/messages/{conversation.pk}/"))
    expect(message_list(pro).get_by_role("article").filter(has_text=HELLO)).to_be_visible()
    wait_for_socket(pro, f"/ws/conversations/{conversation.pk}/")
    # Reading the conversation clears its notification.
    expect(bell(pro)).to_have_accessible_name("Notifications")

    # The artist sees that it was read, live.
    seen = message_list(artist).get_by_role("article").filter(has_text=HELLO).get_by_text("Seen")
    expect(seen).to_be_visible()
    assert_same_document(artist)

    # --- The professional types and answers; the artist's page follows ------------------------
    mark_document(pro)
    pro_composer = pro.get_by_label("Message", exact=True)
    pro_composer.press_sequentially(REPLY[:12])
    typing = artist.get_by_text("Lena Brandt is typing…")
    expect(typing).to_be_visible()
    pro_composer.fill(REPLY)
    pro.get_by_role("button", name="Send").click()
    expect(pro_composer).to_have_value("")
    reply = message_list(artist).get_by_role("article").filter(has_text=REPLY)
    expect(reply).to_be_visible()
    expect(reply).to_contain_text("Lena Brandt")
    expect(typing).to_be_hidden()
    assert_same_document(artist)

    # --- A file, shared by the professional, downloaded by the artist -------------------------
    pro_composer.fill(NOTES)
    pdf: FilePayload = {"name": FILE_NAME, "mimeType": "application/pdf", "buffer": PDF}
    pro.get_by_label("Attach files").set_input_files(files=[pdf])
    pro.get_by_role("button", name="Send").click()
    expect(pro_composer).to_have_value("")
    notes = Message.objects.get(body=NOTES)
    wait_for_frame(pro, f'id="message-{notes.pk}"')
    expect(message_list(pro).get_by_role("article")).to_have_count(3)
    assert_same_document(pro)

    shared = message_list(artist).get_by_role("article").filter(has_text=NOTES)
    expect(shared.get_by_role("link", name=FILE_NAME)).to_be_visible()
    expect(message_list(artist).get_by_role("article")).to_have_count(3)
    assert_same_document(artist)
    with artist.expect_download() as download_info:
        shared.get_by_role("link", name=FILE_NAME).click()
    download = download_info.value
    assert download.suggested_filename == FILE_NAME
    assert download.path().read_bytes() == PDF
    attachment = Attachment.objects.get()
    assert attachment.message_id == notes.pk
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert_same_document(artist)

    check_page(artist, "73-conversation-artist")
    check_page(pro, "74-conversation-professional")

    # --- Both sides' inbox and the artist's centre afterwards ---------------------------------
    artist.goto(url("/messages/"))
    artist_row = artist.get_by_role("listitem").filter(has_text="Lena Brandt")
    expect(artist_row).to_contain_text(NOTES)
    expect(artist_row).not_to_contain_text("unread")
    check_page(artist, "75-inbox-read")
    artist.goto(url("/notifications/"))
    expect(artist.get_by_role("heading", level=1)).to_have_text("Notifications")
    check_page(artist, "76-notifications-after-reading")
