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
"default_idf": 8.1}, "about": {...}}``

``vectors`` is optional (format 1 files have none): ``words`` are the units with a vector,
one per line, ``rows`` the vector of each, ``projection`` one weight per class per vector.
A unit weighs its idf as a word feature, or ``default_idf`` if it is none.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import chain
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cadran.text.features import char_features, vector_key, word_features
from cadran.text.valence import Valence

FORMAT = 2
_READABLE = (1, 2)  # formats this version reads
_CACHE_WORDS = 200_000  # distinct units (beyond the model's own) whose numbers are remembered
Weights = Mapping[str, Sequence[float]]
Ids = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Block:
    """One TF-IDF block in numpy form: idf and class weights per column."""

    idf: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]  # classes x columns: one class's weights are contiguous

    @classmethod
    def of(cls, weights: Weights, columns: Mapping[str, int], classes: int) -> _Block:
        table = np.zeros((len(columns), classes + 1))
        for feature, column in columns.items():
            table[column] = weights[feature]
        return cls(table[:, 0].copy(), np.ascontiguousarray(table[:, 1:].T))

    def scores(self, docs: Ids, columns: Ids, n: int) -> npt.NDArray[np.float64]:
        """Per text, the block's contribution to each class score (sublinear TF-IDF, L2).

        ``docs[k]`` is the text (0 to ``n - 1``) in which feature ``columns[k]`` occurs, once
        per occurrence and in any order: occurrences are counted per (text, column) pair,
        and each text's terms are summed in column order.
        """
        classes = len(self.coef)
        out = np.zeros((n, classes))
        if not columns.size:
            return out
        width = len(self.idf)
        # Sorting the (text, column) keys is most of the work, and 32-bit keys sort about
        # twice as fast; only very large batches need 64 bits.
        kind = np.dtype(np.int32 if n * width < 2**31 else np.int64)
        keys = docs.astype(kind) * width + columns.astype(kind)
        keys, counts = np.unique(keys, return_counts=True)
        docs, columns = np.divmod(keys, width)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(docs, values * values, minlength=n))
        norms[norms == 0] = 1.0
        for k in range(classes):
            terms = values * self.coef[k].take(columns)
            out[:, k] = np.bincount(docs, terms, minlength=n) / norms
        return out


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


def _vector_scores(
    docs: Ids,
    rows: Ids,
    weights: npt.NDArray[np.float64],
    n: int,
    projection: npt.NDArray[np.float64],
    prior: float,
) -> npt.NDArray[np.float64]:
    """Per text, the weighted mean over its units of their vectors' class weights."""
    out = np.zeros((n, projection.shape[1]))
    if not rows.size:
        return out
    for k in range(projection.shape[1]):
        out[:, k] = np.bincount(docs, weights * projection[rows, k], minlength=n)
    totals = np.bincount(docs, weights, minlength=n) + prior
    out /= np.where(totals > 0, totals, 1.0)[:, None]
    return out


class _Growing:
    """An int64 array that grows at its end, doubling its capacity when full."""

    def __init__(self, values: Sequence[int] | Ids = ()) -> None:
        self._data: Ids = np.zeros(max(1024, 2 * len(values)), dtype=np.int64)
        self.size = 0
        self.extend(values)

    @property
    def values(self) -> Ids:
        """The values so far (a view: valid until the next change)."""
        return self._data[: self.size]

    def extend(self, values: Sequence[int] | Ids) -> None:
        end = self.size + len(values)
        if end > len(self._data):
            grown = np.zeros(max(end, 2 * len(self._data)), dtype=np.int64)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : end] = values
        self.size = end


