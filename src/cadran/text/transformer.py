"""Sentiment from a local transformer model folder (ONNX), for users who bring their own model.

The folder is what ``optimum-cli export onnx --task text-classification`` writes: ``model.onnx``,
``tokenizer.json`` and ``config.json``. Nothing is ever downloaded: if a file is missing or not
what we expect, :class:`TextModelError` says which one and why. ``onnxruntime`` and
``tokenizers`` are optional dependencies, imported only when a model is loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cadran.text.opinion import LABELS, Opinion

#: A two-class (negative/positive) model has no neutral class; when its most probable class is
#: below this probability, the text is labelled neutral. 0.6 keeps near-coin-flip texts neutral
#: while leaving clear cases (which such models usually give > 0.9) alone.
NEUTRAL_MARGIN = 0.6

# Common spellings of the three classes in published sentiment models. "Very" classes fold
# into their side: their probability counts towards that side's score.
_ALIASES = {
    "negative": "negative", "neg": "negative", "very negative": "negative",
    "neutral": "neutral", "neu": "neutral", "mixed": "neutral",
    "positive": "positive", "pos": "positive", "very positive": "positive",
}  # fmt: skip
_STARS = re.compile(r"([1-5])\s*stars?")
_GENERIC = re.compile(r"label_\d+")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class TextModelError(ValueError):
    """A model folder that cannot be used; the message names the file and what was expected."""


class TransformerSentiment:
    """A :class:`~cadran.text.opinion.SentimentMethod` backed by a local ONNX text classifier.

    ``labels`` names the model's classes in id order (e.g. ``("negative", "neutral",
    "positive")``) for models whose ``config.json`` only says ``LABEL_0``, ``LABEL_1``...; a
    ``cadran_labels`` list in ``config.json`` does the same. ``neutral_margin`` only matters for
    two-class models (see :data:`NEUTRAL_MARGIN`).
    """

    def __init__(
        self,
        folder: Path,
        *,
        batch_size: int = 32,
        max_length: int = 256,
        threads: int = 2,
        labels: Sequence[str] | None = None,
        neutral_margin: float = NEUTRAL_MARGIN,
    ) -> None:
        if batch_size < 1 or max_length < 3 or threads < 1:
            raise ValueError("batch_size and threads must be >= 1, max_length >= 3")
        folder = Path(folder)
        if not folder.is_dir():
            raise TextModelError(f"{folder}: model folder not found (expected a directory)")
        self.folder = folder
        self.name = f"transformer:{folder.name}"
        self.batch_size = batch_size
        self.neutral_margin = neutral_margin
        config = _read_config(folder / "config.json")
        names = _class_names(folder / "config.json", config, labels)
        groups, values = _mapping(folder / "config.json", names)
        # grouped probabilities = probs @ _groups; score = probs @ _values (one row per text).
        self._present = [label for label in LABELS if label in groups]
        self._groups = np.array([[g == label for label in self._present] for g in groups], float)
        self._values = np.array(values, dtype=np.float64)
        session, self._feeds, self._output, width = _load_session(folder / "model.onnx", threads)
        if width is not None and width != len(names):
            raise TextModelError(
                f"{folder / 'model.onnx'}: output {self._output!r} has {width} classes,"
                f" expected {len(names)} to match id2label in config.json"
            )
        self._session = session
        self._tokenizer = _load_tokenizer(folder / "tokenizer.json", config, max_length)
        # Without an attention mask, padding would change what the model sees: run one by one.
        if "attention_mask" not in self._feeds:
            self.batch_size = 1
            self._tokenizer.no_padding()

    def opinions(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[Opinion]:
        """One opinion per text; empty texts get ``label=None, score=None`` (no model call)."""
        if languages is not None and len(languages) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        results: list[tuple[str | None, float | None]] = [(None, None)] * len(texts)
        # Sorting by length puts similar texts in one batch, so little time goes into padding.
        todo = sorted((i for i, t in enumerate(texts) if t.strip()), key=lambda i: len(texts[i]))
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            probs = self._probabilities([texts[i] for i in batch])
            grouped = probs @ self._groups
            scores = np.clip(probs @ self._values, -1.0, 1.0)
            for row, i in enumerate(batch):
                best = int(grouped[row].argmax())
                label = self._present[best]
                # A two-class model has no neutral class: an unsure answer is neutral.
                if "neutral" not in self._present and grouped[row, best] < self.neutral_margin:
                    label = "neutral"
                results[i] = (label, float(scores[row]))
        return [
            Opinion(label, score, languages[i] if languages else None, self.name)
            for i, (label, score) in enumerate(results)
        ]

    def _probabilities(self, texts: list[str]) -> npt.NDArray[np.float64]:
        """Class probabilities, one row per text, in the model's class order."""
        encodings = self._tokenizer.encode_batch(texts)
        columns = {
            "input_ids": [e.ids for e in encodings],
            "attention_mask": [e.attention_mask for e in encodings],
            "token_type_ids": [e.type_ids for e in encodings],
        }
        feed = {name: np.asarray(columns[name], dtype=dtype) for name, dtype in self._feeds.items()}
        try:
            (raw,) = self._session.run([self._output], feed)
        except Exception as exc:  # onnxruntime raises its own, unexported error classes
            raise TextModelError(f"{self.folder / 'model.onnx'}: inference failed: {exc}") from exc
        logits: npt.NDArray[np.float64] = np.asarray(raw, dtype=np.float64)
        width = len(self._values)
        if logits.shape != (len(texts), width):
            raise TextModelError(
                f"{self.folder / 'model.onnx'}: output {self._output!r} has shape {logits.shape},"
                f" expected ({len(texts)}, {width}) to match id2label in config.json"
            )
        # Subtracting the row maximum keeps exp() from overflowing; the result is unchanged.
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return probs


