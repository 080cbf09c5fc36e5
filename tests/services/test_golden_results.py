"""KPI results on the seeded S demo workspace, kept as golden files.

The demo is deterministic (seed 42, data up to 2026-10-31), so every value below is fixed. Run
``pytest --update-golden`` after an intended change and review the diff of tests/golden/kpi.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

import cadran
from tests.golden_files import assert_golden

CASES = {
    "catalogue_2026_10": {"period": "2026-10", "compare": "previous"},
    "catalogue_by_platform_2026_q3": {"period": "2026-Q3", "by": "platform", "compare": "year"},
    "engagement_by_format_monthly": {
        "kpis": [
            "engagement_rate",
            "engagement_rate_reach",
            "avg_clicks_per_post",
            "posts_per_period",
            "public_comments",
            "virality_rate",
        ],
        "start": "2026-07-01",
        "end": "2026-09-30",
        "grain": "month",
        "by": "format",
        "compare": "previous",
    },
    "money_custom_range": {
        "kpis": [
            "customer_acquisition_cost",
            "social_media_roi",
            "roas",
            "cost_per_lead",
            "customer_lifetime_value",
            "social_media_budget",
            "revenue_generated",
        ],
        "start": "2026-09-15",
        "end": "2026-10-14",
        "compare": "year",
    },
    "audience_by_country": {
        "kpis": ["followers_by_country", "followers_by_age_gender"],
        "period": "2026-10",
        "by": "platform",
        "compare": "none",
    },
}


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.10g}")
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    out = []
    for row in frame.to_dict(orient="records"):
        out.append(
            {k: (v.isoformat() if hasattr(v, "isoformat") else _rounded(v)) for k, v in row.items()}
        )
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_kpi_results_on_the_demo(case: str, demo_s: Path, update_golden: bool) -> None:
    args = dict(CASES[case])
    with cadran.open(demo_s) as ws:
        kpis = args.pop("kpis", None)
        if kpis is None:  # the whole catalogue, as far as the breakdown allows
            by = args.get("by")
            kpis = [k for k, b in ws.catalogue.bound.items() if by is None or by in b.dimensions]
        frame = ws.kpi(kpis, **args)  # type: ignore[arg-type]
    assert not frame.empty
    text = json.dumps(_records(frame), ensure_ascii=False, indent=1)
    assert_golden(f"kpi/{case}.json", text, update_golden)


def test_the_demo_has_values_for_most_kpis(demo_s: Path) -> None:
    with cadran.open(demo_s) as ws:
        frame = ws.kpi(list(ws.catalogue.bound), period="2026-09")
        facts = {k: set(b.facts) for k, b in ws.catalogue.bound.items()}
    missing = sorted(frame.loc[frame["value"].isna(), "kpi"].unique())
    # Reach is a unique count, never summed over posts or days: it has a value by post only.
    # September's paid posts are on Instagram, TikTok and YouTube, which report no clicks.
    # The demo has no Ads Manager results and no daily engagement counts (they come from
    # imports): those KPIs have no value, rather than a made-up 0.
    ads = {"ad", "ad_segment", "ad_daily"}
    imported_only = [k for k in missing if ads & facts[k]] + ["account_engagement_rate"]
    # Reply times in business hours are measured when the demo is built, as `cadran text
    # analyze` measures them under the workspace's schedule.
    assert sorted(set(missing) - set(imported_only)) == [
        "account_reach",
        "cost_per_click",
        "reach",
    ], missing
    # The per-segment ad KPIs have no rows at all; the platform's purchases (ad_daily) count 2.
    assert len(imported_only) == 8
    with cadran.open(demo_s) as ws:
        october = ws.kpi(["roas", "cost_per_click", "social_media_budget"], period="2026-10")
    # No campaign ran in October: no ad spend, so no return on it (not 0, not infinite).
    assert october["value"].isna().tolist() == [True, True, False]
