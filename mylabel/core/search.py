"""Full-text search that uses PostgreSQL when it is there and stays portable when it is not.

Profiles keep two derived columns, both written by their services: ``search_text`` (lower-cased
plain text, for the embedded SQLite fallback) and ``search_vector`` (a weighted tsvector with a
GIN index, PostgreSQL only). ``search_queryset`` picks the right one for the connection in use.
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


def search_queryset[QS: models.QuerySet[Any]](queryset: QS, query: str) -> QS:
    """Filter ``queryset`` to rows matching every word of ``query`` (each word also as a prefix,
    so "prod" finds "producer"), annotated with ``search_rank`` (higher is better)."""
    terms = search_terms(query)
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if uses_postgres():
        # Terms are \w+ only, so building a raw tsquery from them cannot inject operators.
        tsquery = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config=SEARCH_CONFIG
        )
        matches = queryset.filter(search_vector=tsquery)
        return matches.annotate(search_rank=SearchRank(F("search_vector"), tsquery))
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
