"""Health of an indicator: actual progress against the progress expected by now.

Cascade's model (see section 5 of the KPI reference): the progress expected at a date is the
share of the time between the start (the baseline's date) and the deadline that has elapsed,
optionally counted in whole update periods, and health is ``actual / expected``:

* ``ON_TRACK`` from 95 % of the expected progress (Cascade's 95-105 % band; being further
  ahead is still on track),
* ``BEHIND`` from 85 % (Cascade's 85-94 %),
* ``AT_RISK`` below that,
* ``ACHIEVED`` once the target is reached and ``EXCEEDED`` once it is passed, whatever the date,
* ``NOT_TRACKED`` when there is nothing to compare (no value, no target or no deadline).

Everything here is pure: today's date is always passed in as ``as_of``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import Enum

__all__ = [
    "DEFAULT_HEALTH",
    "Health",
    "HealthThresholds",
    "expected_progress",
    "health",
]


class Health(Enum):
    """How an indicator's progress compares with the progress expected by now."""

    EXCEEDED = "exceeded"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    NOT_TRACKED = "not_tracked"


@dataclass(frozen=True)
class HealthThresholds:
    """The ratios of actual to expected progress from which an indicator is on track or behind.

    Below ``behind`` it is at risk. The defaults are Cascade's published bands.
    """

    on_track: float = 0.95
    behind: float = 0.85

    def __post_init__(self) -> None:
        # Checked here so that a bad pair fails where it is built, not at the first score.
        if not (math.isfinite(self.on_track) and math.isfinite(self.behind)):
            raise ValueError("health thresholds must be finite numbers")
        if not 0.0 <= self.behind <= self.on_track:
            raise ValueError(
                f"health thresholds need 0 <= behind <= on_track, got behind={self.behind}, "
                f"on_track={self.on_track}"
            )


DEFAULT_HEALTH = HealthThresholds()
"""Cascade's bands: on track from 95 % of the expected progress, behind from 85 %."""


def expected_progress(
    start: date, deadline: date, as_of: date, periods: int | None = None
) -> float | None:
    """The share of the target expected to be reached at ``as_of``, from 0 to 1.

    Linear in time: the days elapsed since ``start`` over the days from ``start`` to
    ``deadline``, clamped to [0, 1] (0 before the start, 1 from the deadline on). A deadline on
    the start day expects everything from that day.

    With ``periods`` (the number of update intervals between start and deadline), only whole
    elapsed periods count, as when values are entered once per interval: with 4 periods the
    expectation moves 0, 0.25, 0.5, 0.75, 1. The periods are equal shares of the days, so a
    period boundary can fall a day or two away from a calendar month end.

    ``None`` when the deadline is before the start: no expectation can be drawn from it.
    """
    if periods is not None and periods < 1:
        raise ValueError(f"periods must be at least 1, got {periods}")
    total = (deadline - start).days
    if total < 0:
        return None
    elapsed = (as_of - start).days
    if total == 0:
        return 1.0 if elapsed >= 0 else 0.0
    elapsed = min(max(elapsed, 0), total)
    if periods is None:
        return elapsed / total
    # Integer division keeps the step exact: no float rounding can drop a period just reached.
    return (elapsed * periods // total) / periods


def health(
    progress: float | None,
    expected: float | None,
    thresholds: HealthThresholds = DEFAULT_HEALTH,
) -> Health:
    """Judge ``progress`` (actual, unclamped) against ``expected`` (from :func:`expected_progress`).

    Reaching the target does not depend on the calendar, so ``ACHIEVED`` (progress 1) and
    ``EXCEEDED`` (beyond 1) are given even without an expectation; pass the raw progress, or
    ``EXCEEDED`` can never show. Otherwise ``NOT_TRACKED`` when either number is missing, and
    ``ON_TRACK`` while nothing is expected yet (expected 0, before the start).
    """
    if progress is None or math.isnan(progress):
        return Health.NOT_TRACKED
    if progress > 1.0:
        return Health.EXCEEDED
    if progress == 1.0:
        return Health.ACHIEVED
    if expected is None or math.isnan(expected):
        return Health.NOT_TRACKED
    if expected <= 0.0:
        return Health.ON_TRACK
    ratio = progress / expected
    if ratio >= thresholds.on_track:
        return Health.ON_TRACK
    if ratio >= thresholds.behind:
        return Health.BEHIND
    return Health.AT_RISK
