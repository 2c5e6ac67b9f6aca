"""The authorization matrix (issue 10, point 1): every URL pattern of the site, HTML pages and
fragments, the API and the WebSocket routes, tried by every persona (anonymous, artist,
associate, outsider, label admin) against objects that belong to someone else.

- The patterns are enumerated from the resolver and ``config.routing``: a new URL without an
  entry in ``MATRIX`` fails ``test_every_pattern_has_an_entry``, and so does a stale entry.
- Each probe states the status each persona gets. Someone else's private object answers 404
  (existence stays private), not 403; label-admin-only areas answer 403 to other members, as
  their decorators do (their addresses are the same for everyone, so they reveal nothing).
- Each private probe is also made by the object's owner, who must get it: the strangers' 404
  then means "not yours", not "wrong address".
- After every write a persona may not make, every row of the others' objects is compared with
  the snapshot taken before it; and no response to anyone but the owners ever contains the
  owners' secrets (a message, a blind review, a token's name…).

The others' objects are built once per module (``world``) in a transaction rolled back at the
end; each test runs in its own savepoint, so a write that got through cannot leak into the next.
"""

from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import channels.db
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from config.asgi import application
from mylabel.artists.models import Release
from mylabel.notifications.live import group_for as notification_group
from tests.security.matrix import (
    ADMIN,
    ADMIN_LOGIN,
    ADMIN_ONLY,
    ANONYMOUS,
    API_OWN,
    API_PRIVATE,
    API_PRIVATE_BUT_ADMIN,
    API_PUBLIC,
    LOGIN,
    OWN,
    PERSONAS,
    PRIVATE,
    PRIVATE_BUT_ADMIN,
    PUBLIC,
    SECRET_BOOKING_NOTE,
    SECRETS,
    SIGNED_IN,
    Probe,
    World,
    api,
    build_world,
    expect,
    get,
    http_pattern_keys,
    is_optional,
    post,
    snapshot,
    websocket_routes,
)

# Each test in its own savepoint inside the module's transaction (``world``).
pytestmark = pytest.mark.django_db

METRICS_TOKEN = "matrix-metrics-token"  # a test value, never deployed


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, media_root: Path) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _matrix_settings(_media_in_tmp: None, settings: Any, media_root: Path) -> None:
    # The world's attachment lives in the module's media directory: a participant could
    # download it, so a stranger's 404 comes from the permission check, not a missing file.
    settings.MEDIA_ROOT = media_root
    settings.STRIPE_SECRET_KEY = ""
    settings.METRICS_TOKEN = METRICS_TOKEN
    # Probes write fast; the rate limits have their own tests (tests/security/test_rate_limits).
    settings.MESSAGE_RATE_LIMITS = [(1000, 10)]


# --- The matrix -----------------------------------------------------------------------------------
# key → probes. URLs are built from the world: w.requested is Olivia's booking request with Paul,
# w.completed their completed and reviewed booking, w.blind_booking one with a blind review.


def u(name: str, *args: Any) -> Any:
    """A URL builder: ``u("bookings:detail", "requested")`` → the URL of the world's booking."""

    def build(w: World) -> str:
        values = []
        for arg in args:
            if isinstance(arg, str) and arg.startswith("="):
                values.append(arg[1:])
            else:
                value = getattr(w, arg)
                values.append(getattr(value, "slug", None) or value.pk)
        return reverse(name, args=values)

    return build


NO_WRITE = expect(LOGIN, 404)  # someone else's object, written: 404 and nothing changes
API_NO_WRITE = expect(401, 404)
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
REVIEW_BODY = {"rating": "1", "text": "Terrible.", **dict.fromkeys(("quality", "value"), "1")}
BOOKING_BODY = {"service": "", "date": "", "start": "", "message": "Hi"}

