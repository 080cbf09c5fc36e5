"""The features Cadran's learned sentiment models read from a tokenised text.

Used both to train a model (``cadran.text.training``) and to apply it (``cadran.text.linear``),
so that the two can never drift apart.

- Word features: lower-cased words without accents, emoji, emoticons and placeholders, alone
  and in pairs; words in a negation's scope (up to three words after a negator, within the
  sentence) are prefixed ``NOT_`` so that "pas content" and "content" are different features.
- Character features: 2- to 5-letter pieces of each word, padded with spaces at both ends,
  which carry misspellings, inflections and hashtags glued together ("#jadore").
- Word vectors (when the model has them): each unit is looked up as :func:`vector_key` gives.
  Negation has no vector, neither the negators (:func:`without_vector`) nor the words in their
  scope: a negated word's vector says what the word means, not what "not" it means ("pas mal"
  is no "mal"), and a negator's vector reads every negation as a complaint. The word features
  and the rules read negation.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from cadran.text.lexicon import Lexicon
from cadran.text.tokens import Token, collapse

_SCOPE = 3
_KEPT = frozenset({"word", "elision", "emoji", "emoticon", "url", "user", "number"})
CHAR_SIZES = (2, 3, 4, 5)


def word_units(tokens: Sequence[Token], lexicon: Lexicon) -> list[str]:
    """The word-level units of a text, negation scopes marked (see the module docstring)."""
    units: list[str] = []
    scope = 0
    negators = lexicon.negators
    for token in tokens:
        kind = token.kind
        if kind == "punct":
            units.append(token.norm)
            scope = 0
            continue
        if kind not in _KEPT:
            continue
        if kind == "number":
            units.append("<num>")
            continue
        key = token.key
        if token.elongated:
            units.append("<elongated>")
            key = collapse(key)
        if _negates(key, negators):
            units.append(key)
            scope = _SCOPE
        elif scope and kind in ("word", "elision"):
            units.append("NOT_" + key)
            scope -= 1
        else:
            units.append(key)
    return units


def word_features(units: Sequence[str]) -> list[str]:
    """Units alone and in adjacent pairs."""
    features = list(units)
    features.extend(a + " " + b for a, b in pairwise(units))
    return features


def _negates(key: str, negators: frozenset[str]) -> bool:
    return key in negators or key.endswith("n't") or key == "n'"


def without_vector(key: str, lexicon: Lexicon) -> bool:
    """Whether a word is kept out of the word-vector block: a negator, or French "ne"."""
    return _negates(key, lexicon.negators) or key == "ne"


def vector_key(unit: str) -> str | None:
    """The word a unit's vector is looked up by: the unit itself, or None if it is negated."""
    return None if unit.startswith("NOT_") else unit


def char_features(units: Sequence[str]) -> list[str]:
    """Padded 2- to 5-character pieces of each alphabetic unit."""
    features: list[str] = []
    extend = features.extend
    for unit in units:
        if unit.startswith("NOT_"):
            unit = unit[4:]
        if not unit[:1].isalpha():
            continue
        padded = f" {unit} "
        length = len(padded)
        for size in CHAR_SIZES:
            if size > length:
                break
            extend(padded[i : i + size] for i in range(length - size + 1))
    return features
