"""Scoring one indicator on a balanced scorecard.

The formulas are BSC Designer's and Cascade's (section 5 of the KPI reference):

* **performance** places the value on the indicator's scale, ``(value − min)/(max − min)``,
  or ``(max − value)/(max − min)`` for an indicator to minimise (1 h on a 0-48 h scale gives
  97.92 %);
* **progress** measures the way from the baseline to the target,
  ``(value − baseline)/(target − baseline)``, which also works when the baseline is above the
  target (an indicator to bring down: baseline 10, target 5, value 7 gives 60 %);
* **binary** optimisation gives 100 % only once the target (or the best end of the scale) is
  reached, and 0 before;
* **keep in range** (Cascade's "maintain", Spider Impact's "stabilize") gives 100 % inside
  ``[low, high]`` and falls linearly to 0 over ``tolerance`` outside it.

Scores are fractions (1 = 100 %). They are clamped to [0, 1] unless asked otherwise, because
the published examples stay inside the scale and say nothing about values beyond it; the
unclamped progress is kept too, to tell "achieved" from "exceeded". A missing value or bound
gives ``None`` (n/a), never 0. NaN counts as missing.

:func:`score_indicator` computes everything for one indicator and one date; health, stop-lights
and roll-ups live in :mod:`cadran.core.health`, :mod:`cadran.core.stoplights` and
:mod:`cadran.core.rollup`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeGuard

from cadran.core.health import DEFAULT_HEALTH, Health, HealthThresholds, expected_progress, health
from cadran.core.stoplights import DEFAULT_STOPLIGHTS, StopLight, stoplight

__all__ = [
    "Direction",
    "IndicatorScore",
    "Judgement",
    "Movement",
    "Optimization",
    "Scoring",
    "Trend",
    "keep_in_range",
    "performance",
    "progress",
    "score_indicator",
    "trend",
]


class Direction(Enum):
    """Which values are better."""

    MAXIMIZE = "maximize"
    """Higher is better."""
    MINIMIZE = "minimize"
    """Lower is better (a cost, a response time)."""
    RANGE = "range"
    """Best inside ``[low, high]``, worse the further outside (within a tolerance)."""


class Optimization(Enum):
    """How a maximised or minimised value turns into a score."""

    LINEAR = "linear"
    """In proportion to the way covered."""
    BINARY = "binary"
    """All or nothing: 100 % once the target is reached, 0 before."""


def _known(x: float | None) -> TypeGuard[float]:
    # NaN is treated as "no value": Cadran never shows a number it could not compute.
    return x is not None and not math.isnan(x)


def _clamp01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def _distance(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside ``[low, high]``, 0 inside."""
    return max(low - value, value - high, 0.0)


def performance(
    value: float | None,
    minimum: float | None,
    maximum: float | None,
    direction: Direction = Direction.MAXIMIZE,
    clamp: bool = True,
    *,
    optimization: Optimization = Optimization.LINEAR,
) -> float | None:
    """Where ``value`` lies on the ``[minimum, maximum]`` scale, as a fraction.

    ``(value − minimum)/(maximum − minimum)`` to maximise, ``(maximum − value)/(maximum −
    minimum)`` to minimise; clamped to [0, 1] unless ``clamp`` is false. With ``BINARY``
    optimisation: 1 once the value reaches the best end of the scale (the maximum, or the
    minimum when minimising), else 0. ``None`` when the value or a bound is missing, or when
    the scale is empty (``minimum == maximum``). A range indicator has no min/max scale: it is
    scored by :func:`keep_in_range`, and passing ``Direction.RANGE`` here is a ``ValueError``.
    """
    if direction is Direction.RANGE:
        raise ValueError("a range indicator is scored with keep_in_range, not on a min/max scale")
    if not (_known(value) and _known(minimum) and _known(maximum)) or minimum == maximum:
        return None
    if optimization is Optimization.BINARY:
        hit = value >= maximum if direction is Direction.MAXIMIZE else value <= minimum
        return 1.0 if hit else 0.0
    if direction is Direction.MAXIMIZE:
        ratio = (value - minimum) / (maximum - minimum)
    else:
        ratio = (maximum - value) / (maximum - minimum)
    return _clamp01(ratio) if clamp else ratio