MATRIX: dict[str, list[Probe]] = {
    # --- Core -----------------------------------------------------------------------------------
    "home": [get("/", PUBLIC)],
    "healthz": [get("/healthz", PUBLIC)],
    "readyz": [get("/readyz", PUBLIC)],
    # Web Push is not configured in tests: the worker does not exist for anyone.
    "push-service-worker": [get("/push-sw.js", expect(404, 404))],
    # --- Reviews ----------------------------------------------------------------------------------
    "reviews:write": [
        get(u("reviews:write", "blind_booking"), PRIVATE_BUT_ADMIN, owner="olivia"),
        post(u("reviews:write", "blind_booking"), expect(LOGIN, 404, 200), REVIEW_BODY),
    ],
    "reviews:reply": [
        get(u("reviews:reply", "review"), PRIVATE, owner="paul"),
        post(u("reviews:reply", "review"), NO_WRITE, {"text": "Not true."}),
    ],
    "reviews:report": [
        # Any signed-in member but its author may report a published review, once.
        get(u("reviews:report", "review"), OWN),
        post(
            u("reviews:report", "review"),
            expect(LOGIN, 302),
            {"reason": "spam", "details": "x"},
            changes=frozenset(SIGNED_IN),
        ),
        # A blind review is nobody's business but its author's until published.
        get(u("reviews:report", "blind_review"), PRIVATE, owner="paul"),
        post(u("reviews:report", "blind_review"), NO_WRITE, {"reason": "spam"}),
    ],
    "reviews:associate-reviews": [get(u("reviews:associate-reviews", "paul_associate"), PUBLIC)],
    "reviews:artist-reviews": [get(u("reviews:artist-reviews", "olivia_artist"), PUBLIC)],
    "reviews:moderation": [get(u("reviews:moderation"), ADMIN_ONLY)],
    "reviews:moderate": [
        post(
            u("reviews:moderate", "review", "=hide"),
            expect(LOGIN, 403, 302),
            {"note": "Off topic"},
            changes=frozenset({ADMIN}),
        ),
    ],
    # --- Bookings ---------------------------------------------------------------------------------
    "bookings:list": [get(u("bookings:list"), OWN)],
    "bookings:calendar_settings": [
        get(u("bookings:calendar_settings"), OWN),
        post(u("bookings:calendar_settings"), expect(LOGIN, 302), {"action": "reset"}),
    ],
    "bookings:detail": [get(u("bookings:detail", "requested"), PRIVATE_BUT_ADMIN, owner="paul")],
    "bookings:ics": [get(u("bookings:ics", "requested"), PRIVATE_BUT_ADMIN, owner="olivia")],
    "bookings:transition": [
        # Label admins reach every booking (disputes), but the services refuse them an accept.
        post(u("bookings:transition", "requested", "=accept"), expect(LOGIN, 404, 302)),
        post(
            u("bookings:transition", "requested", "=cancel"),
            expect(LOGIN, 404, 302),
            {"cancel-reason": "Changed my mind"},
        ),
    ],
    "bookings:book": [
        get(u("bookings:book", "paul_associate"), PUBLIC),
        # A request needs a valid slot; these bodies are refused as invalid by whoever sends them.
        post(u("bookings:book", "paul_associate"), expect(LOGIN, 200), BOOKING_BODY),
    ],
    # The feed's token is the capability (for calendar apps, which cannot sign in): the right one
    # works for anyone who has it, a guessed one for nobody.
    "bookings:calendar_feed": [
        get(
            lambda w: reverse("bookings:calendar_feed", args=[w.feed.token]),
            PUBLIC,
            reveals=frozenset({SECRET_BOOKING_NOTE}),
        ),
        get(lambda w: reverse("bookings:calendar_feed", args=["x" * 43]), expect(404, 404)),
    ],
    # --- Messaging --------------------------------------------------------------------------------
    "messaging:inbox": [get(u("messaging:inbox"), OWN)],
    "messaging:conversation": [
        get(u("messaging:conversation", "conversation"), PRIVATE, owner="olivia"),
        get(u("messaging:conversation", "conversation"), PRIVATE, owner="paul", htmx=True),
        post(u("messaging:conversation", "conversation"), NO_WRITE, {"body": "Hijacked"}),
    ],
    "messaging:attachment": [get(u("messaging:attachment", "attachment"), PRIVATE, owner="paul")],
    "messaging:message-artist": [
        get(u("messaging:message-artist", "olivia_artist"), OWN),
        post(
            u("messaging:message-artist", "olivia_artist"),
            expect(LOGIN, 302),
            {"body": "Hello"},
        ),
    ],
    "messaging:message-associate": [
        get(u("messaging:message-associate", "paul_associate"), OWN),
        post(
            u("messaging:message-associate", "paul_associate"),
            expect(LOGIN, 302),
            {"body": "Hello"},
        ),
    ],
    "messaging:booking": [
        get(u("messaging:booking", "requested"), PRIVATE, owner="olivia"),
        post(u("messaging:booking", "requested"), NO_WRITE, {"body": "Hijacked"}),
    ],
    # --- Notifications ----------------------------------------------------------------------------
    "notifications:list": [get(u("notifications:list"), OWN)],
    "notifications:read-all": [post(u("notifications:read-all"), expect(LOGIN, 302))],
    "notifications:preferences": [
        get(u("notifications:preferences"), OWN),
        post(u("notifications:preferences"), expect(LOGIN, 302), {}),
    ],
    "notifications:open": [
        get(u("notifications:open", "notification"), PRIVATE, owner="olivia", owner_expect=302)
    ],
    "notifications:read": [post(u("notifications:read", "notification"), NO_WRITE)],
    "notifications:push-subscribe": [
        post(u("notifications:push-subscribe"), expect(LOGIN, 404), {"endpoint": "x"}),
    ],
    "notifications:push-unsubscribe": [
        post(u("notifications:push-unsubscribe"), expect(LOGIN, 404), {"endpoint": "x"}),
    ],
    # --- Payments ---------------------------------------------------------------------------------
    # Stripe's webhook: anyone may call it; without a valid signature it changes nothing.
    "payments:stripe_webhook": [post(u("payments:stripe_webhook"), expect(400, 400), {})],
    # --- Artists ----------------------------------------------------------------------------------
    "artists:list": [get(u("artists:list"), PUBLIC)],
    "artists:detail": [get(u("artists:detail", "olivia_artist"), PUBLIC)],
    # Fragments: htmx gets the section, a plain request is sent to the profile page.
    "artists:section": [
        get(u("artists:section", "olivia_artist", "=releases"), PUBLIC, htmx=True),
        get(u("artists:section", "olivia_artist", "=releases"), expect(302, 302)),
    ],
    "artists:edit-section": [
        get(u("artists:edit-section", "olivia_artist", "=about"), expect(404, 404), owner="olivia"),
        post(
            u("artists:edit-section", "olivia_artist", "=about"),
            expect(404, 404),
            {"stage_name": "Taken over", "slug": "olivia", "bio": "Mine now"},
        ),
    ],
    "artists:release-add": [
        get(u("artists:release-add", "olivia_artist"), expect(404, 404), owner="olivia"),
        post(
            u("artists:release-add", "olivia_artist"),
            expect(404, 404),
            {"title": "Fake", "kind": "single", "release_date": "2025-01-01"},
        ),
    ],
    "artists:release-edit": [
        get(
            u("artists:release-edit", "olivia_artist", "release"), expect(404, 404), owner="olivia"
        ),
        post(
            u("artists:release-edit", "olivia_artist", "release"),
            expect(404, 404),
            {"title": "Renamed", "kind": "single", "release_date": "2025-01-01"},
        ),
    ],
    "artists:release-delete": [
        post(u("artists:release-delete", "olivia_artist", "release"), expect(404, 404)),
    ],
    "artists:roster": [
        post(
            u("artists:roster", "olivia_artist"),
            expect(403, 403, 302),
            {"on_roster": ""},
            changes=frozenset({ADMIN}),
        ),
    ],
    # --- Associates -------------------------------------------------------------------------------
    "associates:list": [get(u("associates:list"), PUBLIC)],
    "associates:detail": [get(u("associates:detail", "paul_associate"), PUBLIC)],
    "associates:section": [
        get(u("associates:section", "paul_associate", "=about"), PUBLIC, htmx=True),
        get(u("associates:section", "paul_associate", "=about"), expect(302, 302)),
    ],
    "associates:edit-section": [
        get(
            u("associates:edit-section", "paul_associate", "=about"), expect(404, 404), owner="paul"
        ),
        post(
            u("associates:edit-section", "paul_associate", "=about"),
            expect(404, 404),
            {"display_name": "Taken over", "headline": "Mine now"},
        ),
    ],
    "associates:availability": [
        get(u("associates:availability", "paul_associate"), expect(404, 404), owner="paul"),
    ],
    "associates:availability-weekly-add": [
        post(
            u("associates:availability-weekly-add", "paul_associate"),
            expect(404, 404),
            {"weekday": "0", "start_time": "06:00", "end_time": "07:00"},
        ),
    ],
    "associates:availability-weekly-delete": [
        post(
            u("associates:availability-weekly-delete", "paul_associate", "weekly_rule"),
            expect(404, 404),
        ),
    ],
    "associates:availability-exception-add": [
        post(
            u("associates:availability-exception-add", "paul_associate"),
            expect(404, 404),
            {"date": "2030-01-01", "kind": "blocked"},
        ),
    ],
    "associates:availability-exception-delete": [
        post(
            u("associates:availability-exception-delete", "paul_associate", "date_exception"),
            expect(404, 404),
        ),
    ],
    "associates:availability-rules": [
        post(
            u("associates:availability-rules", "paul_associate"),
            expect(404, 404),
            {
                "buffer_minutes": "0",
                "notice_amount": "1",
                "notice_unit": "hours",
                "horizon_days": "30",
            },
        ),
    ],
    "associates:availability-calendar": [
        post(
            u("associates:availability-calendar", "paul_associate"),
            expect(404, 404),
            {"external_calendar_url": "https://example.com/cal.ics"},
        ),
    ],
    "associates:availability-calendar-sync": [
        post(u("associates:availability-calendar-sync", "paul_associate"), expect(404, 404)),
    ],
    "associates:services": [
        get(u("associates:services", "paul_associate"), PUBLIC, htmx=True),
        get(u("associates:services", "paul_associate"), expect(302, 302)),
    ],
    "associates:services-edit": [
        get(u("associates:services-edit", "paul_associate"), expect(404, 404), owner="paul"),
    ],
    "associates:service-add": [
        get(u("associates:service-add", "paul_associate"), expect(404, 404), owner="paul"),
        post(
            u("associates:service-add", "paul_associate"),
            expect(404, 404),
            {"name": "Fake", "price": "1", "duration_minutes": "60"},
        ),
    ],
    "associates:service-edit": [
        get(
            u("associates:service-edit", "paul_associate", "service"),
            expect(404, 404),
            owner="paul",
        ),
        post(
            u("associates:service-edit", "paul_associate", "service"),
            expect(404, 404),
            {"name": "Cheap", "price": "1", "duration_minutes": "60"},
        ),
    ],
    "associates:service-move-up": [
        post(u("associates:service-move-up", "paul_associate", "service"), expect(404, 404)),
    ],
    "associates:service-move-down": [
        post(u("associates:service-move-down", "paul_associate", "service"), expect(404, 404)),
    ],
    "associates:service-remove": [
        post(u("associates:service-remove", "paul_associate", "service"), expect(404, 404)),
    ],
    # --- Portfolio: the owner's own profile kind; items by id ------------------------------------
    "portfolio:edit": [
        get(u("portfolio:edit", "=artist"), expect(404, 404, artist=200), owner="olivia"),
    ],
    "portfolio:section": [
        get(
            u("portfolio:section", "=artist"),
            expect(404, 404, artist=200),
            owner="olivia",
            htmx=True,
        ),
    ],
    "portfolio:add": [
        # The artist adds to their own portfolio (allowed); Olivia's stays as it was.
        post(
            u("portfolio:add", "=artist"),
            expect(404, 404, artist=302),
            {"kind": "link", "title": "Mine", "url": YOUTUBE},
        ),
    ],
    "portfolio:move-up": [post(u("portfolio:move-up", "portfolio_item"), expect(404, 404))],
    "portfolio:move-down": [post(u("portfolio:move-down", "portfolio_item"), expect(404, 404))],
    "portfolio:delete": [post(u("portfolio:delete", "portfolio_item"), expect(404, 404))],
    # --- Onboarding: each signed-in user sets up their own profiles -------------------------------
    # Someone who has the profile already is sent on to it.
    "onboarding:start": [get(u("onboarding:start"), expect(LOGIN, 200, artist=302, associate=302))],
    "onboarding:artist": [get(u("onboarding:artist"), expect(LOGIN, 200, artist=302))],
    "onboarding:professional": [
        get(u("onboarding:professional"), expect(LOGIN, 200, associate=302))
    ],
    "onboarding:both": [get(u("onboarding:both"), expect(LOGIN, 200, artist=302, associate=302))],
    "onboarding:mine": [get(u("onboarding:mine"), expect(LOGIN, 302))],
    "set_language": [post("/i18n/setlang/", expect(302, 302), {"language": "it", "next": "/"})],
    # --- Accounts (allauth) -----------------------------------------------------------------------
    "account_login": [get("/accounts/login/", expect(200, 302))],
    "account_logout": [get("/accounts/logout/", expect(302, 200))],
    "account_inactive": [get("/accounts/inactive/", PUBLIC)],
    "account_signup": [get("/accounts/signup/", expect(200, 302))],
    "account_reauthenticate": [get("/accounts/reauthenticate/", expect(LOGIN, 200))],
    "account_request_reauthentication_code": [
        get("/accounts/reauthenticate/code/", expect(LOGIN, 200))
    ],
    "account_confirm_reauthentication_code": [
        get("/accounts/reauthenticate/code/confirm/", expect(LOGIN, 302))
    ],
    "account_email": [get("/accounts/email/", OWN)],
    "account_email_verification_sent": [get("/accounts/confirm-email/", PUBLIC)],
    "account_change_password": [get("/accounts/password/change/", OWN)],
    "account_set_password": [get("/accounts/password/set/", expect(LOGIN, 302))],
    "account_reset_password": [get("/accounts/password/reset/", PUBLIC)],
    "account_confirm_login_code": [get("/accounts/login/code/confirm/", expect(LOGIN, 302))],
    "account_confirm_email": [get("/accounts/confirm-email/not-a-key/", PUBLIC)],
    "account_reset_password_from_key_done": [get("/accounts/password/reset/key/done/", PUBLIC)],
    "account_reset_password_from_key": [get("/accounts/password/reset/key/1-not-a-key/", PUBLIC)],
    "account_reset_password_done": [get("/accounts/password/reset/done/", PUBLIC)],
    "account_settings": [
        get(u("account_settings"), OWN),
        post(
            u("account_settings"),
            expect(LOGIN, 302),
            {"display_name": "Me", "time_zone": "UTC", "language": "en"},
        ),
    ],
    # Deleting one's own account asks for the password: a wrong one deletes nothing.
    "account_delete": [
        get(u("account_delete"), OWN),
        post(u("account_delete"), expect(LOGIN, 400), {"password": "not-the-password"}),
    ],
    # --- API tokens (page) ------------------------------------------------------------------------
    "api_tokens": [get(u("api_tokens"), OWN)],
    "revoke_api_token": [post(u("revoke_api_token", "token"), NO_WRITE)],
    # --- API --------------------------------------------------------------------------------------
    # Password-checked token issue: a wrong password gets 400 for everyone, nothing issued.
    "v1:token": [
        api(
            "POST",
            "/api/v1/auth/token/",
            expect(400, 400),
            {"email": "olivia@example.com", "password": "wrong", "name": "x"},
        ),
        # Revokes the token the request came with: a session is not a token.
        api("DELETE", "/api/v1/auth/token/", expect(401, 401)),
    ],
    "v1:me": [api("GET", "/api/v1/me/", API_OWN)],
    "v1:artist-list": [api("GET", "/api/v1/artists/", API_PUBLIC)],
    "v1:artist-detail": [
        api("GET", u("v1:artist-detail", "olivia_artist"), API_PUBLIC),
        api("PATCH", u("v1:artist-detail", "olivia_artist"), API_NO_WRITE, {"bio": "Mine now"}),
    ],
    "v1:artist-roster": [
        api(
            "POST",
            u("v1:artist-roster", "olivia_artist"),
            expect(401, 403, 200),
            {"on_roster": False},
            changes=frozenset({ADMIN}),
        ),
    ],
    "v1:associate-list": [api("GET", "/api/v1/associates/", API_PUBLIC)],
    "v1:associate-detail": [
        api("GET", u("v1:associate-detail", "paul_associate"), API_PUBLIC),
        api(
            "PATCH",
            u("v1:associate-detail", "paul_associate"),
            API_NO_WRITE,
            {"headline": "Mine now"},
        ),
    ],
    "v1:associate-slots": [
        api(
            "GET",
            lambda w: (
                reverse("v1:associate-slots", args=[w.paul_associate.slug])
                + f"?service={w.service.pk}"
            ),
            API_PUBLIC,
        ),
    ],
    "v1:associate-service-list": [
        api("GET", u("v1:associate-service-list", "paul_associate"), API_PUBLIC),
        api(
            "POST",
            u("v1:associate-service-list", "paul_associate"),
            API_NO_WRITE,
            {"name": "Fake", "price": "1.00", "duration_minutes": 60},
        ),
    ],
    "v1:associate-service-detail": [
        api("GET", u("v1:associate-service-detail", "paul_associate", "service"), API_PUBLIC),
        api(
            "PATCH",
            u("v1:associate-service-detail", "paul_associate", "service"),
            API_NO_WRITE,
            {"price": "1.00"},
        ),
        api("DELETE", u("v1:associate-service-detail", "paul_associate", "service"), API_NO_WRITE),
    ],
    # The API's portfolio is one's own items (profiles show everyone's on the site).
    "v1:portfolio-list": [
        api("GET", "/api/v1/portfolio/", API_OWN),
        # Creating adds to one's own portfolio; the artist has a profile to add to.
        api(
            "POST",
            "/api/v1/portfolio/",
            expect(401, 400, artist=201),
            {"kind": "link", "title": "Mine", "url": YOUTUBE, "profile_kind": "artist"},
        ),
    ],
    "v1:portfolio-detail": [
        api("GET", u("v1:portfolio-detail", "portfolio_item"), API_PRIVATE, owner="olivia"),
        api(
            "PATCH", u("v1:portfolio-detail", "portfolio_item"), API_NO_WRITE, {"title": "Mine now"}
        ),
        api("DELETE", u("v1:portfolio-detail", "portfolio_item"), API_NO_WRITE),
    ],
    "v1:portfolio-move": [
        api("POST", u("v1:portfolio-move", "portfolio_item"), API_NO_WRITE, {"offset": -1}),
    ],
    "v1:booking-list": [
        api("GET", "/api/v1/bookings/", API_OWN),
        # Only artists book (403 for the others); this body names no service (400).
        api(
            "POST",
            "/api/v1/bookings/",
            expect(401, 403, artist=400),
            {"service": 0, "start": "2030-01-01T10:00:00Z"},
        ),
    ],
    "v1:booking-detail": [
        api("GET", u("v1:booking-detail", "requested"), API_PRIVATE_BUT_ADMIN, owner="paul"),
    ],
    **{
        f"v1:booking-{action}": [
            api(
                "POST",
                u(f"v1:booking-{action}", "requested"),
                expect(401, 404, 400),
                {"reason": "x", "outcome": "refund", "note": "x"},
            ),
        ]
        for action in (
            "accept",
            "cancel",
            "complete",
            "confirm-payment",
            "decline",
            "dispute",
            "pay",
            "resolve",
        )
    },
    "v1:review-list": [api("GET", "/api/v1/reviews/", API_PUBLIC)],
    "v1:review-detail": [
        api("GET", u("v1:review-detail", "review"), API_PUBLIC),
        api("GET", u("v1:review-detail", "blind_review"), expect(404, 404), owner="paul"),
    ],
    "v1:review-reply": [
        # A published review is public: its existence is no secret, so refusing the reply to
        # anyone but its subject with a 403 reveals nothing (the page answers 404 all the same).
        api("POST", u("v1:review-reply", "review"), expect(401, 403), {"text": "Not true."}),
        api("POST", u("v1:review-reply", "blind_review"), API_NO_WRITE, {"text": "Not true."}),
    ],
    "v1:review-report": [
        api("POST", u("v1:review-report", "blind_review"), API_NO_WRITE, {"reason": "spam"}),
    ],
    "v1:conversation-list": [api("GET", "/api/v1/conversations/", API_OWN)],
    "v1:conversation-detail": [
        api("GET", u("v1:conversation-detail", "conversation"), API_PRIVATE, owner="olivia"),
    ],
    "v1:conversation-read": [
        api("POST", u("v1:conversation-read", "conversation"), API_NO_WRITE, {}),
    ],
    "v1:conversation-messages": [
        api("GET", u("v1:conversation-messages", "conversation"), API_PRIVATE, owner="paul"),
        api(
            "POST",
            u("v1:conversation-messages", "conversation"),
            API_NO_WRITE,
            {"body": "Hijacked"},
        ),
    ],
    "v1:attachment-download": [
        api("GET", u("v1:attachment-download", "attachment"), API_PRIVATE, owner="olivia"),
    ],
    "v1:notification-list": [api("GET", "/api/v1/notifications/", API_OWN)],
    "v1:notification-read-all": [api("POST", "/api/v1/notifications/read-all/", API_OWN, {})],
    "v1:notification-detail": [
        api("GET", u("v1:notification-detail", "notification"), API_PRIVATE, owner="olivia"),
    ],
    "v1:notification-read": [
        api("POST", u("v1:notification-read", "notification"), API_NO_WRITE, {}),
    ],
    "v1:my-recommendations": [
        api("GET", "/api/v1/me/recommendations/", expect(401, 403, artist=200)),
    ],
    "api-schema": [get("/api/schema/", PUBLIC)],
    "api-docs": [get("/api/docs/", PUBLIC)],
    # --- Analytics, roster, monitoring: label admins only -----------------------------------------
    "analytics:dashboard": [get(u("analytics:dashboard"), ADMIN_ONLY)],
    "analytics:reports": [get(u("analytics:reports"), ADMIN_ONLY)],
    "analytics:report_export": [get(u("analytics:report_export"), ADMIN_ONLY)],
    "analytics:report_save": [
        post(u("analytics:report_save"), expect(LOGIN, 403, 302), {"name": "Mine"}),
    ],
    # Another admin's saved report: private even to a label admin.
    "analytics:saved_report": [
        get(
            u("analytics:saved_report", "saved_report"),
            expect(LOGIN, 403, 404),
            owner="bea",
            owner_expect=302,
        ),
    ],
    "analytics:saved_report_rename": [
        post(
            u("analytics:saved_report_rename", "saved_report"),
            expect(LOGIN, 403, 404),
            {"name": "Renamed"},
        ),
    ],
    "analytics:saved_report_delete": [
        post(u("analytics:saved_report_delete", "saved_report"), expect(LOGIN, 403, 404)),
    ],
    "roster:roster": [get(u("roster:roster"), ADMIN_ONLY)],
    "roster:sign": [
        post(u("roster:sign"), expect(LOGIN, 403, 400), {"artist": "0", "start_date": "x"}),
    ],
    "roster:edit": [
        get(u("roster:edit", "signing"), ADMIN_ONLY, owner="bea"),
        post(
            u("roster:edit", "signing"),
            expect(LOGIN, 403, 302),
            {"start_date": "2025-02-01", "notes": "Changed"},
            changes=frozenset({ADMIN}),
        ),
    ],
    "roster:release": [
        post(
            u("roster:release", "signing"),
            expect(LOGIN, 403, 302),
            {"end_date": "2025-03-01"},
            changes=frozenset({ADMIN}),
        ),
    ],
    # Prometheus: the bearer token decides, not the session.
    "monitoring:metrics": [get("/metrics", expect(403, 403))],
    "monitoring:kpis": [get(u("monitoring:kpis"), ADMIN_ONLY)],
    # --- Django admin: staff only -----------------------------------------------------------------
    "admin/": [
        get("/admin/", expect(ADMIN_LOGIN, ADMIN_LOGIN)),
        get(
            lambda w: f"/admin/bookings/booking/{w.requested.pk}/change/",
            expect(ADMIN_LOGIN, ADMIN_LOGIN),
        ),
        post(
            lambda w: f"/admin/api/apitoken/{w.token.pk}/delete/",
            expect(ADMIN_LOGIN, ADMIN_LOGIN),
            {"post": "yes"},
        ),
    ],
    # --- WebSocket routes (test_websocket_routes) -------------------------------------------------
    "ws:ws/ping/": [],
    "ws:ws/notifications/": [],
    "ws:ws/conversations/<int:conversation_id>/": [],
    "ws:": [],
}


