"""Web Push pages (issue 6 point 6): the service worker at the root, the JSON endpoints the
opt-in script posts to (CSRF-protected, bad input refused with a message, nothing changed),
and the opt-in on the preferences page, all absent while VAPID is not configured."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from mylabel.accounts.models import User
from mylabel.notifications.management.commands.vapid_keys import new_vapid_keys
from mylabel.notifications.models import PushSubscription

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"
# A real P-256 public point and a 16-byte secret, base64url as browsers send them.
P256DH = "BNbFgww2lf1J3wPXG88daLc6N47wAcP3ZHuGODXFxjwkOdpldIjL9WtP_koZoJwjuo0kH65Qtlc9YdFwojQHOFw"
AUTH = "tBHItJI5svbpez7KI4CCXg"


@pytest.fixture
def vapid(settings) -> str:
    public, private = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_PRIVATE_KEY = private
    return public


@pytest.fixture
def csrf_client(associate: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(associate)
    client.get(reverse("notifications:preferences"))  # sets the CSRF cookie, as the page does
    return client


def post_json(client: Client, name: str, data: object, csrf: bool = True):
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value} if csrf else {}
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(reverse(name), body, content_type="application/json", headers=headers)


def subscription_json(endpoint: str = ENDPOINT, p256dh: str = P256DH, auth: str = AUTH) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": p256dh, "auth": auth}}


def test_subscribe_stores_the_browser_for_the_user(vapid, csrf_client, associate):
    response = post_json(csrf_client, "notifications:push-subscribe", subscription_json())

    assert response.status_code == 201
    assert response.json() == {"subscribed": True}
    (row,) = PushSubscription.objects.all()
    assert (row.user, row.endpoint, row.p256dh, row.auth) == (associate, ENDPOINT, P256DH, AUTH)


def test_subscribe_needs_the_csrf_token(vapid, csrf_client):
    response = post_json(csrf_client, "notifications:push-subscribe", subscription_json(), False)
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_subscribe_needs_a_login(vapid, client):
    response = client.post(
        reverse("notifications:push-subscribe"),
        json.dumps(subscription_json()),
        content_type="application/json",
    )
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        "[1, 2]",
        {"endpoint": ENDPOINT},
        subscription_json(endpoint="http://fcm.googleapis.com/x"),
        subscription_json(endpoint="https://127.0.0.1/push"),
        subscription_json(endpoint="https://[::1]/push"),
        subscription_json(endpoint="https://localhost/push"),
        subscription_json(endpoint="https://redis.internal.localhost/x"),
        subscription_json(endpoint="javascript:alert(1)"),
        subscription_json(endpoint="https://push.example/" + "x" * 1000),
        subscription_json(p256dh="not base64 <script>"),
        subscription_json(auth=""),
        {"endpoint": ENDPOINT, "keys": "p256dh"},
        {"endpoint": 42, "keys": {"p256dh": P256DH, "auth": AUTH}},
    ],
)
def test_bad_subscriptions_are_refused_with_a_message(vapid, csrf_client, payload):
    response = post_json(csrf_client, "notifications:push-subscribe", payload)

    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_an_oversized_body_is_refused(vapid, csrf_client):
    payload = subscription_json()
    payload["padding"] = "x" * 5000
    response = post_json(csrf_client, "notifications:push-subscribe", payload)
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_same_browser_subscribing_for_another_account_moves(
    vapid, csrf_client, artist, associate
):
    PushSubscription.objects.create(user=artist, endpoint=ENDPOINT, p256dh=P256DH, auth="old")

    post_json(csrf_client, "notifications:push-subscribe", subscription_json())

    (row,) = PushSubscription.objects.all()
    assert row.user == associate
    assert row.auth == AUTH


def test_unsubscribe_forgets_only_the_users_own_subscription(vapid, csrf_client, artist, associate):
    PushSubscription.objects.create(user=associate, endpoint=ENDPOINT, p256dh=P256DH, auth=AUTH)
    theirs = PushSubscription.objects.create(
        user=artist, endpoint=ENDPOINT + "-other", p256dh=P256DH, auth=AUTH
    )

    response = post_json(csrf_client, "notifications:push-unsubscribe", {"endpoint": ENDPOINT})
    assert response.status_code == 200
    assert response.json() == {"subscribed": False}
    post_json(csrf_client, "notifications:push-unsubscribe", {"endpoint": theirs.endpoint})

    assert list(PushSubscription.objects.all()) == [theirs]
    bad = post_json(csrf_client, "notifications:push-unsubscribe", "{}")
    assert bad.status_code == 400


def test_the_service_worker_is_served_at_the_root(vapid, client):
    response = client.get("/push-sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("push"' in response.content
    assert b'addEventListener("notificationclick"' in response.content


def test_the_preferences_page_offers_push_with_a_nonced_script(vapid, associate_client):
    response = associate_client.get(reverse("notifications:preferences"))
    html = response.content.decode()

    assert 'id="push-optin"' in html
    assert f'data-vapid-key="{vapid}"' in html
    assert f'data-subscribe-url="{reverse("notifications:push-subscribe")}"' in html
    nonce = response.context["csp_nonce"]
    assert f'src="/static/js/push-optin.js" nonce="{nonce}"' in html
    assert "<script>" not in html  # no inline script
    assert 'name="message_received__push"' in html


def test_without_vapid_keys_push_is_absent(settings, associate_client, csrf_client):
    settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_PRIVATE_KEY = ""

    page = associate_client.get(reverse("notifications:preferences")).content.decode()
    assert "push-optin" not in page
    assert "push-optin.js" not in page
    assert associate_client.get("/push-sw.js").status_code == 404
    response = post_json(csrf_client, "notifications:push-subscribe", subscription_json())
    assert response.status_code == 404
    assert not PushSubscription.objects.exists()