def progress(
    value: float | None,
    baseline: float | None,
    target: float | None,
    direction: Direction = Direction.MAXIMIZE,
    clamp: bool = True,
    *,
    optimization: Optimization = Optimization.LINEAR,
    low: float | None = None,
    high: float | None = None,
    tolerance: float = 0.0,
) -> float | None:
    """How much of the way from ``baseline`` to ``target`` ``value`` has covered, as a fraction.

    Linear: ``(value − baseline)/(target − baseline)`` whatever the direction, so an indicator
    to bring down (baseline above target) progresses as its value falls; clamped to [0, 1]
    unless ``clamp`` is false. ``None`` when a number is missing or ``target == baseline``
    (there is no way to cover: use ``Direction.RANGE`` for an indicator to maintain).

    Binary: 1 once the value reaches the target (at least it to maximise, at most it to
    minimise), else 0; the baseline plays no part.

    Range: :func:`keep_in_range` on ``[low, high]``; without ``low`` and ``high`` the range is
    the target itself (Cascade's "maintain": initial = target, plus a tolerance). ``BINARY``
    makes the range strict (tolerance 0).
    """
    if direction is Direction.RANGE:
        if low is None and high is None:
            low = high = target
        strict = optimization is Optimization.BINARY
        return keep_in_range(value, low, high, 0.0 if strict else tolerance)
    if not (_known(value) and _known(target)):
        return None
    if optimization is Optimization.BINARY:
        hit = value >= target if direction is Direction.MAXIMIZE else value <= target
        return 1.0 if hit else 0.0
    if not _known(baseline) or target == baseline:
        return None
    ratio = (value - baseline) / (target - baseline)
    return _clamp01(ratio) if clamp else ratio


def keep_in_range(
    value: float | None, low: float | None, high: float | None, tolerance: float = 0.0
) -> float | None:
    """Score of a value to keep in ``[low, high]``: 1 inside, falling linearly outside.

    ``max(0, 1 − distance/tolerance)`` where ``distance`` is how far the value lies outside the
    range; ``tolerance`` 0 makes it all or nothing (in or out). ``None`` when the value or a
    bound is missing. ``low > high`` or a negative tolerance is a ``ValueError``.
    """
    if math.isnan(tolerance) or tolerance < 0:
        raise ValueError(f"a range tolerance must be >= 0, got {tolerance}")
    if not (_known(value) and _known(low) and _known(high)):
        return None
    if low > high:
        raise ValueError(f"a range needs low <= high, got [{low}, {high}]")
    distance = _distance(value, low, high)
    if distance == 0.0:
        return 1.0
    if tolerance == 0.0:
        return 0.0
    return max(0.0, 1.0 - distance / tolerance)


class Movement(Enum):
    """Which way the value moved since the previous period."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"


class Judgement(Enum):
    """Whether the move is good news, given the indicator's direction."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True)
class Trend:
    """The move since the previous period and what it means.

    ``judgement`` is ``None`` when it cannot be told: a range indicator without its range.
    """

    movement: Movement
    judgement: Judgement | None


def trend(
    current: float | None,
    previous: float | None,
    direction: Direction = Direction.MAXIMIZE,
    *,
    tolerance: float = 0.0,
    low: float | None = None,
    high: float | None = None,
) -> Trend | None:
    """The trend arrow from ``previous`` to ``current``; ``None`` when either is missing.

    A change of at most ``tolerance`` × |previous| is flat. The default 0 draws an arrow for
    any change, as BSC Designer's trend arrows do; a team sets a tolerance (0.01 = 1 %) to keep
    noise flat. Up is better when maximising and worse when minimising (a falling cost is
    better). For a range indicator, moving closer to ``[low, high]`` is better, and two values
    both inside it are the same.
    """
    if math.isnan(tolerance) or tolerance < 0:
        raise ValueError(f"a trend tolerance must be >= 0, got {tolerance}")
    if not (_known(current) and _known(previous)):
        return None
    change = current - previous
    if abs(change) <= tolerance * abs(previous):
        return Trend(Movement.FLAT, Judgement.SAME)
    movement = Movement.UP if change > 0 else Movement.DOWN
    if direction is Direction.RANGE:
        if not (_known(low) and _known(high)):
            return Trend(movement, None)
        now, before = _distance(current, low, high), _distance(previous, low, high)
        if now == before:
            return Trend(movement, Judgement.SAME)
        return Trend(movement, Judgement.BETTER if now < before else Judgement.WORSE)
    better = (movement is Movement.UP) == (direction is Direction.MAXIMIZE)
    return Trend(movement, Judgement.BETTER if better else Judgement.WORSE)