# --- Running a probe ----------------------------------------------------------------------------

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"
OWNERS = ("olivia", "paul", "bea")


@pytest.fixture(scope="module")
def sessions(world: World, django_db_blocker: Any) -> dict[str, str]:
    """One session per persona and owner for the whole module (the session rows live in the
    module's transaction): a fresh client per test only carries the cookie, so nothing a
    request sets (a language, messages) follows the next test."""
    cookies = {}
    with django_db_blocker.unblock():
        for name in (*SIGNED_IN, *OWNERS):
            client = Client()
            client.force_login(world.users.get(name) or getattr(world, name))
            cookies[name] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return cookies


@pytest.fixture(scope="module")
def baseline(world: World, django_db_blocker: Any) -> dict[str, Any]:
    """The others' objects as built: every test starts from them (its savepoint is rolled back)."""
    with django_db_blocker.unblock():
        return snapshot(world)


@pytest.fixture(scope="module")
def shared_client() -> Client:
    """One client for every probe: each Client builds its own middleware chain, and WhiteNoise
    indexes every static file when that happens (a quarter of a second per new Client)."""
    return Client()


def client_for(shared_client: Client, sessions: dict[str, str], persona: str) -> Client:
    """``shared_client`` as ``persona``: only their session cookie, nothing a previous request
    set (a language, a CSRF cookie)."""
    shared_client.cookies = SimpleCookie()
    if persona != ANONYMOUS:
        shared_client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[persona]
    return shared_client


