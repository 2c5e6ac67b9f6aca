"""The centre's services: notify (preferences, threads, safe links, push after commit),
mark read / all read, wants() and its defaults, saving preferences."""

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mylabel.accounts.models import User
from mylabel.notifications import services
from mylabel.notifications.models import Channel, Event, Notification, Preference
from mylabel.notifications.preferences import DEFAULTS
from tests.notifications.notification_helpers import GroupListener, make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(artist: User, settings) -> Iterator[GroupListener]:
    # Read synchronously, one event loop per call: only the in-memory layer allows that. The
    # same push over channels-redis is covered by test_consumer's Redis test.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    listening = GroupListener(artist)
    yield listening
    listening.close()


def notify(recipient: User, **fields) -> Notification | None:
    values = {"event": Event.BOOKING_ACCEPTED, "title": "Accepted", "url": "/bookings/1/"}
    return services.notify(recipient=recipient, **{**values, **fields})


# --- Defaults and wants() -----------------------------------------------------------------------


def test_every_event_and_channel_has_a_default():
    assert set(DEFAULTS) == {(event, channel) for event in Event for channel in Channel}


@pytest.mark.parametrize(
    ("event", "channel", "expected"),
    [
        (Event.BOOKING_REQUESTED, Channel.IN_APP, True),
        (Event.MESSAGE_RECEIVED, Channel.IN_APP, True),
        (Event.BOOKING_CANCELLED, Channel.EMAIL, True),
        (Event.REVIEW_PUBLISHED, Channel.EMAIL, True),
        (Event.MESSAGE_RECEIVED, Channel.EMAIL, True),
        (Event.BOOKING_PAID, Channel.PUSH, False),
        (Event.MESSAGE_RECEIVED, Channel.PUSH, False),
    ],
)
def test_without_a_preference_row_the_defaults_apply(artist, event, channel, expected):
    assert services.wants(artist, event, channel) is expected


def test_a_stored_choice_overrides_the_default(artist, associate):
    Preference.objects.create(
        user=artist, event=Event.BOOKING_PAID, channel=Channel.EMAIL, enabled=False
    )
    Preference.objects.create(
        user=artist, event=Event.BOOKING_PAID, channel=Channel.PUSH, enabled=True
    )
    assert not services.wants(artist, Event.BOOKING_PAID, Channel.EMAIL)
    assert services.wants(artist, Event.BOOKING_PAID, Channel.PUSH)
    assert services.wants(associate, Event.BOOKING_PAID, Channel.EMAIL)  # not someone else's


def test_wants_costs_one_query(artist, django_assert_num_queries):
    with django_assert_num_queries(1):
        services.wants(artist, Event.BOOKING_PAID, Channel.EMAIL)


# --- notify -------------------------------------------------------------------------------------


def test_notify_creates_an_unread_notification(artist, associate):
    notification = notify(artist, actor=associate, body="Marco accepted the booking.")
    assert notification is not None
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.recipient == artist
    assert stored.actor == associate
    assert stored.read_at is None
    assert stored.event == Event.BOOKING_ACCEPTED
    assert stored.body == "Marco accepted the booking."


def test_notify_respects_an_in_app_opt_out(artist):
    Preference.objects.create(
        user=artist, event=Event.BOOKING_ACCEPTED, channel=Channel.IN_APP, enabled=False
    )
    assert notify(artist) is None
    assert not Notification.objects.exists()
    # Other events still arrive.
    assert notify(artist, event=Event.BOOKING_DECLINED) is not None


def test_an_inactive_user_gets_nothing(artist):
    artist.is_active = False
    artist.save()
    assert notify(artist) is None
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "bookings/1/"]
)
def test_notify_refuses_links_off_the_site(artist, url):
    with pytest.raises(ValueError, match="path on this site"):
        notify(artist, url=url)
    assert not Notification.objects.exists()


def test_long_titles_and_bodies_are_cut_to_fit(artist):
    notification = notify(artist, title="x" * 500, body="y" * 5000)
    assert notification is not None
    assert len(notification.title) == 200
    assert len(notification.body) == 2000
    notification.full_clean()


def test_a_thread_folds_into_its_unread_line(artist):
    first = notify(artist, event=Event.MESSAGE_RECEIVED, title="One", thread_key="conversation:7")
    second = notify(artist, event=Event.MESSAGE_RECEIVED, title="Two", thread_key="conversation:7")
    assert first is not None
    assert second is not None
    assert first.pk == second.pk
    stored = Notification.objects.get()
    assert stored.count == 2
    assert stored.title == "Two"
    # Another thread, or another user, has a line of its own.
    notify(artist, event=Event.MESSAGE_RECEIVED, thread_key="conversation:8")
    assert Notification.objects.count() == 2


