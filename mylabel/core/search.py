"""Full-text search that uses PostgreSQL when it is there and stays portable when it is not.

Profiles have two derived search columns, both written by their services: ``search_text``
(lower-cased plain text, for the embedded SQLite fallback) and a weighted tsvector with a GIN
index (PostgreSQL only): artists keep it in ``search_vector``, professionals in a narrow table of
their own (``AssociateSearchEntry``, see its docstring for why). ``search_queryset`` picks the
right one for the connection in use.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models import F, FloatField, Value
from django.db.models.expressions import Combinable

# 'simple' keeps words as typed: profiles mix Italian and English, so one stemmer would be wrong
# for half of them, and prefix matching covers plurals well enough.
SEARCH_CONFIG = "simple"
MAX_TERMS = 8
_TERM = re.compile(r"\w+", re.UNICODE)


def search_terms(query: str) -> list[str]:
    """The words of ``query``, lower-cased; punctuation and tsquery operators are dropped."""
    return [term.lower() for term in _TERM.findall(query)][:MAX_TERMS]


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_text(parts: Iterable[str]) -> str:
    return " ".join(part.strip().lower() for part in parts if part and part.strip())


def weighted_vector(weighted_parts: dict[str, Iterable[str]]) -> Combinable | None:
    """A ``SearchVector`` from texts grouped by weight ("A" most important … "D")."""
    vector: Combinable | None = None
    for weight, parts in weighted_parts.items():
        text = " ".join(part for part in parts if part)
        piece = SearchVector(Value(text), weight=weight, config=SEARCH_CONFIG)
        vector = piece if vector is None else vector + piece
    return vector


def search_tsquery(query: str) -> SearchQuery | None:
    """Every word of ``query`` as a prefix ("prod" finds "producer"), all required; ``None``
    when ``query`` has no words."""
    terms = search_terms(query)
    if not terms:
        return None
    # Terms are \w+ only, so building a raw tsquery from them cannot inject operators.
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config=SEARCH_CONFIG
    )


def search_queryset[QS: models.QuerySet[Any]](
    queryset: QS,
    query: str,
    *,
    vector_field: str = "search_vector",
    text_field: str = "search_text",
) -> QS:
    """Filter ``queryset`` to rows matching every word of ``query`` (each word also as a prefix,
    so "prod" finds "producer"), annotated with ``search_rank`` (higher is better).

    ``vector_field`` and ``text_field`` name the derived columns, through a relation if they
    live in another table ("search_entry__vector")."""
    terms = search_terms(query)
    tsquery = search_tsquery(query)
    if not terms or tsquery is None:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if uses_postgres():
        matches = queryset.filter(**{vector_field: tsquery})
        return matches.annotate(search_rank=SearchRank(F(vector_field), tsquery))
    for term in terms:
        queryset = queryset.filter(**{f"{text_field}__contains": term})
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
