"""Races of the message e-mail batches on PostgreSQL: messages planned at the same moment
open one batch for the pair, and a message racing the sending of a batch is mailed once,
either in that e-mail or in the next batch, never twice and never lost."""

import functools
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.messaging import services as messaging
from mylabel.messaging.models import Conversation, Message
from mylabel.notifications import email_batching
from mylabel.notifications.models import MessageEmailBatch
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RACERS = 6


def run_at_once(calls: list[Callable[[], int]]) -> list[int]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[int] = []
    lock = threading.Lock()

    def run(call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            outcome = call()
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def pair() -> tuple[Conversation, User, User]:
    writer = UserFactory.create(email="writer@example.com")
    reader = UserFactory.create(email="reader@example.com")
    return messaging.start_direct_conversation(user=writer, other=reader), writer, reader


def test_messages_planned_at_once_open_one_batch(transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    conversation, writer, reader = pair()
    messages = [
        Message.objects.create(conversation=conversation, sender=writer, body=f"m{index}")
        for index in range(RACERS)
    ]

    opened = run_at_once(
        [functools.partial(email_batching.open_batches, message.pk) for message in messages]
    )

    assert sorted(opened) == [0] * (RACERS - 1) + [1]
    (batch,) = MessageEmailBatch.objects.all()
    assert batch.user == reader
    assert batch.pending_from_id in {message.pk for message in messages}


def test_a_message_racing_the_sending_is_mailed_exactly_once(
    transactional_db, settings, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    conversation, writer, reader = pair()
    for _round in range(3):
        first = Message.objects.create(conversation=conversation, sender=writer, body="old")
        email_batching.open_batches(first.pk)
        MessageEmailBatch.objects.update(due_at=timezone.now() - timedelta(seconds=1))
        created: list[Message] = []

        def write_late(created: list[Message] = created) -> int:
            # As in production: the message commits, then its batches are planned.
            created.append(
                Message.objects.create(conversation=conversation, sender=writer, body="late")
            )
            return email_batching.open_batches(created[0].pk)

        run_at_once(
            [
                lambda: email_batching.send_batch(
                    user_id=reader.pk, conversation_id=conversation.pk
                ),
                write_late,
            ]
        )
        (late,) = created

        batch = MessageEmailBatch.objects.get()
        mailed_late = batch.emailed_up_to_id >= late.pk
        # Either the e-mail had it (and no batch waits for it) or a new batch starts at it.
        assert mailed_late == (batch.pending_from_id is None)
        if not mailed_late:
            assert batch.pending_from_id == late.pk
            MessageEmailBatch.objects.update(due_at=timezone.now() - timedelta(seconds=1))
            assert (
                email_batching.send_batch(user_id=reader.pk, conversation_id=conversation.pk) == 1
            )
        bodies = [email.body for email in mailoutbox]
        assert sum(body.count("\nlate\n") for body in bodies) == 1
        mailoutbox.clear()
        conversation.participants.filter(user=reader).update(last_read_message=late)