def test_once_read_a_thread_starts_a_new_line(artist):
    first = notify(artist, event=Event.MESSAGE_RECEIVED, thread_key="conversation:7")
    assert first is not None
    services.mark_read(user=artist, notification=first)
    second = notify(artist, event=Event.MESSAGE_RECEIVED, thread_key="conversation:7")
    assert second is not None
    assert second.pk != first.pk
    assert second.count == 1


def test_the_bell_is_pushed_after_the_commit_and_not_before(
    artist, listener, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(artist)
    assert notification is not None
    assert listener.messages() == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert listener.messages() == [
        {"type": "notify", "notification_id": notification.pk, "created": True}
    ]


def test_a_folded_thread_is_pushed_as_an_update(
    artist, listener, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(artist, thread_key="conversation:1")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(artist, thread_key="conversation:1")
    assert notification is not None
    assert listener.messages()[-1] == {
        "type": "notify",
        "notification_id": notification.pk,
        "created": False,
    }


def test_an_opted_out_notification_pushes_nothing(
    artist, listener, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        user=artist, event=Event.BOOKING_ACCEPTED, channel=Channel.IN_APP, enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(artist)
    assert callbacks == []
    assert listener.messages() == []


def test_an_unreachable_channel_layer_does_not_fail_the_caller(
    artist, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr("mylabel.notifications.live.get_channel_layer", lambda: BrokenLayer())
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(artist)
    assert notification is not None
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert "Could not push" in caplog.text


# --- Marking read -------------------------------------------------------------------------------


def test_mark_read_sets_the_time_once_and_pushes_the_bell(
    artist, listener, django_capture_on_commit_callbacks
):
    notification = make_notification(artist)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user=artist, notification=notification)
    first_read = Notification.objects.get().read_at
    assert first_read is not None
    assert listener.messages() == [{"type": "notify", "notification_id": None, "created": False}]
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user=artist, notification=Notification.objects.get())
    assert Notification.objects.get().read_at == first_read  # idempotent
    assert listener.messages() == []  # nothing changed, nothing pushed


def test_nobody_marks_someone_elses_notification(artist, associate):
    notification = make_notification(artist)
    with pytest.raises(PermissionDenied):
        services.mark_read(user=associate, notification=notification)
    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_users_unread(artist, associate):
    for _ in range(3):
        make_notification(artist)
    theirs = make_notification(associate)
    assert services.mark_all_read(user=artist) == 3
    assert not Notification.objects.filter(recipient=artist, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert services.mark_all_read(user=artist) == 0


def test_mark_thread_read_clears_only_that_thread(artist):
    make_notification(artist, thread_key="conversation:1")
    other = make_notification(artist, thread_key="conversation:2")
    assert services.mark_thread_read(user=artist, thread_key="conversation:1") == 1
    assert services.mark_thread_read(user=artist, thread_key="") == 0
    other.refresh_from_db()
    assert other.read_at is None


# --- Preferences --------------------------------------------------------------------------------


def test_only_choices_that_differ_from_the_defaults_are_stored(artist):
    services.set_preferences(
        user=artist,
        choices={
            (Event.BOOKING_PAID, Channel.EMAIL): False,  # default on
            (Event.BOOKING_PAID, Channel.IN_APP): True,  # default on: nothing stored
            (Event.BOOKING_PAID, Channel.PUSH): True,  # default off
        },
    )
    stored = set(Preference.objects.values_list("event", "channel", "enabled"))
    assert stored == {
        (Event.BOOKING_PAID, Channel.EMAIL, False),
        (Event.BOOKING_PAID, Channel.PUSH, True),
    }
    # Back to the default: the row goes.
    services.set_preferences(user=artist, choices={(Event.BOOKING_PAID, Channel.EMAIL): True})
    assert set(Preference.objects.values_list("event", "channel")) == {
        (Event.BOOKING_PAID, Channel.PUSH)
    }


@pytest.mark.parametrize(
    "pair", [("booking_exploded", Channel.EMAIL), (Event.BOOKING_PAID, "pigeon")]
)
def test_an_unknown_event_or_channel_is_refused_and_nothing_changes(artist, pair):
    with pytest.raises(ValidationError):
        services.set_preferences(
            user=artist, choices={(Event.BOOKING_PAID, Channel.EMAIL): False, pair: True}
        )
    assert not Preference.objects.exists()
