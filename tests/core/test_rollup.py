"""Roll-up of children's scores, and grouping of one indicator's values across periods."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cadran.core.rollup import (
    Grouping,
    Missing,
    Rolled,
    Rollup,
    aggregate_periods,
    fill_missing,
    rollup,
)

from .formula.strategies import SETTINGS

scores = st.floats(0, 1)
weights = st.just(0.0) | st.floats(1e-3, 1e3)
children_lists = st.lists(st.tuples(st.none() | scores, weights), max_size=8)

# -- roll-up ----------------------------------------------------------------------------------


def test_weighted_average_skips_missing_children_and_renormalises() -> None:
    children = [(0.8, 3.0), (None, 4.0), (0.2, 1.0), (0.5, 2.0)]
    assert rollup(children) == Rolled(
        score=pytest.approx((0.8 * 3 + 0.2 * 1 + 0.5 * 2) / 6),  # type: ignore[arg-type]
        coverage=pytest.approx(0.6),  # type: ignore[arg-type]
        counted=3,
        missing=1,
    )


def test_other_methods_ignore_the_weights() -> None:
    children = [(0.8, 3.0), (None, 4.0), (0.2, 1.0), (0.5, 2.0)]
    average = rollup(children, Rollup.AVERAGE)
    assert average.score == pytest.approx(0.5)
    assert average.coverage == pytest.approx(0.75)  # 3 of 4 children, each weighing 1
    assert rollup(children, Rollup.MIN) == Rolled(0.2, 0.75, 3, 1)
    assert rollup(children, Rollup.MAX) == Rolled(0.8, 0.75, 3, 1)


def test_zero_weight_switches_a_child_off() -> None:
    children = [(1.0, 0.0), (0.4, 2.0), (None, 0.0)]
    for how in Rollup:
        assert rollup(children, how) == Rolled(0.4, 1.0, 1, 0)


def test_rollup_without_weight_or_scores() -> None:
    assert rollup([]) == Rolled(None, None, 0, 0)
    assert rollup([(0.5, 0.0), (None, 0.0)]) == Rolled(None, None, 0, 0)
    assert rollup([(None, 1.0), (None, 2.0)]) == Rolled(None, 0.0, 0, 2)
    assert rollup([(math.nan, 1.0), (0.3, 1.0)]) == Rolled(0.3, 0.5, 1, 1)


@pytest.mark.parametrize("weight", [-1.0, math.nan, math.inf])
def test_bad_weights_are_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="weight"):
        rollup([(0.5, 1.0), (0.5, weight)])


@SETTINGS
@given(children=children_lists, how=st.sampled_from(list(Rollup)))
def test_rollup_properties(children: list[tuple[float | None, float]], how: Rollup) -> None:
    rolled = rollup(children, how)
    weighted = [(s, w) for s, w in children if w > 0]
    known = [(s, w) for s, w in weighted if s is not None]
    assert rolled.counted == len(known)
    assert rolled.missing == len(weighted) - len(known)
    if not known:
        assert rolled.score is None
        return
    assert rolled.score is not None
    known_scores = [s for s, _ in known]
    assert min(known_scores) <= rolled.score <= max(known_scores)
    if how is Rollup.WEIGHTED_AVERAGE:
        plain = sum(s * w for s, w in known) / sum(w for _, w in known)
        assert rolled.score == pytest.approx(plain)
        assert rolled.coverage == pytest.approx(
            sum(w for _, w in known) / sum(w for _, w in weighted)
        )
    else:
        assert rolled.coverage == pytest.approx(len(known) / len(weighted))


@SETTINGS
@given(children=children_lists, factor=st.floats(1e-3, 1e3))
def test_weighted_rollup_is_invariant_to_scaling_the_weights(
    children: list[tuple[float | None, float]], factor: float
) -> None:
    scaled = [(s, w * factor) for s, w in children]
    before, after = rollup(children), rollup(scaled)
    assert (before.counted, before.missing) == (after.counted, after.missing)
    if before.score is None:
        assert after.score is None
    else:
        assert after.score == pytest.approx(before.score)
        assert after.coverage == pytest.approx(before.coverage)


@SETTINGS
@given(children=st.lists(st.tuples(scores, st.floats(1e-3, 1e3)), min_size=1, max_size=8))
def test_rollup_with_every_score_known_is_the_plain_weighted_mean(
    children: list[tuple[float, float]],
) -> None:
    plain = sum(s * w for s, w in children) / sum(w for _, w in children)
    rolled = rollup(children)
    assert rolled.score == pytest.approx(plain)
    assert rolled.coverage == pytest.approx(1.0)


@SETTINGS
@given(weights=st.lists(st.floats(1e-3, 1e3), max_size=8))
def test_rollup_of_only_missing_scores_is_none(weights: list[float]) -> None:
    rolled = rollup([(None, w) for w in weights])
    assert rolled.score is None
    assert rolled.counted == 0
    assert rolled.coverage == (0.0 if weights else None)


# -- grouping across periods ------------------------------------------------------------------

SERIES = [None, 4.0, None, None, 1.0, None]


def test_fill_missing() -> None:
    assert fill_missing(SERIES, Missing.CARRY_LAST) == (None, 4.0, 4.0, 4.0, 1.0, 1.0)
    assert fill_missing(SERIES, Missing.NA) == tuple(SERIES)
    assert fill_missing([math.nan, 2.0, math.nan], Missing.CARRY_LAST) == (None, 2.0, 2.0)
    assert fill_missing([], Missing.CARRY_LAST) == ()


@pytest.mark.parametrize(
    ("how", "carry", "na"),
    [
        (Grouping.SUM, 14.0, 5.0),
        (Grouping.AVERAGE, 2.8, 2.5),
        (Grouping.LAST, 1.0, None),
        (Grouping.MIN, 1.0, 1.0),
        (Grouping.MAX, 4.0, 4.0),
    ],
)
def test_aggregate_periods(how: Grouping, carry: float, na: float | None) -> None:
    assert aggregate_periods(SERIES, how, Missing.CARRY_LAST) == pytest.approx(carry)
    assert aggregate_periods(SERIES, how, Missing.NA) == (None if na is None else pytest.approx(na))
    assert aggregate_periods(SERIES, how) == aggregate_periods(SERIES, how, Missing.NA)


@pytest.mark.parametrize("how", list(Grouping))
@pytest.mark.parametrize("missing", list(Missing))
def test_aggregate_of_nothing_is_none(how: Grouping, missing: Missing) -> None:
    assert aggregate_periods([], how, missing) is None
    assert aggregate_periods([None, None], how, missing) is None


values = st.lists(st.none() | st.floats(-1e6, 1e6), max_size=10)


@SETTINGS
@given(series=values)
def test_aggregate_properties_with_carry_last_and_na(series: list[float | None]) -> None:
    known = [v for v in series if v is not None]
    carried = [v for v in fill_missing(series, Missing.CARRY_LAST) if v is not None]
    assume(known)
    # LAST: with NA the last period's own value; with CARRY_LAST the last value ever known.
    assert aggregate_periods(series, Grouping.LAST, Missing.NA) == series[-1]
    assert aggregate_periods(series, Grouping.LAST, Missing.CARRY_LAST) == known[-1]
    # SUM and AVERAGE: NA uses the values entered, CARRY_LAST counts each carried value once
    # per period it fills, from the first known value on.
    assert aggregate_periods(series, Grouping.SUM, Missing.NA) == pytest.approx(math.fsum(known))
    assert aggregate_periods(series, Grouping.AVERAGE, Missing.NA) == pytest.approx(
        math.fsum(known) / len(known)
    )
    first = next(i for i, v in enumerate(series) if v is not None)
    assert len(carried) == len(series) - first
    assert aggregate_periods(series, Grouping.SUM, Missing.CARRY_LAST) == pytest.approx(
        math.fsum(carried)
    )
    assert aggregate_periods(series, Grouping.AVERAGE, Missing.CARRY_LAST) == pytest.approx(
        math.fsum(carried) / len(carried)
    )
    # Carrying values over never changes the extremes.
    for how, pick in ((Grouping.MIN, min), (Grouping.MAX, max)):
        assert aggregate_periods(series, how, Missing.NA) == pick(known)
        assert aggregate_periods(series, how, Missing.CARRY_LAST) == pick(known)
