"""A small rule-based sentiment scorer for Italian review texts, on VADER's scale.

Why our own: PyPI has no sound, offline Italian scorer. The Italian models there (feel-it, the
sentita family) download transformer weights from a model hub at run time, and the multilingual
VADER forks translate through an online service. Running VADER's English lexicon on Italian would
score almost every text 0.0 (or worse, score the English words mixed into it), so the issue
forbids it.

The method copies VADER's shape so the two languages share thresholds: a lexicon of word valences
from -4 to +4 (``data/italian_lexicon.tsv``), boosters and dampeners ("molto", "un po'"),
negation over the next few content words, VADER's contrast rule for "ma"/"però", a half weight
for concessive clauses ("anche se …"), exclamation emphasis, and the same normalisation
``s / sqrt(s² + 15)`` to a compound score in -1..+1. Italian's negative concord ("non … mai",
"non … niente") is one negation, not two that cancel.

Known limits (measured in docs/benchmarks.md): sarcasm ("Perfetto, un'altra settimana ad
aspettare…") reads as praise, facts without evaluative words ("ha smesso di rispondere") score 0,
and the lexicon covers review vocabulary, not the whole language.
"""

import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "italian_lexicon.tsv"

# VADER's constants, so an Italian and an English text of the same strength score alike.
BOOST = 0.293
NEGATION_FACTOR = -0.74
NORMALISATION_ALPHA = 15
EXCLAMATION_BOOST = 0.292
MAX_EXCLAMATIONS = 4
BEFORE_CONTRAST_WEIGHT = 0.5
AFTER_CONTRAST_WEIGHT = 1.5
CONCESSIVE_WEIGHT = 0.5
# A negator reaches this many content words ahead (VADER looks three words back). Articles,
# clitics and auxiliaries do not count: Italian puts them between the negator and the word
# it negates ("non ci ha mai fatto sentire un peso").
NEGATION_REACH = 3
SUPERLATIVE_FACTOR = 1.3
MAX_VALENCE = 4.0