def _read_config(path: Path) -> dict[str, Any]:
    """config.json as a dict (it holds id2label, and sometimes cadran_labels and pad_token_id)."""
    if not path.is_file():
        raise TextModelError(f"{path}: file not found (expected the model's config.json)")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TextModelError(f"{path}: not readable JSON ({exc})") from exc
    if not isinstance(config, dict):
        raise TextModelError(f"{path}: expected a JSON object")
    return config


def _class_names(path: Path, config: dict[str, Any], labels: Sequence[str] | None) -> list[str]:
    """The model's class names in id order: ``labels``, else ``cadran_labels``, else id2label."""
    id2label = config.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise TextModelError(f"{path}: expected an 'id2label' object naming the model's classes")
    try:
        by_id = {int(k): str(v) for k, v in id2label.items()}
    except ValueError as exc:
        raise TextModelError(f"{path}: id2label keys must be class numbers ({exc})") from exc
    if sorted(by_id) != list(range(len(by_id))):
        raise TextModelError(f"{path}: id2label keys must be 0..{len(by_id) - 1}")
    names = [by_id[i] for i in range(len(by_id))]
    override = labels if labels is not None else config.get("cadran_labels")
    if override is None:
        return names
    source = "the labels argument" if labels is not None else "cadran_labels"
    if isinstance(override, str) or not isinstance(override, Sequence):
        raise TextModelError(f"{path}: {source} must be a list of class names")
    if len(override) != len(names):
        raise TextModelError(
            f"{path}: {source} names {len(override)} classes, id2label has {len(names)}"
        )
    return [str(name) for name in override]


