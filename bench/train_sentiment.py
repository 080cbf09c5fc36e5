"""Train the French sentiment model shipped with Cadran, from the training splits only.

    .venv/bin/python bench/train_sentiment.py [--out PATH]

Reads DEFT 2017 train (French tweets, 3 classes) and Allociné train (French TV-series reviews,
2 classes, weight 0.5), never a dev, val or test split, and writes
src/cadran/text/models/sentiment-fr.json.gz. The weight 0.5 and C = 3 were chosen by 5-fold
cross-validation on DEFT train and by DEFT val / Allociné dev (see bench/README.md).
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
OUT = corpora.ROOT / "src" / "cadran" / "text" / "models" / "sentiment-fr.json.gz"


def french_examples() -> list[Example]:
    """The training examples of the shipped French model."""
    tweets = corpora.deft("train")
    reviews = corpora.allocine("train")
    return [Example(t, lab) for t, lab in zip(tweets.texts, tweets.labels, strict=True)] + [
        Example(t, lab, ALLOCINE_WEIGHT)
        for t, lab in zip(reviews.texts, reviews.labels, strict=True)
    ]


def french_model():
    """Train the French model as shipped."""
    about = {
        "trained_on": ["DEFT 2017 train (UMSAB French, 1,839 tweets)", "Allociné train (2,739)"],
        "allocine_weight": ALLOCINE_WEIGHT,
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
