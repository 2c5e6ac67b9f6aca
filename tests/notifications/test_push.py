"""Web Push (issue 6 point 6): a notification reaches the subscribed browsers whose push
preference for the event is on, encrypted to the browser's keys and signed with our VAPID key.

The push service is played by a tiny HTTP server on 127.0.0.1; the tests decrypt what it
received with the subscription's private key (http_ece, what pywebpush encrypts with) and check
the VAPID signature, so a broken encryption or signature fails here, not only in a browser.
"""

import base64
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.db import transaction

from mylabel.accounts.models import User
from mylabel.messaging import services as messaging
from mylabel.notifications import push, services
from mylabel.notifications.management.commands.vapid_keys import b64url, new_vapid_keys
from mylabel.notifications.models import Channel, Event, Preference, PushSubscription

pytestmark = pytest.mark.django_db

SUBJECT = "mailto:push@mylabel.example"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class FakePushService:
    """Records every POST and answers with ``status``."""

    base_url: str = ""
    status: int = 201
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def push_service(monkeypatch) -> Iterator[FakePushService]:
    service = FakePushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            service.received.append(
                Received(
                    self.path,
                    {name.lower(): value for name, value in self.headers.items()},
                    self.rfile.read(length),
                )
            )
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    service.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def vapid(settings) -> tuple[str, str]:
    public, private = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = SUBJECT
    return public, private


