"""Linear model files: round trip, clear errors on bad files, batch scoring."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cadran.text.features import word_units
from cadran.text.lexicon import lexicon
from cadran.text.linear import LinearModel, ModelFileError, load_model, shipped_model
from cadran.text.tokens import tokenize
from cadran.text.valence import valence

FR = lexicon("fr")


def _row(text: str):
    tokens = tokenize(text)
    return word_units(tokens, FR), valence(tokens, FR)


def tiny() -> LinearModel:
    return LinearModel(
        language="fr",
        classes=("negative", "positive"),
        intercept=(0.0, 0.0),
        dense=((-1.0, 1.0), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)),
        word={"bon": [1.0, -2.0, 2.0], "nul": [1.5, 2.0, -2.0]},
        char={" bo": [1.0, -0.5, 0.5]},
        about={"note": "test"},
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.json.gz"
    tiny().save(path)
    loaded = load_model(path)
    assert loaded == tiny()
    first = path.read_bytes()
    tiny().save(path)
    assert path.read_bytes() == first  # same model, same bytes: diffs stay reviewable


def test_probabilities_follow_the_weights() -> None:
    model = tiny()
    good, bad = model.probabilities(*_row("bon")), model.probabilities(*_row("nul"))
    assert good[1] > 0.9
    assert bad[0] > 0.9
    assert sum(good) == pytest.approx(1)


def test_batch_equals_one_by_one() -> None:
    model = shipped_model("fr")
    assert model is not None
    rows = [_row(t) for t in ("génial", "nul à chier", "", "bof bof", "le chat")]
    batch = model.batch_probabilities(rows)
    for row, probabilities in zip(rows, batch, strict=True):
        assert list(probabilities) == pytest.approx(model.probabilities(*row))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip", "cannot read the model"),
        (gzip.compress(b"{not json", mtime=0), "cannot read the model"),
        (gzip.compress(b'{"format": 99}', mtime=0), "not a Cadran sentiment model"),
        (
            gzip.compress(
                json.dumps(
                    {
                        "format": 1,
                        "classes": ["a", "b"],
                        "intercept": [0],
                        "dense": [],
                        "word": {},
                        "char": {},
                    }
                ).encode(),
                mtime=0,
            ),
            "do not match the 2 classes",
        ),
        (
            gzip.compress(
                json.dumps(
                    {
                        "format": 1,
                        "classes": ["a", "b"],
                        "intercept": [0, 0],
                        "dense": [[0, 0]] * 4,
                        "word": {"x": [1, 2]},
                        "char": {},
                    }
                ).encode(),
                mtime=0,
            ),
            "feature 'x' of 'word' needs 3 numbers",
        ),
    ],
)
def test_bad_files_name_the_file_and_the_problem(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message) as caught:
        load_model(path)
    assert str(path) in str(caught.value)
