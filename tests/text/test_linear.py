"""Linear model files: round trip, clear errors on bad files, batch scoring."""

from __future__ import annotations

import dataclasses
import gzip
import json
import math
import threading
from collections import Counter
from pathlib import Path

import pytest

from cadran.text import compiled
from cadran.text.features import char_features, vector_key, word_features, word_units
from cadran.text.lexicon import lexicon
from cadran.text.linear import (
    LinearModel,
    ModelFileError,
    VectorBlock,
    dense_features,
    load_model,
    shipped_model,
)
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


# "bon" and "super" share a vector; "nul" has its own; "inconnu" none.
VECTORS = VectorBlock(
    words=("bon", "nul", "super"),
    rows=(0, 1, 0),
    projection=((-1.0, 1.0), (0.8, -0.8)),
    default_idf=3.0,
    prior=1.5,
)


@pytest.mark.parametrize("vectors", [None, VECTORS])
def test_round_trip(tmp_path: Path, vectors: VectorBlock | None) -> None:
    path = tmp_path / "m.json.gz"
    model = dataclasses.replace(tiny(), vectors=vectors)
    model.save(path)
    loaded = load_model(path)
    assert loaded == model
    first = path.read_bytes()
    model.save(path)
    assert path.read_bytes() == first  # same model, same bytes: diffs stay reviewable


def test_a_format_1_file_still_reads(tmp_path: Path) -> None:
    document = tiny().to_json() | {"format": 1}
    path = tmp_path / "old.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode(), mtime=0))
    assert load_model(path) == tiny()


def test_a_word_outside_the_training_texts_weighs_its_vector() -> None:
    model = dataclasses.replace(tiny(), vectors=VECTORS)
    # "super" is no feature of the model, but it shares the vector of "bon".
    assert model.probabilities(*_row("super"))[1] > 0.7
    # A negated word has no vector: "pas super" reads as it does without vectors.
    assert model.probabilities(*_row("pas super")) == tiny().probabilities(*_row("pas super"))
    assert tiny().probabilities(*_row("super"))[1] == pytest.approx(0.5)


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


def reference(model: LinearModel, units: list[str], rules) -> list[float]:
    """Probabilities computed the plain way, from the features training reads."""
    scores = list(model.intercept)
    for value, weights in zip(dense_features(rules), model.dense, strict=True):
        scores = [s + value * w for s, w in zip(scores, weights, strict=True)]
    for table, features in ((model.word, word_features(units)), (model.char, char_features(units))):
        counts = Counter(f for f in features if f in table)
        values = {f: (1 + math.log(c)) * table[f][0] for f, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        for f, v in values.items():
            scores = [s + v * w / norm for s, w in zip(scores, table[f][1:], strict=True)]
    if model.vectors is not None:
        # The idf-weighted mean of the units' vectors, times the block's weights.
        row_of = dict(zip(model.vectors.words, model.vectors.rows, strict=True))
        found = [
            (row_of[key], model.word[key][0] if key in model.word else model.vectors.default_idf)
            for key in map(vector_key, units)
            if key is not None and key in row_of
        ]
        total = sum(weight for _, weight in found) + model.vectors.prior or 1.0
        for row, weight in found:
            projected = model.vectors.projection[row]
            scores = [s + weight * p / total for s, p in zip(scores, projected, strict=True)]
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    return [e / sum(exp) for e in exp]


SAMPLES = [
    "Génial, j'adore !!! 😍",
    "pas terrible, vraiment nul nul nul",
    "Colis perdu, service client injoignable, c'est inadmissible.",
    "NUUUUL #jadore @marie http://x.co",
    "",
    "bof",
    "Je ne suis pas content du tout, mais merci quand même",
    "l'été qu'il n'aime jamais 12 345 ...",
]


def test_scoring_reads_the_features_training_reads() -> None:
    # The fast path numbers units and looks up pairs and character pieces by number; it
    # must give what the training-time features give.
    model = shipped_model("fr")
    assert model is not None
    rows = [_row(t) for t in SAMPLES]
    rows.append((["NOT_content", "NOT_content", "<num>", "!", "inconnuxyz"], rows[0][1]))
    batch = model.batch_probabilities(rows)
    for (units, rules), probabilities in zip(rows, batch, strict=True):
        assert list(probabilities) == pytest.approx(reference(model, units, rules), abs=1e-12)


def test_units_with_a_space_are_paired_by_string() -> None:
    # word_units never makes such units, but a caller may: "a b" + "c" is the pair "a b c".
    model = LinearModel(
        language="fr",
        classes=("negative", "positive"),
        intercept=(0.0, 0.0),
        dense=((0.0, 0.0),) * 4,
        word={"a b c": [1.0, -1.0, 1.0], "a b": [1.0, 1.0, -1.0], "c": [2.0, 0.5, 0.0]},
        char={" c ": [1.0, 0.3, -0.3]},
        about={},
    )
    rows = [(["x", "a b", "c"], _row("")[1]), (["a", "b", "c"], _row("")[1])]
    batch = model.batch_probabilities(rows)
    for (units, rules), probabilities in zip(rows, batch, strict=True):
        assert list(probabilities) == pytest.approx(reference(model, units, rules), abs=1e-12)


def test_forgetting_units_and_other_threads_change_nothing(monkeypatch) -> None:
    model = shipped_model("fr")
    assert model is not None
    rows = [_row(t) for t in SAMPLES]
    expected = model.batch_probabilities(rows)
    monkeypatch.setattr(compiled, "_CACHE_WORDS", 0)  # forget new units at every batch
    assert (model.batch_probabilities(rows) == expected).all()
    assert (model.batch_probabilities(rows[::-1]) == expected[::-1]).all()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(model.batch_probabilities(rows)))
    thread.start()
    thread.join()
    assert (seen[0] == expected).all()


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


@pytest.mark.parametrize(
    ("vectors", "message"),
    [
        ([1, 2], "'vectors' must be an object"),
        ({"words": "a", "rows": [0]}, "needs 'words'"),
        ({"words": "a", "rows": [0], "projection": [[1.0]], "default_idf": 1}, "2 classes"),
        ({"words": "a\nb", "rows": [0], "projection": [[1, 2]], "default_idf": 1}, "for each"),
        ({"words": "a", "rows": [3], "projection": [[1, 2]], "default_idf": 1}, r"\(0 to 0\)"),
        ({"words": "a", "rows": [0], "projection": [[1, 2]], "default_idf": -1}, "positive"),
        (
            {"words": "a", "rows": [0], "projection": [[1, 2]], "default_idf": 1, "prior": "x"},
            "'vectors.prior' must be a number",
        ),
    ],
)
def test_a_bad_vector_block_is_named(tmp_path: Path, vectors: object, message: str) -> None:
    document = tiny().to_json() | {"vectors": vectors}
    path = tmp_path / "bad.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode(), mtime=0))
    with pytest.raises(ModelFileError, match=message) as caught:
        load_model(path)
    assert str(path) in str(caught.value)
