from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mylabel.messaging import services
from mylabel.messaging.models import Attachment, Conversation, Message, Participant
from mylabel.messaging.selectors import PAGE_SIZE, get_conversation_for
from tests.bookings.lifecycle_helpers import book, make_service, open_every_day
from tests.htmx import HTMX
from tests.messaging.conftest import pdf_upload, png_upload, upload

pytestmark = pytest.mark.django_db


def conversation_url(conversation: Conversation, **query: int) -> str:
    url = reverse("messaging:conversation", args=[conversation.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


# --- Permissions on every URL -------------------------------------------------------------------


@pytest.fixture
def attachment(artist, direct) -> Attachment:
    message = services.send_message(
        conversation=direct, sender=artist, body="", files=[pdf_upload()]
    )
    return message.attachments.get()


@pytest.fixture
def urls(direct, attachment, nina, marco) -> dict[str, str]:
    open_every_day(marco)
    booking = book(nina, make_service(marco))
    return {
        "inbox": reverse("messaging:inbox"),
        "conversation": conversation_url(direct),
        "attachment": reverse("messaging:attachment", args=[attachment.pk]),
        "message-artist": reverse("messaging:message-artist", args=[nina.slug]),
        "message-associate": reverse("messaging:message-associate", args=[marco.slug]),
        "booking": reverse("messaging:booking", args=[booking.pk]),
    }


@pytest.mark.parametrize(
    "name",
    ["inbox", "conversation", "attachment", "message-artist", "message-associate", "booking"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, urls, name):
    response = client.get(urls[name])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["conversation", "attachment", "booking"])
def test_strangers_get_404_for_someone_elses_conversation(stranger_client, urls, name):
    assert stranger_client.get(urls[name]).status_code == 404


def test_a_stranger_cannot_post_into_someone_elses_conversation(stranger_client, direct):
    before = Message.objects.count()

    response = stranger_client.post(conversation_url(direct), {"body": "Hello from outside"})

    assert response.status_code == 404
    assert Message.objects.count() == before


def test_a_label_admin_cannot_read_private_conversations(client, label_admin, urls):
    client.force_login(label_admin)

    assert client.get(urls["conversation"]).status_code == 404
    assert client.get(urls["attachment"]).status_code == 404
    assert client.get(urls["booking"]).status_code == 404


def test_an_unknown_conversation_is_404(artist_client):
    assert artist_client.get(reverse("messaging:conversation", args=[999999])).status_code == 404


# --- The inbox ----------------------------------------------------------------------------------


def test_the_inbox_lists_my_conversations_with_last_message_and_unread_count(
    associate_client, artist, associate, direct, outsider
):
    services.send_message(conversation=direct, sender=artist, body="Are you free on Friday?")
    services.send_message(conversation=direct, sender=artist, body="For the <b>mix</b>")
    # A conversation Marco is not in stays out of his inbox.
    elsewhere = services.start_direct_conversation(user=artist, other=outsider)
    services.send_message(conversation=elsewhere, sender=outsider, body="Secret plans")

    response = associate_client.get(reverse("messaging:inbox"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nina Vale" in html
    assert "For the &lt;b&gt;mix&lt;/b&gt;" in html
    assert "2 unread" in html
    assert "Secret plans" not in html
    assert "Charlie" not in html


def test_the_inbox_shows_a_friendly_empty_state(stranger_client):
    response = stranger_client.get(reverse("messaging:inbox"))

    assert "No conversations yet" in response.content.decode()


def _conversations_for(user, count: int) -> None:
    from tests.factories import UserFactory

    for number in range(count):
        other = UserFactory.create()
        conversation = services.start_direct_conversation(user=user, other=other)
        services.send_message(conversation=conversation, sender=other, body=f"Hello {number}")
        if number % 3 == 0:
            services.send_message(
                conversation=conversation, sender=user, body="", files=[pdf_upload()]
            )


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_costs_the_same_queries_for_1_or_30_conversations(
    client, outsider, django_assert_num_queries, count
):
    _conversations_for(outsider, count)
    client.force_login(outsider)

    # Session, user, the menu's two permission reads, the bell's unread count, the paginator's
    # count, the conversations (last message and unread count as subqueries), their other
    # participants.
    with django_assert_num_queries(8):
        response = client.get(reverse("messaging:inbox"))

    assert response.content.decode().count('class="conversation-row ') == count


# --- One conversation ---------------------------------------------------------------------------


def test_opening_a_conversation_shows_the_history_and_marks_it_read(
    associate_client, artist, associate, direct
):
    first = services.send_message(conversation=direct, sender=artist, body="First line\nSecond")
    last = services.send_message(conversation=direct, sender=artist, body="Last")

    response = associate_client.get(conversation_url(direct))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="conversation"' in html
    assert 'id="message-list"' in html
    assert f'id="message-{first.pk}"' in html
    assert "First line<br>Second" in html
    assert html.index(f'id="message-{first.pk}"') < html.index(f'id="message-{last.pk}"')
    marker = Participant.objects.get(conversation=direct, user=associate).last_read_message_id
    assert marker == last.pk


def test_message_bodies_are_escaped(associate_client, artist, direct):
    services.send_message(
        conversation=direct, sender=artist, body='<script>alert("x")</script><img src=x onerror=1>'
    )

    html = associate_client.get(conversation_url(direct)).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_history_shows_the_latest_page_and_links_to_earlier_ones(
    associate_client, artist, direct
):
    sent = [
        services.send_message(conversation=direct, sender=artist, body=f"Message number {n}")
        for n in range(PAGE_SIZE + 5)
    ]
    oldest_shown = sent[5]

    html = associate_client.get(conversation_url(direct)).content.decode()

    assert f'id="message-{sent[4].pk}"' not in html
    assert f'id="message-{oldest_shown.pk}"' in html
    earlier = conversation_url(direct, before=oldest_shown.pk)
    assert f'href="{earlier}"' in html
    assert f'hx-get="{earlier}"' in html

    # Without JavaScript the link is a full page of the earlier messages.
    page = associate_client.get(earlier).content.decode()
    assert f'id="message-{sent[0].pk}"' in page
    assert f'id="message-{oldest_shown.pk}"' not in page
    assert "Back to the newest messages" in page
    assert "Load earlier messages" not in page

    # With htmx, only the earlier messages come back, to be swapped in above.
    fragment = associate_client.get(earlier, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert f'id="message-{sent[0].pk}"' in fragment
    assert f'id="message-{sent[4].pk}"' in fragment
    assert 'id="composer"' not in fragment


def test_a_nonsense_before_parameter_shows_the_latest_page(associate_client, artist, direct):
    message = services.send_message(conversation=direct, sender=artist, body="hi")

    for value in ["abc", "-3", "0", "9" * 30]:
        response = associate_client.get(conversation_url(direct) + f"?before={value}")
        assert response.status_code == 200
        assert f'id="message-{message.pk}"' in response.content.decode()


@pytest.mark.parametrize("count", [1, PAGE_SIZE + 10])
def test_a_conversation_page_costs_the_same_queries_at_any_length(
    associate_client, artist, direct, django_assert_num_queries, count
):
    for number in range(count):
        files = [pdf_upload()] if number % 4 == 0 else []
        services.send_message(conversation=direct, sender=artist, body=f"n{number}", files=files)

    # Session, user, conversation; mark read (savepoint, participant, newest message, update,
    # release); others; messages with senders; their attachments; the menu's two permission reads
    # and the bell's unread count.
    with django_assert_num_queries(14):
        response = associate_client.get(conversation_url(direct))

    assert response.status_code == 200


def test_sending_from_the_composer_saves_and_redirects(artist_client, direct):
    response = artist_client.post(conversation_url(direct), {"body": "  See you at 10  "})

    message = Message.objects.get()
    assert message.body == "See you at 10"
    assert response.status_code == 302
    assert response["Location"] == f"{conversation_url(direct)}#message-{message.pk}"


def test_sending_with_htmx_returns_a_fresh_composer_and_the_message_out_of_band(
    artist_client, direct
):
    response = artist_client.post(conversation_url(direct), {"body": "Quick <one>"}, headers=HTMX)

    html = response.content.decode()
    message = Message.objects.get()
    assert response.status_code == 200
    # The composer first (the swap target), then the message for #message-list, appended only
    # if the real-time push has not already put it there.
    oob = f'hx-swap-oob="beforeend:#message-list:not(:has(#message-{message.pk}))"'
    assert html.index('<form id="composer"') < html.index(oob)
    assert 'id="message-list-empty" hx-swap-oob="delete"' in html  # the first message

    artist_client.post(conversation_url(direct), {"body": "Second"}, headers=HTMX)
    assert (
        "message-list-empty"
        not in artist_client.post(
            conversation_url(direct), {"body": "Third"}, headers=HTMX
        ).content.decode()
    )
    assert f'id="message-{message.pk}"' in html
    assert "Quick &lt;one&gt;" in html
    assert "message--mine" in html


def test_sending_an_attachment_from_the_composer(artist_client, direct):
    response = artist_client.post(
        conversation_url(direct), {"body": "", "attachments": [png_upload(), pdf_upload()]}
    )

    assert response.status_code == 302
    message = Message.objects.get()
    assert sorted(a.content_type for a in message.attachments.all()) == [
        "application/pdf",
        "image/png",
    ]


def test_an_empty_message_is_refused_with_a_clear_message(artist_client, direct):
    response = artist_client.post(conversation_url(direct), {"body": "   "})

    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    assert not Message.objects.exists()


def test_an_empty_message_with_htmx_brings_the_composer_back_with_the_error(artist_client, direct):
    response = artist_client.post(conversation_url(direct), {"body": ""}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="composer"' in html
    assert "Write a message or attach a file." in html
    assert not Message.objects.exists()


def test_a_huge_message_is_refused_and_keeps_the_text(artist_client, direct):
    response = artist_client.post(conversation_url(direct), {"body": "la" * 3000})

    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    assert not Message.objects.exists()


def test_a_disguised_file_is_refused_on_the_page(artist_client, direct):
    fake = upload("contract.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")

    response = artist_client.post(conversation_url(direct), {"body": "sign", "attachments": fake})

    assert response.status_code == 400
    assert "not a file type we accept" in response.content.decode()
    assert not Message.objects.exists()


def test_an_oversized_file_is_refused_on_the_page(settings, artist_client, direct):
    settings.MESSAGE_ATTACHMENT_MAX_MB = 1
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "application/pdf")

    response = artist_client.post(conversation_url(direct), {"body": "", "attachments": big})

    assert response.status_code == 400
    assert "the limit is 1.0" in response.content.decode()
    assert not Attachment.objects.exists()


def test_flooding_the_composer_gets_429_and_a_clear_message(settings, artist_client, direct):
    settings.MESSAGE_RATE_LIMITS = [(2, 10)]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for number in range(2):
            artist_client.post(conversation_url(direct), {"body": f"spam {number}"})
        response = artist_client.post(conversation_url(direct), {"body": "spam 3"})
        assert response.status_code == 429
        assert "too fast" in response.content.decode()
        assert Message.objects.count() == 2

        traveller.shift(timedelta(seconds=11))
        assert artist_client.post(conversation_url(direct), {"body": "calm"}).status_code == 302
    assert Message.objects.count() == 3


def test_read_receipts_show_seen_only_when_the_reader_shares_them(
    client, artist, associate, direct
):
    mine = services.send_message(conversation=direct, sender=artist, body="Did you get it?")
    services.mark_read(conversation=direct, user=associate)
    client.force_login(artist)

    assert "Seen" in client.get(conversation_url(direct)).content.decode()

    associate.share_read_receipts = False
    associate.save()
    html = client.get(conversation_url(direct)).content.decode()
    assert f'id="message-{mine.pk}"' in html
    assert "Seen" not in html


# --- Attachments --------------------------------------------------------------------------------


def test_participants_download_attachments_as_files_with_the_stored_type(
    associate_client, attachment
):
    response = associate_client.get(reverse("messaging:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="contract.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_pages_never_use_the_public_media_url(associate_client, direct, attachment):
    html = associate_client.get(conversation_url(direct)).content.decode()

    assert reverse("messaging:attachment", args=[attachment.pk]) in html
    assert attachment.file.name not in html


def test_a_download_keeps_an_awkward_original_name_safe(associate_client, artist, direct):
    message = services.send_message(
        conversation=direct, sender=artist, body="", files=[pdf_upload('Contrat "été"\r\n.pdf')]
    )
    attachment = message.attachments.get()

    response = associate_client.get(reverse("messaging:attachment", args=[attachment.pk]))

    assert attachment.original_name == 'Contrat "été".pdf'
    assert "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''Contrat")


def test_a_missing_stored_file_is_404_not_500(associate_client, attachment):
    attachment.file.storage.delete(attachment.file.name)

    response = associate_client.get(reverse("messaging:attachment", args=[attachment.pk]))

    assert response.status_code == 404


# --- Starting conversations ---------------------------------------------------------------------


def test_the_message_button_on_a_profile_opens_the_direct_conversation(
    artist_client, artist, associate, marco
):
    url = reverse("messaging:message-associate", args=[marco.slug])

    response = artist_client.post(url)
    again = artist_client.post(url)

    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert again["Location"] == conversation.get_absolute_url()


def test_the_message_button_after_logging_in_asks_before_creating(artist_client, marco):
    response = artist_client.get(reverse("messaging:message-associate", args=[marco.slug]))

    assert response.status_code == 200
    assert "Start the conversation" in response.content.decode()
    assert not Conversation.objects.exists()


def test_messaging_your_own_profile_goes_back_with_a_note(artist_client, nina):
    response = artist_client.post(reverse("messaging:message-artist", args=[nina.slug]))

    assert response.status_code == 302
    assert response["Location"] == nina.get_absolute_url()
    assert not Conversation.objects.exists()


def test_messaging_an_unknown_profile_is_404(artist_client):
    assert (
        artist_client.post(reverse("messaging:message-artist", args=["nobody"])).status_code == 404
    )


def test_profiles_show_the_message_button_to_others_and_a_login_link_to_visitors(
    client, artist_client, marco
):
    url = reverse("messaging:message-associate", args=[marco.slug])

    assert f'action="{url}"' in artist_client.get(marco.get_absolute_url()).content.decode()
    client.logout()
    visitor = client.get(marco.get_absolute_url()).content.decode()
    assert f'action="{url}"' not in visitor
    assert "Log in to send a message" in visitor
    # Nobody is offered to message themselves.
    client.force_login(marco.user)
    assert f'action="{url}"' not in client.get(marco.get_absolute_url()).content.decode()


def test_the_booking_page_opens_the_bookings_conversation(
    artist_client, associate_client, nina, marco
):
    open_every_day(marco)
    booking = book(nina, make_service(marco))
    url = reverse("messaging:booking", args=[booking.pk])

    assert f'action="{url}"' in artist_client.get(booking.get_absolute_url()).content.decode()
    response = artist_client.post(url)

    conversation = Conversation.objects.get(booking=booking)
    assert response["Location"] == conversation.get_absolute_url()
    assert artist_client.get(conversation.get_absolute_url()).status_code == 200


def test_a_bookings_conversation_is_read_with_the_service_alone(
    artist_client, nina, marco, django_assert_num_queries
):
    """The page shows the booking's service and date; the booking's profiles are not joined."""
    open_every_day(marco)
    booking = book(nina, make_service(marco))
    conversation = services.conversation_for_booking(booking=booking)

    with CaptureQueriesContext(connection) as queries:
        found = get_conversation_for(nina.user, conversation.pk)
    with django_assert_num_queries(0):
        service = found.booking.service.name if found.booking else ""

    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert '"associates_service"' in sql
    assert '"artists_artist"' not in sql
    assert '"associates_associate"' not in sql
    assert service in artist_client.get(conversation.get_absolute_url()).content.decode()


# --- The account setting ------------------------------------------------------------------------


def test_read_receipts_can_be_turned_off_in_the_account_settings(associate_client, associate):
    page = associate_client.get(reverse("account_settings")).content.decode()
    assert 'name="share_read_receipts"' in page
    assert "checked" in page.split('name="share_read_receipts"')[1].split(">")[0]

    response = associate_client.post(
        reverse("account_settings"),
        {"display_name": "Marco Riva", "time_zone": "Europe/Rome", "language": "en"},
    )

    assert response.status_code == 302
    associate.refresh_from_db()
    assert associate.share_read_receipts is False


def test_the_artist_profile_has_a_message_button_too(associate_client, nina):
    url = reverse("messaging:message-artist", args=[nina.slug])

    assert f'action="{url}"' in associate_client.get(nina.get_absolute_url()).content.decode()
    response = associate_client.post(url)

    assert response["Location"] == Conversation.objects.get().get_absolute_url()


def test_a_body_past_the_request_size_limit_is_a_400_not_a_500(settings, artist_client, direct):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = artist_client.post(conversation_url(direct), {"body": "x" * 20_000})

    assert response.status_code == 400
    assert not Message.objects.exists()