@dataclass
class Browser:
    """What a browser keeps for a subscription: its ECDH private key and auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


def new_browser() -> Browser:
    return Browser(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


def subscribe_row(user: User, service: FakePushService, browser: Browser, name: str = "a"):
    # Created directly: the service refuses plain-http endpoints, which this fake one is.
    return PushSubscription.objects.create(
        user=user,
        endpoint=f"{service.base_url}/push/{name}",
        p256dh=browser.p256dh,
        auth=browser.auth,
    )


def push_on(user: User, event: str = Event.BOOKING_REQUESTED) -> None:
    Preference.objects.create(user=user, event=event, channel=Channel.PUSH, enabled=True)


def notify(user: User, django_capture_on_commit_callbacks, **fields: str) -> None:
    values: dict[str, Any] = {
        "event": Event.BOOKING_REQUESTED,
        "title": "New booking request",
        "body": "Nina Vale asked to book you.",
        "url": "/bookings/42/",
        **fields,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=user, **values)


def verify_vapid(headers: dict[str, str], public_key: str, audience: str) -> dict:
    """Check the ``Authorization: vapid t=<JWT>, k=<key>`` header against our public key."""
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    assert values["k"] == public_key
    header_b64, claims_b64, signature_b64 = values["t"].split(".")
    signature = b64url_decode(signature_b64)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    key.verify(
        encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        ),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims = json.loads(b64url_decode(claims_b64))
    assert claims["aud"] == audience
    assert claims["sub"] == SUBJECT
    return claims


def test_a_notification_is_pushed_encrypted_and_signed(
    vapid, push_service, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    browser = new_browser()
    subscription = subscribe_row(associate, push_service, browser)

    notify(associate, django_capture_on_commit_callbacks)

    (request,) = push_service.received
    assert request.path == "/push/a"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == str(push.TTL_SECONDS)
    assert browser.decrypt(request.body) == {
        "title": "New booking request",
        "body": "Nina Vale asked to book you.",
        "url": "/bookings/42/",
        "tag": "",
    }
    verify_vapid(request.headers, vapid[0], push_service.base_url)
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_the_push_goes_after_the_commit_only(
    vapid, push_service, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    subscribe_row(associate, push_service, new_browser())

    def notify_then_fail() -> None:
        with transaction.atomic():
            services.notify(
                recipient=associate, event=Event.BOOKING_REQUESTED, title="Rolled back", url="/"
            )
            raise RuntimeError("the change is rolled back")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        notify_then_fail()

    assert callbacks == []
    assert push_service.received == []


def test_every_browser_of_the_user_gets_it_and_nobody_else(
    vapid, push_service, associate, artist, django_capture_on_commit_callbacks
):
    push_on(associate)
    push_on(artist)
    laptop, phone, other = new_browser(), new_browser(), new_browser()
    subscribe_row(associate, push_service, laptop, "laptop")
    subscribe_row(associate, push_service, phone, "phone")
    subscribe_row(artist, push_service, other, "other")

    notify(associate, django_capture_on_commit_callbacks, title="For Marco")

    assert sorted(request.path for request in push_service.received) == [
        "/push/laptop",
        "/push/phone",
    ]
    by_path = {request.path: request.body for request in push_service.received}
    assert laptop.decrypt(by_path["/push/laptop"])["title"] == "For Marco"
    assert phone.decrypt(by_path["/push/phone"])["title"] == "For Marco"


def test_no_push_while_the_push_preference_is_off(
    vapid, push_service, associate, django_capture_on_commit_callbacks
):
    subscribe_row(associate, push_service, new_browser())  # default: push off for every event
    notify(associate, django_capture_on_commit_callbacks)
    push_on(associate, Event.REVIEW_PUBLISHED)  # on for another event only
    notify(associate, django_capture_on_commit_callbacks)
    assert push_service.received == []


def test_push_follows_its_own_preference_even_with_in_app_off(
    vapid, push_service, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    Preference.objects.create(
        user=associate, event=Event.BOOKING_REQUESTED, channel=Channel.IN_APP, enabled=False
    )
    subscribe_row(associate, push_service, new_browser())
    notify(associate, django_capture_on_commit_callbacks)
    assert len(push_service.received) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(
    status, vapid, push_service, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    gone = subscribe_row(associate, push_service, new_browser())
    push_service.status = status

    notify(associate, django_capture_on_commit_callbacks)

    assert len(push_service.received) == 1
    assert not PushSubscription.objects.filter(pk=gone.pk).exists()


def test_a_failing_push_service_keeps_the_subscription_and_the_notification(
    vapid, push_service, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    kept = subscribe_row(associate, push_service, new_browser())
    push_service.status = 500

    notify(associate, django_capture_on_commit_callbacks)

    assert PushSubscription.objects.filter(pk=kept.pk).exists()
    assert associate.notifications.count() == 1


def test_an_unreachable_push_service_does_not_break_anything(
    vapid, associate, django_capture_on_commit_callbacks
):
    push_on(associate)
    PushSubscription.objects.create(
        user=associate, endpoint="http://127.0.0.1:9/push/x", p256dh=new_browser().p256dh, auth="x"
    )
    notify(associate, django_capture_on_commit_callbacks)
    assert associate.notifications.count() == 1


def test_a_message_is_pushed_with_its_conversation_as_tag(
    vapid, push_service, artist, associate, django_capture_on_commit_callbacks
):
    push_on(associate, Event.MESSAGE_RECEIVED)
    browser = new_browser()
    subscribe_row(associate, push_service, browser)
    conversation = messaging.start_direct_conversation(user=artist, other=associate)

    with django_capture_on_commit_callbacks(execute=True):
        messaging.send_message(conversation=conversation, sender=artist, body="Are you free?")

    (request,) = push_service.received
    assert browser.decrypt(request.body) == {
        "title": "Nina Vale sent you a message",
        "body": "Are you free?",
        "url": f"/messages/{conversation.pk}/",
        "tag": f"conversation:{conversation.pk}",
    }


def test_without_vapid_keys_nothing_is_pushed_and_no_query_is_spent(
    settings, push_service, associate, django_assert_num_queries
):
    settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_PRIVATE_KEY = ""
    push_on(associate)
    subscribe_row(associate, push_service, new_browser())
    with django_assert_num_queries(0):
        scheduled = push.push_after_commit(
            recipient=associate, event=Event.BOOKING_REQUESTED, title="t", body="", url="/"
        )
    assert scheduled is False
    assert push.deliver_to_user(associate.pk, push.payload_for(title="t", body="", url="/")) == 0
    assert push_service.received == []
