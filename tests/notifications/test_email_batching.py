"""Message e-mails batched the Zulip way (issue 6 point 5): the first unread message schedules
one e-mail per reader and conversation, ``MESSAGE_EMAIL_DELAY_MINUTES`` later, on the task
worker; it lists the messages still unread then, and nothing goes out if they were read."""

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mylabel.accounts.models import User
from mylabel.messaging import services as messaging
from mylabel.messaging.models import Conversation, Message
from mylabel.notifications import email_batching
from mylabel.notifications.models import Channel, Event, MessageEmailBatch, Preference

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
T0 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _worker_backend(settings) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.MESSAGE_EMAIL_DELAY_MINUTES = 10
    settings.SITE_URL = "https://mylabel.example"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def conversation(artist: User, associate: User) -> Conversation:
    return messaging.start_direct_conversation(user=artist, other=associate)


@pytest.fixture
def send(conversation: Conversation, django_capture_on_commit_callbacks):
    def send(sender: User, body: str) -> Message:
        with django_capture_on_commit_callbacks(execute=True):
            return messaging.send_message(conversation=conversation, sender=sender, body=body)

    return send


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """Run what the db_worker would run now: every queued task whose ``run_after`` passed."""

    def run() -> list[str]:
        ran = []
        while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            result.claim("test-worker")
            task_result = result.task_result
            with django_capture_on_commit_callbacks(execute=True):
                value = result.task.call(*task_result.args, **task_result.kwargs)
            result.set_successful(value)
            ran.append(result.task_path.rsplit(".", 1)[-1])
        return ran

    return run


def scheduled_sends() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="send_message_email"))


def test_two_messages_make_one_email_with_both_after_the_delay(
    clock, artist, associate, conversation, send, run_worker
):
    send(artist, "First: are you free on Friday?")
    clock.shift(timedelta(minutes=3))
    send(artist, "Second: bring the stems.")
    ran = run_worker()
    assert ran.count("plan_message_emails") == 2
    assert "send_message_email" not in ran

    # One pending e-mail for the pair, due ten minutes after the first message.
    (scheduled,) = scheduled_sends()
    assert scheduled.run_after == T0 + timedelta(minutes=10)
    assert scheduled.task_result.args == [associate.pk, conversation.pk]
    assert mail.outbox == []

    clock.shift(timedelta(minutes=6))  # 9 minutes after the first: not yet
    assert "send_message_email" not in run_worker()
    assert mail.outbox == []

    clock.shift(timedelta(minutes=1))
    assert run_worker() == ["send_message_email"]
    (email,) = mail.outbox
    assert email.to == ["marco@example.com"]
    assert email.subject == "[MyLabel] 2 new messages from Nina Vale"
    assert email.body.index("First: are you free on Friday?") < email.body.index(
        "Second: bring the stems."
    )
    assert f"https://mylabel.example/messages/{conversation.pk}/" in email.body
    assert isinstance(email, EmailMultiAlternatives)
    html = str(email.alternatives[0][0])
    assert "Second: bring the stems." in html
    assert nothing_pending()


def nothing_pending() -> bool:
    return not MessageEmailBatch.objects.filter(pending_from_id__isnull=False).exists()


def test_messages_read_before_the_delay_send_nothing(
    clock, artist, associate, conversation, send, run_worker, django_capture_on_commit_callbacks
):
    send(artist, "Call me?")
    send(artist, "When you can.")
    run_worker()
    clock.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        messaging.mark_read(conversation=conversation, user=associate)

    clock.shift(timedelta(minutes=5))
    assert run_worker() == ["send_message_email"]
    assert mail.outbox == []
    assert nothing_pending()


def test_reading_part_mails_only_what_is_still_unread(
    clock, artist, associate, conversation, send, run_worker
):
    first = send(artist, "Already seen")
    send(artist, "Not seen yet")
    run_worker()
    # The reader saw the first message only (a tab opened between the two), without the
    # signal: the marker alone decides what the e-mail lists.
    conversation.participants.filter(user=associate).update(last_read_message=first)

    clock.shift(timedelta(minutes=10))
    run_worker()
    (email,) = mail.outbox
    assert "Not seen yet" in email.body
    assert "Already seen" not in email.body
    assert email.subject == "[MyLabel] 1 new message from Nina Vale"


