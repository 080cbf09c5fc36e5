"""Accuracy of the default sentiment method on the held-out splits (bench/sentiment_accuracy.py).

These figures are measured, not tuned: the test splits and the VADER tweets were never used to
choose anything. The assertions guard against regressions at the levels reached when the method
was released, and check the issue's goals that are met (English at least as good as
vaderSentiment; Allociné ≥ 0.88). DEFT is guarded at 0.59: its goal of 0.62 is not met yet
(0.601 measured), see bench/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def results(real_data: Path) -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(BENCH))
    try:
        import sentiment_accuracy
    finally:
        sys.path.remove(str(BENCH))
    out: dict[str, dict[str, float]] = {}
    sentiment_accuracy.english(out)  # type: ignore[arg-type]
    sentiment_accuracy.french(out)  # type: ignore[arg-type]
    return out


def test_english_at_least_as_good_as_vader(results: dict[str, dict[str, float]]) -> None:
    tweets = results["en/tweets"]
    assert tweets["cadran_r"] >= tweets["vader_r"]
    assert tweets["cadran_f1"] >= tweets["vader_f1"]
    assert tweets["cadran_r_groundtruth"] >= tweets["vader_r_groundtruth"]


def test_french_reviews_meet_the_goal(results: dict[str, dict[str, float]]) -> None:
    assert results["fr/allocine-test"]["cadran_f1"] >= 0.88


def test_french_tweets_do_not_regress(results: dict[str, dict[str, float]]) -> None:
    deft = results["fr/deft-test"]
    assert deft["cadran_f1"] >= 0.59
    assert deft["cadran_f1"] > deft["vader_f1"] + 0.2
