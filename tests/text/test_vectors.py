"""Reading word vectors from a spaCy model package, as a small package the tests make."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import msgpack
import numpy as np
import pytest

from cadran.text.vectors import VectorsError, murmurhash64a, read_spacy_vectors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # spaCy 3.8's own hashes (spacy.strings.hash_string) of these strings.
        ("de", 11144093025662894627),
        ("été", 416107850921971791),
        ("Bonjour", 3517466432968360467),
    ],
)
def test_strings_hash_as_spacy_hashes_them(text: str, expected: int) -> None:
    assert murmurhash64a(text.encode("utf-8")) == expected


def _vocab(vectors: np.ndarray, keys: dict[str, int], extra: list[str] = ()) -> dict[str, bytes]:
    array = io.BytesIO()
    np.save(array, vectors.astype(np.float32))
    key2row = {murmurhash64a(s.encode("utf-8")): row for s, row in keys.items()}
    return {
        "vectors": array.getvalue(),
        "key2row": msgpack.packb(key2row),
        "strings.json": json.dumps([*keys, *extra]).encode("utf-8"),
    }


VECTORS = np.array([[3.0, 4.0], [0.0, 2.0], [1.0, 0.0]])
KEYS = {
    "génial": 0,
    "Génial": 2,  # written in lower case elsewhere: the lower-case string wins
    "Paris": 1,  # only capitalised: keyed in lower case
    "New York": 2,  # two words for Cadran: never a unit
    "l'": 1,
    "faraway": 7,  # a row the table does not have
}


def _package(folder: Path) -> Path:
    vocab = folder / "fr_test" / "fr_test-1.0" / "vocab"
    vocab.mkdir(parents=True)
    for name, data in _vocab(VECTORS, KEYS, extra=["unhashed"]).items():
        (vocab / name).write_bytes(data)
    return folder / "fr_test"


def test_a_package_folder_gives_rows_by_unit(tmp_path: Path) -> None:
    vectors = read_spacy_vectors(_package(tmp_path))
    assert vectors.rows == {"genial": 0, "paris": 1, "l'": 1}
    assert vectors.row("NOT_genial") is None  # a negated word has no vector
    assert vectors.row("unhashed") is None
    np.testing.assert_allclose(vectors.table, [[0.6, 0.8], [0.0, 1.0], [1.0, 0.0]])


def test_a_wheel_reads_as_its_folder(tmp_path: Path) -> None:
    folder = _package(tmp_path / "unpacked")
    wheel = tmp_path / "fr_test-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path in folder.rglob("*"):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
    from_wheel, from_folder = read_spacy_vectors(wheel), read_spacy_vectors(folder)
    assert from_wheel.rows == from_folder.rows
    np.testing.assert_array_equal(from_wheel.table, from_folder.table)


def test_what_is_not_a_package_is_named(tmp_path: Path) -> None:
    with pytest.raises(VectorsError, match="expected a spaCy model package") as caught:
        read_spacy_vectors(tmp_path)
    assert str(tmp_path) in str(caught.value)
    vocab = _package(tmp_path / "broken") / "fr_test-1.0" / "vocab"
    (vocab / "vectors").write_bytes(b"not numpy")
    with pytest.raises(VectorsError, match="cannot read the vocab files"):
        read_spacy_vectors(tmp_path / "broken")
