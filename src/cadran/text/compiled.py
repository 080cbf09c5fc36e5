"""A linear sentiment model compiled for fast batch scoring (see :mod:`cadran.text.linear`).

Python only numbers each text's units (one dictionary look-up per unit, remembered per thread);
pairs, character pieces, vectors, counting, TF-IDF, normalisation and the products run in numpy
over a whole batch.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cadran.text.features import char_features, vector_key, word_features

if TYPE_CHECKING:
    from cadran.text.linear import LinearModel, Weights

_CACHE_WORDS = 200_000  # distinct units (beyond the model's own) whose numbers are remembered
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
        if not rows:  # a model without vectors: no unit has one (the lists stay in step)
            none = np.full(len(units), -1, dtype=np.int64)
            self._vector.extend(none)
            self._weight.extend(none)
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
        weights = self._weight.values[numbers[found]]
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
class Compiled:
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
    def of(cls, model: LinearModel) -> Compiled:
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
