"""The transformer sentiment backend, run on a tiny encoder these tests build (nothing downloaded).

The toy model is a genuine one-layer, single-head transformer encoder written with
``onnx.helper``; a numpy copy of its forward pass checks that the backend feeds the inputs and
reads the outputs exactly as the graph means them.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
tokenizers = pytest.importorskip("tokenizers")

from onnx import ModelProto, TensorProto, ValueInfoProto, helper, numpy_helper  # noqa: E402

from cadran.text.opinion import Opinion, SentimentMethod  # noqa: E402
from cadran.text.transformer import TextModelError, TransformerSentiment  # noqa: E402

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
POSITIVE = ["great", "love", "excellent"]
NEGATIVE = ["awful", "hate", "terrible"]
PLAIN = "i you we it this that the a is was movie food service day really very so and but ok"
VOCAB = {word: i for i, word in enumerate(SPECIAL + POSITIVE + NEGATIVE + PLAIN.split())}
DIM, MAX_POSITIONS = 8, 64
Toy = tuple[Path, dict[str, np.ndarray]]  # a model folder and the weights inside it
THREE = {"0": "negative", "1": "neutral", "2": "positive"}

# Row 0 of the classifier reads embedding dimension 0, which only sentiment words carry: its
# sign decides the label; the bias of the middle class makes plain sentences neutral.
READOUTS = {
    3: ([-6.0, 0.0, 6.0], [0.0, 1.0, 0.0]),
    2: ([-6.0, 6.0], [0.0, 0.0]),
    5: ([-6.0, -3.0, 0.0, 3.0, 6.0], [0.0, 0.0, 1.0, 0.0, 0.0]),
}


def make_weights(classes: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20240611)
    w = {
        "tok_emb": rng.normal(0, 0.1, (len(VOCAB), DIM)),
        "pos_emb": rng.normal(0, 0.1, (MAX_POSITIONS, DIM)),
        "type_emb": rng.normal(0, 0.1, (2, DIM)),
        "wq": rng.normal(0, 0.5, (DIM, DIM)),
        "wk": rng.normal(0, 0.5, (DIM, DIM)),
        "wv": rng.normal(0, 0.5, (DIM, DIM)),
        "wo": rng.normal(0, 0.1, (DIM, DIM)),
        "wc": rng.normal(0, 0.05, (DIM, classes)),
    }
    for name in ("tok_emb", "pos_emb", "type_emb"):
        w[name][:, 0] = 0.0
    for word in POSITIVE:
        w["tok_emb"][VOCAB[word], 0] = 3.0
    for word in NEGATIVE:
        w["tok_emb"][VOCAB[word], 0] = -3.0
    w["wc"][0], w["bc"] = READOUTS[classes][0], np.array(READOUTS[classes][1])
    return {name: value.astype(np.float32) for name, value in w.items()}


def build_graph(
    weights: dict[str, np.ndarray],
    *,
    token_types: bool = False,
    mask_input: bool = True,
    static_width: bool = True,
    extra_input: str | None = None,
) -> ModelProto:
    """input_ids (+ mask, + token types) -> embeddings -> self-attention -> mean pool -> logits."""
    classes = weights["wc"].shape[1]

    def ids_input(name: str) -> ValueInfoProto:
        return helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])

    def const(name: str, value: object, dtype: type = np.float32) -> TensorProto:
        return numpy_helper.from_array(np.asarray(value, dtype=dtype), name)

    inputs = [ids_input("input_ids")]
    init = [numpy_helper.from_array(value, name) for name, value in weights.items()]
    init += [
        const("scale", 1.0 / np.sqrt(DIM)),
        const("one", 1.0),
        const("big_negative", -1e9),
        const("zero", [0], np.int64),
        const("axis0", [0], np.int64),
        const("axis1", [1], np.int64),
        const("axis2", [2], np.int64),
    ]
    node = helper.make_node
    nodes = [
        node("Gather", ["tok_emb", "input_ids"], ["tok"]),
        node("Shape", ["input_ids"], ["seq_len"], start=1, end=2),
        node("Slice", ["pos_emb", "zero", "seq_len", "axis0"], ["pos"]),
        node("Add", ["tok", "pos"], ["x0"]),
    ]
    if token_types:
        inputs.append(ids_input("token_type_ids"))
        nodes += [
            node("Gather", ["type_emb", "token_type_ids"], ["types"]),
            node("Add", ["x0", "types"], ["x"]),
        ]
    else:
        nodes.append(node("Identity", ["x0"], ["x"]))
    if mask_input:
        inputs.append(ids_input("attention_mask"))
        nodes.append(node("Identity", ["attention_mask"], ["mask"]))
    else:
        ones = helper.make_tensor("ones", TensorProto.INT64, [1], [1])
        nodes += [
            node("Shape", ["input_ids"], ["ids_shape"]),
            node("ConstantOfShape", ["ids_shape"], ["mask"], value=ones),
        ]
    if extra_input:
        inputs.append(ids_input(extra_input))
    nodes += [
        node("Cast", ["mask"], ["maskf"], to=TensorProto.FLOAT),
        node("MatMul", ["x", "wq"], ["q"]),
        node("MatMul", ["x", "wk"], ["k"]),
        node("MatMul", ["x", "wv"], ["v"]),
        node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        node("MatMul", ["q", "kt"], ["raw_scores"]),
        node("Mul", ["raw_scores", "scale"], ["scores"]),
        # Padded keys get a large negative bias, so softmax gives them ~0 weight.
        node("Unsqueeze", ["maskf", "axis1"], ["mask_keys"]),
        node("Sub", ["one", "mask_keys"], ["masked_out"]),
        node("Mul", ["masked_out", "big_negative"], ["bias"]),
        node("Add", ["scores", "bias"], ["biased"]),
        node("Softmax", ["biased"], ["attention"], axis=-1),
        node("MatMul", ["attention", "v"], ["mixed"]),
        node("MatMul", ["mixed", "wo"], ["projected"]),
        node("Add", ["projected", "x"], ["hidden"]),
        # Mean over the unmasked tokens only.
        node("Unsqueeze", ["maskf", "axis2"], ["mask_tokens"]),
        node("Mul", ["hidden", "mask_tokens"], ["kept"]),
        node("ReduceSum", ["kept", "axis1"], ["summed"], keepdims=0),
        node("ReduceSum", ["mask_tokens", "axis1"], ["count"], keepdims=0),
        node("Div", ["summed", "count"], ["pooled"]),
        node("MatMul", ["pooled", "wc"], ["class_scores"]),
        node("Add", ["class_scores", "bc"], ["logits" if static_width else "fixed_logits"]),
    ]
    if not static_width:
        # A reshape to a computed shape hides the class count from onnxruntime's shape inference.
        init.append(const("minus_one", [-1], np.int64))
        nodes += [
            node("Shape", ["input_ids"], ["batch_size"], start=0, end=1),
            node("Concat", ["batch_size", "minus_one"], ["logits_shape"], axis=0),
            node("Reshape", ["fixed_logits", "logits_shape"], ["logits"]),
        ]
    width: int | str = classes if static_width else "classes"
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", width])
    graph = helper.make_graph(nodes, "toy_sentiment", inputs, [output], init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # old enough for any onnxruntime that supports opset 17
    onnx.checker.check_model(model)
    return model


def reference(
    weights: dict[str, np.ndarray], ids: list[int], types: list[int] | None = None
) -> np.ndarray:
    """The same forward pass in numpy (float64), for one unpadded text: class probabilities."""
    w = {name: value.astype(np.float64) for name, value in weights.items()}
    x = w["tok_emb"][ids] + w["pos_emb"][: len(ids)]
    if types is not None:
        x = x + w["type_emb"][types]
    q, k, v = x @ w["wq"], x @ w["wk"], x @ w["wv"]
    scores = q @ k.T / np.sqrt(DIM)
    attention = np.exp(scores - scores.max(axis=1, keepdims=True))
    attention /= attention.sum(axis=1, keepdims=True)
    hidden = attention @ v @ w["wo"] + x
    logits = hidden.mean(axis=0) @ w["wc"] + w["bc"]
    probs: np.ndarray = np.exp(logits - logits.max())
    probs /= probs.sum()
    return probs


def token_ids(text: str, limit: int | None = None) -> list[int]:
    words = [VOCAB.get(word, VOCAB["[UNK]"]) for word in text.lower().split()]
    if limit is not None:
        words = words[: limit - 2]
    return [VOCAB["[CLS]"], *words, VOCAB["[SEP]"]]


def write_tokenizer(path: Path) -> None:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.WordLevel(VOCAB, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", VOCAB["[CLS]"]), ("[SEP]", VOCAB["[SEP]"])],
    )
    tokenizer.save(str(path))


def make_folder(
    path: Path, *, classes: int = 3, id2label: dict[str, str] | None = None, **graph: Any
) -> Toy:
    path.mkdir(parents=True)
    weights = make_weights(classes)
    onnx.save(build_graph(weights, **graph), str(path / "model.onnx"))
    write_tokenizer(path / "tokenizer.json")
    config = {"model_type": "toy", "id2label": id2label or THREE, "pad_token_id": 0}
    (path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return path, weights


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Toy:
    return make_folder(tmp_path_factory.mktemp("models") / "toy-sentiment")


@pytest.fixture(scope="module")
def method(toy: Toy) -> TransformerSentiment:
    return TransformerSentiment(toy[0], batch_size=4, threads=1)


SENTENCES = [
    "i love this movie",
    "the food was awful",
    "great service and excellent food",
    "i hate the service",
    "the movie is ok",
    "we really love it but the day was terrible and awful",
    "this",
    "a day",
    "Great",
]


def test_is_a_sentiment_method_named_after_the_folder(method: TransformerSentiment) -> None:
    checked: SentimentMethod = method
    assert checked.name == "transformer:toy-sentiment"


def test_labels_follow_the_sentiment_words(method: TransformerSentiment) -> None:
    texts = ["i love this movie", "the food was awful", "i hate it", "great day", "the movie"]
    labels = [o.label for o in method.opinions(texts)]
    assert labels == ["positive", "negative", "negative", "positive", "neutral"]
    scores = [o.score or 0.0 for o in method.opinions(texts)]
    assert scores[0] > 0.5 and scores[1] < -0.5 and abs(scores[4]) < 0.2


def test_scores_match_a_numpy_forward_pass(toy: Toy, method: TransformerSentiment) -> None:
    opinions = method.opinions(SENTENCES, ["en"] * len(SENTENCES))
    for text, opinion in zip(SENTENCES, opinions, strict=True):
        probs = reference(toy[1], token_ids(text))
        assert opinion.score == pytest.approx(probs[2] - probs[0], abs=1e-5)
        assert opinion.label == ("negative", "neutral", "positive")[int(probs.argmax())]
        assert opinion.language == "en" and opinion.method == "transformer:toy-sentiment"


def test_batching_and_padding_do_not_change_results(toy: Toy) -> None:
    one_by_one = TransformerSentiment(toy[0], batch_size=1, threads=1)
    batched = TransformerSentiment(toy[0], batch_size=64, threads=1)
    singles = [one_by_one.opinions([text])[0] for text in SENTENCES]
    # One batch mixes 1-word and 11-word texts, so most rows are padded.
    together = batched.opinions(SENTENCES)
    assert [o.label for o in together] == [o.label for o in singles]
    assert [o.score for o in together] == pytest.approx([o.score for o in singles], abs=1e-6)


def test_empty_texts_get_no_opinion_and_skip_the_model(method: TransformerSentiment) -> None:
    opinions = method.opinions(["", "i love it", "   "], ["fr", None, "de"])
    assert opinions[0] == Opinion(None, None, "fr", "transformer:toy-sentiment")
    assert opinions[2] == Opinion(None, None, "de", "transformer:toy-sentiment")
    assert opinions[1].label == "positive" and opinions[1].language is None
    assert method.opinions([]) == []
    assert method.opinions(["", ""]) == [Opinion(None, None, None, method.name)] * 2


def test_languages_must_match_texts(method: TransformerSentiment) -> None:
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        method.opinions(["a", "b"], ["en"])


def test_very_long_texts_are_truncated(toy: Toy) -> None:
    # The toy has 64 positions: without truncation onnxruntime would fail on 10,002 tokens.
    long_text = " ".join(["the", "movie", "was", "great"] * 2500)
    short = TransformerSentiment(toy[0], max_length=16, threads=1)
    (opinion,) = short.opinions([long_text])
    probs = reference(toy[1], token_ids(long_text, limit=16))
    assert opinion.label == "positive"
    assert opinion.score == pytest.approx(probs[2] - probs[0], abs=1e-5)


def test_token_type_ids_are_fed_when_the_graph_declares_them(tmp_path: Path) -> None:
    folder, weights = make_folder(tmp_path / "typed", token_types=True)
    (opinion,) = TransformerSentiment(folder, threads=1).opinions(["great food"])
    ids = token_ids("great food")
    probs = reference(weights, ids, types=[0] * len(ids))
    assert opinion.score == pytest.approx(probs[2] - probs[0], abs=1e-5)


def test_models_without_attention_mask_run_one_text_at_a_time(tmp_path: Path) -> None:
    folder, weights = make_folder(tmp_path / "unmasked", mask_input=False)
    method = TransformerSentiment(folder, threads=1)
    assert method.batch_size == 1
    for text, opinion in zip(SENTENCES, method.opinions(SENTENCES), strict=True):
        probs = reference(weights, token_ids(text))
        assert opinion.score == pytest.approx(probs[2] - probs[0], abs=1e-5)


def test_two_class_models_are_neutral_when_unsure(tmp_path: Path) -> None:
    folder, weights = make_folder(tmp_path / "binary", classes=2, id2label={"0": "NEG", "1": "POS"})
    method = TransformerSentiment(folder, threads=1)
    opinions = method.opinions(["i love it", "i hate it", "the movie"])
    assert [o.label for o in opinions] == ["positive", "negative", "neutral"]
    probs = reference(weights, token_ids("the movie"))
    assert probs.max() < 0.6
    assert opinions[2].score == pytest.approx(probs[1] - probs[0], abs=1e-5)
    lenient = TransformerSentiment(folder, threads=1, neutral_margin=0.0)
    assert lenient.opinions(["the movie"])[0].label != "neutral"


def test_star_models_score_the_expected_stars(tmp_path: Path) -> None:
    stars = {str(i): f"{i + 1} star{'s' if i else ''}" for i in range(5)}
    folder, weights = make_folder(tmp_path / "stars", classes=5, id2label=stars)
    method = TransformerSentiment(folder, threads=1)
    texts = ["i love it", "i hate it", "the movie", "great and excellent"]
    for text, opinion in zip(texts, method.opinions(texts), strict=True):
        probs = reference(weights, token_ids(text))
        expected_stars = float(probs @ np.arange(1, 6))
        assert opinion.score == pytest.approx((expected_stars - 3) / 2, abs=1e-5)
        grouped = [probs[:2].sum(), probs[2], probs[3:].sum()]
        assert opinion.label == ("negative", "neutral", "positive")[int(np.argmax(grouped))]
    assert [o.label for o in method.opinions(texts)] == [
        "positive",
        "negative",
        "neutral",
        "positive",
    ]


GENERIC = {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}


def test_generic_labels_need_a_mapping(tmp_path: Path) -> None:
    folder, _ = make_folder(tmp_path / "generic", id2label=GENERIC)
    with pytest.raises(TextModelError, match=r"config\.json.*LABEL_0.*cadran_labels"):
        TransformerSentiment(folder)
    named = TransformerSentiment(folder, labels=("negative", "neutral", "positive"), threads=1)
    assert named.opinions(["i love it"])[0].label == "positive"
    # A reversed mapping reverses the answer: the argument really decides.
    flipped = TransformerSentiment(folder, labels=("positive", "neutral", "negative"), threads=1)
    assert flipped.opinions(["i love it"])[0].label == "negative"
    config = json.loads((folder / "config.json").read_text())
    config["cadran_labels"] = ["Negative", "Neutral", "Positive"]
    (folder / "config.json").write_text(json.dumps(config))
    assert TransformerSentiment(folder).opinions(["i hate it"])[0].label == "negative"
    with pytest.raises(TextModelError, match="labels argument names 2 classes"):
        TransformerSentiment(folder, labels=("negative", "positive"))


# Each case breaks one thing in a copy of the toy folder; the error must name the file.
def _remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.unlink()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


BROKEN = {
    "no model": (_remove("model.onnx"), "model.onnx.*not found"),
    "no tokenizer": (_remove("tokenizer.json"), "tokenizer.json.*not found"),
    "no config": (_remove("config.json"), "config.json.*not found"),
    "garbage onnx": (_write("model.onnx", b"\x00not a model\xff"), "model.onnx.*ONNX"),
    "bad tokenizer": (_write("tokenizer.json", '{"model": 1}'), "tokenizer.json.*tokenizer"),
    "tokenizer not json": (_write("tokenizer.json", "[[["), "tokenizer.json"),
    "config not json": (_write("config.json", "{"), "config.json.*JSON"),
    "config a list": (_write("config.json", "[]"), "config.json.*object"),
    "no id2label": (_write("config.json", '{"model_type": "x"}'), "config.json.*id2label"),
    "bad ids": (_write("config.json", '{"id2label": {"a": "negative"}}'), "config.json.*id2"),
    "gap in ids": (
        _write("config.json", '{"id2label": {"0": "negative", "2": "positive"}}'),
        r"config\.json.*0\.\.1",
    ),
    "not sentiment": (
        _write("config.json", '{"id2label": {"0": "joy", "1": "anger", "2": "fear"}}'),
        "config.json.*joy",
    ),
    "too many labels": (
        _write("config.json", json.dumps({"id2label": {**THREE, "3": "neutral"}})),
        r"model\.onnx.*3 classes, expected 4.*config\.json",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_folders_raise_errors_naming_the_file(toy: Toy, tmp_path: Path, case: str) -> None:
    folder = shutil.copytree(toy[0], tmp_path / "broken")
    breakage, message = BROKEN[case]
    breakage(folder)
    with pytest.raises(TextModelError, match=message):
        TransformerSentiment(folder)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(TextModelError, match=r"nowhere.*model folder not found"):
        TransformerSentiment(tmp_path / "nowhere")
    assert issubclass(TextModelError, ValueError)


def test_output_width_checked_when_only_known_at_run_time(tmp_path: Path) -> None:
    four = {**THREE, "3": "neutral"}
    folder, _ = make_folder(tmp_path / "dynamic", id2label=four, static_width=False)
    method = TransformerSentiment(folder, threads=1)
    with pytest.raises(TextModelError, match=r"model\.onnx.*shape \(1, 3\).*config\.json"):
        method.opinions(["i love it"])


def test_unknown_graph_inputs_are_refused(tmp_path: Path) -> None:
    folder, _ = make_folder(tmp_path / "odd", extra_input="pixel_values")
    with pytest.raises(TextModelError, match=r"model\.onnx.*'pixel_values'"):
        TransformerSentiment(folder)


@pytest.mark.parametrize("module", ["onnxruntime", "tokenizers"])
def test_missing_libraries_say_what_to_install(
    toy: Toy, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    with pytest.raises(TextModelError, match=rf"{module} is not installed.*cadran\[transformer\]"):
        TransformerSentiment(toy[0])
