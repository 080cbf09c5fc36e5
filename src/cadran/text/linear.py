"""Applying a linear sentiment model shipped with Cadran (or trained by a team on its own data).

A model is a multinomial logistic regression over up to four blocks of features (see
:mod:`cadran.text.features`): word TF-IDF, character TF-IDF, the rule-based valence of the
text and, optionally, its word vectors. TF-IDF here is sublinear (1 + log of the count) × idf,
normalised to unit length per block, exactly as it was computed when the model was trained.

The word-vector block is the idf-weighted mean of the vectors of the text's words (see
:mod:`cadran.text.vectors`). Its class weights are linear in that mean, so the file stores,
per vector, its product with the weights (``projection``): scoring needs no vector, and a word
the training texts never held still weighs what its vector says. The file is gzipped JSON:

``{"format": 2, "language": "fr", "classes": ["negative", "neutral", "positive"],
"intercept": [...], "dense": [[...], ...], "word": {feature: [idf, w_neg, w_neu, w_pos]},
"char": {...}, "vectors": {"words": "a\\nb…", "rows": [...], "projection": [[...], ...],
"default_idf": 8.4, "prior": 25.2}, "about": {...}}``

``vectors`` is optional (format 1 files have none): ``words`` are the units with a vector,
one per line, ``rows`` the vector of each, ``projection`` one weight per class per vector.
A unit weighs its idf as a word feature, or ``default_idf`` if it is none; ``prior`` is added
to each text's total weight. Scoring itself is in :mod:`cadran.text.compiled`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cadran.text.compiled import Compiled
from cadran.text.valence import Valence

FORMAT = 2
_READABLE = (1, 2)  # formats this version reads
Weights = Mapping[str, Sequence[float]]


@dataclass(frozen=True)
class VectorBlock:
    """The word-vector block of a model (see the module docstring)."""

    words: tuple[str, ...]  # the units with a vector
    rows: tuple[int, ...]  # the vector of each of ``words``
    projection: tuple[tuple[float, ...], ...]  # per vector, its weight for each class
    default_idf: float  # the weight of a unit that is not a word feature
    # Weight added to every text's total, as if it held words whose vectors lean nowhere: a
    # text with a few light words ("je suis") is not read as strongly as their vectors lean.
    prior: float = 0.0


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
    vectors: VectorBlock | None = None

    @cached_property
    def _compiled(self) -> Compiled:
        return Compiled.of(self)

    def probabilities(self, units: Sequence[str], valence: Valence) -> list[float]:
        """Class probabilities for a text given its word units and rule-based valence."""
        return [float(p) for p in self.batch_probabilities([(units, valence)])[0]]

    def batch_probabilities(
        self, rows: Sequence[tuple[Sequence[str], Valence]]
    ) -> npt.NDArray[np.float64]:
        """Class probabilities (one row per text) for texts given as (word units, valence).

        Python only numbers each text's units (one dictionary look-up per unit; a unit's
        character features are computed the first time it is met); pairs, character pieces,
        counting, TF-IDF, normalisation and the products run in numpy over the whole batch.
        The features are those training reads (:mod:`cadran.text.features`), less those the
        model does not know, which would weigh nothing.
        """
        compiled = self._compiled
        scores = np.tile(np.asarray(self.intercept), (len(rows), 1))
        scores += np.array([dense_features(v) for _, v in rows]).reshape(len(rows), -1) @ (
            compiled.dense
        )
        for block in compiled.block_scores([units for units, _ in rows]):
            scores += block  # one block after the other, as the scores were always summed
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def to_json(self) -> dict[str, object]:
        """The model as the JSON document stored in a model file."""
        document: dict[str, object] = {
            "format": FORMAT,
            "language": self.language,
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "dense": [list(row) for row in self.dense],
            "word": {k: list(v) for k, v in self.word.items()},
            "char": {k: list(v) for k, v in self.char.items()},
            "about": dict(self.about),
        }
        if self.vectors is not None:
            document["vectors"] = {
                "words": "\n".join(self.vectors.words),
                "rows": list(self.vectors.rows),
                "projection": [list(row) for row in self.vectors.projection],
                "default_idf": self.vectors.default_idf,
                "prior": self.vectors.prior,
            }
        return document

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
    if not isinstance(data, dict) or data.get("format") not in _READABLE:
        raise ModelFileError(
            f"{source}: not a Cadran sentiment model (format {' or '.join(map(str, _READABLE))} "
            "expected)"
        )
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
        vectors=_vector_block(data.get("vectors"), n, source),
    )


def _vector_block(data: object, classes: int, source: str) -> VectorBlock | None:
    """The optional word-vector block of a model file, checked."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ModelFileError(f"{source}: 'vectors' must be an object")
    words, rows, projection = data.get("words"), data.get("rows"), data.get("projection")
    if not isinstance(words, str) or not isinstance(projection, list):
        raise ModelFileError(f"{source}: 'vectors' needs 'words' (one per line) and 'projection'")
    units = tuple(words.split("\n")) if words else ()
    weights = tuple(_tuple(row, "each 'vectors.projection' row", source) for row in projection)
    if any(len(row) != classes for row in weights):
        raise ModelFileError(f"{source}: vector weights do not match the {classes} classes")
    if (
        not isinstance(rows, list)
        or len(rows) != len(units)
        or not all(isinstance(r, int) and 0 <= r < len(weights) for r in rows)
    ):
        raise ModelFileError(
            f"{source}: 'vectors.rows' must give, for each of the {len(units)} words, "
            f"a row of 'projection' (0 to {len(weights) - 1})"
        )
    default_idf = data.get("default_idf")
    if not isinstance(default_idf, int | float) or not default_idf > 0:
        raise ModelFileError(f"{source}: 'vectors.default_idf' must be a positive number")
    prior = data.get("prior", 0.0)
    if not isinstance(prior, int | float) or not prior >= 0:
        raise ModelFileError(f"{source}: 'vectors.prior' must be a number, 0 or more")
    return VectorBlock(units, tuple(rows), weights, float(default_idf), float(prior))


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
