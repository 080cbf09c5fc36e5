"""ROI verdicts: thresholds, sample size, intervals."""

from __future__ import annotations

import pytest

from cadran.core.roi import ActionFigures, Thresholds, Verdict, assess


def _figures(cost: float, revenue: float, orders: float) -> ActionFigures:
    return ActionFigures(cost, revenue, orders, orders, 2 * orders, 4 * orders)


def test_seed_002_roi_and_cac() -> None:
    # (10,000 - 2,000) / 2,000 = 4; CAC 2,000 / 100 customers = 20.
    result = assess(_figures(2000, 10000, 100), Thresholds())
    assert result.roi == pytest.approx(4.0)
    assert result.roas == pytest.approx(5.0)
    assert result.cac == pytest.approx(20.0)
    assert result.cost_per_lead == pytest.approx(10.0)
    assert result.cost_per_qualified_interaction == pytest.approx(5.0)


def test_verdicts() -> None:
    t = Thresholds(min_conversions=10, scale_up_roi=1.0, stop_roi=0.0, confidence=0.9)
    assert assess(_figures(2000, 10000, 100), t).verdict is Verdict.SCALE_UP
    assert assess(_figures(2000, 500, 100), t).verdict is Verdict.STOP
    assert assess(_figures(2000, 3000, 100), t).verdict is Verdict.KEEP  # ROI 0.5
    small = assess(_figures(2000, 10000, 4), t)
    assert small.verdict is Verdict.TOO_SMALL
    assert "only 4 order(s) credited; at least 10" in small.reason
    free = assess(_figures(0, 500, 30), t)
    assert free.verdict is Verdict.NO_COST and free.roi is None and free.cac is None


def test_interval_widens_as_orders_shrink() -> None:
    t = Thresholds()
    wide = assess(_figures(1000, 3000, 12), t)
    narrow = assess(_figures(1000, 3000, 1200), t)
    assert wide.roi == narrow.roi == pytest.approx(2.0)
    assert wide.roi_low < narrow.roi_low < 2.0 < narrow.roi_high < wide.roi_high


def test_a_strong_roi_on_few_orders_is_kept_not_scaled() -> None:
    # ROI 1.5 on 12 orders: its 90 % interval reaches below 1, so no scale-up yet.
    result = assess(_figures(1000, 2500, 12), Thresholds())
    assert result.verdict is Verdict.KEEP
    assert result.roi_low is not None and result.roi_low < 1.0


def test_bad_thresholds_and_costs() -> None:
    with pytest.raises(ValueError, match="stop_roi"):
        Thresholds(scale_up_roi=0.0, stop_roi=1.0)
    with pytest.raises(ValueError, match="cost"):
        assess(_figures(-5, 0, 0), Thresholds())
