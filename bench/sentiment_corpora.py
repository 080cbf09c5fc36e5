"""Readers for the labelled sentiment corpora in ../shared/data/real (see its PROVENANCE.md).

Used by the training script, the accuracy benchmark and the tests, so that every one of them
reads the same texts the same way. Labels are Cadran's: "negative", "neutral", "positive".

- DEFT 2017 French tweets (UMSAB split): ``<split>_text.txt`` / ``<split>_labels.txt``, one
  item per line, no final newline, 0/1/2 = negative/neutral/positive.
- Allociné TV-series reviews (Dong & de Melo): ``label<TAB>text``, 1 = positive, 0 = negative.
- Brand comments in French (``bench/data/brand-comments-fr.tsv``, written and labelled for
  Cadran, see ``bench/data/README.md``): ``id<TAB>split<TAB>label<TAB>text``, splits train/val.
- VADER ground truth (Hutto & Gilbert): human mean valence on −4…+4 per text. The tweets'
  ``GroundTruth`` file disagrees with ``anonDataRatings`` (the mean of the raw ratings) for
  199 tweets; :func:`vader_corpus` uses the ratings' means by default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("CADRAN_SHARED_DATA", ROOT.parent / "shared" / "data")) / "real"
DEFT = DATA / "sentiment_fr" / "UMSAB_french_tweets_DEFT2017"
ALLOCINE = DATA / "sentiment_fr" / "allocine_tv_series_DongDeMelo"
VADER = DATA / "sentiment_en" / "vader_hutto_ICWSM_2014"
BRAND = ROOT / "bench" / "data" / "brand-comments-fr.tsv"
LABELS = ("negative", "neutral", "positive")
# Human means within half a point of 0 (on −4…+4) are neutral: Cadran's 3-class reading of the
# VADER ratings, fixed before any measurement.
NEUTRAL_BAND = 0.5


@dataclass(frozen=True)
class Corpus:
    """Texts with their labels (and, for VADER, the human mean valence)."""

    name: str
    texts: list[str]
    labels: list[str]
    means: list[float] | None = None


def deft(split: str) -> Corpus:
    """DEFT 2017 tweets: ``split`` is train, val or test."""
    texts = (DEFT / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    codes = (DEFT / f"{split}_labels.txt").read_text(encoding="ascii").split("\n")
    if len(texts) != len(codes):
        raise ValueError(f"DEFT {split}: {len(texts)} texts but {len(codes)} labels")
    return Corpus(f"deft-{split}", texts, [LABELS[int(c)] for c in codes])


def allocine(split: str) -> Corpus:
    """Allociné reviews: ``split`` is train, dev or test."""
    texts, labels = [], []
    for line in (ALLOCINE / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        if line:
            label, text = line.split("\t", 1)
            texts.append(text)
            labels.append("positive" if label == "1" else "negative")
    return Corpus(f"allocine-{split}", texts, labels)


def brand(split: str) -> Corpus:
    """Cadran's hand-labelled French brand comments: ``split`` is train or val."""
    lines = BRAND.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != ["id", "split", "label", "text"]:
        raise ValueError(f"{BRAND}: expected the header id, split, label, text")
    texts, labels = [], []
    for number, line in enumerate(lines[1:], start=2):
        _, part, label, text = line.split("\t")
        if label not in LABELS:
            raise ValueError(f"{BRAND}, line {number}: label {label!r}, expected one of {LABELS}")
        if part == split:
            texts.append(text)
            labels.append(label)
    return Corpus(f"brand-{split}", texts, labels)


def label_of(mean: float) -> str:
    """Cadran's 3-class reading of a human mean valence."""
    if mean > NEUTRAL_BAND:
        return "positive"
    return "negative" if mean < -NEUTRAL_BAND else "neutral"


def vader_corpus(name: str, means_from: str = "ratings") -> Corpus:
    """A VADER corpus (tweets, movieReviewSnippets, amazonReviewSnippets, nytEditorialSnippets).

    ``means_from`` = "ratings" takes each text's mean from ``_anonDataRatings.txt`` (the mean
    of its raw ratings), "groundtruth" from ``_GroundTruth.txt``.
    """
    rows = [
        line.split("\t", 2)
        for line in (VADER / f"{name}_GroundTruth.txt").read_text(encoding="utf-8-sig").splitlines()
        if line.strip()
    ]
    means = {row[0]: float(row[1]) for row in rows}
    if means_from == "ratings":
        for line in (
            (VADER / f"{name}_anonDataRatings.txt").read_text(encoding="utf-8-sig").splitlines()
        ):
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0] in means:
                means[parts[0]] = float(parts[1])
    values = [means[row[0]] for row in rows]
    return Corpus(name, [row[2] for row in rows], [label_of(v) for v in values], values)
