"""The notification centre's pages: the list (newest first, unread highlighted, paginated,
query budget), marking one or all read with and without htmx, following a notification, the
preferences grid, and the bell in the navigation."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.notifications.consumers import render_update
from mylabel.notifications.models import Channel, Event, Notification, Preference
from tests.htmx import HTMX
from tests.notifications.notification_helpers import make_notification

pytestmark = pytest.mark.django_db

LIST_URL = "/notifications/"
PREFERENCES_URL = "/notifications/preferences/"
# Session and user; base.html's label-admin check (user and group permissions); the page's
# count, its rows (actor joined) and the unread count (which the bell reuses).
LIST_PAGE_QUERIES = 2 + 2 + 3


def item_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="notification-(\d+)"', html)]


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST_URL),
        ("get", PREFERENCES_URL),
        ("post", "/notifications/read/"),
        ("post", "/notifications/1/read/"),
        ("get", "/notifications/1/"),
    ],
)
def test_every_page_asks_visitors_to_log_in(client: Client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_elses_notification_is_not_found_and_stays_unread(
    associate_client: Client, artist: User
):
    notification = make_notification(artist)
    for response in (
        associate_client.post(f"/notifications/{notification.pk}/read/"),
        associate_client.post(f"/notifications/{notification.pk}/read/", headers=HTMX),
        associate_client.get(f"/notifications/{notification.pk}/"),
    ):
        assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_unknown_notification_is_not_found(artist_client: Client):
    assert artist_client.post("/notifications/999999/read/").status_code == 404


@pytest.mark.parametrize("url", ["/notifications/read/", "/notifications/1/read/"])
def test_marking_read_needs_a_post(artist_client: Client, artist: User, url):
    make_notification(artist)
    assert artist_client.get(url).status_code == 405
    assert Notification.objects.filter(read_at=None).count() == 1


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_users_notifications_newest_first_with_unread_highlighted(
    artist_client: Client, artist: User, associate: User
):
    old = make_notification(artist, title="Old and read")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    new = make_notification(artist, title="New <b>and</b> unread")
    make_notification(associate, title="Not yours")
    response = artist_client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert item_ids(html) == [new.pk, old.pk]
    assert "Not yours" not in html
    assert "New &lt;b&gt;and&lt;/b&gt; unread" in html  # escaped
    assert f'<li id="notification-{new.pk}" class="notification card notification--unread">' in html
    assert f'<li id="notification-{old.pk}" class="notification card">' in html
    assert "1 unread notification" in html


def test_the_list_is_paginated(artist_client: Client, artist: User):
    made = [make_notification(artist, title=f"N{index}") for index in range(25)]
    first = artist_client.get(LIST_URL).content.decode()
    second = artist_client.get(LIST_URL, {"page": 2}).content.decode()
    assert len(item_ids(first)) == 20
    assert item_ids(second) == [notification.pk for notification in made[:5]][::-1]
    assert 'href="/notifications/?page=2"' in first
    # A page number that makes no sense shows a page, not an error.
    assert artist_client.get(LIST_URL, {"page": "zzz"}).status_code == 200
    assert artist_client.get(LIST_URL, {"page": "999"}).status_code == 200


def test_htmx_gets_only_the_list(artist_client: Client, artist: User):
    make_notification(artist)
    html = artist_client.get(LIST_URL, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="notification-list"')
    assert "<html" not in html


def test_an_empty_centre_says_so(artist_client: Client):
    html = artist_client.get(LIST_URL).content.decode()
    assert "Nothing here yet" in html
    assert '<ul id="notification-items" class="notification-items"></ul>' in html


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_has_a_fixed_query_budget(
    artist_client: Client, artist: User, associate: User, rows: int, django_assert_num_queries
):
    for _ in range(rows):
        make_notification(artist, actor=associate)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        response = artist_client.get(LIST_URL)
    assert response.status_code == 200


# --- Marking read -------------------------------------------------------------------------------


def test_marking_one_read_without_javascript_redirects_back(artist_client: Client, artist: User):
    notification = make_notification(artist)
    response = artist_client.post(
        f"/notifications/{notification.pk}/read/", {"next": "/notifications/?page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_never_redirects_to_another_site(artist_client: Client, artist: User):
    notification = make_notification(artist)
    response = artist_client.post(
        f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST_URL


def test_marking_one_read_with_htmx_swaps_the_line_the_summary_and_the_bell(
    artist_client: Client, artist: User
):
    notification = make_notification(artist)
    make_notification(artist)
    response = artist_client.post(f"/notifications/{notification.pk}/read/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<li id="notification-{notification.pk}" class="notification card">'
    )
    assert "Mark as read" not in html.split("</li>")[0]
    assert '<div id="notification-summary" class="notification-summary" hx-swap-oob="true">' in html
    assert "1 unread notification" in html
    bell = html[html.index('id="notification-bell"') :]
    assert 'hx-swap-oob="true"' in bell.split(">")[0]
    assert '<span class="notification-bell__count">1<' in bell


def test_mark_all_read_without_javascript(artist_client: Client, artist: User, associate: User):
    for _ in range(3):
        make_notification(artist)
    theirs = make_notification(associate)
    response = artist_client.post("/notifications/read/", follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert not Notification.objects.filter(recipient=artist, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "All notifications are marked as read." in response.content.decode()


def test_mark_all_read_with_htmx(artist_client: Client, artist: User):
    for _ in range(2):
        make_notification(artist)
    html = artist_client.post("/notifications/read/", headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="notification-list"')
    assert "notification--unread" not in html
    assert "0 unread notifications" in html
    assert '<span class="notification-bell__count">' not in html  # no badge at zero
    assert "All notifications are marked as read." in html  # the toast, out of band


def test_mark_all_read_with_nothing_unread_says_so(artist_client: Client):
    response = artist_client.post("/notifications/read/", follow=True)
    assert "There was nothing unread." in response.content.decode()


# --- Following a notification -------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(
    artist_client: Client, artist: User
):
    notification = make_notification(artist, url="/bookings/12/")
    response = artist_client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/bookings/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_stored_link_off_the_site_is_never_followed(artist_client: Client, artist: User):
    # Written past the service's check (data from elsewhere): the view still refuses it.
    notification = make_notification(artist, url="//evil.example/")
    response = artist_client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == LIST_URL


# --- Preferences --------------------------------------------------------------------------------


def test_the_settings_page_links_to_the_preferences(artist_client: Client):
    html = artist_client.get(reverse("account_settings")).content.decode()
    assert f'href="{PREFERENCES_URL}"' in html


@pytest.fixture
def push_configured(settings) -> None:
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"


def test_without_web_push_the_grid_has_no_push_column(artist_client: Client, artist: User):
    html = artist_client.get(PREFERENCES_URL).content.decode()
    assert html.count('type="checkbox"') == len(Event) * (len(Channel) - 1)
    assert "__push" not in html
    assert "Browser push" not in html

    Preference.objects.create(
        user=artist, event=Event.BOOKING_PAID, channel=Channel.PUSH, enabled=True
    )
    artist_client.post(PREFERENCES_URL, everything_on_except())
    assert Preference.objects.get(
        user=artist, event=Event.BOOKING_PAID, channel=Channel.PUSH
    ).enabled


@pytest.mark.usefixtures("push_configured")
def test_the_preferences_grid_shows_the_defaults(artist_client: Client):
    html = artist_client.get(PREFERENCES_URL).content.decode()
    assert html.count('type="checkbox"') == len(Event) * len(Channel)
    assert 'name="booking_paid__in_app" id="id_booking_paid__in_app" checked' in html
    assert 'name="booking_paid__email" id="id_booking_paid__email" checked' in html
    assert 'name="booking_paid__push" id="id_booking_paid__push">' in html
    assert '<label for="id_booking_paid__push"' in html  # every box is labelled


def everything_on_except(*names: str) -> dict[str, str]:
    return {
        f"{event}__{channel}": "on"
        for event in Event
        for channel in Channel
        if f"{event}__{channel}" not in names
    }


@pytest.mark.usefixtures("push_configured")
def test_saving_preferences_without_javascript(artist_client: Client, artist: User):
    data = everything_on_except("message_received__email", "booking_paid__in_app")
    data["not_a_setting"] = "on"  # ignored
    response = artist_client.post(PREFERENCES_URL, data, follow=True)
    assert response.redirect_chain == [(PREFERENCES_URL, 302)]
    assert "Your notification settings are saved." in response.content.decode()
    stored = {
        (event, channel): enabled
        for event, channel, enabled in Preference.objects.filter(user=artist).values_list(
            "event", "channel", "enabled"
        )
    }
    # Push was ticked everywhere (default off), two boxes were unticked (default on).
    assert stored[(Event.MESSAGE_RECEIVED, Channel.EMAIL)] is False
    assert stored[(Event.BOOKING_PAID, Channel.IN_APP)] is False
    assert all(stored[(event, Channel.PUSH)] for event in Event)
    assert len(stored) == len(Event) + 2


@pytest.mark.usefixtures("push_configured")
def test_saving_preferences_with_htmx_returns_the_form(artist_client: Client, artist: User):
    data = everything_on_except("booking_paid__push")
    data.pop("review_published__email")
    response = artist_client.post(PREFERENCES_URL, data, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="preference-form"')
    assert 'name="review_published__email" id="id_review_published__email">' in html
    assert "Your notification settings are saved." in html
    assert Preference.objects.filter(
        user=artist, event=Event.REVIEW_PUBLISHED, channel=Channel.EMAIL, enabled=False
    ).exists()


def test_preferences_are_per_user(artist_client: Client, associate: User):
    artist_client.post(PREFERENCES_URL, {})
    assert not Preference.objects.filter(user=associate).exists()


# --- The bell -----------------------------------------------------------------------------------


def test_the_bell_connects_signed_in_users_to_their_socket(artist_client: Client):
    html = artist_client.get("/").content.decode()
    assert 'hx-ext="ws" ws-connect="/ws/notifications/"' in html
    assert 'id="notification-bell"' in html
    # The ws extension is served from our static files under the page's CSP nonce.
    nonce = re.search(r'<script src="[^"]*htmx-2\.min\.js" defer nonce="([^"]+)"', html)
    assert nonce is not None
    assert f'ext/hx-ws-2.min.js" defer nonce="{nonce.group(1)}"' in html


def test_visitors_have_no_bell_and_no_socket(client: Client):
    html = client.get("/").content.decode()
    assert "ws-connect" not in html
    assert 'id="notification-bell"' not in html


def test_the_bell_costs_no_query_on_a_page(artist: User, django_assert_num_queries):
    # The count arrives over the socket on connect, so every page can show the bell for free.
    with django_assert_num_queries(0):
        html = render_to_string("notifications/bell.html", {"user": artist})
    assert f'href="{LIST_URL}"' in html


def test_the_bell_shows_a_count_and_caps_it(artist: User):
    assert ">7<" in render_to_string("notifications/bell.html", {"user": artist, "unread": 7})
    assert ">99+<" in render_to_string("notifications/bell.html", {"user": artist, "unread": 150})


def test_a_push_costs_one_query_for_the_bell_and_one_for_the_line(
    artist: User, django_assert_num_queries
):
    notification = make_notification(artist)
    with django_assert_num_queries(1):
        render_update(artist)
    with django_assert_num_queries(2):
        html = render_update(artist, notification.pk, created=True)
    assert f'<li id="notification-{notification.pk}"' in html
