"""Accuracy of the review sentiment scorer on the labelled set shipped in ``reviews/data``.

Prints, per language: accuracy, a confusion summary (gold label → predicted label), texts not
scored, time per text; the language detector's accuracy; for Italian, what VADER's English
lexicon would have scored on the same texts (the method the issue forbids, as a baseline); and
the contradiction-flag sweep used to choose ``NEGATIVE_TEXT_MAX`` and ``POSITIVE_TEXT_MIN``.
The numbers and the command are in docs/benchmarks.md ("Sentiment").
"""

import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mylabel.reviews import sentiment

DEFAULT_FILE = Path(sentiment.__file__).resolve().parent / "data" / "sentiment_reviews.csv"
LABELS = ("positive", "neutral", "negative")
NOT_SCORED = "not scored"
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7)


class Command(BaseCommand):
    help = "Measure the review sentiment scorer on the labelled set (accuracy per language)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Labelled CSV.")
        parser.add_argument(
            "--split",
            choices=["all", "dev", "holdout"],
            default="all",
            help="dev: texts the Italian lexicon was written against; holdout: texts written "
            "after it was frozen.",
        )
        parser.add_argument("--errors", action="store_true", help="List every misclassified text.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = self._read(options["file"], options["split"])
        started = time.perf_counter()
        sentiment.analyse_text("warm-up: load the models")
        self.stdout.write(f"Models loaded in {(time.perf_counter() - started) * 1000:.0f} ms.")

        results = []
        for row in rows:
            started = time.perf_counter()
            result = sentiment.analyse_text(row["text"])
            results.append((row, result, time.perf_counter() - started))

        self._detection(results)
        for language in (sentiment.ENGLISH, sentiment.ITALIAN):
            mine = [
                (row, result, spent)
                for row, result, spent in results
                if row["language"] == language
            ]
            if mine:
                self._accuracy(language, mine, options["errors"])
        italian = [row for row in rows if row["language"] == sentiment.ITALIAN]
        if italian:
            self._baseline(
                "it, VADER's English lexicon (never used; baseline)",
                italian,
                sentiment.score_english,
            )
        self._sweep(results)

    def _read(self, path: Path, split: str) -> list[dict[str, str]]:
        try:
            with path.open(encoding="utf-8", newline="") as file:
                rows = list(csv.DictReader(file))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        missing = {"text", "language", "label"} - set(rows[0] if rows else {})
        if missing:
            raise CommandError(f"{path} lacks the column(s) {', '.join(sorted(missing))}.")
        return [row for row in rows if split == "all" or row.get("split", "dev") == split]

    def _detection(self, results: Sequence[tuple[dict[str, str], Any, float]]) -> None:
        right = sum(1 for row, result, _ in results if result.language == row["language"])
        uncertain = sum(
            1 for _, result, _ in results if result.reason.startswith("language uncertain")
        )
        others = [result for row, result, _ in results if row["language"] not in sentiment.SCORERS]
        others_unscored = sum(1 for result in others if result.score is None)
        self.stdout.write(
            f"\nLanguage detected correctly: {right}/{len(results)} "
            f"({uncertain} uncertain, so not scored). Other languages left unscored: "
            f"{others_unscored}/{len(others)}."
        )

    def _accuracy(
        self, language: str, results: Sequence[tuple[dict[str, str], Any, float]], errors: bool
    ) -> None:
        confusion: Counter[tuple[str, str]] = Counter()
        for row, result, _ in results:
            confusion[row["label"], result.label or NOT_SCORED] += 1
        right = sum(confusion[label, label] for label in LABELS)
        unscored = sum(count for (_, got), count in confusion.items() if got == NOT_SCORED)
        mean_ms = sum(spent for _, _, spent in results) / len(results) * 1000
        methods = sorted({result.method for _, result, _ in results if result.method})
        self.stdout.write(
            f"\n[{language}] {', '.join(methods)}: accuracy {right}/{len(results)} = "
            f"{right / len(results):.0%} ({unscored} not scored), {mean_ms:.2f} ms per text"
        )
        self._confusion(confusion)
        if errors:
            for row, result, _ in results:
                if result.label != row["label"]:
                    got = result.label or NOT_SCORED
                    self.stdout.write(
                        f"    {row['label']:>8} → {got:<10} {result.score!s:>8}  {row['text']}"
                    )

    def _baseline(
        self, title: str, rows: Sequence[dict[str, str]], scorer: Callable[[str], float]
    ) -> None:
        confusion: Counter[tuple[str, str]] = Counter(
            (row["label"], sentiment.label_for(scorer(row["text"]))) for row in rows
        )
        right = sum(confusion[label, label] for label in LABELS)
        self.stdout.write(f"\n[{title}]: accuracy {right}/{len(rows)} = {right / len(rows):.0%}")
        self._confusion(confusion)

    def _confusion(self, confusion: Counter[tuple[str, str]]) -> None:
        columns = [*LABELS, NOT_SCORED]
        self.stdout.write("    gold \\ predicted " + "".join(f"{column:>11}" for column in columns))
        for gold in LABELS:
            counts = "".join(f"{confusion[gold, column]:>11}" for column in columns)
            self.stdout.write(f"    {gold:<18}{counts}")

    def _sweep(self, results: Sequence[tuple[dict[str, str], Any, float]]) -> None:
        """How many texts a threshold would flag next to 5 stars and next to 1 star."""
        self.stdout.write(
            "\nContradiction threshold sweep (text paired with 5 stars / with 1 star): "
            "flagged negative texts (wanted) | flagged positive or neutral texts (false flags)"
        )
        scored = [(row, result.score) for row, result, _ in results if result.score is not None]
        false_flags: Counter[float] = Counter()
        for language in (sentiment.ENGLISH, sentiment.ITALIAN):
            mine = [(row["label"], score) for row, score in scored if row["language"] == language]
            negatives = sum(1 for label, _ in mine if label == "negative")
            positives = sum(1 for label, _ in mine if label == "positive")
            for threshold in SWEEP:
                low = [label for label, score in mine if score <= -threshold]
                high = [label for label, score in mine if score >= threshold]
                wrong_low = len(low) - low.count("negative")
                wrong_high = len(high) - high.count("positive")
                false_flags[threshold] += wrong_low + wrong_high
                self.stdout.write(
                    f"    [{language}] |score| ≥ {threshold}: "
                    f"5★ flags {low.count('negative')}/{negatives} negative, {wrong_low} false; "
                    f"1★ flags {high.count('positive')}/{positives} positive, {wrong_high} false"
                )
        totals = ", ".join(f"{threshold}: {false_flags[threshold]}" for threshold in SWEEP)
        self.stdout.write(f"    False flags, both languages: {totals}")
