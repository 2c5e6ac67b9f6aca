"""``/api/v1/conversations/``: my conversations (with the other side, the last message and the
unread count), starting one from a profile or a booking as the pages do, and marking one read."""

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking
from mylabel.messaging import services
from mylabel.messaging.models import Conversation, Message, Participant
from tests.api.helpers import assert_error
from tests.factories import UserFactory
from tests.reviews.factories import completed_booking

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:conversation-list")


def detail_url(conversation: Conversation | int) -> str:
    return reverse(
        "api:conversation-detail", kwargs={"pk": getattr(conversation, "pk", conversation)}
    )


def read_url(conversation: Conversation) -> str:
    return reverse("api:conversation-read", kwargs={"pk": conversation.pk})


def send(conversation: Conversation, sender: User, body: str) -> Message:
    return services.send_message(conversation=conversation, sender=sender, body=body)


@pytest.fixture(autouse=True)
def _roomy_rate_limits(settings) -> None:
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]


@pytest.fixture
def direct(artist: User, associate: User) -> Conversation:
    """The direct conversation between Nina (artist) and Marco (associate)."""
    return services.start_direct_conversation(user=artist, other=associate)


@pytest.fixture
def booking(nina: Artist, marco: Associate) -> Booking:
    return completed_booking(nina, marco)


# --- The list -----------------------------------------------------------------------------------


def test_my_conversations_come_with_the_other_side_the_last_message_and_unread_count(
    artist_api: APIClient, direct: Conversation, artist: User, associate: User, outsider: User
):
    send(direct, artist, "Hi Marco")
    send(direct, associate, "Hi Nina")
    last = send(direct, associate, "Tuesday?")
    quiet = services.start_direct_conversation(user=artist, other=outsider)
    services.start_direct_conversation(user=associate, other=outsider)  # not Nina's

    response = artist_api.get(LIST_URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [direct.pk, quiet.pk]  # most recently active first
    mine = rows[0]
    assert mine["others"] == [{"id": associate.pk, "name": "Marco Riva"}]
    assert mine["last_message"] == {
        "id": last.pk,
        "body": "Tuesday?",
        "sender_id": associate.pk,
        "has_attachment": False,
    }
    assert mine["unread_count"] == 2
    assert mine["booking"] is None
    assert rows[1]["last_message"] is None
    assert rows[1]["unread_count"] == 0


def test_anonymous_visitors_get_a_401(api_client: APIClient, direct: Conversation):
    assert_error(api_client.get(LIST_URL), 401, code="not_authenticated")
    assert_error(api_client.get(detail_url(direct)), 401)


def test_a_label_admin_lists_only_their_own_conversations(
    admin_api: APIClient, direct: Conversation
):
    assert admin_api.get(LIST_URL).json()["results"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_1_or_50_conversations(
    artist_api: APIClient, artist: User, django_assert_num_queries, rows: int
):
    for other in UserFactory.create_batch(rows):
        send(services.start_direct_conversation(user=artist, other=other), other, "Hello")
    artist_api.get(LIST_URL)  # the token's last-used time is written once a minute

    # the token, count, the page with its annotations, the other participants
    with django_assert_num_queries(4):
        response = artist_api.get(LIST_URL, {"page_size": 50})

    assert len(response.json()["results"]) == rows
    assert {row["unread_count"] for row in response.json()["results"]} == {1}


# --- One conversation ---------------------------------------------------------------------------


def test_a_participant_gets_the_conversation(associate_api: APIClient, direct: Conversation):
    response = associate_api.get(detail_url(direct))

    assert response.status_code == 200
    assert response.json()["others"][0]["name"] == "Nina Vale"


@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_elses_conversation_is_a_404(api_as, request, direct: Conversation, persona: str):
    response = api_as(request.getfixturevalue(persona)).get(detail_url(direct))

    assert_error(response, 404, code="not_found")


def test_an_unknown_conversation_is_a_404(artist_api: APIClient, direct: Conversation):
    assert_error(artist_api.get(detail_url(987654)), 404)
    assert_error(artist_api.get(detail_url(2**70)), 404)


# --- Starting one -------------------------------------------------------------------------------


def test_starting_with_a_professional_creates_the_conversation_once(
    artist_api: APIClient, artist: User, associate: User
):
    response = artist_api.post(LIST_URL, {"associate": "marco-riva"})

    assert response.status_code == 201, response.content
    conversation = Conversation.objects.get(pk=response.json()["id"])
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        artist.pk,
        associate.pk,
    }
    again = artist_api.post(LIST_URL, {"associate": "marco-riva"})
    assert again.status_code == 200
    assert again.json()["id"] == conversation.pk
    assert Conversation.objects.count() == 1


def test_starting_with_an_artist_finds_the_conversation_they_started(
    associate_api: APIClient, direct: Conversation
):
    response = associate_api.post(LIST_URL, {"artist": "nina-vale"})

    assert response.status_code == 200
    assert response.json()["id"] == direct.pk


def test_a_stranger_can_message_a_listed_profile(stranger_api: APIClient, nina: Artist):
    response = stranger_api.post(LIST_URL, {"artist": "nina-vale"})

    assert response.status_code == 201
    assert response.json()["others"][0]["name"] == "Nina Vale"


def test_one_cannot_message_oneself(artist_api: APIClient, nina: Artist):
    assert_error(artist_api.post(LIST_URL, {"artist": "nina-vale"}), 400, code="self")
    assert not Conversation.objects.exists()


def test_an_unknown_or_deactivated_profile_is_a_404(
    artist_api: APIClient, associate: User, nina: Artist
):
    assert_error(artist_api.post(LIST_URL, {"associate": "nobody"}), 404)
    User.objects.filter(pk=associate.pk).update(is_active=False)
    assert_error(artist_api.post(LIST_URL, {"associate": "marco-riva"}), 404)
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("persona", ["artist", "associate"])
def test_a_side_of_a_booking_opens_its_conversation(
    api_as, request, booking: Booking, artist: User, associate: User, persona: str
):
    client = api_as(request.getfixturevalue(persona))

    response = client.post(LIST_URL, {"booking": booking.pk})

    assert response.status_code == 201, response.content
    assert response.json()["booking"] == booking.pk
    conversation = Conversation.objects.get(booking=booking)
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        artist.pk,
        associate.pk,
    }
    assert client.post(LIST_URL, {"booking": booking.pk}).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_elses_booking_is_a_404_and_starts_nothing(
    api_as, request, booking: Booking, persona: str
):
    response = api_as(request.getfixturevalue(persona)).post(LIST_URL, {"booking": booking.pk})

    assert_error(response, 404)
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, []),
        ({"artist": "nina-vale", "associate": "marco-riva"}, []),
        ({"booking": "mine"}, ["booking"]),
        ({"booking": 0}, ["booking"]),
        ({"associate": "not a slug!"}, ["associate"]),
        ({"user": 1}, ["user"]),
    ],
)
def test_bad_input_is_a_400_and_starts_nothing(
    stranger_api: APIClient, nina: Artist, marco: Associate, data: dict[str, Any], fields: list[str]
):
    assert_error(stranger_api.post(LIST_URL, data), 400, fields=fields)
    assert not Conversation.objects.exists()


