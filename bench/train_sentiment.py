"""Train the French sentiment model shipped with Cadran, from the training splits only.

    .venv/bin/python bench/train_sentiment.py [--out PATH]

Reads DEFT 2017 train (French tweets, 3 classes), Allociné train (French TV-series reviews,
2 classes, weight 0.5) and the train split of Cadran's hand-labelled brand comments
(bench/data/brand-comments-fr.tsv, weight 1), never a dev, val or test split, and writes
src/cadran/text/models/sentiment-fr.json.gz. The weights and C = 10 were chosen by
cross-validation on DEFT train and by DEFT val, Allociné dev and brand val (see
bench/README.md).
The file's bytes depend only on the data and this code, so a re-run is reviewed as a diff.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sentiment_corpora as corpora
from cadran.text.training import Example, Settings, train

ALLOCINE_WEIGHT = 0.5
BRAND_WEIGHT = 1.0
OUT = corpora.ROOT / "src" / "cadran" / "text" / "models" / "sentiment-fr.json.gz"


def french_examples() -> list[Example]:
    """The training examples of the shipped French model."""
    weighted = (
        (corpora.deft("train"), 1.0),
        (corpora.allocine("train"), ALLOCINE_WEIGHT),
        (corpora.brand("train"), BRAND_WEIGHT),
    )
    return [
        Example(text, label, weight)
        for corpus, weight in weighted
        for text, label in zip(corpus.texts, corpus.labels, strict=True)
    ]


def french_model():
    """Train the French model as shipped."""
    about = {
        "trained_on": [
            "DEFT 2017 train (UMSAB French, 1,839 tweets)",
            "Allociné train (2,739)",
            "Cadran brand comments train (360, hand-labelled)",
        ],
        "allocine_weight": ALLOCINE_WEIGHT,
        "brand_weight": BRAND_WEIGHT,
        "settings": vars(Settings()),
    }
    return train(french_examples(), "fr", Settings(), about, progress=print)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    model = french_model()
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, "
        f"{len(model.word)} word and {len(model.char)} character features)"
    )


if __name__ == "__main__":
    main()
