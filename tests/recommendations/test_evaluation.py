"""The offline evaluation: metrics on a hand-checkable case, the hold-out, and the command on a
tiny generated community."""

import math
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from mylabel.accounts.models import User
from mylabel.bookings.models import Booking
from mylabel.recommendations.engine import ArtistData, AssociateData, Community, Interaction
from mylabel.recommendations.evaluation import evaluate, hold_out_last, rank_of, scores
from mylabel.recommendations.synthetic import generate_community

DAY = datetime(2026, 1, 1, tzinfo=UTC)


def test_hit_rate_and_ndcg_by_hand():
    # Found first, found third, found eleventh (outside the top 10), not found.
    result = scores([1, 3, 11, None], k=10)

    assert result.hit_rate == 2 / 4
    assert result.ndcg == pytest.approx((1 / math.log2(2) + 1 / math.log2(4)) / 4)
    assert result.ndcg == pytest.approx(0.375)
    assert scores([], k=10).hit_rate == 0


def test_rank_of_counts_from_one():
    assert rank_of(7, [3, 7, 9]) == 2
    assert rank_of(8, [3, 7, 9]) is None


def test_the_last_booking_of_each_artist_with_two_or_more_is_held_out():
    interactions = [
        Interaction(1, 10, DAY + timedelta(days=2)),
        Interaction(1, 11, DAY + timedelta(days=5)),
        Interaction(1, 12, DAY + timedelta(days=1)),
        Interaction(2, 10, DAY),
    ]
    community = Community([], [], interactions)

    training, held = hold_out_last(community)

    assert held == {1: 11}
    assert [(i.artist_pk, i.associate_pk) for i in training.interactions] == [
        (1, 10),
        (1, 12),
        (2, 10),
    ]


def test_evaluating_a_hand_made_community():
    """Artists 1 and 2 (indie) booked 10 and 11 (indie and soul), then 12 (indie, held out).
    Artist 3 (soul) booked 11, then 13 (soul, held out). 14 plays metal.

    Nobody booked 12 or 13 before, so popularity offers artist 1 and 2 nothing and artist 3
    only 10: no hits. The recommender ranks 12 first for artists 1 and 2 (their taste is mostly
    indie), and for artist 3 puts 10 (booked with 11 by both others) before 13 (soul): ranks
    1, 1 and 2, so hit rate 1 and NDCG (1 + 1 + 1/log2(3)) / 3."""
    indie, soul, metal = frozenset({1}), frozenset({2}), frozenset({3})
    community = Community(
        [ArtistData(1, 101, indie), ArtistData(2, 102, indie), ArtistData(3, 103, soul)],
        [
            AssociateData(10, 210, indie | soul),
            AssociateData(11, 211, indie | soul),
            AssociateData(12, 212, indie),
            AssociateData(13, 213, soul),
            AssociateData(14, 214, metal),
        ],
        [
            *(
                Interaction(artist, associate, DAY + timedelta(days=day))
                for artist in (1, 2)
                for day, associate in enumerate((10, 11, 12))
            ),
            Interaction(3, 11, DAY),
            Interaction(3, 13, DAY + timedelta(days=1)),
        ],
    )

    result = evaluate(community, k=10, seed=3)

    assert result.artists == 3
    assert result.recommender.hit_rate == 1
    assert result.recommender.ndcg == pytest.approx((2 + 1 / math.log2(3)) / 3)
    assert result.popularity.hit_rate == 0
    assert result.popularity.ndcg == 0


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_community():
    first = generate_community(artists=6, associates=4, scenes=2, seed=5)
    second = generate_community(artists=6, associates=4, scenes=2, seed=5)

    def shape(pks: list[int]) -> list[tuple[int, str]]:
        """Who booked whom, artists counted from the run's first one."""
        offset = pks[0]
        return sorted(
            (artist - offset, associate)
            for artist, associate in Booking.objects.filter(artist__in=pks).values_list(
                "artist_id", "associate__display_name"
            )
        )

    assert first.bookings == second.bookings
    assert shape(first.artist_pks) == shape(second.artist_pks)


@pytest.mark.django_db
def test_the_command_prints_the_metrics_and_leaves_nothing_behind(capsys):
    users = User.objects.count()

    call_command("evaluate_recommender", artists=24, associates=12, scenes=3, seed=1, k=3)

    out = capsys.readouterr().out
    table = {
        name: (float(hit), float(ndcg))
        for name, hit, ndcg in re.findall(
            r"^(recommender|popularity|random)\s+(\S+)\s+(\S+)$", out, re.M
        )
    }
    assert set(table) == {"recommender", "popularity", "random"}
    assert all(0 <= value <= 1 for pair in table.values() for value in pair)
    assert table["recommender"][0] > table["random"][0]
    assert "held out: the last booking of 24 artists" in out
    assert re.search(r"training: [\d.]+ ms", out)
    assert re.search(r"serving \(one artist's rows, one query\): p50 [\d.]+ ms", out)
    assert User.objects.count() == users
