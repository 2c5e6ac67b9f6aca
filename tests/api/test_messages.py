"""``/api/v1/conversations/{id}/messages/``: the history (newest first, paginated) and sending,
with the composer's rules (body or file, length, attachments checked by content, per-message
caps, rate limit as 429 with ``Retry-After``), and the same live push to open pages."""

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.urls import reverse
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.api.services import create_api_token
from mylabel.messaging import realtime, services
from mylabel.messaging.models import MESSAGE_MAX_LENGTH, Attachment, Conversation, Message
from tests.api.helpers import assert_error
from tests.factories import UserFactory
from tests.messaging.conftest import PDF_BYTES, pdf_upload, png_upload, upload
from tests.messaging.test_consumers import WAIT, connected


def messages_url(conversation: Conversation | int) -> str:
    pk = getattr(conversation, "pk", conversation)
    return reverse("api:conversation-messages", kwargs={"conversation_pk": pk})


def send(conversation: Conversation, sender: User, body: str) -> Message:
    return services.send_message(conversation=conversation, sender=sender, body=body)


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings) -> None:
    """Tests that build long histories send fast; the rate-limit test sets its own window."""
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]


@pytest.fixture
def direct(artist: User, associate: User) -> Conversation:
    """The direct conversation between Nina (artist) and Marco (associate)."""
    return services.start_direct_conversation(user=artist, other=associate)