def test_malformed_json_is_a_400(stranger_api: APIClient):
    response = stranger_api.post(LIST_URL, "{", content_type="application/json")

    assert_error(response, 400, code="parse_error")


# --- Marking read -------------------------------------------------------------------------------


def unread_for(client: APIClient, conversation: Conversation) -> int:
    return client.get(detail_url(conversation)).json()["unread_count"]


def test_marking_read_clears_the_unread_count(
    artist_api: APIClient, direct: Conversation, associate: User
):
    send(direct, associate, "One")
    send(direct, associate, "Two")

    response = artist_api.post(read_url(direct))

    assert response.status_code == 204
    assert unread_for(artist_api, direct) == 0


def test_marking_read_up_to_a_message_leaves_the_later_ones_unread(
    artist_api: APIClient, direct: Conversation, associate: User
):
    first = send(direct, associate, "One")
    send(direct, associate, "Two")

    assert artist_api.post(read_url(direct), {"message": first.pk}).status_code == 204

    assert unread_for(artist_api, direct) == 1


def test_the_read_marker_never_moves_back(
    artist_api: APIClient, direct: Conversation, artist: User, associate: User
):
    first = send(direct, associate, "One")
    second = send(direct, associate, "Two")
    artist_api.post(read_url(direct))

    artist_api.post(read_url(direct), {"message": first.pk})

    marker = Participant.objects.get(conversation=direct, user=artist).last_read_message_id
    assert marker == second.pk


def test_a_message_of_another_conversation_cannot_be_marked_read(
    artist_api: APIClient, direct: Conversation, artist: User, outsider: User
):
    elsewhere = send(services.start_direct_conversation(user=artist, other=outsider), outsider, "x")

    response = artist_api.post(read_url(direct), {"message": elsewhere.pk})

    assert_error(response, 400, fields=["message"])


@pytest.mark.parametrize("data", [{"message": "last"}, {"message": -3}, {"up_to": 1}])
def test_bad_read_input_is_a_400(artist_api: APIClient, direct: Conversation, data: dict):
    assert_error(artist_api.post(read_url(direct), data), 400)


@pytest.mark.parametrize("persona", ["outsider", "label_admin"])
def test_someone_else_cannot_mark_a_conversation_read(
    api_as, request, direct: Conversation, associate: User, artist: User, persona: str
):
    send(direct, associate, "Unread")

    assert_error(api_as(request.getfixturevalue(persona)).post(read_url(direct)), 404)
    assert Participant.objects.get(conversation=direct, user=artist).last_read_message is None


def test_anonymous_visitors_cannot_mark_read(api_client: APIClient, direct: Conversation):
    assert_error(api_client.post(read_url(direct)), 401)
