"""Applying a linear sentiment model shipped with Cadran (or trained by a team on its own data).

A model is a multinomial logistic regression over three blocks of features (see
:mod:`cadran.text.features`): word TF-IDF, character TF-IDF, and the rule-based valence of the
text. TF-IDF here is sublinear (1 + log of the count) × idf, normalised to unit length per
block, exactly as it was computed when the model was trained. The file is gzipped JSON:

``{"format": 1, "language": "fr", "classes": ["negative", "neutral", "positive"],
"intercept": [...], "dense": [[...], ...], "word": {feature: [idf, w_neg, w_neu, w_pos]},
"char": {...}, "about": {...}}``
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cadran.text.features import char_features, word_features
from cadran.text.valence import Valence

FORMAT = 1
_CACHE_WORDS = 200_000  # distinct words whose character features are remembered
Weights = Mapping[str, Sequence[float]]


@dataclass(frozen=True)
class _Block:
    """One TF-IDF block in numpy form: idf and class weights per column."""

    idf: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]  # columns x classes

    @classmethod
    def of(cls, weights: Weights, columns: Mapping[str, int], classes: int) -> _Block:
        table = np.zeros((len(columns), classes + 1))
        for feature, column in columns.items():
            table[column] = weights[feature]
        return cls(table[:, 0].copy(), table[:, 1:].copy())

    def scores(self, ids: Sequence[Sequence[int]]) -> npt.NDArray[np.float64]:
        """Per text, the block's contribution to each class score (sublinear TF-IDF, L2)."""
        n, classes = len(ids), self.coef.shape[1]
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=n)
        out = np.zeros((n, classes))
        if not lengths.sum():
            return out
        docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
        columns = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        keys, counts = np.unique(docs * len(self.idf) + columns, return_counts=True)
        docs, columns = np.divmod(keys, len(self.idf))
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(docs, values * values, minlength=n))
        norms[norms == 0] = 1.0
        for k in range(classes):
            out[:, k] = np.bincount(docs, values * self.coef[columns, k], minlength=n) / norms
        return out


@dataclass(frozen=True)
class _Compiled:
    """A model ready for fast scoring: column numbers, numpy weights, per-word cache."""

    word_columns: Mapping[str, int]
    char_columns: Mapping[str, int]
    word: _Block
    char: _Block
    dense: npt.NDArray[np.float64]
    cache: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, model: LinearModel) -> _Compiled:
        classes = len(model.classes)
        words = {f: i for i, f in enumerate(model.word)}
        chars = {f: i for i, f in enumerate(model.char)}
        return cls(
            words,
            chars,
            _Block.of(model.word, words, classes),
            _Block.of(model.char, chars, classes),
            np.asarray(model.dense, dtype=np.float64),
            {},
        )

    def word_ids(self, units: Sequence[str]) -> list[int]:
        get = self.word_columns.get
        return [c for c in map(get, word_features(units)) if c is not None]

    def char_ids(self, units: Sequence[str]) -> list[int]:
        ids: list[int] = []
        cache = self.cache
        for unit in units:
            found = cache.get(unit)
            if found is None:
                get = self.char_columns.get
                found = tuple(c for c in map(get, char_features([unit])) if c is not None)
                if len(cache) < _CACHE_WORDS:
                    cache[unit] = found
            ids.extend(found)
        return ids


class ModelFileError(ValueError):
    """A model file cannot be used; the message names the file and what is wrong."""


def dense_features(valence: Valence) -> tuple[float, float, float, float]:
    """The rule-based block: compound, positive and negative strength, opinion count."""
    return (
        valence.compound,
        valence.positive / 4,
        valence.negative / 4,
        min(valence.opinions, 5) / 5,
    )


