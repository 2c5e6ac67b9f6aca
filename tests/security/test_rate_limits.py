"""Rate limits and brute force (issue 10 point 3).

Log-in: allauth counts failures per account (the e-mail address) and per client address,
5 in 30 minutes (ACCOUNT_RATE_LIMITS["login_failed"]); the 6th try is a 429 even with the right
password, from any address for that account and for any account from that address, and works
again once the failures are 30 minutes old. The API token endpoint counts in the same buckets.
Sign-up and password reset have their allauth limits; booking requests, reviews (and messages,
tests/messaging) are limited per user. With Redis down the counters live in process memory.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mylabel.accounts.models import User
from mylabel.accounts.security import email_digest
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings.models import Booking, Status
from mylabel.core.ratelimit import RedisCacheWithLocalCounters
from mylabel.messaging import services as messaging
from mylabel.messaging.models import Message
from mylabel.reviews.models import Review
from tests.api.helpers import assert_error
from tests.api.test_reviews import review_input
from tests.bookings.lifecycle_helpers import booking_in, local_start, make_service, open_every_day
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
WRONG = "not-the-password"
LOCKED_TEXT = "Too many failed log-ins for this account or from your network."
FAILED_TEXT = "The email address and/or password you specified are not correct."


def log_in(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client: Client, email: str, ip: str = "10.0.0.1") -> None:
    for _attempt in range(5):
        response = log_in(client, email, WRONG, ip)
        assert response.status_code == 200
        assert FAILED_TEXT in response.content.decode()


def rome_day(start: datetime) -> str:
    return start.astimezone(ZoneInfo("Europe/Rome")).date().isoformat()


def is_locked_out(response) -> bool:
    return response.status_code == 429 and LOCKED_TEXT in response.content.decode()


# --- Log-in lockout -----------------------------------------------------------------------------


def test_the_sixth_log_in_is_refused_even_with_the_right_password_until_30_minutes_pass(
    client: Client, artist: User, caplog
):
    start = timezone.now()
    caplog.set_level(logging.WARNING, logger="mylabel.security")
    with time_machine.travel(start, tick=False):
        fail_five_times(client, artist.email)
        locked = log_in(client, artist.email, DEFAULT_PASSWORD)
    assert is_locked_out(locked)
    assert int(locked["Retry-After"]) == 30 * 60
    # The log-in page itself, with its form, not an error page.
    assert 'name="password"' in locked.content.decode()
    assert "_auth_user_id" not in client.session

    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert is_locked_out(log_in(client, artist.email, DEFAULT_PASSWORD))
    with time_machine.travel(start + timedelta(minutes=30, seconds=1), tick=False):
        response = log_in(client, artist.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == artist.pk

    records = [r for r in caplog.records if r.name == "mylabel.security"]
    events = [getattr(r, "event", None) for r in records]
    assert events == ["login_failed"] * 5 + ["login_locked"] * 2
    for record in records:
        assert record.ip == "10.0.0.1"
        assert record.target_user_id == artist.pk
        assert record.email_hash == email_digest(artist.email)
        # No password and no address in the audit trail.
        text = repr(record.__dict__) + record.getMessage()
        assert WRONG not in text
        assert DEFAULT_PASSWORD not in text
        assert artist.email not in text


def test_successful_log_ins_do_not_count_so_an_office_behind_one_address_is_not_locked_out():
    """Only failures count: allauth takes its share back when the password is right."""
    colleagues = UserFactory.create_batch(8)
    for colleague in colleagues:
        office = Client()
        response = log_in(office, colleague.email, DEFAULT_PASSWORD, ip="10.9.9.9")
        assert response.status_code == 302, colleague.email


def test_a_locked_account_is_locked_from_every_address(client: Client, artist: User):
    with time_machine.travel(timezone.now(), tick=False):
        fail_five_times(client, artist.email, ip="10.0.0.1")
        assert is_locked_out(log_in(client, artist.email, DEFAULT_PASSWORD, ip="192.0.2.7"))


def test_a_locked_address_is_locked_for_every_account(
    client: Client, artist: User, associate: User
):
    with time_machine.travel(timezone.now(), tick=False):
        fail_five_times(client, artist.email, ip="10.0.0.1")
        assert is_locked_out(log_in(client, associate.email, DEFAULT_PASSWORD, ip="10.0.0.1"))
        # The other account, from another address, is not affected.
        assert log_in(client, associate.email, DEFAULT_PASSWORD, ip="10.0.0.2").status_code == 302


def test_unknown_addresses_count_per_address_too(client: Client, artist: User, caplog):
    caplog.set_level(logging.WARNING, logger="mylabel.security")
    with time_machine.travel(timezone.now(), tick=False):
        for number in range(5):
            log_in(client, f"guess{number}@example.com", WRONG)
        assert is_locked_out(log_in(client, artist.email, DEFAULT_PASSWORD))
    first = next(r for r in caplog.records if getattr(r, "event", None) == "login_failed")
    assert first.target_user_id is None
    assert first.email_hash == email_digest("guess0@example.com")


def test_the_api_token_endpoint_counts_towards_the_same_lockout(client: Client, artist: User):
    api = APIClient()
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(3):
            log_in(client, artist.email, WRONG)
        for _attempt in range(2):
            response = api.post(TOKEN_URL, {"email": artist.email, "password": WRONG})
            assert_error(response, 400, code="invalid_credentials")
        # Locked on the API, with the right password, from another address: per account.
        locked = api.post(
            TOKEN_URL, {"email": artist.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.9.9.9"
        )
        body = assert_error(locked, 429, code="login_locked", fields=[])
        assert LOCKED_TEXT in body["detail"]
        assert int(locked["Retry-After"]) == 30 * 60
        # And the page is locked by the API's failures too.
        assert is_locked_out(log_in(client, artist.email, DEFAULT_PASSWORD))


# --- Sign-up and password reset -----------------------------------------------------------------


def test_sign_up_is_limited_per_address(client: Client):
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(10):
            assert client.post("/accounts/signup/", {"email": "x"}).status_code == 200
        response = client.post("/accounts/signup/", {"email": "x"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.exists()


def test_password_reset_is_limited_per_address_and_account(client: Client, artist, mailoutbox):
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(3):
            response = client.post("/accounts/password/reset/", {"email": artist.email})
            assert response.status_code == 302
        response = client.post("/accounts/password/reset/", {"email": artist.email})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert len(mailoutbox) == 3


# --- Per-user limits: bookings and reviews ------------------------------------------------------


@pytest.fixture
def service(settings, marco: Associate) -> Service:
    settings.STRIPE_SECRET_KEY = ""  # the offline gateway, whatever the environment says
    open_every_day(marco)
    return make_service(marco)


def test_booking_requests_are_limited_per_user_on_the_page(
    settings, artist_client: Client, nina: Artist, marco: Associate, service: Service
):
    settings.BOOKING_RATE_LIMITS = [(1, 3600)]
    url = reverse("bookings:book", kwargs={"slug": marco.slug})
    first, second = local_start(marco), local_start(marco, days=5)
    for start in (first, second):
        response = artist_client.post(
            url,
            {"service": service.pk, "date": rome_day(start), "start": start.isoformat()},
        )
    assert response.status_code == 200
    assert "many booking requests in a short time. Try again in" in response.content.decode()
    assert Booking.objects.get().start == first


def test_booking_requests_are_limited_per_user_on_the_api(
    settings, nina: Artist, artist: User, service: Service
):
    settings.BOOKING_RATE_LIMITS = [(1, 3600)]
    api = APIClient()
    api.force_authenticate(artist)
    start = local_start(service.associate)
    payload = {"service": service.pk, "start": start.isoformat()}
    assert api.post("/api/v1/bookings/", payload).status_code == 201
    response = api.post("/api/v1/bookings/", {**payload, "start": (start + timedelta(days=1))})
    body = assert_error(response, 429, code="rate_limited", fields=[])
    assert "many booking requests" in body["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Booking.objects.count() == 1


def test_reviews_are_limited_per_user(settings, artist: User, nina: Artist, service: Service):
    settings.REVIEW_RATE_LIMITS = [(1, 3600)]
    api = APIClient()
    api.force_authenticate(artist)
    first, second = (
        booking_in(Status.COMPLETED, nina, service, start=local_start(service.associate, days=days))
        for days in (4, 6)
    )
    assert api.post("/api/v1/reviews/", review_input(first)).status_code == 201
    response = api.post("/api/v1/reviews/", review_input(second))
    body = assert_error(response, 429, code="rate_limited", fields=[])
    assert "many reviews" in body["detail"]
    assert int(response["Retry-After"]) > 0
    assert Review.objects.count() == 1


# --- Redis down ---------------------------------------------------------------------------------

REDIS_DOWN = {
    "default": {
        # Port 1 is closed: every command fails to connect, which is what an outage looks like.
        "BACKEND": "mylabel.core.ratelimit.RedisCacheWithLocalCounters",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


def test_with_redis_down_log_ins_work_and_the_lockout_still_holds_per_process(
    client: Client, artist: User, associate: User, caplog
):
    caplog.set_level(logging.INFO, logger="mylabel.security")
    with override_settings(CACHES=REDIS_DOWN):
        down = caches["default"]
        assert isinstance(down, RedisCacheWithLocalCounters)
        down.local.clear()
        RedisCacheWithLocalCounters._outage_logged = False
        # Ordinary cache keys still degrade to misses (no value held in one process only).
        down.set("greeting", "hello")
        assert down.get("greeting") is None
        with time_machine.travel(timezone.now(), tick=False):
            # Fail open: a member logs in (allauth alone would refuse: no cache lock).
            member = log_in(Client(), associate.email, DEFAULT_PASSWORD, ip="10.0.0.2")
            assert member.status_code == 302
            # Still bounded: the brute force stops after 5 failures.
            fail_five_times(client, artist.email)
            assert is_locked_out(log_in(client, artist.email, DEFAULT_PASSWORD))
        down.local.clear()
    outage_lines = [r for r in caplog.records if getattr(r, "event", "") == "rate_limit_store_down"]
    assert len(outage_lines) == 1
    assert outage_lines[0].levelno == logging.WARNING


def test_with_redis_down_messages_are_sent_and_still_limited(
    settings, artist: User, associate: User
):
    # django-ratelimit alone reads no count with Redis down and refuses every message.
    settings.MESSAGE_RATE_LIMITS = [(2, 60)]
    with override_settings(CACHES=REDIS_DOWN):
        down = caches["default"]
        assert isinstance(down, RedisCacheWithLocalCounters)
        down.local.clear()
        conversation = messaging.start_direct_conversation(user=artist, other=associate)
        # Frozen: the limit counts in fixed windows, and with every other cache call waiting for
        # its connect timeout the three sends took long enough to straddle one once in CI.
        with time_machine.travel(timezone.now(), tick=False):
            for body in ("One", "Two"):
                messaging.send_message(
                    conversation=conversation, sender=artist, body=body, files=[]
                )
            with pytest.raises(ValidationError) as refused:
                messaging.send_message(conversation=conversation, sender=artist, body="3", files=[])
        down.local.clear()
    assert refused.value.code == "rate_limited"
    assert Message.objects.count() == 2