# --- The history --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_lists_the_messages_newest_first(
    associate_api: APIClient, direct: Conversation, artist: User, associate: User
):
    first = send(direct, artist, "Hi <b>Marco</b>")
    second = send(direct, associate, "Hi Nina")
    services.send_message(conversation=direct, sender=artist, body="", files=[pdf_upload()])
    third = direct.messages.latest("pk")

    response = associate_api.get(messages_url(direct), {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [third.pk, second.pk]
    attachment = body["results"][0]["attachments"][0]
    assert attachment["name"] == "contract.pdf"
    assert attachment["content_type"] == "application/pdf"
    download = reverse("api:attachment-download", kwargs={"pk": Attachment.objects.get().pk})
    assert attachment["url"] == download
    page_two = associate_api.get(messages_url(direct), {"page_size": 2, "page": 2}).json()
    assert [row["id"] for row in page_two["results"]] == [first.pk]
    # Stored and sent as written: escaping is the client's business, as it is the templates'.
    assert page_two["results"][0]["body"] == "Hi <b>Marco</b>"
    assert page_two["results"][0]["sender"] == {"id": artist.pk, "name": "Nina Vale"}


@pytest.mark.django_db
def test_reading_the_history_does_not_mark_it_read(
    artist_api: APIClient, direct: Conversation, associate: User
):
    send(direct, associate, "Unread")

    artist_api.get(messages_url(direct))

    conversation = artist_api.get(reverse("api:conversation-detail", kwargs={"pk": direct.pk}))
    assert conversation.json()["unread_count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_elses_history_is_a_404(
    api_as, request, direct: Conversation, artist: User, persona: str
):
    send(direct, artist, "Private")

    response = api_as(request.getfixturevalue(persona)).get(messages_url(direct))

    assert_error(response, 404, code="not_found")


@pytest.mark.django_db
def test_anonymous_visitors_get_a_401(api_client: APIClient, direct: Conversation):
    assert_error(api_client.get(messages_url(direct)), 401)
    assert_error(api_client.post(messages_url(direct), {"body": "Hi"}), 401)
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_an_unknown_conversation_is_a_404(artist_api: APIClient, direct: Conversation):
    assert_error(artist_api.get(messages_url(987654)), 404)
    assert_error(artist_api.post(messages_url(987654), {"body": "Hi"}), 404)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_the_history_costs_the_same_queries_for_1_or_50_messages(
    artist_api: APIClient,
    direct: Conversation,
    artist: User,
    associate: User,
    django_assert_num_queries,
    rows: int,
):
    for number in range(rows):
        services.send_message(
            conversation=direct, sender=associate, body=f"#{number}", files=[png_upload()]
        )
    artist_api.get(messages_url(direct))  # the token's last-used time is written once a minute

    # the token, the conversation, count, the page with its senders, the attachments
    with django_assert_num_queries(5):
        response = artist_api.get(messages_url(direct), {"page_size": 50})

    assert len(response.json()["results"]) == rows


# --- Sending ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_sends_a_message(
    artist_api: APIClient, direct: Conversation, artist: User, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = artist_api.post(messages_url(direct), {"body": "  See you Tuesday \r\n"})

    assert response.status_code == 201, response.content
    body = response.json()
    message = Message.objects.get()
    assert body["id"] == message.pk
    assert body["body"] == message.body == "See you Tuesday"
    assert body["sender"] == {"id": artist.pk, "name": "Nina Vale"}
    assert body["attachments"] == []
    assert callbacks  # message_sent goes out after the commit


@pytest.mark.django_db
def test_files_are_sent_as_multipart(artist_api: APIClient, direct: Conversation):
    response = artist_api.post(
        messages_url(direct),
        {"body": "The contract and the cover", "attachments": [pdf_upload(), png_upload()]},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    names = [attachment["name"] for attachment in response.json()["attachments"]]
    assert names == ["contract.pdf", "cover.png"]
    assert Attachment.objects.count() == 2


@pytest.mark.django_db
def test_a_file_alone_is_a_message(artist_api: APIClient, direct: Conversation):
    response = artist_api.post(
        messages_url(direct), {"attachments": [pdf_upload()]}, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert response.json()["body"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_else_cannot_send_into_a_conversation(
    api_as, request, direct: Conversation, persona: str
):
    response = api_as(request.getfixturevalue(persona)).post(messages_url(direct), {"body": "Hi"})

    assert_error(response, 404)
    assert not Message.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "body", "Write a message or attach a file."),
        ({"body": "   \n "}, "body", "Write a message or attach a file."),
        ({"body": "x" * (MESSAGE_MAX_LENGTH + 1)}, "body", "at most 5000 characters"),
        ({"body": ["Hi"]}, "body", "Not a valid string."),
        ({"body": {"text": "Hi"}}, "body", "Not a valid string."),
        ({"body": "Hi", "urgent": True}, "urgent", "Unknown field."),
    ],
)
def test_a_bad_message_is_a_400_and_nothing_is_sent(
    artist_api: APIClient, direct: Conversation, data: dict[str, Any], field: str, message: str
):
    body = assert_error(artist_api.post(messages_url(direct), data), 400, fields=[field])

    assert message in body["fields"][field][0]
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_malformed_json_is_a_400(artist_api: APIClient, direct: Conversation):
    response = artist_api.post(
        messages_url(direct), '{"body": "Hi', content_type="application/json"
    )

    assert_error(response, 400, code="parse_error")
    assert not Message.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: [upload("notes.exe", b"MZ\x90\x00" + b"\x00" * 64)], "notes.exe is not a file"),
        (lambda: [upload("empty.pdf", b"")], "empty.pdf is empty."),
        (lambda: [upload("fake.pdf", b"just text, not a PDF")], "fake.pdf is not a file"),
        (lambda: [pdf_upload(f"part{n}.pdf") for n in range(6)], "Attach at most 5 files"),
    ],
)
def test_attachments_are_checked_as_on_the_page(
    artist_api: APIClient, direct: Conversation, files, message: str
):
    response = artist_api.post(
        messages_url(direct), {"body": "Files", "attachments": files()}, format="multipart"
    )

    body = assert_error(response, 400, fields=["attachments"])
    assert message in body["fields"]["attachments"][0]
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(
    artist_api: APIClient, direct: Conversation, settings
):
    settings.MESSAGE_ATTACHMENT_MAX_MB = 1
    big = upload("big.pdf", PDF_BYTES + b"\x00" * (1024 * 1024), "application/pdf")

    response = artist_api.post(messages_url(direct), {"attachments": [big]}, format="multipart")

    body = assert_error(response, 400, fields=["attachments"])
    assert "the limit is 1.0" in body["fields"]["attachments"][0]
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_sending_too_fast_is_a_429_with_retry_after(
    artist_api: APIClient, direct: Conversation, settings
):
    settings.MESSAGE_RATE_LIMITS = [(2, 60)]
    for text in ("One", "Two"):
        assert artist_api.post(messages_url(direct), {"body": text}).status_code == 201

    response = artist_api.post(messages_url(direct), {"body": "Three"})

    body = assert_error(response, 429, code="rate_limited")
    assert "too fast" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Message.objects.count() == 2


