"""Scoring one indicator: performance, progress, keep-in-range, trend and score_indicator."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cadran.core.health import Health, HealthThresholds
from cadran.core.scoring import (
    Direction,
    IndicatorScore,
    Judgement,
    Movement,
    Optimization,
    Scoring,
    Trend,
    keep_in_range,
    performance,
    progress,
    score_indicator,
    trend,
)
from cadran.core.stoplights import StopLight

from .formula.strategies import SETTINGS

# Bounded so that differences never overflow and ratios stay meaningful.
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False)
directions = st.sampled_from([Direction.MAXIMIZE, Direction.MINIMIZE])

# -- the published examples -------------------------------------------------------------------


def test_bsc_designer_performance_example() -> None:
    # Value 16 on a 0-100 scale: 16 % performance.
    assert performance(16, 0, 100, Direction.MAXIMIZE) == pytest.approx(0.16)


def test_bsc_designer_progress_example() -> None:
    # Baseline 15, target 45, value 16: 3.33 % progress.
    assert progress(16, 15, 45) == pytest.approx(1 / 30)
    assert round(progress(16, 15, 45) * 100, 2) == 3.33  # type: ignore[operator]


def test_bsc_designer_minimize_example() -> None:
    # 1 h on a 0-48 h scale, minimised: (48 − 1)/(48 − 0) = 97.92 %.
    assert performance(1, 0, 48, Direction.MINIMIZE) == pytest.approx(47 / 48)
    assert round(performance(1, 0, 48, Direction.MINIMIZE) * 100, 2) == 97.92  # type: ignore[operator]


@pytest.mark.parametrize(
    ("current", "initial", "target", "expected"),
    [
        (50, 0, 100, 0.5),
        (30, 20, 40, 0.5),
        (7, 10, 5, 0.6),  # initial above target: the value came down 3 of the 5 to cover
        (80, 100, 0, 0.2),
        (100, 100, 0, 0.0),
        (0, 100, 0, 1.0),
    ],
)
def test_cascade_percent_complete(
    current: float, initial: float, target: float, expected: float
) -> None:
    assert progress(current, initial, target) == pytest.approx(expected)
    # The direction does not change the formula: an inverse KPI is a baseline above the target.
    assert progress(current, initial, target, Direction.MINIMIZE) == pytest.approx(expected)


# -- performance ------------------------------------------------------------------------------


def test_performance_clamps_by_default_and_not_when_asked() -> None:
    assert performance(150, 0, 100) == 1.0
    assert performance(-20, 0, 100) == 0.0
    assert performance(150, 0, 100, Direction.MAXIMIZE, clamp=False) == pytest.approx(1.5)
    assert performance(-20, 0, 100, Direction.MAXIMIZE, False) == pytest.approx(-0.2)
    assert performance(60, 0, 48, Direction.MINIMIZE, clamp=False) == pytest.approx(-0.25)


@pytest.mark.parametrize(
    ("value", "minimum", "maximum"),
    [(None, 0, 100), (5, None, 100), (5, 0, None), (5, 10, 10), (math.nan, 0, 1), (5, 0, math.nan)],
)
def test_performance_is_none_without_a_scale_or_value(
    value: float | None, minimum: float | None, maximum: float | None
) -> None:
    assert performance(value, minimum, maximum) is None
    assert performance(value, minimum, maximum, Direction.MINIMIZE, clamp=False) is None


def test_performance_binary_needs_the_best_end_of_the_scale() -> None:
    binary = Optimization.BINARY
    assert performance(99, 0, 100, optimization=binary) == 0.0
    assert performance(100, 0, 100, optimization=binary) == 1.0
    assert performance(120, 0, 100, optimization=binary) == 1.0
    assert performance(1, 0, 48, Direction.MINIMIZE, optimization=binary) == 0.0
    assert performance(0, 0, 48, Direction.MINIMIZE, optimization=binary) == 1.0


def test_performance_refuses_a_range_direction() -> None:
    with pytest.raises(ValueError, match="keep_in_range"):
        performance(5, 0, 10, Direction.RANGE)


@SETTINGS
@given(value=numbers, low=numbers, span=st.floats(1e-3, 1e6), direction=directions)
def test_clamped_performance_is_a_fraction(
    value: float, low: float, span: float, direction: Direction
) -> None:
    score = performance(value, low, low + span, direction)
    assert score is not None
    assert 0.0 <= score <= 1.0


@SETTINGS
@given(a=numbers, b=numbers, low=numbers, span=st.floats(1e-3, 1e6), clamp=st.booleans())
def test_performance_is_monotone_in_the_value(
    a: float, b: float, low: float, span: float, clamp: bool
) -> None:
    lo_value, hi_value = sorted((a, b))
    high = low + span
    up = [performance(v, low, high, Direction.MAXIMIZE, clamp) for v in (lo_value, hi_value)]
    down = [performance(v, low, high, Direction.MINIMIZE, clamp) for v in (lo_value, hi_value)]
    assert up[0] is not None and up[1] is not None
    assert down[0] is not None and down[1] is not None
    assert up[0] <= up[1]
    assert down[0] >= down[1]


# -- progress ---------------------------------------------------------------------------------


def test_progress_clamps_by_default() -> None:
    assert progress(60, 15, 45) == 1.0
    assert progress(60, 15, 45, clamp=False) == pytest.approx(1.5)
    assert progress(12, 10, 5, clamp=False) == pytest.approx(-0.4)
    assert progress(12, 10, 5) == 0.0


@pytest.mark.parametrize(
    ("value", "baseline", "target"),
    [(None, 0, 10), (5, None, 10), (5, 0, None), (5, 10, 10), (math.nan, 0, 10)],
)
def test_progress_is_none_without_a_way_to_cover(
    value: float | None, baseline: float | None, target: float | None
) -> None:
    assert progress(value, baseline, target) is None
    assert progress(value, baseline, target, clamp=False) is None


def test_binary_progress_is_all_or_nothing_and_ignores_the_baseline() -> None:
    binary = Optimization.BINARY
    assert progress(44.9, 15, 45, optimization=binary) == 0.0
    assert progress(45, None, 45, optimization=binary) == 1.0
    assert progress(50, 15, 45, optimization=binary) == 1.0
    assert progress(6, 10, 5, Direction.MINIMIZE, optimization=binary) == 0.0
    assert progress(5, 10, 5, Direction.MINIMIZE, optimization=binary) == 1.0
    assert progress(None, 10, 5, Direction.MINIMIZE, optimization=binary) is None
    assert progress(5, 10, None, optimization=binary) is None


def test_range_progress_maintains_the_target_when_no_range_is_given() -> None:
    # Cascade's "maintain": initial = target, with a tolerance.
    assert progress(100, 100, 100, Direction.RANGE, tolerance=10) == 1.0
    assert progress(104, 100, 100, Direction.RANGE, tolerance=10) == pytest.approx(0.6)
    assert progress(85, 100, 100, Direction.RANGE, tolerance=10) == 0.0
    assert progress(104, None, 100, Direction.RANGE, tolerance=0) == 0.0


def test_range_progress_uses_low_and_high_and_binary_makes_it_strict() -> None:
    assert progress(12, None, None, Direction.RANGE, low=10, high=20, tolerance=5) == 1.0
    assert progress(22, None, None, Direction.RANGE, low=10, high=20, tolerance=5) == (
        pytest.approx(0.6)
    )
    strict = progress(
        22,
        None,
        None,
        Direction.RANGE,
        optimization=Optimization.BINARY,
        low=10,
        high=20,
        tolerance=5,
    )
    assert strict == 0.0
    assert progress(12, None, None, Direction.RANGE, low=10, tolerance=5) is None


@SETTINGS
@given(a=numbers, b=numbers, baseline=numbers, target=numbers)
def test_progress_is_monotone_towards_the_target(
    a: float, b: float, baseline: float, target: float
) -> None:
    assume(abs(target - baseline) >= 1e-3)
    # Ordering the values by how far they go towards the target makes one property for both
    # maximised (target above) and minimised (target below) indicators.
    nearer, further = sorted((a, b), key=lambda v: v if target > baseline else -v)
    for clamp in (True, False):
        first = progress(nearer, baseline, target, clamp=clamp)
        second = progress(further, baseline, target, clamp=clamp)
        assert first is not None and second is not None
        assert first <= second
        if clamp:
            assert 0.0 <= first <= 1.0
            assert 0.0 <= second <= 1.0


# -- keep in range ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10, 1.0), (15, 1.0), (20, 1.0), (8, 0.5), (22.5, 0.375), (6, 0.0), (30, 0.0)],
)
def test_keep_in_range(value: float, expected: float) -> None:
    assert keep_in_range(value, 10, 20, 4) == pytest.approx(expected)


def test_keep_in_range_with_no_tolerance_is_in_or_out() -> None:
    assert keep_in_range(10, 10, 20, 0) == 1.0
    assert keep_in_range(20.0001, 10, 20, 0) == 0.0
    assert keep_in_range(9.9999, 10, 20) == 0.0


def test_keep_in_range_none_and_errors() -> None:
    assert keep_in_range(None, 10, 20, 4) is None
    assert keep_in_range(5, None, 20, 4) is None
    assert keep_in_range(5, 10, None, 4) is None
    with pytest.raises(ValueError, match="low <= high"):
        keep_in_range(5, 20, 10, 4)
    with pytest.raises(ValueError, match="tolerance"):
        keep_in_range(5, 10, 20, -1)
    with pytest.raises(ValueError, match="tolerance"):
        keep_in_range(5, 10, 20, math.nan)


@SETTINGS
@given(
    low=numbers,
    width=st.floats(0, 1e5),
    tolerance=st.floats(0, 1e5),
    inside=st.floats(0, 1),
    out_a=st.floats(0, 1e5),
    out_b=st.floats(0, 1e5),
)
def test_keep_in_range_peaks_inside_and_falls_away_outside(
    low: float, width: float, tolerance: float, inside: float, out_a: float, out_b: float
) -> None:
    high = low + width
    peak = keep_in_range(low + inside * width, low, high, tolerance)
    assert peak == 1.0
    near, far = sorted((out_a, out_b))
    for side in (-1, 1):
        edge = low if side < 0 else high
        near_score = keep_in_range(edge + side * near, low, high, tolerance)
        far_score = keep_in_range(edge + side * far, low, high, tolerance)
        assert near_score is not None and far_score is not None
        assert 0.0 <= far_score <= near_score <= 1.0


# -- trend ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "direction", "expected"),
    [
        (12, 10, Direction.MAXIMIZE, Trend(Movement.UP, Judgement.BETTER)),
        (8, 10, Direction.MAXIMIZE, Trend(Movement.DOWN, Judgement.WORSE)),
        (10, 10, Direction.MAXIMIZE, Trend(Movement.FLAT, Judgement.SAME)),
        (8, 10, Direction.MINIMIZE, Trend(Movement.DOWN, Judgement.BETTER)),  # cheaper is better
        (12, 10, Direction.MINIMIZE, Trend(Movement.UP, Judgement.WORSE)),
    ],
)
def test_trend_judges_by_direction(
    current: float, previous: float, direction: Direction, expected: Trend
) -> None:
    assert trend(current, previous, direction) == expected


def test_trend_tolerance_is_relative_to_the_previous_value() -> None:
    assert trend(100.5, 100, tolerance=0.01) == Trend(Movement.FLAT, Judgement.SAME)
    assert trend(101, 100, tolerance=0.01) == Trend(Movement.FLAT, Judgement.SAME)
    assert trend(101.5, 100, tolerance=0.01) == Trend(Movement.UP, Judgement.BETTER)
    assert trend(0.001, 0, tolerance=0.5) == Trend(Movement.UP, Judgement.BETTER)
    with pytest.raises(ValueError, match="tolerance"):
        trend(1, 2, tolerance=-0.1)


def test_trend_is_none_safe() -> None:
    assert trend(None, 10) is None
    assert trend(10, None) is None
    assert trend(math.nan, 10) is None


def test_range_trend_judges_the_distance_to_the_range() -> None:
    def judge(current: float, previous: float) -> Trend | None:
        return trend(current, previous, Direction.RANGE, low=10, high=20)

    assert judge(25, 30) == Trend(Movement.DOWN, Judgement.BETTER)
    assert judge(5, 8) == Trend(Movement.DOWN, Judgement.WORSE)
    assert judge(15, 12) == Trend(Movement.UP, Judgement.SAME)  # both in range
    assert judge(8, 22) == Trend(Movement.DOWN, Judgement.SAME)  # both 2 away
    assert judge(21, 8) == Trend(Movement.UP, Judgement.BETTER)
    assert trend(21, 8, Direction.RANGE) == Trend(Movement.UP, None)


# -- score_indicator --------------------------------------------------------------------------

YEAR_START, YEAR_END = date(2026, 1, 1), date(2027, 1, 1)


def test_score_indicator_maximize_with_everything() -> None:
    scoring = Scoring(minimum=0, maximum=100, baseline=15, target=45)
    score = score_indicator(
        scoring, 40, previous=30, start=YEAR_START, deadline=YEAR_END, as_of=date(2026, 7, 2)
    )
    assert score.value == 40
    assert score.performance == pytest.approx(0.40)
    assert score.progress == pytest.approx(25 / 30)
    assert score.raw_progress == pytest.approx(25 / 30)
    assert score.expected_progress == pytest.approx(182 / 365)
    assert score.health is Health.ON_TRACK
    assert score.trend == Trend(Movement.UP, Judgement.BETTER)
    assert score.status == "red"  # stop-lights read performance, here 40 %


def test_score_indicator_performance_falls_back_to_progress() -> None:
    score = score_indicator(Scoring(baseline=15, target=45), 42)
    assert score.performance == pytest.approx(0.9)
    assert score.progress == pytest.approx(0.9)
    assert score.status == "green"
    assert score.health is Health.NOT_TRACKED  # no deadline, target not reached
    assert score.expected_progress is None
    # Only one bound is not a scale either.
    assert score_indicator(Scoring(maximum=100, baseline=15, target=45), 42).performance == (
        pytest.approx(0.9)
    )


def test_score_indicator_minimize_exceeded_and_achieved() -> None:
    scoring = Scoring(minimum=0, maximum=48, baseline=10, target=5, direction=Direction.MINIMIZE)
    beyond = score_indicator(scoring, 1, previous=3)
    assert beyond.performance == pytest.approx(47 / 48)
    assert beyond.progress == 1.0
    assert beyond.raw_progress == pytest.approx(1.8)
    assert beyond.health is Health.EXCEEDED
    assert beyond.trend == Trend(Movement.DOWN, Judgement.BETTER)
    assert beyond.status == "green"
    assert score_indicator(scoring, 5).health is Health.ACHIEVED
    behind = score_indicator(scoring, 7, start=YEAR_START, deadline=YEAR_END, as_of=YEAR_END)
    assert behind.progress == pytest.approx(0.6)
    assert behind.expected_progress == 1.0
    assert behind.health is Health.AT_RISK


def test_score_indicator_stepped_expectation_and_custom_rules() -> None:
    scoring = Scoring(baseline=0, target=100)
    rules = (StopLight("good", 0.5), StopLight("bad", 0.0))
    score = score_indicator(
        scoring,
        20,
        start=YEAR_START,
        deadline=YEAR_END,
        as_of=date(2026, 4, 15),
        periods=4,
        stoplights=rules,
        thresholds=HealthThresholds(on_track=0.8, behind=0.5),
    )
    assert score.expected_progress == 0.25
    assert score.health is Health.ON_TRACK  # 0.2 / 0.25 = 0.8
    assert score.status == "bad"


def test_score_indicator_binary() -> None:
    scoring = Scoring(minimum=0, maximum=100, target=50, optimization=Optimization.BINARY)
    assert score_indicator(scoring, 49).progress == 0.0
    assert score_indicator(scoring, 50).health is Health.ACHIEVED
    # The performance scale keeps its own best end.
    assert score_indicator(scoring, 50).performance == 0.0
    assert score_indicator(scoring, 100).performance == 1.0


def test_score_indicator_range() -> None:
    scoring = Scoring(direction=Direction.RANGE, low=2, high=4, tolerance=1)
    inside = score_indicator(scoring, 3, previous=5)
    assert inside == IndicatorScore(
        value=3,
        performance=1.0,
        progress=1.0,
        raw_progress=1.0,
        expected_progress=1.0,
        health=Health.ON_TRACK,
        trend=Trend(Movement.DOWN, Judgement.BETTER),
        status="green",
    )
    slightly_out = score_indicator(scoring, 4.1)
    assert slightly_out.performance == pytest.approx(0.9)
    assert slightly_out.health is Health.BEHIND
    assert slightly_out.status == "green"
    assert score_indicator(scoring, 4.5).health is Health.AT_RISK
    # Without low and high, the range is the target: Cascade's "maintain".
    maintain = Scoring(target=100, direction=Direction.RANGE, tolerance=20)
    assert score_indicator(maintain, 110).progress == pytest.approx(0.5)
    assert score_indicator(maintain, 110).status == "red"
    assert score_indicator(Scoring(direction=Direction.RANGE), 3).health is Health.NOT_TRACKED


def test_score_indicator_with_no_value_is_all_none() -> None:
    scoring = Scoring(minimum=0, maximum=100, baseline=0, target=100)
    for direction in Direction:
        score = score_indicator(
            Scoring(0, 100, 0, 100, direction, tolerance=1),
            None,
            previous=4,
            start=YEAR_START,
            deadline=YEAR_END,
            as_of=date(2026, 6, 1),
        )
        assert score.value is None
        assert score.performance is None
        assert score.progress is None
        assert score.raw_progress is None
        assert score.health is Health.NOT_TRACKED
        assert score.trend is None
        assert score.status is None
    empty = score_indicator(Scoring(), 5)
    assert (empty.performance, empty.progress, empty.health) == (None, None, Health.NOT_TRACKED)
    assert score_indicator(scoring, 5, as_of=date(2026, 6, 1)).expected_progress is None


def test_score_indicator_edge_cases() -> None:
    # min == max and target == baseline give no score rather than a division by zero.
    flat = score_indicator(Scoring(minimum=5, maximum=5, baseline=3, target=3), 4)
    assert (flat.performance, flat.progress, flat.status) == (None, None, None)
    # A deadline before the start has no expectation, so health cannot be judged.
    backwards = score_indicator(
        Scoring(baseline=0, target=10),
        5,
        start=YEAR_END,
        deadline=YEAR_START,
        as_of=date(2026, 6, 1),
    )
    assert backwards.expected_progress is None
    assert backwards.health is Health.NOT_TRACKED
    # After the deadline, everything is expected.
    late = score_indicator(
        Scoring(baseline=0, target=10),
        9.6,
        start=YEAR_START,
        deadline=YEAR_END,
        as_of=date(2030, 1, 1),
    )
    assert late.expected_progress == 1.0
    assert late.health is Health.ON_TRACK
