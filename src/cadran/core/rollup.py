"""Combining scores: children into a parent, and one indicator's values across periods.

Roll-up (section 5 of the KPI reference): BSC Designer's containers default to a weighted
average of their children's scores and also offer average, min and max; children without a
score (n/a) are left out and the remaining weights renormalised, as Spider Impact does. Sum and
"self-standing" are not offered: a sum of fractions is not a score, and a self-standing
container simply has no roll-up.

Grouping across periods: BSC Designer and Spider Impact aggregate a KPI's values over a longer
period by sum, average, last value, min or max, and either carry the last value over periods
without data or use only the values actually entered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TypeGuard

__all__ = [
    "Grouping",
    "Missing",
    "Rolled",
    "Rollup",
    "aggregate_periods",
    "fill_missing",
    "rollup",
]


def _known(x: float | None) -> TypeGuard[float]:
    # NaN is treated as "no value": Cadran never shows a number it could not compute.
    return x is not None and not math.isnan(x)


class Rollup(Enum):
    """How a parent's score is made from its children's scores."""

    WEIGHTED_AVERAGE = "weighted_average"
    AVERAGE = "average"
    MIN = "min"
    MAX = "max"


@dataclass(frozen=True)
class Rolled:
    """A rolled-up score and how much of the children it rests on.

    ``coverage`` is the weight of the children with a score over the weight of all children
    (each child weighs 1 for average, min and max), so a UI can say "based on 60 % of the
    weight"; ``None`` when there is no weight at all. ``counted`` and ``missing`` count the
    children with and without a score; children of weight 0 are in neither.
    """

    score: float | None
    coverage: float | None
    counted: int
    missing: int


def rollup(
    children: Sequence[tuple[float | None, float]],
    how: Rollup = Rollup.WEIGHTED_AVERAGE,
) -> Rolled:
    """Roll up ``(score, weight)`` pairs.

    Children without a score are left out and the other weights renormalised. A weight of 0
    takes a child out of every method (that is how an indicator is switched off in a
    container). ``score`` is ``None`` when no weighted child has a score. Negative or non-finite
    weights raise :class:`ValueError`; definition checks report them to users before this runs.
    """
    known: list[tuple[float, float]] = []
    missing = 0
    total = 0.0
    for score, weight in children:
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"a roll-up weight must be a finite number >= 0, got {weight}")
        if weight == 0:
            continue
        # Average, min and max ignore the weights, so every child counts the same for coverage.
        share = weight if how is Rollup.WEIGHTED_AVERAGE else 1.0
        total += share
        if _known(score):
            known.append((score, share))
        else:
            missing += 1
    if total == 0:
        return Rolled(None, None, 0, 0)
    coverage = math.fsum(w for _, w in known) / total
    if not known:
        return Rolled(None, coverage, 0, missing)
    scores = [s for s, _ in known]
    low, high = min(scores), max(scores)
    if how is Rollup.MIN:
        value = low
    elif how is Rollup.MAX:
        value = high
    else:
        mean = math.fsum(s * w for s, w in known) / math.fsum(w for _, w in known)
        # A mean lies between its extremes; clamping only undoes a last-bit rounding error.
        value = min(max(mean, low), high)
    return Rolled(value, coverage, len(known), missing)


class Grouping(Enum):
    """How values of consecutive periods are combined into one value for a longer period."""

    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"
    MIN = "min"
    MAX = "max"


class Missing(Enum):
    """What a period without a value holds when periods are grouped."""

    CARRY_LAST = "carry_last"
    """The last known value carries over (a stock such as followers stays where it was)."""
    NA = "na"
    """Only values actually entered count; a missing period stays missing."""


def fill_missing(
    values: Sequence[float | None], missing: Missing = Missing.NA
) -> tuple[float | None, ...]:
    """The values by period once the ``missing`` policy is applied.

    With ``CARRY_LAST`` each missing period takes the last known value before it; periods before
    the first known value stay ``None``, as nothing precedes them. NaN counts as missing.
    """
    filled: list[float | None] = []
    last: float | None = None
    for value in values:
        if _known(value):
            last = value
            filled.append(value)
        elif missing is Missing.CARRY_LAST:
            filled.append(last)
        else:
            filled.append(None)
    return tuple(filled)


def aggregate_periods(
    values: Sequence[float | None], how: Grouping, missing: Missing = Missing.NA
) -> float | None:
    """Combine values ordered by period into one value.

    ``SUM``, ``AVERAGE``, ``MIN`` and ``MAX`` use the known values after the ``missing`` policy
    (so with ``CARRY_LAST`` a carried value is summed and averaged once per period it fills).
    ``LAST`` is the last period's value: with ``NA`` it is ``None`` when that period has none.
    ``None`` when no value is known: an empty sum is not 0.
    """
    filled = fill_missing(values, missing)
    if how is Grouping.LAST:
        return filled[-1] if filled else None
    known = [v for v in filled if v is not None]
    if not known:
        return None
    if how is Grouping.SUM:
        return math.fsum(known)
    if how is Grouping.AVERAGE:
        return math.fsum(known) / len(known)
    if how is Grouping.MIN:
        return min(known)
    return max(known)