# --- Downloading attachments -------------------------------------------------------------------


@pytest.fixture
def attachment(direct: Conversation, associate: User) -> Attachment:
    services.send_message(conversation=direct, sender=associate, body="", files=[pdf_upload()])
    return Attachment.objects.get()


def download_url(attachment: Attachment) -> str:
    return reverse("api:attachment-download", kwargs={"pk": attachment.pk})


@pytest.mark.django_db
def test_a_participant_downloads_an_attachment_with_a_token(
    artist_api: APIClient, attachment: Attachment
):
    response = artist_api.get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="contract.pdf"'
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_elses_attachment_is_a_404(api_as, request, attachment: Attachment, persona: str):
    response = api_as(request.getfixturevalue(persona)).get(download_url(attachment))

    assert_error(response, 404, code="not_found")


@pytest.mark.django_db
def test_anonymous_visitors_cannot_download(api_client: APIClient, attachment: Attachment):
    assert_error(api_client.get(download_url(attachment)), 401)


@pytest.mark.django_db
def test_a_file_gone_from_storage_is_a_404(artist_api: APIClient, attachment: Attachment):
    attachment.file.storage.delete(str(attachment.file.name))

    assert_error(artist_api.get(download_url(attachment)), 404)


# --- The live push ------------------------------------------------------------------------------

# The consumer reads the database from its own thread: the data must really be committed. Plain
# accounts, as in tests/messaging/test_consumers.py: transactional tests flush what migrations
# seed, which the personas' profiles need.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _token_client(user: User) -> APIClient:
    _token, key = create_api_token(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def nina_and_marco(transactional_db) -> tuple[User, User, Conversation]:
    nina = UserFactory.create(email="nina@example.com", display_name="Nina Vale")
    marco = UserFactory.create(email="marco@example.com", display_name="Marco Riva")
    return nina, marco, services.start_direct_conversation(user=nina, other=marco)


@live
async def test_a_message_sent_through_the_api_is_pushed_to_open_pages_as_from_the_page(
    nina_and_marco: tuple[User, User, Conversation],
):
    nina, marco, direct = nina_and_marco
    marcos_page = await connected(marco, direct.pk)
    ninas_page = await connected(nina, direct.pk)
    client = await sync_to_async(_token_client)(nina)

    response = await sync_to_async(client.post)(
        messages_url(direct), {"body": "Hi <b>Marco</b>"}, format="json"
    )

    assert response.status_code == 201, response.content
    message = await Message.objects.for_display().aget(pk=response.json()["id"])
    for page, viewer in ((marcos_page, marco), (ninas_page, nina)):
        frame = await page.receive_from(timeout=WAIT)
        expected = await sync_to_async(realtime.render_push)(message, viewer, first=True)
        assert frame == expected
        assert "Hi &lt;b&gt;Marco&lt;/b&gt;" in frame  # escaped as on the page
    await marcos_page.disconnect()
    await ninas_page.disconnect()


@live
async def test_a_refused_message_is_not_pushed(nina_and_marco: tuple[User, User, Conversation]):
    nina, marco, direct = nina_and_marco
    marcos_page = await connected(marco, direct.pk)
    client = await sync_to_async(_token_client)(nina)

    response = await sync_to_async(client.post)(messages_url(direct), {"body": "  "}, format="json")

    assert response.status_code == 400
    assert await marcos_page.receive_nothing(timeout=0.3)
    await marcos_page.disconnect()