def request(client: Client, world: World, probe: Probe) -> Any:
    url = probe.url(world) if callable(probe.url) else probe.url
    data = probe.data(world) if callable(probe.data) else probe.data
    headers = {"HX-Request": "true"} if probe.htmx else {}
    method = getattr(client, probe.method.lower())
    if probe.api:
        if probe.method == "GET":
            return method(url, headers={"Accept": "application/json", **headers})
        return method(url, data=data or {}, content_type="application/json", headers=headers)
    if probe.method == "GET":
        return method(url, headers=headers)
    return method(url, data=data or {}, headers=headers)


def outcome(response: Any) -> Any:
    """The status, or LOGIN / ADMIN_LOGIN for a redirect to one of the log-in pages."""
    if response.status_code == 302:
        location = response.headers.get("Location", "")
        if location.startswith(LOGIN_URL):
            return LOGIN
        if location.startswith(ADMIN_LOGIN_URL):
            return ADMIN_LOGIN
    return response.status_code


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# --- Tests --------------------------------------------------------------------------------------


def test_every_pattern_has_an_entry() -> None:
    """A new URL (HTTP or WebSocket) without an entry fails here, by name; so does an entry
    whose URL is gone."""
    enumerated = set(http_pattern_keys()) | set(websocket_routes())
    required = {key for key in enumerated if not is_optional(key)}
    listed = {key for key in MATRIX if not is_optional(key)}
    missing = sorted(required - listed)
    stale = sorted(listed - required)
    assert not missing, f"URL patterns without an entry in the authorization matrix: {missing}"
    assert not stale, f"Matrix entries for URL patterns that no longer exist: {stale}"
    unprobed = sorted(
        key for key, probes in MATRIX.items() if not probes and not key.startswith("ws:")
    )
    assert not unprobed, f"Entries without a probe: {unprobed}"
    # WebSocket routes are probed by test_websocket_routes, which knows these three.
    websocket_keys = {key for key in MATRIX if key.startswith("ws:")}
    assert websocket_keys == WEBSOCKET_PROBED, "add the new route's probes to test_websocket_routes"


