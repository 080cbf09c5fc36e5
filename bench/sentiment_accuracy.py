"""Accuracy of Cadran's default sentiment method, side by side with vaderSentiment.

    .venv/bin/python bench/sentiment_accuracy.py [--json]

English: the VADER tweets (4,200 tweets rated by 20 people each on −4…+4; Hutto & Gilbert
2014): Pearson correlation of each method's score with the human mean, and macro-F1 over three
classes (human mean > 0.5 positive, < −0.5 negative, else neutral; Cadran's labels, and VADER's
own ±0.05 thresholds on its compound score). Means come from the raw ratings
(``_anonDataRatings``); the ``_GroundTruth`` means, which differ for 199 tweets, are reported
too. The three other VADER corpora (movie, Amazon, NYT snippets) follow as secondary figures.
French: macro-F1 on DEFT 2017 ``test`` (tweets, 3 classes) and Allociné ``test`` (reviews,
2 classes: positive when the score is above 0); and, as the domain figure, on the ``val`` split
of Cadran's hand-labelled brand comments (3 classes; it served to choose the model, so it is
not a test).

Nothing here was tuned on a test split or on the tweets: the French model is trained on the
train splits (bench/train_sentiment.py) and its settings were chosen on DEFT val and Allociné
dev; the English rules use VADER's published constants. Goals (issue #5): English at least as
good as vaderSentiment; DEFT ≥ 0.62; Allociné ≥ 0.88.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sentiment_corpora as corpora
from cadran.text.sentiment import CadranSentiment

CLASSES = ("negative", "neutral", "positive")


def macro_f1(gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> float:
    """Mean over ``classes`` of the F1 score (0 for a class never predicted nor present)."""
    scores = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == c and p != c)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def vader_scores(texts: Sequence[str]) -> list[float]:
    """vaderSentiment's compound score of each text."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(t)["compound"] for t in texts]


def vader_label(compound: float) -> str:
    """VADER's published reading of its compound score."""
    if compound >= 0.05:
        return "positive"
    return "negative" if compound <= -0.05 else "neutral"


def _cadran(texts: Sequence[str], language: str) -> tuple[list[float], list[str], int]:
    opinions = CadranSentiment(default_language=language).opinions(texts)
    unscored = sum(1 for o in opinions if o.label is None)
    # An unscored text (another language detected, no words) counts as neutral, score 0.
    return [o.score or 0.0 for o in opinions], [o.label or "neutral" for o in opinions], unscored


def english(results: dict[str, object]) -> None:
    """Correlation and 3-class macro-F1 on the VADER corpora."""
    for name in ("tweets", "movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"):
        corpus = corpora.vader_corpus(name)
        assert corpus.means is not None
        scores, labels, unscored = _cadran(corpus.texts, "en")
        theirs = vader_scores(corpus.texts)
        row: dict[str, object] = {
            "texts": len(corpus.texts),
            "cadran_r": pearson(scores, corpus.means),
            "vader_r": pearson(theirs, corpus.means),
            "cadran_f1": macro_f1(corpus.labels, labels, CLASSES),
            "vader_f1": macro_f1(corpus.labels, [vader_label(s) for s in theirs], CLASSES),
            "cadran_unscored": unscored,
        }
        if name == "tweets":
            truth = corpora.vader_corpus(name, "groundtruth")
            assert truth.means is not None
            row["cadran_r_groundtruth"] = pearson(scores, truth.means)
            row["vader_r_groundtruth"] = pearson(theirs, truth.means)
            row["cadran_f1_groundtruth"] = macro_f1(truth.labels, labels, CLASSES)
            row["vader_f1_groundtruth"] = macro_f1(
                truth.labels, [vader_label(s) for s in theirs], CLASSES
            )
        results[f"en/{name}"] = row


def french(results: dict[str, object]) -> None:
    """Macro-F1 on DEFT test (3 classes), Allociné test (2 classes) and the val split of
    Cadran's brand comments (3 classes; a selection figure of the model, not a test)."""
    for name, texts, goal in (
        ("fr/deft-test", corpora.deft("test"), 0.62),
        ("fr/brand-val", corpora.brand("val"), None),
    ):
        _, labels, unscored = _cadran(texts.texts, "fr")
        theirs = vader_scores(texts.texts)
        results[name] = {
            "texts": len(texts.texts),
            "cadran_f1": macro_f1(texts.labels, labels, CLASSES),
            "vader_f1": macro_f1(texts.labels, [vader_label(s) for s in theirs], CLASSES),
            "cadran_unscored": unscored,
            **({"goal": goal} if goal else {}),
        }
    reviews = corpora.allocine("test")
    scores, _, unscored = _cadran(reviews.texts, "fr")
    polar = ("negative", "positive")
    theirs = vader_scores(reviews.texts)
    results["fr/allocine-test"] = {
        "texts": len(reviews.texts),
        "cadran_f1": macro_f1(reviews.labels, [polar[s > 0] for s in scores], polar),
        "vader_f1": macro_f1(reviews.labels, [polar[s > 0] for s in theirs], polar),
        "cadran_unscored": unscored,
        "goal": 0.88,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results: dict[str, object] = {}
    english(results)
    french(results)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"{'corpus':28} {'n':>6} {'Cadran r':>9} {'VADER r':>8} {'Cadran F1':>10} {'VADER F1':>9}"
    )
    for name, row in results.items():
        assert isinstance(row, dict)
        r = f"{row['cadran_r']:9.4f} {row['vader_r']:8.4f}" if "cadran_r" in row else " " * 18
        print(
            f"{name:28} {row['texts']:6} {r} {row['cadran_f1']:10.4f} {row['vader_f1']:9.4f}"
            + (f"   goal ≥ {row['goal']}" if "goal" in row else "")
        )
    tweets = results["en/tweets"]
    assert isinstance(tweets, dict)
    print(
        f"tweets, GroundTruth means: Cadran r {tweets['cadran_r_groundtruth']:.4f} "
        f"F1 {tweets['cadran_f1_groundtruth']:.4f}; VADER r {tweets['vader_r_groundtruth']:.4f} "
        f"F1 {tweets['vader_f1_groundtruth']:.4f}"
    )


if __name__ == "__main__":
    main()
