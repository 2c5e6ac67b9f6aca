"""``/api/v1/notifications/``: my notifications (newest first, ``unread`` filter, the unread
count in ``X-Unread-Count``), marking one or all read through the centre's services."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.notifications.models import Event, Notification
from tests.api.helpers import assert_error
from tests.notifications.notification_helpers import GroupListener, make_notification

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:notification-list")
READ_ALL_URL = reverse("api:notification-read-all")


def detail_url(notification: Notification | int) -> str:
    return reverse(
        "api:notification-detail", kwargs={"pk": getattr(notification, "pk", notification)}
    )


def read_url(notification: Notification) -> str:
    return reverse("api:notification-read", kwargs={"pk": notification.pk})


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- The list -----------------------------------------------------------------------------------


def test_my_notifications_come_newest_first_with_the_unread_count(
    artist_api: APIClient, artist: User, associate: User, outsider: User
):
    older = make_notification(artist, read_at=timezone.now())
    newer = make_notification(
        artist, event=Event.MESSAGE_RECEIVED, title="2 new messages", actor=associate, count=2
    )
    make_notification(outsider)  # not Nina's

    response = artist_api.get(LIST_URL)

    assert response.status_code == 200
    assert ids(response) == [newer.pk, older.pk]
    assert response["X-Unread-Count"] == "1"
    row = response.json()["results"][0]
    assert row["event"] == "message_received"
    assert row["title"] == "2 new messages"
    assert row["url"] == "/bookings/"
    assert row["actor"] == {"id": associate.pk, "name": "Marco Riva"}
    assert row["count"] == 2
    assert row["unread"] is True
    assert row["read_at"] is None
    assert response.json()["results"][1]["actor"] is None


def test_the_list_filters_unread_and_read(artist_api: APIClient, artist: User):
    read = make_notification(artist, read_at=timezone.now())
    unread = make_notification(artist)

    assert ids(artist_api.get(LIST_URL, {"unread": "true"})) == [unread.pk]
    assert ids(artist_api.get(LIST_URL, {"unread": "false"})) == [read.pk]
    # The header counts every unread notification, whatever the filter.
    assert artist_api.get(LIST_URL, {"unread": "false"})["X-Unread-Count"] == "1"


@pytest.mark.parametrize("value", ["yes please", "2"])
def test_a_bad_unread_value_is_a_400(artist_api: APIClient, value: str):
    assert_error(artist_api.get(LIST_URL, {"unread": value}), 400, fields=["unread"])


def test_anonymous_visitors_get_a_401(api_client: APIClient, artist: User):
    notification = make_notification(artist)

    assert_error(api_client.get(LIST_URL), 401, code="not_authenticated")
    assert_error(api_client.get(detail_url(notification)), 401)
    assert_error(api_client.post(read_url(notification)), 401)
    assert_error(api_client.post(READ_ALL_URL), 401)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_label_admin_sees_only_their_own(admin_api: APIClient, artist: User):
    make_notification(artist)

    response = admin_api.get(LIST_URL)

    assert response.json()["results"] == []
    assert response["X-Unread-Count"] == "0"


@pytest.mark.parametrize("rows", [1, 50])
def test_the_list_costs_the_same_queries_for_1_or_50_notifications(
    artist_api: APIClient, artist: User, associate: User, django_assert_num_queries, rows: int
):
    for _ in range(rows):
        make_notification(artist, actor=associate)
    artist_api.get(LIST_URL)  # the token's last-used time is written once a minute

    # the token, count, the page with its actors, the unread count
    with django_assert_num_queries(4):
        response = artist_api.get(LIST_URL, {"page_size": 50})

    assert len(response.json()["results"]) == rows


# --- One notification ---------------------------------------------------------------------------


def test_i_get_one_of_mine(artist_api: APIClient, artist: User):
    notification = make_notification(artist)

    assert artist_api.get(detail_url(notification)).json()["id"] == notification.pk


@pytest.mark.parametrize("persona", ["associate", "outsider", "label_admin"])
def test_someone_elses_notification_is_a_404(api_as, request, artist: User, persona: str):
    notification = make_notification(artist)
    client = api_as(request.getfixturevalue(persona))

    assert_error(client.get(detail_url(notification)), 404, code="not_found")
    assert_error(client.post(read_url(notification)), 404, code="not_found")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_unknown_notification_is_a_404(artist_api: APIClient):
    assert_error(artist_api.get(detail_url(987654)), 404)
    assert_error(artist_api.get(detail_url(2**70)), 404)


# --- Marking read -------------------------------------------------------------------------------


def test_marking_one_read(artist_api: APIClient, artist: User, django_capture_on_commit_callbacks):
    notification = make_notification(artist)
    other = make_notification(artist)
    listener = GroupListener(artist)

    with django_capture_on_commit_callbacks(execute=True):
        response = artist_api.post(read_url(notification))

    assert response.status_code == 200
    assert response.json()["unread"] is False
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert Notification.objects.get(pk=other.pk).read_at is None
    # The bell of open pages follows (the service's push).
    assert [m["type"] for m in listener.messages()] == ["notify"]
    listener.close()


def test_marking_a_read_notification_read_again_keeps_its_time(artist_api: APIClient, artist: User):
    read_at = timezone.now().replace(microsecond=0)
    notification = make_notification(artist, read_at=read_at)

    assert artist_api.post(read_url(notification)).status_code == 200

    notification.refresh_from_db()
    assert notification.read_at == read_at


def test_marking_all_read(
    artist_api: APIClient, artist: User, outsider: User, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_notification(artist)
    theirs = make_notification(outsider)

    with django_capture_on_commit_callbacks(execute=True):
        response = artist_api.post(READ_ALL_URL)

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(recipient=artist, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert artist_api.post(READ_ALL_URL).json() == {"marked": 0}