HTTP_KEYS = [key for key in MATRIX if not key.startswith("ws:")]


def _changed(
    world: World, before: dict[str, Any] | None, label: str, personas: list[str]
) -> list[str]:
    assert before is not None
    after = snapshot(world)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return []
    return [f"{label}: a refused write by one of {personas} changed others' {changed}"]


@pytest.mark.parametrize("key", HTTP_KEYS)
def test_matrix(
    key: str,
    world: World,
    shared_client: Client,
    sessions: dict[str, str],
    baseline: dict[str, Any],
) -> None:
    failures: list[str] = []
    # What the others' objects look like now; None once a write or an owner's read may have
    # changed them (an allowed write, a conversation marked read).
    current: dict[str, Any] | None = baseline
    for number, probe in enumerate(MATRIX[key]):
        label = f"{key} probe {number} ({probe.method}{' htmx' if probe.htmx else ''})"
        if probe.writes and current is None:
            current = snapshot(world)
        refused = [persona for persona in PERSONAS if persona not in probe.changes]
        allowed = [persona for persona in PERSONAS if persona in probe.changes]
        # Every refused write first, then one comparison (a snapshot is two dozen queries); the
        # writes that may change others' objects come last.
        first_allowed = allowed[0] if allowed else None
        for persona in refused + allowed:
            if probe.writes and persona == first_allowed:
                failures.extend(_changed(world, current, label, refused))
                current = None
            response = request(client_for(shared_client, sessions, persona), world, probe)
            got = outcome(response)
            if got != probe.expect[persona]:
                wanted = probe.expect[persona]
                failures.append(f"{label}: {persona} got {got!r}, expected {wanted!r}")
            if response.status_code >= 500:
                failures.append(f"{label}: {persona} got a server error")
            body = body_of(response)
            for secret, allowed_to_see in SECRETS.items():
                if persona not in allowed_to_see and secret not in probe.reveals and secret in body:
                    failures.append(f"{label}: {persona} read another user's secret {secret!r}")
        if probe.writes and not allowed:
            found = _changed(world, current, label, refused)
            failures.extend(found)
            current = None if found else current
        if probe.owner and not probe.writes:
            # The owner's own read may change their things (a conversation marked read).
            current = None
            got = outcome(request(client_for(shared_client, sessions, probe.owner), world, probe))
            if got != probe.owner_expect:
                failures.append(
                    f"{label}: the owner {probe.owner} got {got!r}, expected {probe.owner_expect}"
                )
    assert not failures, "\n".join(failures)


