"""``in`` on an integer column with values past its range (mylabel/core/lookups.py): they match
nothing, as Django's ``exact`` already does, on SQLite as on PostgreSQL."""

import pytest

from mylabel.core.models import Genre

pytestmark = pytest.mark.django_db

PAST_64_BITS = [2**63, -(2**63) - 1, 10**20]


def test_values_past_the_column_range_match_nothing_and_the_others_still_match():
    genre = Genre.objects.first()
    assert genre is not None

    assert list(Genre.objects.filter(pk__in=[*PAST_64_BITS, genre.pk])) == [genre]


def test_only_values_past_the_range_is_an_empty_result_not_an_error():
    assert list(Genre.objects.filter(pk__in=PAST_64_BITS)) == []
    assert list(Genre.objects.filter(pk__in=[str(value) for value in PAST_64_BITS])) == []


def test_the_edges_of_the_range_are_still_sent():
    # 2**63 - 1 is a valid 64-bit id: kept (and matching no genre), not mistaken for overflow.
    assert list(Genre.objects.filter(pk__in=[2**63 - 1, -(2**63)])) == []
    assert Genre.objects.exclude(pk__in=[2**63]).count() == Genre.objects.count()
