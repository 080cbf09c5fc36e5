"""Speed of ad reports spread over days (migrations 0005, 0006) against plain cost rows.

    .venv/bin/python bench/reported_spread.py [CAMPAIGNS]

Each of CAMPAIGNS campaigns (default 200) has a yearly, four quarterly and twelve monthly Meta
Ads reports for 2025, nested as users export them (17 reports per campaign, the recursion of the
overlap rule runs 17 steps). Timed, median of 5:

* reading `cost_daily`, which reads the spread stored in reported_daily_figure (0006);
* refreshing that table, as every import, undo or API write of reports does;
* spreading the reports when read, as the views of 0005 did on every query;
* the reference: the same money recorded as one cost row per campaign and month, the plain
  spread of `cost_daily`, in another workspace. Both must give the same total.
"""

from __future__ import annotations

import calendar
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import cadran
from cadran.services.workspace import Workspace
from cadran.store.reported import refresh_reported_figures

YEAR = 2025
T = TypeVar("T")


def _reports(campaigns: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for c in range(campaigns):
        windows = [(date(YEAR, 1, 1), date(YEAR, 12, 31), 3650.0)]
        for q in range(4):
            end = date(YEAR + 1, 1, 1) if q == 3 else date(YEAR, 3 * q + 4, 1)
            windows.append((date(YEAR, 3 * q + 1, 1), end - timedelta(days=1), 900.0))
        for m in range(1, 13):
            windows.append((date(YEAR, m, 1), date(YEAR, m, calendar.monthrange(YEAR, m)[1]), 300))
        rows += [
            {"ad_network": "meta", "campaign": f"C{c}", "period_start": str(s),
             "period_end": str(e), "spend": v, "purchases": 10}
            for s, e, v in windows
        ]  # fmt: skip
    return rows


def _costs(campaigns: int) -> list[dict[str, object]]:
    return [
        {"native_id": f"C{c}-{m}", "period_start": str(date(YEAR, m, 1)),
         "period_end": str(date(YEAR, m, calendar.monthrange(YEAR, m)[1])),
         "category": "ads", "campaign": f"C{c}", "amount": 300}
        for c in range(campaigns)
        for m in range(1, 13)
    ]  # fmt: skip


def _timed(run: Callable[[], T], repeat: int = 5) -> tuple[T, float]:
    """What ``run`` returns and its median time."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return out, sorted(times)[len(times) // 2]


def _refresh(ws: Workspace) -> None:
    with ws.warehouse.transaction():
        refresh_reported_figures(ws.warehouse)


def main() -> None:
    campaigns = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        reported = cadran.init(Path(tmp) / "reported", timezone="UTC")
        recorded = cadran.init(Path(tmp) / "recorded", timezone="UTC")
        with reported, recorded:
            reported.add("ad_insights", _reports(campaigns))
            recorded.add("costs", _costs(campaigns))
            costs = "SELECT sum(amount) FROM cost_daily"
            total, reported_s = _timed(lambda: float(reported.warehouse.scalar(costs)))
            expected, recorded_s = _timed(lambda: float(recorded.warehouse.scalar(costs)))
            assert abs(total - expected) < 1e-6 * expected, (total, expected)
            _, refresh_s = _timed(lambda: _refresh(reported))
            # What the views of 0005 computed on every read of costs (ad_daily's figures).
            on_read = (
                "SELECT sum(value) FILTER (WHERE figure = 'ad_spend') "
                "FROM reported_daily(['ad_spend', 'ad_purchases'])"
            )
            spread, on_read_s = _timed(lambda: float(reported.warehouse.scalar(on_read)))
            assert abs(total - spread) < 1e-6 * expected, (total, spread)
            print(f"{campaigns:,} campaigns, {17 * campaigns:,} overlapping reports, "
                  f"{365 * campaigns:,} campaign-days, {total:,.2f} in all")  # fmt: skip
            print(f"cost_daily from stored ad report spread: {reported_s:.4f} s")
            print(f"cost_daily from monthly cost rows (reference): {recorded_s:.4f} s")
            print(f"ratio reports / reference: {reported_s / recorded_s:.1f}")
            print(f"refresh of reported_daily_figure (per import of reports): {refresh_s:.3f} s")
            print(f"spreading on every read (the views of 0005): {on_read_s:.3f} s")


if __name__ == "__main__":
    main()
