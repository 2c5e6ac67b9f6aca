"""A full channel is logged with its group or channel name, never dropped silently
(``mylabel.core.channel_layers``), and the conversation page carries the socket wiring."""

import logging

import pytest
from channels.layers import get_channel_layer
from django.conf import settings

from mylabel.core.channel_layers import InMemoryChannelLayer, RedisChannelLayer
from mylabel.messaging import realtime, services
from mylabel.messaging.models import Conversation


async def test_the_in_memory_layer_logs_each_channel_a_group_message_did_not_fit(caplog):
    layer = InMemoryChannelLayer(capacity=1)
    reader = await layer.new_channel()
    idle = await layer.new_channel()
    await layer.group_add("conversation.7", reader)
    await layer.group_add("conversation.7", idle)
    await layer.group_send("conversation.7", {"type": "chat.message", "n": 1})
    await layer.receive(reader)

    with caplog.at_level(logging.WARNING, logger="mylabel.channels"):
        await layer.group_send("conversation.7", {"type": "chat.message", "n": 2})

    assert (await layer.receive(reader))["n"] == 2  # the reader still gets it
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert idle in record.getMessage()
    assert "conversation.7" in record.getMessage()
    assert "chat.message" in record.getMessage()


def test_the_redis_layers_receive_buffer_logs_what_it_drops(caplog):
    layer = RedisChannelLayer(hosts=["redis://127.0.0.1:6379/0"], capacity=2)
    buffer = layer.receive_buffer["specific.abc!slow"]
    with caplog.at_level(logging.WARNING, logger="mylabel.channels"):
        for number in range(3):
            buffer.put_nowait({"n": number})
    assert buffer.qsize() == 2
    [record] = caplog.records
    assert "specific.abc!slow" in record.getMessage()
    assert "dropped its oldest message" in record.getMessage()


def test_the_redis_layer_reads_longer_than_it_blocks():
    """BZPOPMIN blocks up to brpop_timeout; a socket timeout at or below it kills quiet sockets."""
    layer = RedisChannelLayer(hosts=["redis://127.0.0.1:6379/0"])
    pool = layer.create_pool(0)
    assert pool.connection_kwargs["socket_timeout"] > layer.brpop_timeout


def test_the_configured_layer_has_explicit_limits():
    config = settings.CHANNEL_LAYERS["default"]
    assert str(config["BACKEND"]).startswith("mylabel.core.channel_layers.")
    layer = get_channel_layer()
    assert layer.capacity == settings.CHANNEL_LAYER_LIMITS["capacity"]
    assert layer.expiry == 60
    assert layer.group_expiry == 86400


def test_a_layer_outage_costs_the_push_not_the_message(monkeypatch, caplog):
    """send_message has committed; a broken layer is logged and nothing is raised."""

    class BrokenLayer:
        async def group_send(self, group: str, message: dict) -> None:
            raise ConnectionError("redis is down")

    monkeypatch.setattr(realtime, "get_channel_layer", lambda: BrokenLayer())
    with caplog.at_level(logging.ERROR, logger="mylabel.messaging.realtime"):
        realtime.group_send("conversation.3", {"type": "chat.message"})
    assert "conversation.3" in caplog.text


# --- The page's wiring ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_conversation_page_connects_with_the_newest_message_it_shows(
    artist_client, artist, associate, direct: Conversation
):
    messages = [
        services.send_message(conversation=direct, sender=associate, body=f"Hello {number}")
        for number in range(2)
    ]
    html = artist_client.get(direct.get_absolute_url()).content.decode()
    assert 'hx-ext="ws"' in html
    assert f'ws-connect="/ws/conversations/{direct.pk}/?after={messages[-1].pk}&amp;sync=1"' in html
    # Sent on every (re)connect: the newest message the page has, kept current by the pushes.
    assert 'hx-trigger="htmx:wsOpen from:#conversation"' in html
    assert f'<input type="hidden" id="live-after" name="after" value="{messages[-1].pk}">' in html
    # Typing: throttled by htmx, one hidden line per other participant, the error line.
    assert 'hx-trigger="input from:#conversation throttle:2s"' in html
    assert f'<p id="typing-{associate.pk}" class="conversation__typing-line" hidden>' in html
    assert '<p id="live-error" class="alert alert--error" role="alert" hidden></p>' in html
    # History rendered by the page never carries the live read trigger.
    assert "intersect once" not in html


@pytest.mark.django_db
def test_an_empty_conversation_catches_up_from_zero(artist_client, direct: Conversation):
    html = artist_client.get(direct.get_absolute_url()).content.decode()
    assert f'ws-connect="/ws/conversations/{direct.pk}/?after=0&amp;sync=1"' in html


@pytest.mark.django_db
def test_an_older_page_of_history_does_not_go_live(
    artist_client, artist, associate, direct: Conversation
):
    for number in range(35):
        services.send_message(conversation=direct, sender=associate, body=f"Old {number}")
    first = direct.messages.order_by("pk").values_list("pk", flat=True)[5]
    html = artist_client.get(f"{direct.get_absolute_url()}?before={first}").content.decode()
    assert "/ws/conversations/" not in html
    assert 'id="live-sync"' not in html
