"""The sentiment scorer (issue 5 point 8): English by VADER, Italian by the Italian lexicon scorer
and never by VADER, every other language not scored; and the contradiction rule."""

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mylabel.reviews import italian_sentiment
from mylabel.reviews.models import Sentiment
from mylabel.reviews.sentiment import analyse_text, contradicts, label_for


@pytest.fixture
def vader_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: SentimentIntensityAnalyzer, text: str) -> dict[str, float]:
        raise AssertionError(f"VADER was run on {text!r}")

    monkeypatch.setattr(SentimentIntensityAnalyzer, "polarity_scores", refuse)


def test_a_glowing_english_review_is_scored_positive_by_vader():
    result = analyse_text(
        "Brilliant engineer, the mix sounds amazing and he was a joy to work with."
    )

    assert result.status == Sentiment.SCORED
    assert (result.language, result.method) == ("en", "vader")
    assert result.score is not None
    assert result.score >= 0.5
    assert result.label == "positive"


def test_a_scathing_english_review_is_scored_negative_by_vader():
    result = analyse_text("Terrible session: he was rude, late and the mix was awful. Avoid.")

    assert (result.status, result.language, result.method) == (Sentiment.SCORED, "en", "vader")
    assert result.score is not None
    assert result.score <= -0.5
    assert result.label == "negative"


@pytest.mark.usefixtures("vader_forbidden")
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Fonico bravissimo, mix ottimo e consegna puntuale. Lo consiglio a tutti!", "positive"),
        ("Esperienza pessima: in ritardo, maleducato e il master era distorto.", "negative"),
        ("Non lo consiglio, il risultato è stato deludente.", "negative"),
        ("Non ho mai avuto problemi, tutto perfetto.", "positive"),
        ("Non male, davvero.", "positive"),
        ("La sessione si è svolta martedì nello studio di Milano.", "neutral"),
    ],
)
def test_italian_is_detected_and_scored_by_the_italian_scorer_never_by_vader(text, label):
    result = analyse_text(text)

    assert (result.status, result.language) == (Sentiment.SCORED, "it")
    assert result.method == "italian-lexicon"
    assert result.label == label


def test_italian_negation_turns_praise_into_criticism():
    assert italian_sentiment.score("Molto professionale.") > 0.3
    assert italian_sentiment.score("Per niente professionale.") < -0.3
    assert italian_sentiment.score("Poco professionale.") < 0


def test_italian_superlatives_are_stronger_than_their_base_word():
    assert italian_sentiment.score("bravissimo") > italian_sentiment.score("bravo") > 0


def test_italian_contrast_weighs_the_clause_after_ma():
    assert italian_sentiment.score("Bravo, ma il mix era pessimo e in ritardo.") < 0


@pytest.mark.usefixtures("vader_forbidden")
@pytest.mark.parametrize(
    "text",
    [
        "Sehr professionell, die Aufnahmen sind großartig, gerne wieder.",
        "El técnico fue muy amable y la mezcla quedó genial.",
        "Très bon mixage, je recommande vivement ce studio.",
    ],
)
def test_other_languages_are_not_scored(text):
    result = analyse_text(text)

    assert result.status == Sentiment.NOT_SCORED
    assert result.score is None
    assert result.language in {"de", "es", "fr"}
    assert result.label == ""


@pytest.mark.usefixtures("vader_forbidden")
@pytest.mark.parametrize("text", ["", "   ", "Ok.", "👍👍👍"])
def test_empty_or_undecidable_text_is_not_scored(text):
    result = analyse_text(text)

    assert (result.status, result.score, result.language) == (Sentiment.NOT_SCORED, None, "")
    assert result.reason


@pytest.mark.parametrize(
    ("rating", "score", "flagged"),
    [
        (5, -0.8, True),
        (4, -0.5, True),
        (1, 0.9, True),
        (2, 0.5, True),
        (5, -0.4, True),
        (5, -0.39, False),
        (1, 0.45, False),
        (5, 0.9, False),
        (1, -0.9, False),
        (3, -0.95, False),
        (3, 0.95, False),
        (5, None, False),
    ],
)
def test_stars_contradict_the_text_only_when_they_disagree_strongly(rating, score, flagged):
    assert contradicts(rating, score) is flagged


@pytest.mark.parametrize(
    ("score", "label"),
    [(0.05, "positive"), (0.049, "neutral"), (-0.049, "neutral"), (-0.05, "negative")],
)
def test_labels_follow_vaders_neutral_band(score, label):
    assert label_for(score) == label