def test_email_preference_off_sends_nothing_and_schedules_nothing(
    clock, artist, associate, send, run_worker
):
    Preference.objects.create(
        user=associate, event=Event.MESSAGE_RECEIVED, channel=Channel.EMAIL, enabled=False
    )
    send(artist, "Hello?")
    run_worker()
    assert scheduled_sends() == []

    clock.shift(timedelta(hours=1))
    run_worker()
    assert mail.outbox == []


def test_preference_turned_off_while_pending_sends_nothing(
    clock, artist, associate, send, run_worker
):
    send(artist, "Hello?")
    run_worker()
    Preference.objects.create(
        user=associate, event=Event.MESSAGE_RECEIVED, channel=Channel.EMAIL, enabled=False
    )
    clock.shift(timedelta(minutes=10))
    run_worker()
    assert mail.outbox == []
    assert nothing_pending()


def test_a_message_after_the_email_starts_a_new_batch_without_repeating(
    clock, artist, associate, send, run_worker
):
    send(artist, "One")
    run_worker()
    clock.shift(timedelta(minutes=10))
    run_worker()
    assert len(mail.outbox) == 1

    clock.shift(timedelta(minutes=1))
    send(artist, "Two")
    run_worker()
    (_first, second) = scheduled_sends()
    assert second.run_after == T0 + timedelta(minutes=21)
    clock.shift(timedelta(minutes=10))
    run_worker()

    assert len(mail.outbox) == 2
    assert "Two" in mail.outbox[1].body
    assert "One" not in mail.outbox[1].body.replace("MyLabel", "")


def test_the_sender_is_not_mailed_about_their_own_messages(clock, artist, send, run_worker):
    send(artist, "Talking to myself")
    run_worker()
    clock.shift(timedelta(minutes=10))
    run_worker()
    assert [email.to for email in mail.outbox] == [["marco@example.com"]]


def test_language_and_time_zone_of_the_reader(clock, artist, associate, send, run_worker):
    associate.language = "it"
    associate.time_zone = "America/New_York"
    associate.save()
    send(artist, "Ciao Marco")
    run_worker()
    clock.shift(timedelta(minutes=10))
    run_worker()

    (email,) = mail.outbox
    # 14:00 UTC is 09:00 in New York; the date is written the Italian way.
    assert "20 Novembre 2026 09:00" in email.body
    assert "America/New_York" in email.body


def test_attachments_are_named_and_long_batches_are_counted(
    clock, artist, associate, conversation, run_worker, settings
):
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]
    first = Message.objects.create(conversation=conversation, sender=artist, body="m0")
    for index in range(1, 25):
        Message.objects.create(conversation=conversation, sender=artist, body=f"m{index}")
    assert email_batching.open_batches(first.pk) == 1

    clock.shift(timedelta(minutes=10))
    assert email_batching.send_due_batches() == 1
    (email,) = mail.outbox
    assert email.subject == "[MyLabel] 25 new messages from Nina Vale"
    assert "m19" in email.body
    assert "m20" not in email.body
    assert "and 5 more messages" in email.body


def test_in_process_tasks_schedule_nothing_and_the_command_sends_due_batches(
    clock, artist, associate, send, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    send(artist, "Hi from cron land")
    assert not DBTaskResult.objects.exists()
    assert mail.outbox == []

    out = io.StringIO()
    call_command("send_message_emails", stdout=out)
    assert "0 message e-mail(s) sent." in out.getvalue()

    clock.shift(timedelta(minutes=10))
    call_command("send_message_emails", stdout=out)
    assert "1 message e-mail(s) sent." in out.getvalue()
    assert "Hi from cron land" in mail.outbox[0].body


def test_a_message_read_while_the_page_is_open_opens_no_batch(
    clock, artist, associate, conversation, run_worker
):
    message = Message.objects.create(conversation=conversation, sender=artist, body="Seen live")
    conversation.participants.filter(user=associate).update(last_read_message=message)
    assert email_batching.open_batches(message.pk) == 0
    assert email_batching.open_batches(999_999) == 0  # a message deleted meanwhile


def test_reading_keeps_the_batch_for_messages_that_came_after(
    clock, artist, associate, conversation, send, run_worker, django_capture_on_commit_callbacks
):
    first = send(artist, "Read this one")
    send(artist, "Then this one")
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        messaging.mark_read(conversation=conversation, user=associate, up_to=first)

    clock.shift(timedelta(minutes=10))
    run_worker()
    (email,) = mail.outbox
    assert "Then this one" in email.body
    assert "Read this one" not in email.body
