"""``manage.py seed_demo`` builds a believable community (issue 3 §9) on top of the demo
log-ins (issue 2 §8), with conversations (issue 6 §10) and notifications: idempotent,
deterministic, and never in production.

The module shares one seed (tests/demo/conftest.py); each test runs in its own savepoint, so
tests that seed again or edit rows leave the shared seed as it was."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings

from mylabel.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from mylabel.accounts.models import User
from mylabel.artists.models import Artist, Release
from mylabel.associates.models import LANGUAGE_NAMES, Associate
from mylabel.bookings.models import Booking
from mylabel.demo.community_data import ARTISTS, PROFESSIONALS
from mylabel.demo.notifications import KEEP_UNREAD, seed_notifications
from mylabel.messaging.models import Attachment, Conversation, Message
from mylabel.notifications.models import Event, Notification
from mylabel.payments.models import Payment, Refund
from mylabel.portfolio.embeds import embed_url
from mylabel.portfolio.models import PortfolioItem
from mylabel.recommendations.models import Kind, Recommendation
from mylabel.reviews.models import Review
from mylabel.roster.models import Signing
from tests.accounts.helpers import is_logged_in
from tests.demo.conftest import FAST_HASHERS, seeded_in_transaction

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {email for email, _name, _is_admin in DEMO_ACCOUNTS}


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    # The seed's after-commit work is dropped, as it was when each test seeded in its own
    # transaction: seed_demo builds the notifications itself. Its images go to a media
    # directory of the module's, which each test then uses.
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        seeded_in_transaction(run_on_commit=False) as output,
    ):
        yield output, media


@pytest.fixture
def seeded(_demo: tuple[str, Path], settings) -> str:
    """What the first seed printed. Debug mode, for tests that run seed_demo again, as the
    first run had; the real hasher is slow on purpose and irrelevant here."""
    output, settings.MEDIA_ROOT = _demo
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return output


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "artists": Artist.objects.count(),
        "associates": Associate.objects.count(),
        "releases": Release.objects.count(),
        "portfolio": PortfolioItem.objects.count(),
        "roster": Artist.objects.filter(is_on_roster=True).count(),
    }


def snapshot() -> dict[str, list]:
    """What a visitor would see of the community, independent of primary keys."""
    return {
        "artists": list(
            Artist.objects.order_by("slug").values_list(
                "slug", "city", "country", "bio", "spotify_url", "is_on_roster"
            )
        ),
        "associates": list(
            Associate.objects.order_by("slug").values_list(
                "slug", "headline", "works_remotely", "years_experience", "languages"
            )
        ),
        "releases": list(
            Release.objects.order_by("artist__slug", "release_date").values_list(
                "artist__slug", "title", "kind", "release_date", "spotify_url"
            )
        ),
        "portfolio": list(
            PortfolioItem.objects.order_by("owner__email", "profile_kind", "position").values_list(
                "owner__email", "profile_kind", "kind", "title", "url"
            )
        ),
    }


def test_the_first_run_prints_the_demo_log_ins(seeded):
    for email in DEMO_EMAILS:
        assert email in seeded
    assert DEMO_PASSWORD in seeded
    assert "artist and" in seeded


def test_running_seed_demo_again_adds_nothing(seeded):
    first = counts()
    users = dict(User.objects.values_list("email", "pk"))
    messages = Message.objects.count()
    notifications = Notification.objects.count()
    signings = Signing.objects.count()
    output = io.StringIO()

    assert seed_notifications() == 0
    call_command("seed_demo", stdout=output)

    assert counts() == first
    assert dict(User.objects.values_list("email", "pk")) == users
    assert Message.objects.count() == messages > 0
    assert Notification.objects.count() == notifications > 0
    assert Signing.objects.count() == signings > 0
    assert User.objects.get(email="admin@example.com").groups.count() == 1
    assert "already in place" in output.getvalue()


def test_the_community_has_every_demo_log_in_and_the_hand_written_members(seeded):
    counted = counts()
    # The demo log-ins' own profiles plus the hand-written community.
    assert counted["artists"] == len(ARTISTS) + 2
    assert counted["associates"] == len(PROFESSIONALS) + 2
    assert counted["users"] == counted["emails"] == 4 + len(ARTISTS) + len(PROFESSIONALS)
    assert counted["releases"] >= counted["artists"]
    assert 3 <= counted["roster"] <= 10


def test_every_log_in_works_with_the_demo_password(seeded, client):
    for email in [
        *sorted(DEMO_EMAILS),
        "demo-artist-07@example.com",
        "demo-pro-12@example.com",
    ]:
        assert EmailAddress.objects.get(email=email).verified, email
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        # Everyone has a profile or is a label admin, so nobody is sent to onboarding.
        assert response["Location"] == "/", email
        assert is_logged_in(client), email
        client.post("/accounts/logout/")


def test_only_the_admin_demo_account_is_a_label_admin(seeded):
    admins = {user.email for user in User.objects.all() if user.is_label_admin}
    assert admins == {"admin@example.com"}
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff
    assert not admin.is_superuser


def test_demo_log_ins_get_their_profiles_in_a_varied_complete_community(seeded):
    def kinds(email: str) -> set[str]:
        user = User.objects.get(email=email)
        return {
            kind
            for kind, model in (("artist", Artist), ("associate", Associate))
            if model.objects.filter(user=user).exists()
        }

    assert kinds("admin@example.com") == set()
    assert kinds("artist@example.com") == {"artist"}
    assert kinds("associate@example.com") == {"associate"}
    assert kinds("both@example.com") == {"artist", "associate"}
    assert Artist.objects.get(user__email="artist@example.com").is_on_roster

    artists = list(Artist.objects.for_profile())
    associates = list(Associate.objects.for_profile())
    people = artists + associates
    assert len({profile.city for profile in people}) >= 20
    assert len({str(profile.country) for profile in people}) >= 10
    assert Associate.objects.filter(works_remotely=True).exists()
    assert Associate.objects.filter(works_remotely=False).exists()
    assert len({profile.years_experience for profile in associates}) >= 10
    assert all(profile.bio and profile.city and profile.country for profile in people)
    assert all(profile.genres.all() for profile in people)
    assert all(associate.professions.all() for associate in associates)
    assert all(associate.languages for associate in associates)
    assert {code for a in associates for code in a.languages} <= set(LANGUAGE_NAMES)
    assert len({p.slug for a in associates for p in a.professions.all()}) >= 12
    assert all(artist.releases.all() for artist in artists)
    assert all(artist.instagram_url and artist.spotify_url for artist in artists)
    # Search columns are filled by the services.
    assert not Artist.objects.filter(search_text="").exists()
    assert not Associate.objects.filter(search_text="").exists()


def test_portfolios_hold_playable_links_and_real_images(seeded):
    links = PortfolioItem.objects.filter(kind=PortfolioItem.Kind.LINK)
    images = PortfolioItem.objects.filter(kind=PortfolioItem.Kind.IMAGE)
    assert links.count() >= 60
    assert images.count() >= 15
    assert all(embed_url(item.url) for item in links)
    hosts = {item.url.split("/")[2] for item in links}
    assert {"www.youtube.com", "soundcloud.com", "open.spotify.com"} <= hosts
    for item in images[:5]:
        assert default_storage.exists(str(item.file.name))
        assert str(item.file.name).endswith(".jpg")
    covers = Release.objects.exclude(cover="")
    assert covers.count() == Release.objects.count()
    assert all(default_storage.exists(str(release.cover.name)) for release in covers[:5])
    # Each profile's portfolio is numbered from 1 without gaps or duplicates.
    for owner in User.objects.filter(portfolio_items__isnull=False).distinct()[:10]:
        for kind in ("artist", "associate"):
            positions = list(
                PortfolioItem.objects.for_profile(owner.pk, kind).values_list("position", flat=True)
            )
            assert positions == list(range(1, len(positions) + 1))


def test_the_community_is_the_same_every_time(seeded):
    first = snapshot()

    # Start again from nothing: the demo must come back identical, not merely as large.
    # Reviews protect their bookings and authors, bookings and payments the people in them,
    # so they go first.
    Review.objects.all().delete()
    Booking.objects.all().delete()
    Refund.objects.all().delete()
    Payment.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo", stdout=io.StringIO())

    assert snapshot() == first


def test_what_members_changed_is_kept_but_demo_passwords_are_reset(seeded):
    Artist.objects.filter(user__email="artist@example.com").update(bio="My own words now.")
    PortfolioItem.objects.filter(owner__email="artist@example.com").delete()
    user = User.objects.get(email="artist@example.com")
    user.set_password("something-else-entirely")
    user.save()

    call_command("seed_demo", stdout=io.StringIO())

    assert Artist.objects.get(user__email="artist@example.com").bio == "My own words now."
    assert not PortfolioItem.objects.filter(owner__email="artist@example.com").exists()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_seed_demo_refuses_to_run_in_production_mode(seeded, settings):
    settings.DEBUG = False
    before = counts()
    user = User.objects.get(email="artist@example.com")
    user.set_password("something-else-entirely")
    user.save()

    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_demo", stdout=io.StringIO())

    # A run would have reset the demo password.
    user.refresh_from_db()
    assert not user.check_password(DEMO_PASSWORD)
    assert counts() == before


def test_the_demo_has_signing_records_and_suggestions_for_artists(seeded):
    """The label admin's roster page and the artists' "Recommended for you" have content."""
    on_roster = set(Artist.objects.filter(is_on_roster=True).values_list("pk", flat=True))
    assert on_roster
    assert set(Signing.objects.current().values_list("artist", flat=True)) == on_roster
    assert Signing.objects.count() == len(on_roster)
    nina = Artist.objects.get(user__email="artist@example.com")
    suggestions = Recommendation.objects.filter(artist=nina)
    assert {row.kind for row in suggestions} == set(Kind.values)
    assert all(row.reason_text for row in suggestions)


# --- Conversations and notifications (issue 6 point 10) ----------------------------------------


def test_the_demo_has_conversations_with_messages_and_attachments(seeded, client):
    nina = User.objects.get(email="artist@example.com")
    marco = User.objects.get(email="associate@example.com")
    direct = Conversation.objects.involving(nina.pk).involving(marco.pk).get(booking=None)
    assert direct.messages.filter(sender=nina).exists()
    assert direct.messages.filter(sender=marco).exists()
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    # A booking conversation between them too, and Nina has unread messages waiting.
    assert Conversation.objects.involving(nina.pk).filter(booking__isnull=False).exists()
    assert Conversation.objects.for_inbox(nina.pk).get(pk=direct.pk).unread_count == 2  # type: ignore[attr-defined]

    client.force_login(nina)
    inbox = client.get("/messages/").content.decode()
    assert "Marco Riva" in inbox
    assert "2 unread" in inbox
    page = client.get(direct.get_absolute_url()).content.decode()
    assert "session-notes.pdf" in page
    attachment = Attachment.objects.get(content_type="application/pdf")
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_the_demo_accounts_have_notifications_the_newest_few_unread(seeded):
    people = ["artist@example.com", "associate@example.com", "both@example.com"]
    for email in people:
        lines = Notification.objects.filter(recipient__email=email)
        assert lines.exists(), email
        assert 0 < lines.filter(read_at=None).count() <= KEEP_UNREAD, email
    events = set(
        Notification.objects.filter(recipient__email__in=people).values_list("event", flat=True)
    )
    assert {Event.BOOKING_REQUESTED, Event.BOOKING_ACCEPTED, Event.MESSAGE_RECEIVED} <= events
    assert not Notification.objects.exclude(url__startswith="/").exists()
