"""Rule-based opinion strength of a text: opinion words, shifted by the words around them.

The rules follow the heuristics Hutto & Gilbert measured with human raters for VADER (ICWSM
2014), with their published constants, written here for Cadran's tokens and for French:

- each opinion word brings its lexicon valence (−4…+4); an idiom ("pas mal", "yeah right")
  replaces the valences of its words;
- a booster among the three words before it adds ±0.293 (×1, ×0.95, ×0.9 with distance); a
  word in capitals in a text that is not all capitals adds 0.733 in its own direction; an
  elongated opinion word ("sooo goood") adds a booster's worth;
- a negator among the three words before it (in the same sentence) multiplies by −0.74;
  French also negates a word followed by "pas", "jamais", "plus"… ("j'aime pas");
- after a contrast word ("but", "mais") opinions weigh 1.5 and before it 0.5;
- exclamation marks (up to four, 0.292 each) and repeated question marks (0.18 each up to
  three, 0.96 beyond) strengthen the overall direction;
- the sum s is squashed to a compound score s / √(s² + 15) in (−1, 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cadran.text.lexicon import BOOST, Lexicon
from cadran.text.tokens import Token, collapse

CAPS = 0.733
NEGATION = -0.74
EXCLAMATION, MAX_EXCLAMATIONS = 0.292, 4
QUESTION, MANY_QUESTIONS = 0.18, 0.96
ALPHA = 15.0
_WINDOW = 3
_DISTANCE = (1.0, 0.95, 0.9)
_OPINION_KINDS = frozenset({"word", "elision", "emoji", "emoticon"})
_PICTURES = frozenset({"emoji", "emoticon"})


@dataclass(frozen=True, slots=True)
class Valence:
    """What the rules found: the compound score and its parts."""

    compound: float  # in (−1, 1)
    positive: float  # sum of positive contributions
    negative: float  # sum of negative contributions (≤ 0)
    opinions: int  # number of opinion words or idioms that counted


NEUTRAL = Valence(0.0, 0.0, 0.0, 0)


def _lookup(lexicon: Lexicon, token: Token, key: str) -> float | None:
    value = lexicon.valence(key)
    if value is None and token.kind == "emoticon":
        value = lexicon.valences.get(token.raw)
    if value is None and token.elongated:
        # "loove" -> "love", "nuul" -> "nul": stretched letters are often doubled in the word.
        value = lexicon.valence(collapse(key))
    return value


def _is_negator(lexicon: Lexicon, key: str) -> bool:
    return key in lexicon.negators or key.endswith("n't") or key == "n'"


def valence(tokens: Sequence[Token], lexicon: Lexicon) -> Valence:
    """The rule-based valence of a tokenised text (see the module docstring)."""
    keys: list[str] = []
    units: list[Token] = []
    sentence: list[int] = []
    exclamations = questions = 0
    current = 0
    for token in tokens:
        if token.kind == "punct":
            if token.norm == "!":
                exclamations += token.raw.count("!")
            elif token.norm == "?":
                questions += token.raw.count("?")
            current += 1
        elif token.kind in _OPINION_KINDS:
            keys.append(token.key)
            units.append(token)
            sentence.append(current)
    if not keys:
        return NEUTRAL
    shouted = [t.shouted for t in units]
    mixed = any(shouted) and not all(shouted)
    scores = _word_scores(keys, units, sentence, shouted, mixed, lexicon)
    _contrast(keys, scores, lexicon)
    total = sum(s for s in scores if s is not None)
    opinions = sum(1 for s in scores if s is not None)
    if total:
        emphasis = min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION
        if questions > 1:
            emphasis += questions * QUESTION if questions <= 3 else MANY_QUESTIONS
        total += emphasis if total > 0 else -emphasis
    positive = sum(s for s in scores if s is not None and s > 0)
    negative = sum(s for s in scores if s is not None and s < 0)
    return Valence(total / math.sqrt(total * total + ALPHA), positive, negative, opinions)


def _word_scores(
    keys: list[str],
    units: list[Token],
    sentence: list[int],
    shouted: list[bool],
    mixed: bool,
    lexicon: Lexicon,
) -> list[float | None]:
    scores: list[float | None] = [None] * len(keys)
    idioms, boosters, starts = lexicon.idioms, lexicon.boosters, lexicon.idiom_starts
    skip_until = -1
    for i, key in enumerate(keys):
        if i <= skip_until:
            continue
        idiom = _idiom_at(keys, i, idioms) if key in starts else None
        if idiom:
            length, scores[i] = idiom
            skip_until = i + length - 1
            continue
        if key in boosters:
            continue
        found = _lookup(lexicon, units[i], key)
        if found is None:
            continue
        value = found
        direction = 1.0 if value >= 0 else -1.0
        if mixed and shouted[i]:
            value += CAPS * direction
        if units[i].elongated:
            value += BOOST * direction
        if units[i].kind in _PICTURES:
            # An emoji or emoticon says what the writer feels; words before it do not flip it
            # ("still no cheque :(" is negative).
            scores[i] = value
            continue
        negated = False
        for distance in range(1, _WINDOW + 1):
            j = i - distance
            if j < 0 or sentence[j] != sentence[i]:
                break
            before = keys[j]
            boost = boosters.get(before)
            if boost is not None and value:
                extra = boost + (CAPS if mixed and shouted[j] else 0.0) * (1 if boost > 0 else -1)
                value += extra * direction * _DISTANCE[distance - 1]
            if _is_negator(lexicon, before):
                negated = True
        after = i + 1
        if after < len(keys) and sentence[after] == sentence[i]:
            negated = negated or keys[after] in lexicon.negate_after
        scores[i] = value * NEGATION if negated else value
    return scores


def _idiom_at(
    keys: list[str], i: int, idioms: Mapping[tuple[str, ...], float]
) -> tuple[int, float] | None:
    for length in (4, 3, 2):
        value = idioms.get(tuple(keys[i : i + length]))
        if value is not None:
            return length, value
    return None


def _contrast(keys: list[str], scores: list[float | None], lexicon: Lexicon) -> None:
    """Opinions after the last contrast word weigh 1.5, those before it 0.5."""
    at = max((i for i, k in enumerate(keys) if k in lexicon.contrasts), default=-1)
    if at < 0:
        return
    for i, score in enumerate(scores):
        if score is not None:
            scores[i] = score * (0.5 if i < at else 1.5)
