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
import threading
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
    known: tuple[str, ...]
    pair_keys: Ids  # sorted
    pair_columns: Ids  # the column of each of pair_keys

    @classmethod
    def of(cls, word_columns: Mapping[str, int], char_columns: Mapping[str, int]) -> _Vocabulary:
        split = [(f.split(" "), column) for f, column in word_columns.items() if " " in f]
        pairs = [(parts, column) for parts, column in split if len(parts) == 2]
        known = dict.fromkeys(f for f in word_columns if " " not in f)
        known.update(dict.fromkeys(part for parts, _ in pairs for part in parts))
        number = {unit: i for i, unit in enumerate(known)}
        keys = np.array([number[a] * len(known) + number[b] for (a, b), _ in pairs], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        columns = np.array([column for _, column in pairs], dtype=np.int64)
        return cls(word_columns, char_columns, tuple(known), keys[order], columns[order])


class _Units:
    """The units one thread has met, numbered, with the model columns each one brings.

    Scoring a text then costs one dictionary look-up per unit in Python; everything else
    (pairs, character pieces, counting) is done by numpy over a whole batch of texts.

    Per unit number: its column as a word feature (-1 if none) and, computed the first time
    the unit is met, the columns of its character pieces, stored end to end in ``chars``
    (``count`` is -1 until then). Units outside the model's word features are numbered after
    those (see :class:`_Vocabulary`) and forgotten past ``_CACHE_WORDS`` of them.
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

    def occurrences(self, texts: Sequence[Sequence[str]]) -> tuple[Ids, Ids, Ids, Ids]:
        """Where the model's features occur in ``texts`` (each given as its units).

        Returns (text, column) of each occurrence of a word feature, then of a character
        feature, as four arrays: word texts, word columns, character texts, character columns.
        """
        numbers, docs, by_string = self._number(texts)
        word_docs, word_columns = self._word_occurrences(numbers, docs, texts, by_string)
        counts = self._count.values[numbers]
        ends = np.cumsum(counts)
        # The character columns of each unit in turn: ``chars[start : start + count]``.
        at = np.repeat(self._start.values[numbers] - (ends - counts), counts)
        char_columns = self._chars.values[at + np.arange(int(ends[-1]) if ends.size else 0)]
        return word_docs, word_columns, np.repeat(docs, counts), char_columns

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
class _Compiled:
    """A model ready for fast scoring: numpy weights, and units numbered per thread."""

    word: _Block
    char: _Block
    dense: npt.NDArray[np.float64]
    vocabulary: _Vocabulary
    # Each thread numbers the units it meets on its own: no lock, so none can be held when a
    # process forks, and forked workers start with what the forking thread has learnt.
    local: threading.local

    @classmethod
    def of(cls, model: LinearModel) -> _Compiled:
        classes = len(model.classes)
        words = {f: i for i, f in enumerate(model.word)}
        chars = {f: i for i, f in enumerate(model.char)}
        return cls(
            _Block.of(model.word, words, classes),
            _Block.of(model.char, chars, classes),
            np.asarray(model.dense, dtype=np.float64),
            _Vocabulary.of(words, chars),
            threading.local(),
        )

    def block_scores(
        self, texts: Sequence[Sequence[str]]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Per text, the word block's and the character block's contributions to each class."""
        units: _Units | None = getattr(self.local, "units", None)
        if units is None:
            units = self.local.units = _Units(self.vocabulary)
        word_docs, word_columns, char_docs, char_columns = units.occurrences(texts)
        n = len(texts)
        return (
            self.word.scores(word_docs, word_columns, n),
            self.char.scores(char_docs, char_columns, n),
        )


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
