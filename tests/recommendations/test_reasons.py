"""How a row's reason reads (models.reason_text): facts stored, a sentence in the reader's
language when shown."""

import pytest
from django.utils import translation

from mylabel.recommendations.models import Kind, reason_text


@pytest.mark.parametrize(
    ("kind", "reason", "text"),
    [
        (
            Kind.ASSOCIATE,
            {"genres": ["indie", "dream-pop"], "similar_artists": 3},
            "Works in indie and dream-pop; booked by 3 artists like you",
        ),
        (
            Kind.ASSOCIATE,
            {"genres": ["soul"], "similar_artists": 1, "city": "Milan"},
            "Works in soul; booked by 1 artist like you; based in Milan, like you",
        ),
        (
            Kind.ASSOCIATE,
            {"genres": [], "popular": 4, "remote": True},
            "Popular: booked by 4 artists (you have no bookings yet); works remotely",
        ),
        (Kind.ASSOCIATE, {"popular": 0}, "New on MyLabel (you have no bookings yet)"),
        (
            Kind.ARTIST,
            {"genres": ["jazz", "soul"], "shared_professionals": 2},
            "Also makes jazz and soul; booked 2 of the professionals you booked",
        ),
        (Kind.ARTIST, {}, "Describes their music in words close to yours"),
    ],
)
def test_reasons_read_as_one_short_sentence(kind: str, reason: dict, text: str):
    # In English whatever an earlier test left active: "and" has Django's own translations.
    with translation.override("en"):
        assert reason_text(kind, reason) == text
