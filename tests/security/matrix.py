"""The authorization matrix's data: the world of other people's objects the personas probe, the
way every URL pattern is keyed, and what each persona must get from each pattern.

Everything the personas try to reach belongs to someone who is none of them: Olivia (an artist)
and Paul (a professional), who booked, talked, reviewed and were notified between themselves,
and Bea, a second label admin with a saved report. The personas are the ones of
tests/conftest.py (same e-mails, names and profiles), built here once per module.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from mylabel.accounts.models import User
from mylabel.analytics.models import SavedReport
from mylabel.analytics.services import save_report
from mylabel.api.models import ApiToken
from mylabel.api.services import create_api_token
from mylabel.artists.models import Artist, Release
from mylabel.associates.models import Associate, DateException, Service, WeeklyRule
from mylabel.bookings.models import Booking, BookingEvent, CalendarFeed, Status
from mylabel.messaging import services as messaging
from mylabel.messaging.models import Attachment, Conversation, Message, Participant
from mylabel.notifications.models import Event, Notification, Preference, PushSubscription
from mylabel.payments.models import Payment
from mylabel.portfolio.models import PortfolioItem
from mylabel.reviews import services as reviews
from mylabel.reviews.models import Report, Review
from mylabel.roster.models import Signing
from mylabel.roster.services import sign_artist
from tests.bookings.lifecycle_helpers import booking_in, local_start, make_service, open_every_day
from tests.conftest import MARCO, NINA
from tests.factories import UserFactory
from tests.profile_factories import (
    ArtistFactory,
    AssociateFactory,
    PortfolioItemFactory,
    ReleaseFactory,
)

# --- Personas -----------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ARTIST = "artist"
ASSOCIATE = "associate"
OUTSIDER = "outsider"
ADMIN = "admin"
PERSONAS = (ANONYMOUS, ARTIST, ASSOCIATE, OUTSIDER, ADMIN)
SIGNED_IN = (ARTIST, ASSOCIATE, OUTSIDER, ADMIN)

# Expected outcomes besides plain status codes.
LOGIN = "302 → log-in page"
ADMIN_LOGIN = "302 → admin log-in page"

# Strings only their owners (and, where listed, label admins) may ever see in a response.
SECRET_MESSAGE = "Secret-message-7f3a: the master tapes are in locker 12"
SECRET_ATTACHMENT = "secret-contract-7f3a.pdf"
SECRET_BOOKING_NOTE = "Secret-booking-note-7f3a: bring the vintage Neumann"
SECRET_BLIND_REVIEW = "Secret-blind-review-7f3a: sharp ears, late every day"
SECRET_NOTIFICATION = "Secret-notification-7f3a"
SECRET_TOKEN_NAME = "Secret-token-7f3a"
SECRET_REPORT_NAME = "Secret-report-7f3a"
SECRET_ROSTER_NOTE = "Secret-roster-note-7f3a"
# secret → personas who may see it (the label admins see bookings and the roster by design).
SECRETS: dict[str, frozenset[str]] = {
    SECRET_MESSAGE: frozenset(),
    SECRET_ATTACHMENT: frozenset(),
    SECRET_BOOKING_NOTE: frozenset({ADMIN}),
    SECRET_BLIND_REVIEW: frozenset(),
    SECRET_NOTIFICATION: frozenset(),
    SECRET_TOKEN_NAME: frozenset(),
    SECRET_REPORT_NAME: frozenset(),
    SECRET_ROSTER_NOTE: frozenset({ADMIN}),
}

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
OF_ASSOCIATE = {
    "quality": 5,
    "communication": 5,
    "professionalism": 5,
    "punctuality": 5,
    "value": 5,
}
OF_ARTIST = {"communication": 3, "professionalism": 3, "punctuality": 3}


@dataclass
class World:
    """The personas and the objects of others they probe (primary keys and slugs)."""

    users: dict[str, User]
    olivia: User
    paul: User
    bea: User
    olivia_artist: Artist
    paul_associate: Associate
    service: Service
    weekly_rule: WeeklyRule
    date_exception: DateException
    release: Release
    portfolio_item: PortfolioItem
    signing: Signing
    notification: Notification
    token: ApiToken
    saved_report: SavedReport
    feed: CalendarFeed
    requested: Booking
    completed: Booking
    blind_booking: Booking
    review: Review
    blind_review: Review
    conversation: Conversation
    attachment: Attachment

    @property
    def owners(self) -> list[User]:
        return [self.olivia, self.paul, self.bea]


def build_world() -> World:
    """Run inside a transaction the caller rolls back. The gateway is offline, as in the
    booking tests, so payments are confirmed by hand and no request leaves the machine."""
    with override_settings(STRIPE_SECRET_KEY="", MESSAGE_RATE_LIMITS=[(1000, 10)]):
        return _build_world()


def _build_world() -> World:
    nina = UserFactory.create(email="nina@example.com", display_name="Nina Vale")
    ArtistFactory.create(user=nina, **NINA)
    marco = UserFactory.create(email="marco@example.com", display_name="Marco Riva")
    AssociateFactory.create(user=marco, **MARCO)
    charlie = UserFactory.create(email="charlie@example.com", display_name="Charlie Stranger")
    admin = UserFactory.create(
        email="admin@example.com", display_name="Label Admin", label_admin=True
    )

    olivia = UserFactory.create(email="olivia@example.com", display_name="Olivia Owner")
    olivia_artist = ArtistFactory.create(user=olivia, stage_name="Olivia Owner", slug="olivia")
    paul = UserFactory.create(email="paul@example.com", display_name="Paul Owner")
    paul_associate = AssociateFactory.create(user=paul, display_name="Paul Owner", slug="paul")
    bea = UserFactory.create(email="bea@example.com", display_name="Bea Boss", label_admin=True)

    open_every_day(paul_associate)
    service = make_service(paul_associate)
    date_exception = DateException.objects.create(
        associate=paul_associate, date=date.today() + timedelta(days=60), note="Holiday"
    )
    release = ReleaseFactory.create(artist=olivia_artist, title="Harbour Lights")
    portfolio_item = PortfolioItemFactory.create(owner=olivia, title="Live at the Pier")
    signing = sign_artist(
        artist=olivia_artist, by=bea, start_date=date(2025, 1, 1), notes=SECRET_ROSTER_NOTE
    )
    token, _key = create_api_token(user=olivia, name=SECRET_TOKEN_NAME)
    saved_report = save_report(
        by=bea,
        name=SECRET_REPORT_NAME,
        parameters=QueryDict("metric=revenue&group_by=city&start=2026-02-01&end=2026-02-28"),
    )
    feed = CalendarFeed.objects.create(user=olivia)

    requested = booking_in(
        Status.REQUESTED,
        olivia_artist,
        service,
        start=local_start(paul_associate, days=6),
        message=SECRET_BOOKING_NOTE,
    )
    completed = booking_in(
        Status.COMPLETED, olivia_artist, service, start=local_start(paul_associate, days=4)
    )
    blind_booking = booking_in(
        Status.COMPLETED,
        olivia_artist,
        service,
        start=local_start(paul_associate, days=4, hour=14),
    )
    # Both sides reviewed: published. Only Paul reviewed the second: blind.
    review = reviews.submit_review(
        booking=completed,
        author=olivia,
        rating=5,
        text="Lovely to work with.",
        criteria=OF_ASSOCIATE,
    )
    reviews.submit_review(
        booking=completed, author=paul, rating=4, text="Came prepared.", criteria=OF_ARTIST
    )
    review.refresh_from_db()
    blind_review = reviews.submit_review(
        booking=blind_booking, author=paul, rating=2, text=SECRET_BLIND_REVIEW, criteria=OF_ARTIST
    )

    conversation = messaging.start_direct_conversation(user=olivia, other=paul)
    message = messaging.send_message(
        conversation=conversation,
        sender=olivia,
        body=SECRET_MESSAGE,
        files=[SimpleUploadedFile(SECRET_ATTACHMENT, PDF_BYTES, content_type="application/pdf")],
    )
    attachment = message.attachments.get()
    notification = Notification.objects.create(
        recipient=olivia,
        event=Event.BOOKING_REQUESTED,
        title=SECRET_NOTIFICATION,
        url=requested.get_absolute_url(),
    )
    return World(
        users={ARTIST: nina, ASSOCIATE: marco, OUTSIDER: charlie, ADMIN: admin},
        olivia=olivia,
        paul=paul,
        bea=bea,
        olivia_artist=olivia_artist,
        paul_associate=paul_associate,
        service=service,
        weekly_rule=WeeklyRule.objects.filter(associate=paul_associate).first(),  # type: ignore[arg-type]
        date_exception=date_exception,
        release=release,
        portfolio_item=portfolio_item,
        signing=signing,
        notification=notification,
        token=token,
        saved_report=saved_report,
        feed=feed,
        requested=requested,
        completed=completed,
        blind_booking=blind_booking,
        review=review,
        blind_review=blind_review,
        conversation=conversation,
        attachment=attachment,
    )


def snapshot(w: World) -> dict[str, list[dict[str, Any]]]:
    """Every row of the others' objects, all fields: compared before and after each write a
    persona attempts, so a refused write provably changed nothing."""
    owners = [user.pk for user in w.owners]
    bookings = [w.requested.pk, w.completed.pk, w.blind_booking.pk]
    querysets: dict[str, Any] = {
        "users": User.objects.filter(pk__in=owners).values(
            "pk", "email", "display_name", "is_active", "password"
        ),
        "artist": Artist.objects.filter(user_id__in=owners).values(),
        "associate": Associate.objects.filter(user_id__in=owners).values(),
        "services": Service.objects.filter(associate__user_id__in=owners).values(),
        "weekly_rules": WeeklyRule.objects.filter(associate__user_id__in=owners).values(),
        "date_exceptions": DateException.objects.filter(associate__user_id__in=owners).values(),
        "releases": Release.objects.filter(artist__user_id__in=owners).values(),
        "portfolio": PortfolioItem.objects.filter(owner_id__in=owners).values(),
        "signings": Signing.objects.filter(artist__user_id__in=owners).values(),
        "notifications": Notification.objects.filter(recipient_id__in=owners).values(),
        "preferences": Preference.objects.filter(user_id__in=owners).values(),
        "push": PushSubscription.objects.filter(user_id__in=owners).values(),
        "tokens": ApiToken.objects.filter(user_id__in=owners).values(),
        "saved_reports": SavedReport.objects.filter(owner_id__in=owners).values(),
        "feeds": CalendarFeed.objects.filter(user_id__in=owners).values(),
        "bookings": Booking.objects.filter(pk__in=bookings).values(),
        "booking_events": BookingEvent.objects.filter(booking_id__in=bookings).values(),
        "payments": Payment.objects.filter(booking__pk__in=bookings).values(),
        "reviews": Review.objects.filter(booking_id__in=bookings).values(),
        "review_reports": Report.objects.filter(review__booking_id__in=bookings).values(),
        "conversations": Conversation.objects.filter(pk=w.conversation.pk).values(),
        "participants": Participant.objects.filter(conversation_id=w.conversation.pk).values(),
        "messages": Message.objects.filter(conversation_id=w.conversation.pk).values(),
        "attachments": Attachment.objects.filter(
            message__conversation_id=w.conversation.pk
        ).values(),
    }
    return {name: list(qs.order_by("pk")) for name, qs in querysets.items()}


# --- Enumerating the URL patterns ---------------------------------------------------------------

# Keys of patterns that exist only in some configurations: media files are served by Django in
# debug mode only, the debug toolbar only when installed and not testing.
OPTIONAL_PREFIXES = ("^media/", "^__debug__/", "__debug__/")


def pattern_key(route: str, name: str | None) -> str:
    """The matrix key of one pattern: the whole admin is one entry (Django's own permission
    system guards it, checked as "staff only"); everything else by its qualified name, or by
    its route when it has none."""
    if route.startswith("admin/"):
        return "admin/"
    return name or route


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None
) -> Iterator[tuple[str, str | None]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), name


def http_pattern_keys() -> dict[str, list[str]]:
    """Every HTTP pattern's key → the routes grouped under it."""
    keys: dict[str, list[str]] = {}
    for route, name in _walk(get_resolver().url_patterns, "", None):
        keys.setdefault(pattern_key(route, name), []).append(route)
    return keys


