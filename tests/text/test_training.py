"""The shipped French model is what this repository's code trains from the train splits."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from cadran.text.features import word_units
from cadran.text.lexicon import lexicon
from cadran.text.linear import shipped_model
from cadran.text.tokens import tokenize
from cadran.text.training import Example, train
from cadran.text.valence import valence
from cadran.text.vectors import WordVectors

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def corpora(real_data: Path):
    sys.path.insert(0, str(BENCH))
    try:
        import sentiment_corpora
        import train_sentiment
    finally:
        sys.path.remove(str(BENCH))
    return sentiment_corpora, train_sentiment


def test_retraining_reproduces_the_shipped_model(corpora) -> None:
    _, training = corpora
    shipped = shipped_model("fr")
    assert shipped is not None
    retrained = training.french_model()
    assert retrained.classes == shipped.classes
    assert set(retrained.word) == set(shipped.word)
    assert set(retrained.char) == set(shipped.char)
    # Same data, same code: the weights agree to the digits kept in the file (the solver may
    # differ in the last bits from one machine's BLAS to another's).
    for feature in list(shipped.word)[:2000]:
        assert retrained.word[feature] == pytest.approx(shipped.word[feature], rel=1e-3, abs=1e-4)
    assert retrained.intercept == pytest.approx(shipped.intercept, rel=1e-3, abs=1e-4)
    assert retrained.vectors is not None and shipped.vectors is not None
    assert retrained.vectors.words == shipped.vectors.words
    assert retrained.vectors.rows == shipped.vectors.rows
    for row in range(0, len(shipped.vectors.projection), 10):
        assert retrained.vectors.projection[row] == pytest.approx(
            shipped.vectors.projection[row], rel=1e-3, abs=1e-4
        )


def test_training_refuses_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        train([Example("bon", "good")], "fr")


def _row(text: str):
    tokens = tokenize(text)
    return word_units(tokens, lexicon("fr")), valence(tokens, lexicon("fr"))


def test_a_word_never_seen_in_training_reads_as_its_vector() -> None:
    # "zorglub" and "krapouk" are in no training text, no lexicon and share no letters with
    # the words whose vectors they have: only the vectors can tell what they lean to.
    vectors = WordVectors(
        np.eye(3, dtype=np.float32),
        {"top": 0, "zorglub": 0, "pourri": 1, "krapouk": 1, "colis": 2, "mardi": 2},
        "test",
    )
    texts = {"positive": "top", "negative": "pourri", "neutral": "colis mardi"}
    examples = [Example(f"{t} {n}", label) for label, t in texts.items() for n in range(6)]
    model, plain = train(examples, "fr", vectors=vectors), train(examples, "fr")
    for word, label in (("zorglub", "positive"), ("krapouk", "negative")):
        probabilities = model.probabilities(*_row(word))
        assert model.classes[int(np.argmax(probabilities))] == label
        before = plain.probabilities(*_row(word))
        assert probabilities[model.classes.index(label)] > before[plain.classes.index(label)]
    assert model.vectors is not None and plain.vectors is None
    assert model.vectors.default_idf == pytest.approx(max(v[0] for v in model.word.values()))