@dataclass(frozen=True)
class Scoring:
    """How one indicator is scored: its scale, its goal and its direction.

    ``minimum``/``maximum`` are the performance scale; ``baseline``/``target`` the way to cover
    for progress; ``low``/``high`` and ``tolerance`` the range of a ``RANGE`` indicator (without
    them, the range is the target itself). Consistency (for instance ``low <= high``) is
    checked where the definition is read; the functions here raise ``ValueError`` on it.
    """

    minimum: float | None = None
    maximum: float | None = None
    baseline: float | None = None
    target: float | None = None
    direction: Direction = Direction.MAXIMIZE
    optimization: Optimization = Optimization.LINEAR
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class IndicatorScore:
    """Everything :func:`score_indicator` says about one value of one indicator.

    ``progress`` is clamped to [0, 1] and ``raw_progress`` is not. ``expected_progress`` is 1
    for a range indicator, which is due all the time. ``status`` is the stop-light of
    ``performance``.
    """

    value: float | None
    performance: float | None
    progress: float | None
    raw_progress: float | None
    expected_progress: float | None
    health: Health
    trend: Trend | None
    status: str | None


def _maintain_health(score: float | None, thresholds: HealthThresholds) -> Health:
    # An indicator to maintain is never "achieved": being in range is what is due every day,
    # so it is on track there, and behind or at risk by the same bands as a time-based goal.
    if score is None:
        return Health.NOT_TRACKED
    if score >= thresholds.on_track:
        return Health.ON_TRACK
    if score >= thresholds.behind:
        return Health.BEHIND
    return Health.AT_RISK


def score_indicator(
    scoring: Scoring,
    value: float | None,
    *,
    previous: float | None = None,
    start: date | None = None,
    deadline: date | None = None,
    as_of: date | None = None,
    periods: int | None = None,
    stoplights: Sequence[StopLight] = DEFAULT_STOPLIGHTS,
    thresholds: HealthThresholds = DEFAULT_HEALTH,
    trend_tolerance: float = 0.0,
) -> IndicatorScore:
    """Score ``value`` against ``scoring`` as of ``as_of``.

    Performance uses the min/max scale; when either bound is not given it falls back to
    progress, so an indicator with only a baseline and a target still gets a score and a
    stop-light. Expected progress runs from ``start`` to ``deadline`` (in ``periods`` steps if
    given) and needs all three dates; health compares the unclamped progress with it. A range
    indicator gets the same keep-in-range score as performance and progress, and its health
    compares that score with the health bands directly. ``previous`` is the value of the
    period before, for the trend.
    """
    if scoring.direction is Direction.RANGE:
        return _score_range(scoring, value, previous, stoplights, thresholds, trend_tolerance)
    raw = progress(
        value,
        scoring.baseline,
        scoring.target,
        scoring.direction,
        clamp=False,
        optimization=scoring.optimization,
    )
    clamped = None if raw is None else _clamp01(raw)
    if scoring.minimum is None or scoring.maximum is None:
        perf = clamped
    else:
        perf = performance(
            value,
            scoring.minimum,
            scoring.maximum,
            scoring.direction,
            optimization=scoring.optimization,
        )
    expected = None
    if start is not None and deadline is not None and as_of is not None:
        expected = expected_progress(start, deadline, as_of, periods)
    return IndicatorScore(
        value=value,
        performance=perf,
        progress=clamped,
        raw_progress=raw,
        expected_progress=expected,
        health=health(raw, expected, thresholds),
        trend=trend(value, previous, scoring.direction, tolerance=trend_tolerance),
        status=stoplight(perf, stoplights),
    )


def _score_range(
    scoring: Scoring,
    value: float | None,
    previous: float | None,
    stoplights: Sequence[StopLight],
    thresholds: HealthThresholds,
    trend_tolerance: float,
) -> IndicatorScore:
    low, high = scoring.low, scoring.high
    if low is None and high is None:
        low = high = scoring.target
    score = progress(
        value,
        scoring.baseline,
        scoring.target,
        Direction.RANGE,
        optimization=scoring.optimization,
        low=low,
        high=high,
        tolerance=scoring.tolerance,
    )
    return IndicatorScore(
        value=value,
        performance=score,
        progress=score,
        raw_progress=score,
        expected_progress=1.0,
        health=_maintain_health(score, thresholds),
        trend=trend(
            value, previous, Direction.RANGE, tolerance=trend_tolerance, low=low, high=high
        ),
        status=stoplight(score, stoplights),
    )