NEGATORS = frozenset(
    {"non", "mai", "niente", "nulla", "nessuno", "nessuna", "nessun", "né", "senza"}
    | {"nemmeno", "neanche", "neppure", "mica", "poco", "per_niente", "per_nulla"}
)
BOOSTERS = frozenset(
    {"molto", "tanto", "davvero", "veramente", "proprio", "super", "estremamente"}
    | {"assolutamente", "incredibilmente", "particolarmente", "parecchio", "troppo", "così"}
    | {"decisamente", "tremendamente", "altamente", "tantissimo"}
)
DAMPENERS = frozenset({"abbastanza", "piuttosto", "un_po", "leggermente", "quasi"})
CONTRASTS = frozenset({"ma", "però", "tuttavia", "eppure", "comunque"})
CONCESSIVES = frozenset({"anche_se", "sebbene", "nonostante", "benché", "seppure"})
# Words a negation skips over when counting its reach.
FUNCTION_WORDS = frozenset(
    {"il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "mi", "ti", "ci", "vi", "si"}
    | {"ne", "è", "ha", "ho", "hanno", "abbiamo", "sono", "era", "erano", "stato", "stata"}
    | {"stati", "state", "essere", "avuto", "fatto", "mai"}
)
# Multi-word markers rewritten to one token before scoring (lexicon phrases come from the file).
MARKER_PHRASES = {"per niente": "per_niente", "per nulla": "per_nulla", "un po": "un_po"}
MARKER_PHRASES |= {"anche se": "anche_se"}
CLAUSE_END = frozenset({".", ",", ";", ":", "!", "?"})

_TOKEN = re.compile(r"[a-zàèéìíòóùú0-9_]+|[.,;:!?]")
_SUPERLATIVE = re.compile(r"^(\w+?)issim[oaie]$")


def _inflections(entry: str) -> Iterable[str]:
    """``ottimo~`` → its four forms, ``eccellente~`` → its two; a plain entry is itself."""
    if not entry.endswith("~"):
        return [entry]
    word = entry[:-1]
    stem, ending = word[:-1], word[-1]
    if ending == "o":
        return [stem + suffix for suffix in "oaie"]
    if ending == "e":
        return [stem + "e", stem + "i"]
    return [word]


@cache
def lexicon() -> tuple[dict[str, float], dict[str, float]]:
    """(single words, phrases) → valence, read once per process from ``LEXICON_FILE``."""
    words: dict[str, float] = {}
    phrases: dict[str, float] = {}
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry, valence = line.split("\t")
        if " " in entry:
            phrases[entry] = float(valence)
        else:
            for form in _inflections(entry):
                words[form] = float(valence)
    return words, phrases


def _normalise(text: str) -> str:
    # Typographic apostrophes (U+2019) too, as phones type them.
    text = text.lower().replace("\u2019", " ").replace("'", " ")
    return " ".join(_TOKEN.findall(text))


def _tokens(text: str) -> list[str]:
    """Lower-case tokens with phrases joined by underscores (phrases longest first)."""
    _, phrases = lexicon()
    normalised = f" {_normalise(text)} "
    for phrase in sorted([*phrases, *MARKER_PHRASES], key=len, reverse=True):
        joined = MARKER_PHRASES.get(phrase, phrase.replace(" ", "_"))
        normalised = normalised.replace(f" {phrase} ", f" {joined} ")
    return normalised.split()


def _valence(token: str) -> float:
    words, phrases = lexicon()
    if token in words:
        return words[token]
    if "_" in token:
        return phrases.get(token.replace("_", " "), 0.0)
    superlative = _SUPERLATIVE.match(token)
    if superlative:
        stem = superlative.group(1)
        for base in (stem + "o", stem + "e", stem + "a"):
            if base in words:
                value = words[base] * SUPERLATIVE_FACTOR
                return max(-MAX_VALENCE, min(MAX_VALENCE, value))
    return 0.0


def _is_negated(tokens: list[str], index: int) -> bool:
    """A negator within reach before ``tokens[index]`` in the same clause."""
    reach = 0
    for previous in reversed(tokens[:index]):
        if previous in CLAUSE_END:
            return False
        if previous in NEGATORS:
            return True
        if previous not in FUNCTION_WORDS:
            reach += 1
            if reach >= NEGATION_REACH:
                return False
    return False


def _emphasis(tokens: list[str], index: int, valence: float) -> float:
    """Boosters and dampeners right before the word scale it away from or towards 0."""
    previous = tokens[index - 1] if index else ""
    sign = 1 if valence > 0 else -1
    if previous in BOOSTERS:
        return valence + sign * BOOST
    if previous in DAMPENERS:
        return valence - sign * BOOST
    return valence


def score(text: str) -> float:
    """Compound sentiment of an Italian text, -1 (negative) .. +1 (positive); 0.0 when no word
    of the lexicon occurs."""
    tokens = _tokens(text)
    valences: list[float] = []
    concessive = False
    for index, token in enumerate(tokens):
        if token in CLAUSE_END:
            concessive = False
        elif token in CONCESSIVES:
            concessive = True
        value = _valence(token)
        if not value or token in NEGATORS:
            valences.append(0.0)
            continue
        value = _emphasis(tokens, index, value)
        if _is_negated(tokens, index):
            value *= NEGATION_FACTOR
        if concessive:
            value *= CONCESSIVE_WEIGHT
        valences.append(value)

    contrast = next((i for i, token in enumerate(tokens) if token in CONTRASTS), None)
    if contrast is not None:
        valences = [
            value * (BEFORE_CONTRAST_WEIGHT if i < contrast else AFTER_CONTRAST_WEIGHT)
            for i, value in enumerate(valences)
        ]

    total = sum(valences)
    if not total:
        return 0.0
    exclamations = min(tokens.count("!"), MAX_EXCLAMATIONS) * EXCLAMATION_BOOST
    total += exclamations if total > 0 else -exclamations
    return total / math.sqrt(total * total + NORMALISATION_ALPHA)