def websocket_routes() -> list[str]:
    from config.routing import websocket_urlpatterns

    return [f"ws:{entry.pattern}" for entry in websocket_urlpatterns]


def is_optional(key: str) -> bool:
    return key.startswith(OPTIONAL_PREFIXES)


# --- What each persona gets ---------------------------------------------------------------------

Expect = int | str
Url = str | Callable[[World], str]
Data = dict[str, Any] | Callable[[World], dict[str, Any]] | None


@dataclass(frozen=True)
class Probe:
    """One request tried by every persona. ``expect`` maps persona → status (or LOGIN);
    ``owner`` names the user ("olivia", "paul", "bea") who must get ``owner_expect`` on a
    read, which shows the URL does reach the object (a 404 for strangers is then meaningful).
    ``changes`` lists personas whose write may change the others' objects (allowed by design);
    for everyone else a write must leave every row of ``snapshot`` as it was."""

    method: str
    url: Url
    expect: dict[str, Expect]
    data: Data = None
    owner: str | None = None
    owner_expect: int = 200
    api: bool = False
    changes: frozenset[str] = field(default_factory=frozenset)
    htmx: bool = False
    # Secrets this URL may show to whoever holds it (a capability URL, like a calendar feed's).
    reveals: frozenset[str] = field(default_factory=frozenset)

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")