def _mapping(path: Path, names: list[str]) -> tuple[list[str], list[float]]:
    """Cadran's label for each class, and what the class adds to the score when it is certain."""
    keys = [" ".join(name.lower().replace("_", " ").split()) for name in names]
    matches = [_STARS.fullmatch(key) for key in keys]
    stars = [int(m.group(1)) for m in matches if m]
    if len(stars) == len(names) and min(stars) <= 2 and max(stars) >= 4:
        # Expected stars 1..5 map linearly onto -1..1, so the score is linear in stars too.
        groups = [LABELS[(s > 2) + (s > 3)] for s in stars]
        return groups, [(s - 3) / 2 for s in stars]
    if any(_GENERIC.fullmatch(name.lower()) for name in names):
        raise TextModelError(
            f"{path}: the classes are only named {names}; say what they mean with a"
            ' "cadran_labels" list in config.json or labels=("negative", "neutral", "positive")'
        )
    groups = [_ALIASES.get(key, "") for key in keys]
    if "" in groups or "negative" not in groups or "positive" not in groups:
        raise TextModelError(
            f"{path}: expected sentiment classes (negative/neutral/positive, neg/neu/pos or"
            f" '1 star'..'5 stars'), found {names}"
        )
    return groups, [{"negative": -1.0, "neutral": 0.0, "positive": 1.0}[g] for g in groups]


def _load_session(
    path: Path, threads: int
) -> tuple[Any, dict[str, type[np.integer]], str, int | None]:
    """The session, the inputs to feed (with their integer type), the logits' name and width."""
    try:
        # onnxruntime ships no type hints; the extra codes keep mypy quiet when it is absent.
        import onnxruntime as ort  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:
        raise TextModelError(
            f"{path}: onnxruntime is not installed (install cadran[transformer])"
        ) from exc
    if not path.is_file():
        raise TextModelError(f"{path}: file not found (expected the ONNX model)")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1  # one graph at a time: extra pools only compete for cores
    options.log_severity_level = 3  # onnxruntime's warnings are about the graph, not the user
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own, unexported error classes
        raise TextModelError(f"{path}: not a usable ONNX model ({exc})") from exc
    feeds: dict[str, type[np.integer]] = {}
    for arg in session.get_inputs():
        if arg.name not in _INPUTS:
            raise TextModelError(
                f"{path}: the model needs input {arg.name!r}; expected only {', '.join(_INPUTS)}"
            )
        feeds[arg.name] = np.int32 if arg.type == "tensor(int32)" else np.int64
    if "input_ids" not in feeds:
        raise TextModelError(f"{path}: expected the model to take an 'input_ids' input")
    outputs = {o.name: o for o in session.get_outputs()}
    name = "logits" if "logits" in outputs else next(iter(outputs))
    shape = outputs[name].shape  # dimensions are ints, or names/None when dynamic
    width = shape[-1] if shape and isinstance(shape[-1], int) else None
    return session, feeds, name, width


def _load_tokenizer(path: Path, config: dict[str, Any], max_length: int) -> Any:
    """The tokenizer, truncating to ``max_length`` and padding to the longest text of a batch."""
    try:
        from tokenizers import Tokenizer  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise TextModelError(
            f"{path}: tokenizers is not installed (install cadran[transformer])"
        ) from exc
    if not path.is_file():
        raise TextModelError(f"{path}: file not found (expected a Hugging Face tokenizer.json)")
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises plain Exception for bad files
        raise TextModelError(f"{path}: not a valid Hugging Face tokenizer.json ({exc})") from exc
    # The pad token: the tokenizer's own setting, else config.json's, else a usual spelling.
    # Its value barely matters, since the attention mask hides padded positions.
    padding = tokenizer.padding or {}
    pad_id = padding.get("pad_id")
    if pad_id is None and isinstance(config.get("pad_token_id"), int):
        pad_id = config["pad_token_id"]
    for token in ("<pad>", "[PAD]", "<PAD>"):
        if pad_id is None:
            pad_id = tokenizer.token_to_id(token)
    pad_id = int(pad_id or 0)
    pad_token = tokenizer.id_to_token(pad_id) or "[PAD]"
    # Per-batch padding replaces any fixed length the export may have saved.
    tokenizer.enable_padding(pad_id=pad_id, pad_token=pad_token)
    tokenizer.enable_truncation(max_length)
    return tokenizer
