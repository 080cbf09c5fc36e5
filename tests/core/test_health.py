"""Expected progress from the calendar, and health from actual against expected progress."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadran.core.health import Health, HealthThresholds, expected_progress, health

from .formula.strategies import SETTINGS

START, DEADLINE = date(2026, 1, 1), date(2026, 12, 31)  # 364 days apart

# -- expected progress ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 6, 1), 0.0),  # before the start
        (START, 0.0),
        (date(2026, 4, 2), 91 / 364),
        (date(2026, 7, 2), 182 / 364),
        (DEADLINE, 1.0),
        (date(2027, 3, 1), 1.0),  # after the deadline
    ],
)
def test_expected_progress_is_linear_in_time(as_of: date, expected: float) -> None:
    assert expected_progress(START, DEADLINE, as_of) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, 0.0), (90, 0.0), (91, 0.25), (181, 0.25), (182, 0.5), (273, 0.75), (363, 0.75)],
)
def test_stepped_expected_progress_counts_whole_periods(days: int, expected: float) -> None:
    as_of = START + timedelta(days=days)
    assert expected_progress(START, DEADLINE, as_of, periods=4) == expected


def test_one_period_expects_everything_only_at_the_deadline() -> None:
    assert expected_progress(START, DEADLINE, DEADLINE - timedelta(days=1), 1) == 0.0
    assert expected_progress(START, DEADLINE, DEADLINE, 1) == 1.0


def test_expected_progress_edge_cases() -> None:
    assert expected_progress(DEADLINE, START, date(2026, 6, 1)) is None
    assert expected_progress(START, START, START) == 1.0
    assert expected_progress(START, START, START - timedelta(days=1)) == 0.0
    with pytest.raises(ValueError, match="periods"):
        expected_progress(START, DEADLINE, START, periods=0)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@SETTINGS
@given(
    start=dates,
    length=st.integers(1, 5000),
    a=dates,
    b=dates,
    periods=st.none() | st.integers(1, 60),
)
def test_expected_progress_is_a_fraction_that_grows_with_time(
    start: date, length: int, a: date, b: date, periods: int | None
) -> None:
    deadline = start + timedelta(days=length)
    early, late = sorted((a, b))
    first = expected_progress(start, deadline, early, periods)
    second = expected_progress(start, deadline, late, periods)
    assert first is not None and second is not None
    assert 0.0 <= first <= second <= 1.0
    if periods is not None:
        assert (first * periods) == pytest.approx(round(first * periods))
        # Stepping never expects more than the linear expectation.
        linear = expected_progress(start, deadline, early)
        assert linear is not None
        assert first <= linear + 1e-12


# -- health -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected", "state"),
    [
        (0.5, 0.5, Health.ON_TRACK),
        (0.475, 0.5, Health.ON_TRACK),  # exactly 95 %
        (0.7, 0.5, Health.ON_TRACK),  # ahead is still on track
        (0.47, 0.5, Health.BEHIND),
        (0.425, 0.5, Health.BEHIND),  # exactly 85 %
        (0.42, 0.5, Health.AT_RISK),
        (-0.1, 0.5, Health.AT_RISK),
        (0.0, 0.0, Health.ON_TRACK),  # nothing expected yet
        (1.0, 0.3, Health.ACHIEVED),
        (1.2, 0.3, Health.EXCEEDED),
        (1.0, None, Health.ACHIEVED),  # reaching the target needs no calendar
        (0.9, None, Health.NOT_TRACKED),
        (None, 0.5, Health.NOT_TRACKED),
        (math.nan, 0.5, Health.NOT_TRACKED),
    ],
)
def test_health_bands(actual: float | None, expected: float | None, state: Health) -> None:
    assert health(actual, expected) is state


def test_health_thresholds_are_parameters() -> None:
    loose = HealthThresholds(on_track=0.8, behind=0.5)
    assert health(0.4, 0.5, loose) is Health.ON_TRACK
    assert health(0.3, 0.5, loose) is Health.BEHIND
    assert health(0.2, 0.5, loose) is Health.AT_RISK
    assert health(0.4, 0.5) is Health.AT_RISK


@pytest.mark.parametrize(
    ("on_track", "behind"), [(0.8, 0.9), (0.9, -0.1), (math.nan, 0.5), (math.inf, 0.5)]
)
def test_inconsistent_health_thresholds_are_refused(on_track: float, behind: float) -> None:
    with pytest.raises(ValueError, match="health thresholds"):
        HealthThresholds(on_track=on_track, behind=behind)