@dataclass(frozen=True)
class LinearModel:
    """A trained model: per-feature idf and class weights, dense weights and intercepts."""

    language: str
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    dense: tuple[tuple[float, ...], ...]  # per dense feature, one weight per class
    word: Weights
    char: Weights
    about: Mapping[str, object]

    @cached_property
    def _compiled(self) -> _Compiled:
        return _Compiled.of(self)

    def probabilities(self, units: Sequence[str], valence: Valence) -> list[float]:
        """Class probabilities for a text given its word units and rule-based valence."""
        return [float(p) for p in self.batch_probabilities([(units, valence)])[0]]

    def batch_probabilities(
        self, rows: Sequence[tuple[Sequence[str], Valence]]
    ) -> npt.NDArray[np.float64]:
        """Class probabilities (one row per text) for texts given as (word units, valence).

        Python only maps each text's features to column numbers (the character features of a
        word are looked up once per distinct word); counting, TF-IDF, normalisation and the
        products run in numpy over the whole batch.
        """
        compiled = self._compiled
        scores = np.tile(np.asarray(self.intercept), (len(rows), 1))
        scores += np.array([dense_features(v) for _, v in rows]).reshape(len(rows), -1) @ (
            compiled.dense
        )
        word_ids: list[list[int]] = []
        char_ids: list[list[int]] = []
        for units, _ in rows:
            word_ids.append(compiled.word_ids(units))
            char_ids.append(compiled.char_ids(units))
        for ids, block in ((word_ids, compiled.word), (char_ids, compiled.char)):
            scores += block.scores(ids)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def to_json(self) -> dict[str, object]:
        """The model as the JSON document stored in a model file."""
        return {
            "format": FORMAT,
            "language": self.language,
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "dense": [list(row) for row in self.dense],
            "word": {k: list(v) for k, v in self.word.items()},
            "char": {k: list(v) for k, v in self.char.items()},
            "about": dict(self.about),
        }

    def save(self, path: Path) -> None:
        """Write the model as gzipped JSON (keys sorted, so that files diff well)."""
        data = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # mtime=0 makes the file's bytes depend on the model only.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(data.encode("utf-8"))


def _tuple(values: object, what: str, source: str) -> tuple[float, ...]:
    if not isinstance(values, list) or not all(isinstance(v, int | float) for v in values):
        raise ModelFileError(f"{source}: {what} must be a list of numbers")
    return tuple(float(v) for v in values)


def parse_model(data: object, source: str) -> LinearModel:
    """A model from its JSON document, checked so that a bad file fails with a clear message."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelFileError(f"{source}: not a Cadran sentiment model (format {FORMAT} expected)")
    classes = data.get("classes")
    if not isinstance(classes, list) or not classes:
        raise ModelFileError(f"{source}: 'classes' must list the class labels")
    n = len(classes)
    intercept = _tuple(data.get("intercept"), "'intercept'", source)
    dense_rows = data.get("dense")
    if not isinstance(dense_rows, list):
        raise ModelFileError(f"{source}: 'dense' must be a list of weight rows")
    dense = tuple(_tuple(row, "each 'dense' row", source) for row in dense_rows)
    blocks: dict[str, dict[str, list[float]]] = {}
    for name in ("word", "char"):
        block = data.get(name)
        if not isinstance(block, dict):
            raise ModelFileError(f"{source}: '{name}' must map features to [idf, weights…]")
        blocks[name] = block
    if len(intercept) != n or any(len(row) != n for row in dense) or len(dense) != 4:
        raise ModelFileError(f"{source}: weights do not match the {n} classes")
    for name, block in blocks.items():
        bad = next(
            (k for k, v in block.items() if not isinstance(v, list) or len(v) != n + 1), None
        )
        if bad is not None:
            raise ModelFileError(f"{source}: feature {bad!r} of '{name}' needs {n + 1} numbers")
    return LinearModel(
        language=str(data.get("language", "")),
        classes=tuple(str(c) for c in classes),
        intercept=intercept,
        dense=dense,
        word=blocks["word"],
        char=blocks["char"],
        about=dict(data.get("about") or {}),
    )


def load_model(path: Path) -> LinearModel:
    """Read a model file written by :meth:`LinearModel.save`."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: cannot read the model ({exc})") from None
    return parse_model(data, str(path))


@cache
def shipped_model(language: str) -> LinearModel | None:
    """The model shipped with Cadran for ``language``, or None if there is none."""
    source = resources.files("cadran.text").joinpath(f"models/sentiment-{language}.json.gz")
    if not source.is_file():
        return None
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return parse_model(json.load(handle), f"sentiment-{language}.json.gz")
