"""The roster: signing, editing and releasing artists keeps ``is_on_roster`` in step; the page
lists signed artists with their bookings and releases in constant queries; everyone but the
label admins is refused."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.bookings.models import Status
from mylabel.roster import services
from mylabel.roster.demo import sign_demo_artists
from mylabel.roster.models import Signing
from tests.analytics.builders import make_booking
from tests.profile_factories import ArtistFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

ROSTER = reverse("roster:roster")
SIGNED_ON = date(2026, 1, 15)


@pytest.fixture
def admin_client(client: Client, label_admin: User) -> Client:
    client.force_login(label_admin)
    return client


@pytest.fixture
def signing(nina: Artist, label_admin: User) -> Signing:
    return services.sign_artist(artist=nina, by=label_admin, start_date=SIGNED_ON, notes="Demo")


def test_signing_puts_the_artist_on_the_roster(
    signing: Signing, nina: Artist, label_admin: User
) -> None:
    nina.refresh_from_db()
    assert nina.is_on_roster
    assert (signing.start_date, signing.notes, signing.signed_by) == (
        SIGNED_ON,
        "Demo",
        label_admin,
    )
    assert signing.is_current


def test_an_artist_cannot_be_signed_twice(
    signing: Signing, nina: Artist, label_admin: User
) -> None:
    with pytest.raises(ValidationError, match="already on the roster"):
        services.sign_artist(artist=nina, by=label_admin, start_date=SIGNED_ON)
    assert Signing.objects.count() == 1


def test_releasing_takes_the_artist_off_and_keeps_the_record(
    signing: Signing, nina: Artist, label_admin: User
) -> None:
    services.release_artist(signing=signing, by=label_admin, end_date=date(2026, 6, 30))

    nina.refresh_from_db()
    signing.refresh_from_db()
    assert not nina.is_on_roster
    assert (signing.end_date, signing.ended_by, signing.is_current) == (
        date(2026, 6, 30),
        label_admin,
        False,
    )
    # Signed again later: a new record, the old one kept.
    services.sign_artist(artist=nina, by=label_admin, start_date=date(2026, 9, 1))
    nina.refresh_from_db()
    assert nina.is_on_roster
    assert Signing.objects.filter(artist=nina).count() == 2


def test_leaving_before_being_signed_or_twice_is_refused(
    signing: Signing, label_admin: User
) -> None:
    with pytest.raises(ValidationError, match="cannot be before"):
        services.release_artist(signing=signing, by=label_admin, end_date=date(2026, 1, 1))
    services.release_artist(signing=signing, by=label_admin, end_date=SIGNED_ON)
    with pytest.raises(ValidationError, match="already ended"):
        services.release_artist(signing=signing, by=label_admin, end_date=SIGNED_ON)


def test_updating_a_signing(signing: Signing, label_admin: User) -> None:
    services.update_signing(
        signing=signing, by=label_admin, start_date=date(2026, 1, 1), notes=" New "
    )
    signing.refresh_from_db()
    assert (signing.start_date, signing.notes) == (date(2026, 1, 1), "New")

    services.release_artist(signing=signing, by=label_admin, end_date=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="cannot be after"):
        services.update_signing(
            signing=signing, by=label_admin, start_date=date(2026, 3, 1), notes=""
        )
    with pytest.raises(ValidationError, match="under 4000"):
        services.update_signing(
            signing=signing, by=label_admin, start_date=date(2026, 1, 1), notes="x" * 4001
        )


def test_only_roster_managers_change_it(
    signing: Signing, nina: Artist, artist: User, associate: User
) -> None:
    for user in (artist, associate):
        with pytest.raises(PermissionDenied):
            services.sign_artist(artist=ArtistFactory.create(), by=user, start_date=SIGNED_ON)
        with pytest.raises(PermissionDenied):
            services.update_signing(signing=signing, by=user, start_date=SIGNED_ON, notes="")
        with pytest.raises(PermissionDenied):
            services.release_artist(signing=signing, by=user, end_date=SIGNED_ON)
    nina.refresh_from_db()
    assert nina.is_on_roster


def test_the_page_lists_signed_artists_with_bookings_and_releases(
    admin_client: Client, signing: Signing, nina: Artist, label_admin: User
) -> None:
    ReleaseFactory.create(artist=nina, title="Night Drive", release_date=date(2025, 5, 1))
    past = timezone.now() - timedelta(days=30)
    make_booking(
        requested_at=past, artist=nina, history=(Status.ACCEPTED, Status.PAID, Status.COMPLETED)
    )
    make_booking(requested_at=timezone.now(), artist=nina)  # starts in a week: coming up
    make_booking(requested_at=timezone.now(), artist=nina, history=(Status.DECLINED,))
    released = services.sign_artist(
        artist=ArtistFactory.create(stage_name="Gone"), by=label_admin, start_date=SIGNED_ON
    )
    services.release_artist(signing=released, by=label_admin, end_date=SIGNED_ON)

    response = admin_client.get(ROSTER)

    html = response.content.decode()
    assert response.status_code == 200
    [row] = response.context["signings"]
    assert (row.artist, row.bookings_total, row.bookings_upcoming) == (nina, 3, 1)
    assert "Night Drive" in html
    assert "Gone" not in html
    assert "3 bookings" in html
    assert "1 coming up" in html


def test_signing_from_the_page(admin_client: Client, nina: Artist) -> None:
    response = admin_client.post(
        reverse("roster:sign"), {"artist": nina.slug, "start_date": "2026-02-01", "notes": "Hello"}
    )

    assert response.status_code == 302
    nina.refresh_from_db()
    assert nina.is_on_roster
    assert Signing.objects.get().start_date == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"artist": "nobody-here", "start_date": "2026-02-01"},
            "No artist has that profile address.",
        ),
        ({"artist": "", "start_date": "2026-02-01"}, "This field is required."),
        ({"artist": "x", "start_date": "not a date"}, "Enter a valid date."),
    ],
)
def test_bad_sign_input_is_explained(
    admin_client: Client, data: dict[str, str], message: str
) -> None:
    response = admin_client.post(reverse("roster:sign"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signing.objects.exists()


def test_signing_an_artist_already_signed_is_explained(
    admin_client: Client, signing: Signing, nina: Artist
) -> None:
    response = admin_client.post(
        reverse("roster:sign"), {"artist": nina.slug, "start_date": "2026-02-01"}
    )

    assert response.status_code == 400
    assert "is already on the roster" in response.content.decode()


def test_editing_and_releasing_from_the_page(
    admin_client: Client, signing: Signing, nina: Artist
) -> None:
    edit = reverse("roster:edit", kwargs={"pk": signing.pk})
    assert admin_client.get(edit).status_code == 200
    assert admin_client.post(edit, {"start_date": "bad"}).status_code == 400
    assert (
        admin_client.post(edit, {"start_date": "2026-01-02", "notes": "Edited"}).status_code == 302
    )
    signing.refresh_from_db()
    assert signing.notes == "Edited"

    release = reverse("roster:release", kwargs={"pk": signing.pk})
    early = admin_client.post(release, {"end_date": "2025-01-01"}, follow=True)
    assert "cannot be before" in early.content.decode()
    missing = admin_client.post(release, {}, follow=True)
    assert "Give the day they leave the roster." in missing.content.decode()
    admin_client.post(release, {"end_date": "2026-03-01"})
    nina.refresh_from_db()
    assert not nina.is_on_roster


def test_edit_after_leaving_with_an_impossible_date_is_explained(
    admin_client: Client, signing: Signing, label_admin: User
) -> None:
    services.release_artist(signing=signing, by=label_admin, end_date=date(2026, 2, 1))

    response = admin_client.post(
        reverse("roster:edit", kwargs={"pk": signing.pk}), {"start_date": "2026-05-01"}
    )

    assert response.status_code == 400
    assert "cannot be after" in response.content.decode()


def test_an_unknown_signing_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(reverse("roster:edit", kwargs={"pk": 999})).status_code == 404


@pytest.mark.parametrize("persona_client", ["artist_client", "associate_client", "stranger_client"])
def test_members_who_are_not_label_admins_are_refused_everywhere(
    request: pytest.FixtureRequest, persona_client: str, signing: Signing
) -> None:
    client = request.getfixturevalue(persona_client)
    pk = {"pk": signing.pk}

    responses = [
        client.get(ROSTER),
        client.post(reverse("roster:sign"), {"artist": "x", "start_date": "2026-01-01"}),
        client.get(reverse("roster:edit", kwargs=pk)),
        client.post(reverse("roster:edit", kwargs=pk), {"start_date": "2026-01-01"}),
        client.post(reverse("roster:release", kwargs=pk), {"end_date": "2026-02-01"}),
    ]

    assert [response.status_code for response in responses] == [403] * 5
    signing.refresh_from_db()
    assert signing.is_current
    assert signing.start_date == SIGNED_ON


def test_the_getter_hides_signings_from_non_managers(artist: User, signing: Signing) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        services.get_signing_for(artist, signing.pk)


@pytest.mark.parametrize("artists", [1, 6])
def test_the_roster_page_costs_the_same_queries_whatever_its_size(
    admin_client: Client, label_admin: User, django_assert_num_queries, artists: int
) -> None:
    for index in range(artists):
        signed = ArtistFactory.create()
        ReleaseFactory.create(artist=signed)
        make_booking(requested_at=datetime(2026, 1, 1 + index, tzinfo=UTC), artist=signed)
        services.sign_artist(artist=signed, by=label_admin, start_date=SIGNED_ON)
    admin_client.get(ROSTER)

    # session, user, the signings with their counts, their releases, the bell (the first
    # request cached the permissions)
    with django_assert_num_queries(5):
        response = admin_client.get(ROSTER)

    assert len(response.context["signings"]) == artists


def test_the_demo_records_a_signing_for_every_demo_artist_on_the_roster(label_admin: User) -> None:
    first, second = ArtistFactory.create(is_on_roster=True), ArtistFactory.create(is_on_roster=True)
    ArtistFactory.create()

    assert sign_demo_artists(by=label_admin) == 2
    assert sign_demo_artists(by=label_admin) == 0
    assert set(Signing.objects.current().values_list("artist", flat=True)) == {first.pk, second.pk}
