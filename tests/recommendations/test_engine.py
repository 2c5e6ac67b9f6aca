"""The recommender on plain data (engine.py): exclusions, cold start, reasons, determinism."""

from datetime import UTC, datetime, timedelta

from mylabel.recommendations.engine import (
    ArtistData,
    AssociateData,
    Community,
    Interaction,
    Recommender,
)

INDIE, DREAM_POP, METAL = 1, 2, 3
GENRES = {INDIE: "indie", DREAM_POP: "dream-pop", METAL: "metal"}
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def artist(pk: int, genres=(INDIE, DREAM_POP), city="Milan", **fields) -> ArtistData:
    return ArtistData(pk=pk, user_id=100 + pk, genres=frozenset(genres), city=city, **fields)


def pro(pk: int, genres=(INDIE, DREAM_POP), **fields) -> AssociateData:
    fields.setdefault("user_id", 200 + pk)
    return AssociateData(pk=pk, genres=frozenset(genres), professions=frozenset({1}), **fields)


def booking(artist_pk: int, associate_pk: int, day: int = 0) -> Interaction:
    return Interaction(artist_pk, associate_pk, DAY + timedelta(days=day))


def community(artists, associates, interactions) -> Community:
    return Community(artists, associates, interactions, genre_names=GENRES)


def indie_scene() -> Community:
    """Artists 1-3 share a scene and booked professionals 10 and 11; artist 4 plays metal.
    Professional 12 works in the scene too, 13 in metal, 14 has no bookable service."""
    return community(
        [artist(1), artist(2), artist(3), artist(4, genres=(METAL,), city="Oslo")],
        [
            pro(10),
            pro(11),
            pro(12),
            pro(13, genres=(METAL,)),
            pro(14, bookable=False),
        ],
        [
            booking(1, 10),
            booking(2, 10),
            booking(2, 11, day=1),
            booking(3, 10),
            booking(3, 11, day=1),
            booking(4, 13),
        ],
    )


def test_the_next_booking_follows_what_similar_artists_booked():
    recommender = Recommender(indie_scene()).fit()

    first = recommender.book_next(1)[0]

    assert first.target_pk == 11
    assert first.reason["similar_artists"] == 2
    assert first.reason["genres"] == ["dream-pop", "indie"]


def test_already_booked_unbookable_and_own_profiles_are_never_suggested():
    scene = indie_scene()
    # Artist 1's user also has a professional profile (15), in their own genres.
    scene.associates = [*scene.associates, pro(15, user_id=101)]
    recommender = Recommender(scene).fit()

    suggested = {s.target_pk for s in recommender.book_next(1)}

    assert suggested.isdisjoint({10, 14, 15})
    assert 12 in suggested
    assert 15 not in recommender.candidates(1)
    assert 15 not in recommender.popular(1)


def test_an_artist_without_bookings_gets_the_popular_ones_and_is_told_why():
    scene = indie_scene()
    scene.artists = [*scene.artists, artist(5, city="")]
    recommender = Recommender(scene).fit()

    suggestions = recommender.book_next(5)

    assert [s.target_pk for s in suggestions[:2]] == [10, 11]
    assert suggestions[0].reason["popular"] == 3
    assert all("similar_artists" not in s.reason for s in suggestions)


def test_a_community_without_bookings_or_texts_still_ranks_by_genre():
    recommender = Recommender(
        community([artist(1, city="")], [pro(10), pro(11, genres=(METAL,))], [])
    ).fit()

    assert [s.target_pk for s in recommender.book_next(1)] == [10]


def test_similar_artists_share_genres_and_professionals_and_exclude_the_unlisted():
    scene = indie_scene()
    scene.artists = [*scene.artists, artist(6, listed=False)]
    recommender = Recommender(scene).fit()

    similar = recommender.similar_artists(2)

    assert [s.target_pk for s in similar][:2] == [3, 1]
    assert similar[0].reason == {
        "genres": ["dream-pop", "indie"],
        "shared_professionals": 2,
        "city": "Milan",
    }
    assert 6 not in {s.target_pk for s in similar}
    assert 2 not in {s.target_pk for s in similar}


def test_bios_bring_artists_together_through_tf_idf():
    recommender = Recommender(
        community(
            [
                artist(1, genres=(), city="", text="lo-fi tape loops and field recordings"),
                artist(2, genres=(), city="", text="tape loops, field recordings, lo-fi"),
                artist(3, genres=(), city="", text="stadium anthems with big choruses"),
            ],
            [],
            [],
        )
    ).fit()

    assert [s.target_pk for s in recommender.similar_artists(1)] == [2]


def test_the_same_community_gives_the_same_suggestions():
    first = Recommender(indie_scene()).fit()
    second = Recommender(indie_scene()).fit()

    for pk in (1, 2, 3, 4):
        assert first.book_next(pk) == second.book_next(pk)
        assert first.similar_artists(pk) == second.similar_artists(pk)


def test_scores_are_between_zero_and_one_and_ranked():
    recommender = Recommender(indie_scene()).fit()

    scores = [s.score for s in recommender.book_next(1)]

    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