# --- WebSocket routes -----------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://localhost")
WEBSOCKET_PROBED = {
    "ws:",
    "ws:ws/ping/",
    "ws:ws/notifications/",
    "ws:ws/conversations/<int:conversation_id>/",
}


def _cookie(session: str) -> tuple[bytes, bytes]:
    value = session
    return (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={value}".encode())


def test_websocket_routes(world: World, sessions: dict[str, str], monkeypatch: Any) -> None:
    """Run through async_to_sync from this (the test's) thread: the consumers' database calls
    come back to it, so they see the world inside the test's transaction. Channels closes
    "old" connections around each of those calls, which inside a transaction would close the
    module's one (and with it the world): not here."""
    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)
    failures: list[str] = []
    conversation_path = f"/ws/conversations/{world.conversation.pk}/"

    async def open_socket(persona: str, path: str) -> tuple[WebsocketCommunicator, bool]:
        headers = [ORIGIN]
        if persona != ANONYMOUS:
            headers.append(_cookie(sessions[persona]))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _code = await communicator.connect(timeout=5)
        return communicator, connected

    async def probe(persona: str) -> None:
        layer = get_channel_layer()
        assert layer is not None
        # Ping answers everyone: it carries nothing of anybody's.
        socket, connected = await open_socket(persona, "/ws/ping/")
        if not connected:
            failures.append(f"ws/ping/: {persona} was refused")
        else:
            await socket.disconnect()
        # Any other path: refused, not a server error.
        socket, connected = await open_socket(persona, "/ws/no-such-socket/")
        if connected:
            failures.append(f"ws/no-such-socket/: {persona} connected")
            await socket.disconnect()
        # Someone else's conversation: nobody but its two participants joins.
        socket, connected = await open_socket(persona, conversation_path)
        if connected:
            failures.append(f"ws/conversations/: {persona} joined Olivia and Paul's")
            await socket.disconnect()
        # Notifications: signed-in users join their own group only.
        socket, connected = await open_socket(persona, "/ws/notifications/")
        if persona == ANONYMOUS:
            if connected:
                failures.append("ws/notifications/: anonymous connected")
                await socket.disconnect()
            return
        if not connected:
            failures.append(f"ws/notifications/: {persona} was refused their own")
            return
        bell = await socket.receive_from(timeout=5)  # their own bell, sent on connecting
        if any(secret in bell for secret in SECRETS):
            failures.append(f"ws/notifications/: {persona}'s bell shows another user's secret")
        # Pushes for Olivia (her notification, her conversation) never reach anyone else.
        await layer.group_send(
            notification_group(world.olivia.pk),
            {"type": "notify", "notification_id": world.notification.pk, "created": True},
        )
        if not await socket.receive_nothing(timeout=0.05):
            failures.append(f"ws/notifications/: {persona} received Olivia's push")
        await socket.disconnect()

    async def owner_joins() -> bool:
        socket, connected = await open_socket("olivia", conversation_path)
        if connected:
            await socket.disconnect()
        return connected

    for persona in PERSONAS:
        async_to_sync(probe)(persona)
    # Olivia does join her conversation: the refusals above are about who asks.
    if not async_to_sync(owner_joins)():
        failures.append("ws/conversations/: Olivia could not join her own conversation")
    assert not failures, "\n".join(failures)


def test_snapshot_sees_a_change(world: World, baseline: dict[str, Any]) -> None:
    """The "nothing changed" check can fail: one field of one of Olivia's rows is enough."""
    assert snapshot(world) == baseline
    Release.objects.filter(pk=world.release.pk).update(title="Changed behind her back")
    assert snapshot(world) != baseline


def test_every_probe_names_every_persona() -> None:
    """No persona is left out of a probe by a typo in its expectations."""
    incomplete = [
        key
        for key, probes in MATRIX.items()
        for probe in probes
        if set(probe.expect) != set(PERSONAS)
    ]
    assert not incomplete, incomplete