@dataclass(frozen=True)
class _Vocabulary:
    """The model's features, with its word features by unit number.

    The units that make up the word features are numbered first (0 to ``len(known) - 1``),
    so that two adjacent units form a pair feature exactly when ``first * len(known) +
    second`` is one of ``pair_keys``. That holds because units never contain a space
    (:func:`~cadran.text.features.word_units` makes none, and a pair feature is its two units
    joined by one space); a text with such a unit has its pairs looked up by string.
    """

    word_columns: Mapping[str, int]
    char_columns: Mapping[str, int]
    vector_rows: Mapping[str, int]  # empty if the model has no vectors
    known: tuple[str, ...]
    pair_keys: Ids  # sorted
    pair_columns: Ids  # the column of each of pair_keys

    @classmethod
    def of(
        cls,
        word_columns: Mapping[str, int],
        char_columns: Mapping[str, int],
        vector_rows: Mapping[str, int],
    ) -> _Vocabulary:
        split = [(f.split(" "), column) for f, column in word_columns.items() if " " in f]
        pairs = [(parts, column) for parts, column in split if len(parts) == 2]
        known = dict.fromkeys(f for f in word_columns if " " not in f)
        known.update(dict.fromkeys(part for parts, _ in pairs for part in parts))
        number = {unit: i for i, unit in enumerate(known)}
        keys = np.array([number[a] * len(known) + number[b] for (a, b), _ in pairs], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        columns = np.array([column for _, column in pairs], dtype=np.int64)
        return cls(
            word_columns, char_columns, vector_rows, tuple(known), keys[order], columns[order]
        )


class _Units:
    """The units one thread has met, numbered, with the model columns each one brings.

    Scoring a text then costs one dictionary look-up per unit in Python; everything else
    (pairs, character pieces, counting) is done by numpy over a whole batch of texts.

    Per unit number: its column as a word feature (-1 if none) and, computed the first time
    the unit is met, the columns of its character pieces, stored end to end in ``chars``
    (``count`` is -1 until then); its vector's row (-1 if none) and the column of the word
    feature whose idf it weighs (-1 if none). Units outside the model's word features are
    numbered after those (see :class:`_Vocabulary`) and forgotten past ``_CACHE_WORDS`` of them.
    """

    def __init__(self, vocabulary: _Vocabulary) -> None:
        self._vocabulary = vocabulary
        self._forget()

    def _forget(self) -> None:
        """Back to the model's own units, none of them read yet."""
        known = self._vocabulary.known
        self._numbers = {unit: i for i, unit in enumerate(known)}
        self._names = list(known)
        self._spaced = False  # whether a unit with a space was ever met
        self._word = _Growing([self._vocabulary.word_columns.get(u, -1) for u in known])
        self._start = _Growing(np.zeros(len(known), dtype=np.int64))
        self._count = _Growing(np.full(len(known), -1, dtype=np.int64))
        self._chars = _Growing()
        self._vector = _Growing()
        self._weight = _Growing()
        self._add_vectors(known)

    def _add_vectors(self, units: Sequence[str]) -> None:
        rows, columns = self._vocabulary.vector_rows, self._vocabulary.word_columns
        if not rows:
            self._vector.extend(np.full(len(units), -1, dtype=np.int64))
            return
        keys = [vector_key(u) for u in units]
        self._vector.extend([-1 if k is None else rows.get(k, -1) for k in keys])
        self._weight.extend([-1 if k is None else columns.get(k, -1) for k in keys])

    def occurrences(self, texts: Sequence[Sequence[str]]) -> _Occurrences:
        """Where the model's features occur in ``texts`` (each given as its units)."""
        numbers, docs, by_string = self._number(texts)
        word_docs, word_columns = self._word_occurrences(numbers, docs, texts, by_string)
        counts = self._count.values[numbers]
        ends = np.cumsum(counts)
        # The character columns of each unit in turn: ``chars[start : start + count]``.
        at = np.repeat(self._start.values[numbers] - (ends - counts), counts)
        char_columns = self._chars.values[at + np.arange(int(ends[-1]) if ends.size else 0)]
        vectors = self._vector.values[numbers]
        found = vectors >= 0
        weights = self._weight.values[numbers[found]] if self._weight.size else vectors[found]
        return _Occurrences(
            word_docs,
            word_columns,
            np.repeat(docs, counts),
            char_columns,
            docs[found],
            vectors[found],
            weights,
        )

    def _number(self, texts: Sequence[Sequence[str]]) -> tuple[Ids, Ids, list[int]]:
        """Per unit of ``texts`` end to end: its number and its text; the texts read by string.

        New units are numbered and their character columns computed.
        """
        if len(self._names) > len(self._vocabulary.known) + _CACHE_WORDS:
            self._forget()
        first_new = len(self._names)
        get, new = self._numbers.get, self._new
        numbers: list[list[int]] = []
        for units in texts:
            found = [get(unit, -1) for unit in units]
            if -1 in found:
                found = [new(u) if i < 0 else i for u, i in zip(units, found, strict=True)]
            numbers.append(found)
        added = self._names[first_new:]
        self._word.extend([self._vocabulary.word_columns.get(u, -1) for u in added])
        self._add_vectors(added)
        self._start.extend(np.zeros(len(added), dtype=np.int64))
        self._count.extend(np.full(len(added), -1, dtype=np.int64))
        lengths = np.fromiter(map(len, numbers), dtype=np.int64, count=len(numbers))
        flat = np.fromiter(chain.from_iterable(numbers), dtype=np.int64, count=int(lengths.sum()))
        self._read_chars(flat)
        docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        if not self._spaced:
            return flat, docs, []
        return flat, docs, [k for k, units in enumerate(texts) if any(" " in u for u in units)]

    def _new(self, unit: str) -> int:
        number = self._numbers[unit] = len(self._names)
        self._names.append(unit)
        self._spaced = self._spaced or " " in unit
        return number

    def _read_chars(self, numbers: Ids) -> None:
        """Computes the character columns of the units in ``numbers`` not read before."""
        unread = np.unique(numbers[self._count.values[numbers] < 0])
        if not unread.size:
            return
        get = self._vocabulary.char_columns.get
        found = [
            [c for c in map(get, char_features([self._names[i]])) if c is not None]
            for i in unread.tolist()
        ]
        counts = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        self._start.values[unread] = self._chars.size + np.cumsum(counts) - counts
        self._count.values[unread] = counts
        self._chars.extend(np.fromiter(chain.from_iterable(found), dtype=np.int64))

    def _word_occurrences(
        self, numbers: Ids, docs: Ids, texts: Sequence[Sequence[str]], by_string: list[int]
    ) -> tuple[Ids, Ids]:
        """(text, column) of each word feature found: units alone, then adjacent pairs."""
        vocabulary = self._vocabulary
        single = self._word.values[numbers]
        found = single >= 0
        all_docs, all_columns = [docs[found]], [single[found]]
        known, pair_keys = len(vocabulary.known), vocabulary.pair_keys
        if pair_keys.size and numbers.size:
            first, second, pair_docs = numbers[:-1], numbers[1:], docs[:-1]
            inside = (pair_docs == docs[1:]) & (first < known) & (second < known)
            if by_string:
                inside &= ~np.isin(pair_docs, by_string)
            keys = first[inside] * known + second[inside]
            at = np.minimum(np.searchsorted(pair_keys, keys), pair_keys.size - 1)
            hit = pair_keys[at] == keys
            all_docs.append(pair_docs[inside][hit])
            all_columns.append(vocabulary.pair_columns[at[hit]])
        get = vocabulary.word_columns.get
        for k in by_string:
            pairs = word_features(texts[k])[len(texts[k]) :]
            columns = [c for c in map(get, pairs) if c is not None]
            all_docs.append(np.full(len(columns), k, dtype=np.int64))
            all_columns.append(np.array(columns, dtype=np.int64))
        return np.concatenate(all_docs), np.concatenate(all_columns)


@dataclass(frozen=True)
class _Occurrences:
    """Where a batch's features occur: per occurrence, its text and its column or row."""

    word_docs: Ids
    word_columns: Ids
    char_docs: Ids
    char_columns: Ids
    vector_docs: Ids
    vector_rows: Ids
    vector_weights: Ids  # the word column whose idf weighs the unit, -1 for the default


@dataclass(frozen=True)
class _Compiled:
    """A model ready for fast scoring: numpy weights, and units numbered per thread."""

    word: _Block
    char: _Block
    dense: npt.NDArray[np.float64]
    projection: npt.NDArray[np.float64]  # vectors x classes (no rows if the model has none)
    default_idf: float
    prior: float
    vocabulary: _Vocabulary
    # Each thread numbers the units it meets on its own: no lock, so none can be held when a
    # process forks, and forked workers start with what the forking thread has learnt.
    local: threading.local

    @classmethod
    def of(cls, model: LinearModel) -> _Compiled:
        classes = len(model.classes)
        words = {f: i for i, f in enumerate(model.word)}
        chars = {f: i for i, f in enumerate(model.char)}
        vectors = model.vectors
        if vectors is None:
            projection, default_idf, prior, rows = np.zeros((0, classes)), 0.0, 0.0, {}
        else:
            projection = np.asarray(vectors.projection, dtype=np.float64).reshape(-1, classes)
            default_idf, prior = vectors.default_idf, vectors.prior
            rows = dict(zip(vectors.words, vectors.rows, strict=True))
        return cls(
            _Block.of(model.word, words, classes),
            _Block.of(model.char, chars, classes),
            np.asarray(model.dense, dtype=np.float64),
            projection,
            default_idf,
            prior,
            _Vocabulary.of(words, chars, rows),
            threading.local(),
        )

    def block_scores(self, texts: Sequence[Sequence[str]]) -> list[npt.NDArray[np.float64]]:
        """Per text, each block's contribution to each class (words, characters, vectors)."""
        units: _Units | None = getattr(self.local, "units", None)
        if units is None:
            units = self.local.units = _Units(self.vocabulary)
        found = units.occurrences(texts)
        n = len(texts)
        scores = [
            self.word.scores(found.word_docs, found.word_columns, n),
            self.char.scores(found.char_docs, found.char_columns, n),
        ]
        if len(self.projection):
            columns = found.vector_weights
            weights = np.where(
                columns >= 0, self.word.idf[np.maximum(columns, 0)], self.default_idf
            )
            scores.append(
                _vector_scores(
                    found.vector_docs, found.vector_rows, weights, n, self.projection, self.prior
                )
            )
        return scores


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
    def _compiled(self) -> _Compiled:
        return _Compiled.of(self)

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
