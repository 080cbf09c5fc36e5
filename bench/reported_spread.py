"""Speed of spreading ad reports over days (migration 0005) against plain cost rows, same run.

    .venv/bin/python bench/reported_spread.py [CAMPAIGNS]

Each of CAMPAIGNS campaigns (default 200) has a yearly, four quarterly and twelve monthly Meta
Ads reports for 2025, nested as users export them: `cost_daily` must spread them without adding
them up (17 reports per campaign, the recursion of the overlap rule runs 17 steps). The
reference is the same money recorded as one cost row per campaign and month, the plain spread
of `cost_daily`, in another workspace. Both must give the same total.
"""

from __future__ import annotations

import calendar
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import cadran
from cadran.services.workspace import Workspace

YEAR = 2025


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


def _timed(ws: Workspace, repeat: int = 5) -> tuple[float, float]:
    """The total of cost_daily and the median time to read it."""
    times, total = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        total = float(ws.warehouse.scalar("SELECT sum(amount) FROM cost_daily"))
        times.append(time.perf_counter() - start)
    return total, sorted(times)[len(times) // 2]


def main() -> None:
    campaigns = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        reported = cadran.init(Path(tmp) / "reported", timezone="UTC")
        recorded = cadran.init(Path(tmp) / "recorded", timezone="UTC")
        with reported, recorded:
            reported.add("ad_insights", _reports(campaigns))
            recorded.add("costs", _costs(campaigns))
            total, reported_s = _timed(reported)
            expected, recorded_s = _timed(recorded)
            assert abs(total - expected) < 1e-6 * expected, (total, expected)
            print(f"{campaigns:,} campaigns, {17 * campaigns:,} overlapping reports, "
                  f"{365 * campaigns:,} campaign-days, {total:,.2f} in all")  # fmt: skip
            print(f"cost_daily from nested ad reports: {reported_s:.3f} s")
            print(f"cost_daily from monthly cost rows (reference): {recorded_s:.3f} s")
            print(f"ratio reports / reference: {reported_s / recorded_s:.1f}")


if __name__ == "__main__":
    main()
