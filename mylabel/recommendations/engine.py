"""The recommender itself, on plain data (no ORM), so the evaluation can hold bookings out
without touching the database.

Book next (associates) is a hybrid of four signals, each scaled to [0, 1] per artist:

- content: the artist's taste (their genres plus those of the professionals they booked) against
  each professional's genres; the crafts they booked before; TF-IDF of bios and headlines
  (scikit-learn); same city or works remotely;
- item-item collaborative: cosine similarity of professionals' columns of the artist x
  professional booking matrix (weighted by the ratings the artist gave), summed over what the
  artist booked;
- neighbours: the artists most like this one (genres, bios, co-bookings) and whom they booked;
  their count is the "booked by 3 artists like you" of the reason;
- popularity: how many artists booked the professional.

An artist without bookings has no collaborative signal: popularity leads (the cold start), with
the content signal to break ties towards their genres and city. Everything here is
deterministic: ties are broken by primary key and there is no sampling.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from scipy import sparse

# scikit-learn is imported where a model is fitted or scored, not here: it takes about 1.7 s to
# import, and every process that loads the app imports this module (the recommendations app's
# signal receivers reach it), web workers and each test process included.

# Weights of the signals; they sum to 1, so a score is in [0, 1].
WEIGHTS = {"content": 0.3, "items": 0.35, "neighbours": 0.25, "popularity": 0.1}
COLD_WEIGHTS = {"content": 0.3, "popularity": 0.7}
CONTENT_WEIGHTS = {"genres": 0.45, "crafts": 0.25, "text": 0.15, "place": 0.15}
NEIGHBOUR_WEIGHTS = {"genres": 0.4, "text": 0.2, "bookings": 0.4}
NEIGHBOURS = 20
# Shown in a reason: the first few genres in common.
REASON_GENRES = 2


@dataclass(frozen=True)
class ArtistData:
    pk: int
    user_id: int
    genres: frozenset[int]
    text: str = ""
    city: str = ""
    listed: bool = True


@dataclass(frozen=True)
class AssociateData:
    pk: int
    user_id: int
    genres: frozenset[int]
    professions: frozenset[int] = frozenset()
    text: str = ""
    city: str = ""
    remote: bool = False
    # Listed (active account) and offering at least one active service.
    bookable: bool = True


@dataclass(frozen=True)
class Interaction:
    artist_pk: int
    associate_pk: int
    at: datetime
    # 1 for a booking; scaled by the artist's rating of it when they reviewed it.
    weight: float = 1.0


@dataclass
class Community:
    artists: Sequence[ArtistData]
    associates: Sequence[AssociateData]
    interactions: Sequence[Interaction]
    genre_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    target_pk: int
    score: float
    reason: dict[str, Any]


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max() if values.size else 0.0
    return values / top if top > 0 else values


def _dense_row(matrix: Any) -> np.ndarray:
    """A 1 x n or n x 1 product (sparse or dense) as a flat array."""
    return np.asarray(matrix.todense() if sparse.issparse(matrix) else matrix).ravel()


def _unit(matrix: Any) -> Any:
    """Rows scaled to unit length (zero rows stay zero); an empty matrix as it is."""
    from sklearn.preprocessing import normalize

    return normalize(matrix) if min(matrix.shape) else matrix


def _binary(rows: Sequence[frozenset[int]], columns: dict[int, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for values in rows:
        indices.extend(sorted(columns[value] for value in values if value in columns))
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(columns)))


class Recommender:
    """Fit once on a community, then ask for any artist's suggestions."""

    def __init__(self, community: Community) -> None:
        self.community = community
        self.artists = list(community.artists)
        self.associates = list(community.associates)
        self.artist_index = {artist.pk: row for row, artist in enumerate(self.artists)}
        self.associate_index = {associate.pk: row for row, associate in enumerate(self.associates)}

    def fit(self) -> "Recommender":
        artists, associates = self.artists, self.associates
        profiles: list[ArtistData | AssociateData] = [*artists, *associates]
        genres = sorted({genre for profile in profiles for genre in profile.genres})
        genre_columns = {genre: column for column, genre in enumerate(genres)}
        crafts = sorted({p for associate in associates for p in associate.professions})
        self.artist_genres = _binary([a.genres for a in artists], genre_columns)
        self.associate_genres = _binary([a.genres for a in associates], genre_columns)
        self.associate_crafts = _binary(
            [a.professions for a in associates], {p: c for c, p in enumerate(crafts)}
        )
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [a.text for a in artists] + [a.text for a in associates]
        if any(text.strip() for text in texts):
            # Bios are English and Italian: no stop-word list, idf discounts the common words.
            tfidf = TfidfVectorizer(sublinear_tf=True, min_df=1, max_features=20000)
            try:
                matrix = tfidf.fit_transform(texts)
            except ValueError:  # only stop characters: no vocabulary
                matrix = sparse.csr_matrix((len(texts), 1))
        else:
            matrix = sparse.csr_matrix((len(texts), 1))
        self.artist_text = sparse.csr_matrix(matrix[: len(artists)])
        self.associate_text = sparse.csr_matrix(matrix[len(artists) :])

        rows, columns, weights = [], [], []
        for interaction in self.community.interactions:
            row = self.artist_index.get(interaction.artist_pk)
            column = self.associate_index.get(interaction.associate_pk)
            if row is not None and column is not None:
                rows.append(row)
                columns.append(column)
                weights.append(interaction.weight)
        shape = (len(artists), len(associates))
        # Duplicates add up: booking the same professional twice counts twice.
        self.ratings = sparse.csr_matrix((weights, (rows, columns)), shape=shape)
        self.booked = (self.ratings > 0).astype(np.float64).tocsr()
        by_associate = _unit(self.ratings.T.tocsr())
        self.item_similarity = (by_associate @ by_associate.T).tolil()
        self.item_similarity.setdiag(0)
        self.item_similarity = self.item_similarity.tocsr()
        self.popularity = np.asarray(self.booked.sum(axis=0)).ravel()
        self.artist_genres_unit = _unit(self.artist_genres)
        self.associate_genres_unit = _unit(self.associate_genres)
        self.booked_unit = _unit(self.booked)
        self.bookable = np.array([associate.bookable for associate in associates], dtype=bool)
        self.listed_artists = np.array([artist.listed for artist in artists], dtype=bool)
        return self

    # --- Shared pieces ----------------------------------------------------------------------

    def _artist_similarity(self, row: int) -> np.ndarray:
        """How alike artist ``row`` and every artist are (itself included), in [0, 1]."""
        genres = _dense_row(self.artist_genres_unit @ self.artist_genres_unit[row].T)
        text = _dense_row(self.artist_text @ self.artist_text[row].T)
        bookings = _dense_row(self.booked_unit @ self.booked_unit[row].T)
        weights = NEIGHBOUR_WEIGHTS
        return weights["genres"] * genres + weights["text"] * text + weights["bookings"] * bookings

    def _order(self, scores: np.ndarray, allowed: np.ndarray, pks: list[int], k: int) -> list[int]:
        """Indexes of the ``k`` best allowed positive scores; ties by primary key."""
        candidates = np.flatnonzero(allowed & (scores > 0))
        ordered = sorted(candidates, key=lambda index: (-scores[index], pks[index]))
        return [int(index) for index in ordered[:k]]

    def _allowed(self, row: int) -> np.ndarray:
        """Professionals artist ``row`` may be offered: bookable, not already booked by them,
        not their own profile."""
        user_id = self.artists[row].user_id
        allowed = self.bookable & np.array([a.user_id != user_id for a in self.associates])
        allowed[self.booked[row].indices] = False
        return allowed

    def candidates(self, artist_pk: int) -> list[int]:
        """Every professional ``artist_pk`` may be offered, by primary key (the random
        baseline draws from these)."""
        allowed = self._allowed(self.artist_index[artist_pk])
        return [self.associates[index].pk for index in np.flatnonzero(allowed)]

    # --- Book next ----------------------------------------------------------------------------

    def book_next(self, artist_pk: int, k: int = 10) -> list[Suggestion]:
        """The professionals ``artist_pk`` is most likely to book next, best first: bookable,
        not their own profile, not already booked by them."""
        row = self.artist_index[artist_pk]
        artist = self.artists[row]
        booked = self.booked[row].indices
        weights = self.ratings[row]

        taste = self.artist_genres[row] + self.booked[row] @ self.associate_genres
        genre_match = _dense_row(self.associate_genres_unit @ _unit(taste).T)
        crafts = _dense_row(
            self.associate_crafts @ _unit(self.booked[row] @ self.associate_crafts).T
        )
        text = _dense_row(self.associate_text @ self.artist_text[row].T)
        place = np.array(
            [
                (bool(artist.city) and associate.city.casefold() == artist.city.casefold())
                or associate.remote
                for associate in self.associates
            ],
            dtype=np.float64,
        )
        c = CONTENT_WEIGHTS
        content = (
            c["genres"] * genre_match + c["crafts"] * crafts + c["text"] * text + c["place"] * place
        )
        popularity = _scaled(self.popularity.astype(np.float64))

        alike = self._artist_similarity(row)
        alike[row] = 0
        alike[~self.listed_artists] = 0
        neighbours = [n for n in np.argsort(-alike, kind="stable")[:NEIGHBOURS] if alike[n] > 0]
        neighbour_bookings = self.booked[neighbours] if neighbours else None

        if booked.size:
            items = _scaled(_dense_row(weights @ self.item_similarity))
            if neighbour_bookings is not None:
                near = _scaled(_dense_row(alike[neighbours] @ neighbour_bookings))
            else:
                near = np.zeros(len(self.associates))
            w = WEIGHTS
            scores = (
                w["content"] * content
                + w["items"] * items
                + w["neighbours"] * near
                + w["popularity"] * popularity
            )
        else:
            scores = COLD_WEIGHTS["content"] * content + COLD_WEIGHTS["popularity"] * popularity

        allowed = self._allowed(row)
        pks = [associate.pk for associate in self.associates]
        counts = (
            np.asarray(neighbour_bookings.sum(axis=0)).ravel()
            if neighbour_bookings is not None
            else np.zeros(len(self.associates))
        )
        taste_genres = set(artist.genres) or {
            g for index in booked for g in self.associates[index].genres
        }
        suggestions = []
        for index in self._order(scores, allowed, pks, k):
            associate = self.associates[index]
            reason: dict[str, Any] = {"genres": self._genre_names(associate.genres & taste_genres)}
            if booked.size:
                if counts[index]:
                    reason["similar_artists"] = int(counts[index])
            else:
                reason["popular"] = int(self.popularity[index])
            if artist.city and associate.city.casefold() == artist.city.casefold():
                reason["city"] = associate.city
            elif associate.remote:
                reason["remote"] = True
            suggestions.append(Suggestion(associate.pk, round(float(scores[index]), 6), reason))
        return suggestions

    def popular(self, artist_pk: int, k: int = 10) -> list[int]:
        """The baseline: the most booked professionals the artist may book, most booked first."""
        allowed = self._allowed(self.artist_index[artist_pk])
        scores = self.popularity.astype(np.float64)
        pks = [associate.pk for associate in self.associates]
        return [pks[index] for index in self._order(scores, allowed, pks, k)]

    # --- Similar artists ----------------------------------------------------------------------

    def similar_artists(self, artist_pk: int, k: int = 10) -> list[Suggestion]:
        """Listed artists most like ``artist_pk`` (genres, bio, the professionals both booked)."""
        row = self.artist_index[artist_pk]
        artist = self.artists[row]
        scores = self._artist_similarity(row)
        allowed = self.listed_artists.copy()
        allowed[row] = False
        pks = [other.pk for other in self.artists]
        shared = _dense_row(self.booked @ self.booked[row].T)
        suggestions = []
        for index in self._order(scores, allowed, pks, k):
            other = self.artists[index]
            reason: dict[str, Any] = {"genres": self._genre_names(other.genres & artist.genres)}
            if shared[index]:
                reason["shared_professionals"] = int(shared[index])
            if artist.city and other.city.casefold() == artist.city.casefold():
                reason["city"] = other.city
            suggestions.append(Suggestion(other.pk, round(float(scores[index]), 6), reason))
        return suggestions

    def _genre_names(self, genres: frozenset[int]) -> list[str]:
        names = self.community.genre_names
        return sorted(names.get(genre, str(genre)) for genre in genres)[:REASON_GENRES]