def expect(
    anonymous: Expect, others: Expect, admin: Expect | None = None, **overrides: Expect
) -> dict[str, Expect]:
    """anonymous, then the three signed-in non-admins (``others``), then the label admin
    (defaults to ``others``); ``artist=…``/``associate=…``/``outsider=…`` override one."""
    result = {
        ANONYMOUS: anonymous,
        ARTIST: others,
        ASSOCIATE: others,
        OUTSIDER: others,
        ADMIN: others if admin is None else admin,
    }
    result.update(overrides)
    return result


PUBLIC = expect(200, 200)
OWN = expect(LOGIN, 200)  # signed-in users' own things (each sees only theirs)
PRIVATE = expect(LOGIN, 404)  # someone else's object: existence private
PRIVATE_BUT_ADMIN = expect(LOGIN, 404, 200)
ADMIN_ONLY = expect(LOGIN, 403, 200)
API_PUBLIC = expect(200, 200)
API_OWN = expect(401, 200)
API_PRIVATE = expect(401, 404)
API_PRIVATE_BUT_ADMIN = expect(401, 404, 200)
API_WRITE_FORBIDDEN = expect(401, 404)


def get(url: Url, expected: dict[str, Expect], **kwargs: Any) -> Probe:
    return Probe("GET", url, expected, **kwargs)


def post(url: Url, expected: dict[str, Expect], data: Data = None, **kwargs: Any) -> Probe:
    return Probe("POST", url, expected, data=data or {}, **kwargs)


def api(method: str, url: Url, expected: dict[str, Expect], data: Data = None, **kw: Any) -> Probe:
    return Probe(method, url, expected, data=data, api=True, **kw)
