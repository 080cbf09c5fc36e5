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
# A text with words but no opinion: what the sums below give when there is nothing to sum.
_UNMOVED = Valence(0.0, 0, 0, 0)


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
        kind = token.kind
        if kind in _OPINION_KINDS:
            keys.append(token.key)
            units.append(token)
            sentence.append(current)
        elif kind == "punct":
            if token.norm == "!":
                exclamations += token.raw.count("!")
            elif token.norm == "?":
                questions += token.raw.count("?")
            current += 1
    if not keys:
        return NEUTRAL
    scores = _word_scores(keys, units, sentence, lexicon)
    if not lexicon.contrasts.isdisjoint(keys):
        _contrast(keys, scores, lexicon)
    found = [s for s in scores if s is not None]
    if not found:
        return _UNMOVED
    total = sum(found)
    if total:
        emphasis = min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION
        if questions > 1:
            emphasis += questions * QUESTION if questions <= 3 else MANY_QUESTIONS
        total += emphasis if total > 0 else -emphasis
    positive = sum(s for s in found if s > 0)
    negative = sum(s for s in found if s < 0)
    return Valence(total / math.sqrt(total * total + ALPHA), positive, negative, len(found))


def _values(keys: list[str], units: list[Token], lexicon: Lexicon) -> list[float | None]:
    """Each unit's valence in the lexicon (see :func:`_lookup`), looked up in one call."""
    values = lexicon.valences_of(keys)
    for i, unit in enumerate(units):
        if (unit.elongated or unit.kind == "emoticon") and values[i] is None:
            values[i] = _lookup(lexicon, unit, keys[i])
    return values


def _word_scores(
    keys: list[str], units: list[Token], sentence: list[int], lexicon: Lexicon
) -> list[float | None]:
    """Each unit's contribution (None if it brings none), before contrast weights.

    Only the units that have a valence or may start an idiom can bring one; the others are
    never visited (they still count as the words around an opinion).
    """
    scores: list[float | None] = [None] * len(keys)
    values = _values(keys, units, lexicon)
    idioms, boosters, starts = lexicon.idioms, lexicon.boosters, lexicon.idiom_starts
    if starts.isdisjoint(keys):
        candidates = [i for i, value in enumerate(values) if value is not None]
    else:
        candidates = [
            i
            for i, (key, value) in enumerate(zip(keys, values, strict=True))
            if value is not None or key in starts
        ]
    seconds = lexicon.idiom_seconds
    last = len(keys) - 1
    mixed: bool | None = None  # some words in capitals and some not (computed when needed)
    shouted: list[bool] = []
    skip_until = -1
    for i in candidates:
        if i <= skip_until:
            continue
        key = keys[i]
        # An idiom starts here only if the next word follows ``key`` in some idiom; at the
        # last word, where the looked-up word tuples are cut short, only a one-word one can.
        if key in starts and (i == last or keys[i + 1] in seconds.get(key, ())):
            idiom = _idiom_at(keys, i, idioms)
            if idiom:
                length, scores[i] = idiom
                skip_until = i + length - 1
                continue
        if key in boosters:
            continue
        found = values[i]
        if found is None:
            continue
        if mixed is None:
            shouted = [t.shouted for t in units]
            mixed = any(shouted) and not all(shouted)
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
