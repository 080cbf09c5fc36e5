"""The shipped French model is what this repository's code trains from the train splits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cadran.text.linear import shipped_model
from cadran.text.training import Example, train

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


def test_training_refuses_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        train([Example("bon", "good")], "fr")
