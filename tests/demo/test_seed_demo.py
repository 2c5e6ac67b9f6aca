"""``manage.py seed_demo`` builds a believable community (issue 3 §9) on top of the demo
log-ins (issue 2 §8): idempotent, deterministic, and never in production."""

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from mylabel.accounts.demo import DEMO_PASSWORD
from mylabel.accounts.models import User
from mylabel.artists.models import Artist, Release
from mylabel.associates.models import LANGUAGE_NAMES, Associate
from mylabel.bookings.models import Booking
from mylabel.demo.community_data import ARTISTS, PROFESSIONALS
from mylabel.payments.models import Payment, Refund
from mylabel.portfolio.embeds import embed_url
from mylabel.portfolio.models import PortfolioItem
from mylabel.recommendations.models import Kind, Recommendation
from mylabel.reviews.models import Review
from mylabel.roster.models import Signing
from tests.accounts.helpers import is_logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_mode(settings):
    # pytest-django runs tests with DEBUG=False; seed_demo only runs in debug mode.
    settings.DEBUG = True
    # The real hasher is slow on purpose; these tests check that the password works, not how
    # it is hashed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_running_seed_demo_twice_adds_nothing_and_every_log_in_works(debug_mode, capsys, client):
    call_command("seed_demo")
    first = counts()
    first_output = capsys.readouterr().out

    call_command("seed_demo")

    assert counts() == first
    # The demo log-ins' own profiles plus the hand-written community.
    assert first["artists"] == len(ARTISTS) + 2
    assert first["associates"] == len(PROFESSIONALS) + 2
    assert first["users"] == first["emails"] == 4 + len(ARTISTS) + len(PROFESSIONALS)
    assert first["releases"] >= first["artists"]
    assert 3 <= first["roster"] <= 10
    assert "artist and" in first_output
    assert "already in place" in capsys.readouterr().out
    for email in [
        "admin@example.com",
        "artist@example.com",
        "associate@example.com",
        "both@example.com",
        "demo-artist-07@example.com",
        "demo-pro-12@example.com",
    ]:
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        # Everyone has a profile or is a label admin, so nobody is sent to onboarding.
        assert response["Location"] == "/", email
        assert is_logged_in(client), email
        client.post("/accounts/logout/")


def test_demo_log_ins_get_their_profiles_in_a_varied_complete_community(debug_mode):
    call_command("seed_demo")

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


def test_portfolios_hold_playable_links_and_real_images(debug_mode):
    call_command("seed_demo")

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


def test_the_community_is_the_same_every_time(debug_mode):
    call_command("seed_demo")
    first = snapshot()

    # Start again from nothing: the demo must come back identical, not merely as large.
    # Reviews protect their bookings and authors, bookings and payments the people in them,
    # so they go first.
    Review.objects.all().delete()
    Booking.objects.all().delete()
    Refund.objects.all().delete()
    Payment.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo")

    assert snapshot() == first


def test_a_profile_that_exists_is_left_as_the_member_edited_it(debug_mode):
    call_command("seed_demo")
    Artist.objects.filter(user__email="artist@example.com").update(bio="My own words now.")
    PortfolioItem.objects.filter(owner__email="artist@example.com").delete()

    call_command("seed_demo")

    assert Artist.objects.get(user__email="artist@example.com").bio == "My own words now."
    assert not PortfolioItem.objects.filter(owner__email="artist@example.com").exists()


def test_seed_demo_refuses_to_run_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run"):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert not Artist.objects.exists()


def test_the_demo_has_signing_records_and_suggestions_for_artists(debug_mode):
    """The label admin's roster page and the artists' "Recommended for you" have content."""
    call_command("seed_demo")

    on_roster = set(Artist.objects.filter(is_on_roster=True).values_list("pk", flat=True))
    assert on_roster
    assert set(Signing.objects.current().values_list("artist", flat=True)) == on_roster
    nina = Artist.objects.get(user__email="artist@example.com")
    suggestions = Recommendation.objects.filter(artist=nina)
    assert {row.kind for row in suggestions} == set(Kind.values)
    assert all(row.reason_text for row in suggestions)

    call_command("seed_demo")
    assert Signing.objects.count() == len(on_roster)
