"""ROI of an action (a campaign, a platform, a content pillar, a channel) and what to do next.

Seed 004 asks to compare the ROI of each action to decide what to scale up and what to stop;
seed 002 defines ROI = (revenue − cost) / cost and CAC = cost / new customers. An action's
figures come with the evidence behind them (its costs, the conversions and revenue credited to
it) and with an interval: revenue is read as a number of orders (a Poisson count, Garwood's
interval) times their average value, so a handful of orders cannot make a confident verdict.

Verdicts, first match wins:

- ``no cost``: nothing was spent on it in the period, so its ROI is undefined;
- ``too small to say``: fewer orders credited than ``min_conversions``;
- ``scale up``: the ROI's lower bound reaches ``scale_up_roi``;
- ``stop``: the ROI's upper bound stays below ``stop_roi``;
- ``keep``: in between — not clearly above one threshold nor below the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from cadran.core.poisson import poisson_interval


class Verdict(Enum):
    """What the figures advise for an action."""

    SCALE_UP = "scale up"
    KEEP = "keep"
    STOP = "stop"
    TOO_SMALL = "too small to say"
    NO_COST = "no cost"


@dataclass(frozen=True)
class Thresholds:
    """When to advise scaling up or stopping (see the module docstring)."""

    min_conversions: int = 10
    scale_up_roi: float = 1.0
    stop_roi: float = 0.0
    confidence: float = 0.9

    def __post_init__(self) -> None:
        if self.stop_roi > self.scale_up_roi:
            raise ValueError("stop_roi must not be above scale_up_roi")
        if self.min_conversions < 1:
            raise ValueError("min_conversions must be at least 1")


@dataclass(frozen=True)
class ActionFigures:
    """The evidence for one action over a period (credits may be fractional)."""

    cost: float
    revenue: float
    orders: float
    customers: float
    leads: float
    qualified_interactions: float


@dataclass(frozen=True)
class Assessment:
    """An action's ratios, the ROI's interval and the verdict with its reason."""

    roi: float | None
    roi_low: float | None
    roi_high: float | None
    roas: float | None
    cac: float | None
    cost_per_lead: float | None
    cost_per_qualified_interaction: float | None
    verdict: Verdict
    reason: str


def _per(cost: float, count: float) -> float | None:
    return cost / count if count > 0 else None


def assess(figures: ActionFigures, thresholds: Thresholds) -> Assessment:
    """Ratios, ROI interval and verdict of one action."""
    f, t = figures, thresholds
    if f.cost < 0 or not math.isfinite(f.cost):
        raise ValueError(f"a cost must be a finite amount of 0 or more, not {f.cost!r}")
    cac, cpl = _per(f.cost, f.customers), _per(f.cost, f.leads)
    cpqi = _per(f.cost, f.qualified_interactions)
    if f.cost == 0:
        return Assessment(
            None, None, None, None, None, None, None, Verdict.NO_COST,
            "no cost recorded for it in the period: its ROI cannot be computed",
        )  # fmt: skip
    roi = (f.revenue - f.cost) / f.cost
    roas = f.revenue / f.cost
    low_orders, high_orders = poisson_interval(f.orders, t.confidence)
    roi_low: float | None = None
    roi_high: float | None = None
    if f.orders > 0:
        value = f.revenue / f.orders
        roi_low = (low_orders * value - f.cost) / f.cost
        roi_high = (high_orders * value - f.cost) / f.cost
    level = f"{100 * t.confidence:g} %"
    if f.orders < t.min_conversions:
        verdict, reason = (
            Verdict.TOO_SMALL,
            f"only {f.orders:.3g} order(s) credited; at least {t.min_conversions} are needed "
            "to judge",
        )
    elif roi_low is not None and roi_low >= t.scale_up_roi:
        verdict, reason = (
            Verdict.SCALE_UP,
            f"ROI of at least {roi_low:.2f} at {level} confidence, above {t.scale_up_roi:g}",
        )
    elif roi_high is not None and roi_high < t.stop_roi:
        verdict, reason = (
            Verdict.STOP,
            f"ROI of at most {roi_high:.2f} at {level} confidence, below {t.stop_roi:g}: "
            "it costs more than it brings",
        )
    else:
        verdict, reason = (
            Verdict.KEEP,
            f"ROI between {roi_low:.2f} and {roi_high:.2f} at {level} confidence: neither "
            f"clearly above {t.scale_up_roi:g} nor below {t.stop_roi:g}",
        )
    return Assessment(roi, roi_low, roi_high, roas, cac, cpl, cpqi, verdict, reason)
