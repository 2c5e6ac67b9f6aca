"""The professionals' search table (AssociateSearchEntry) is written by the profile services, on
every database: one row per profile with the name and listed flag the ranking reads."""

import pytest

from mylabel.associates.models import AssociateSearchEntry
from mylabel.associates.services import update_associate_profile
from tests.directory.factories import make_associate

pytestmark = pytest.mark.django_db


def test_a_new_profile_gets_its_search_row():
    associate = make_associate("Ada Lovelace", headline="Theremin player")

    entry = AssociateSearchEntry.objects.get(associate=associate)

    assert entry.display_name == "Ada Lovelace"
    assert entry.listed


def test_an_edit_rewrites_the_same_row():
    associate = make_associate("Ada Lovelace")

    update_associate_profile(associate=associate, by=associate.user, display_name="Ada King")

    assert list(AssociateSearchEntry.objects.values_list("associate_id", "display_name")) == [
        (associate.pk, "Ada King")
    ]


def test_an_inactive_owners_profile_is_written_unlisted():
    associate = make_associate("Ada Lovelace")
    associate.user.is_active = False

    update_associate_profile(associate=associate, by=associate.user, headline="Away")

    assert not AssociateSearchEntry.objects.get(associate=associate).listed
