"""The members the journeys start from, built through the services: verified accounts, the mixing
engineer Lena Brandt (optionally open for bookings) and artists based in Lisbon."""

from datetime import time
from decimal import Decimal
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group

from e2e.helpers import PASSWORD, Member, unique_email
from mylabel.accounts.models import LABEL_ADMIN_GROUP, User
from mylabel.artists.models import Artist
from mylabel.artists.services import create_artist_profile
from mylabel.associates.availability import add_weekly_rule
from mylabel.associates.models import Associate, Profession, WeeklyRule
from mylabel.associates.services import add_service, create_associate_profile


def verified_user(name: str) -> tuple[User, Member]:
    member = Member(
        email=unique_email(name.split()[0].lower()), password=PASSWORD, display_name=name
    )
    user = User.objects.create_user(member.email, member.password, display_name=name)
    EmailAddress.objects.create(user=user, email=member.email, verified=True, primary=True)
    return user, member


def mixing_engineer() -> tuple[Associate, Member]:
    """Lena Brandt, a mixing engineer in Berlin, with no services yet."""
    user, member = verified_user("Lena Brandt")
    associate: Associate = create_associate_profile(
        user=user,
        display_name="Lena Brandt",
        headline="Mixing engineer for soul and jazz records",
        professions=Profession.objects.filter(name="Mixing engineer"),
        city="Berlin",
        country="DE",
    )
    return associate, member


def open_for_bookings(associate: Associate, *, service: str, description: str) -> None:
    """One active one-hour service at 180 EUR, bookable from 09:00 to 18:00 every day."""
    add_service(
        associate=associate,
        by=associate.user,
        name=service,
        description=description,
        price=Decimal("180.00"),
        currency="EUR",
        duration_minutes=60,
    )
    for weekday in WeeklyRule.Weekday.values:
        add_weekly_rule(
            associate=associate,
            by=associate.user,
            weekday=weekday,
            start_time=time(9),
            end_time=time(18),
        )


def lisbon_artist(name: str, stage_name: str) -> tuple[Artist, Member]:
    user, member = verified_user(name)
    profile: Artist = create_artist_profile(user=user, stage_name=stage_name, city="Lisbon")
    return profile, member


def label_admin(name: str = "Ada Label") -> tuple[User, Member]:
    """A verified label admin. The group's data migration runs again first: the live server's
    transactional tests empty every table after each test, its rows included."""
    import_module("mylabel.accounts.migrations.0002_label_admin_group").create_group(apps, None)
    user, member = verified_user(name)
    user.groups.add(Group.objects.get(name=LABEL_ADMIN_GROUP))
    return user, member
