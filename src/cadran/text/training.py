"""Training a linear sentiment model from labelled texts (needs scikit-learn: ``cadran[train]``).

Cadran's French model is trained with this module on the DEFT 2017 tweets (train split) and the
Allociné reviews (train split, weighted 0.5: they are longer, have no neutral class and speak
of TV series), by ``bench/train_sentiment.py``. A team can train its own model the same way on
its own labelled comments and point the workspace at the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cadran.text.features import char_features, word_features, word_units
from cadran.text.lexicon import lexicon
from cadran.text.linear import LinearModel, dense_features
from cadran.text.opinion import LABELS
from cadran.text.tokens import tokenize
from cadran.text.valence import valence


@dataclass(frozen=True)
class Settings:
    """How a model is trained (the defaults are those of the shipped French model)."""

    c: float = 10.0  # inverse regularisation strength (chosen by CV, see bench/README.md)
    min_df: int = 2  # features seen in fewer texts are dropped (keeps the file small)
    digits: int = 6  # significant digits kept in the file


@dataclass(frozen=True)
class Example:
    """A labelled text and its weight in training."""

    text: str
    label: str
    weight: float = 1.0


def _prepared(texts: Sequence[str], language: str) -> list[tuple[list[str], list[float]]]:
    lex = lexicon(language)
    rows = []
    for text in texts:
        tokens = tokenize(text)
        rows.append((word_units(tokens, lex), list(dense_features(valence(tokens, lex)))))
    return rows


def _round(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def train(
    examples: Sequence[Example],
    language: str,
    settings: Settings | None = None,
    about: Mapping[str, object] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LinearModel:
    """Fit a model on ``examples`` (labels among negative/neutral/positive)."""
    try:
        import numpy as np
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("training needs scikit-learn: pip install 'cadran[train]'") from exc
    settings = settings or Settings()
    unknown = sorted({e.label for e in examples} - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels {unknown}; expected some of {list(LABELS)}")
    say = progress or (lambda _: None)
    say(f"preparing {len(examples)} texts")
    rows = _prepared([e.text for e in examples], language)
    blocks: dict[str, Any] = {}
    matrices = []
    for name, extract in (("word", word_features), ("char", char_features)):
        vectorizer = TfidfVectorizer(
            analyzer=lambda row, f=extract: f(row[0]),
            sublinear_tf=True,
            min_df=settings.min_df,
        )
        matrices.append(vectorizer.fit_transform(rows))
        blocks[name] = vectorizer
    matrices.append(sparse.csr_matrix(np.array([row[1] for row in rows])))
    features = sparse.hstack(matrices).tocsr()
    classes = [label for label in LABELS if any(e.label == label for e in examples)]
    y = np.array([classes.index(e.label) for e in examples])
    weights = np.array([e.weight for e in examples])
    say(f"fitting on {features.shape[1]} features")
    fitted = LogisticRegression(C=settings.c, max_iter=10000).fit(features, y, weights)
    coef = fitted.coef_  # classes x features
    digits = settings.digits
    tables: dict[str, dict[str, list[float]]] = {}
    offset = 0
    for name, vectorizer in blocks.items():
        table: dict[str, list[float]] = {}
        for feature, column in vectorizer.vocabulary_.items():
            idf = vectorizer.idf_[column]
            table[feature] = [_round(idf, digits)] + [
                _round(c, digits) for c in coef[:, offset + column]
            ]
        tables[name] = table
        offset += len(vectorizer.vocabulary_)
    dense = tuple(
        tuple(_round(c, digits) for c in coef[:, offset + i]) for i in range(coef.shape[1] - offset)
    )
    return LinearModel(
        language=language,
        classes=tuple(classes),
        intercept=tuple(_round(v, digits) for v in fitted.intercept_),
        dense=dense,
        word=tables["word"],
        char=tables["char"],
        about=dict(about or {}),
    )
