"""Generated SQL for representative requests, kept as golden files (no database needed)."""

from __future__ import annotations

from datetime import date

import pytest

from cadran.core.periods import Grain, Period, parse_period, periods_between
from cadran.plan.compiler import compile_request
from cadran.plan.request import Compare, KpiRequest
from cadran.services.definitions import load_catalogue
from tests.golden_files import assert_golden

CATALOGUE, _ = load_catalogue()

CASES = {
    "engagement_rate_month_by_platform": (
        ["engagement_rate"],
        (parse_period("2026-10"),),
        ("platform",),
        {},
        Compare.PREVIOUS,
    ),
    "improvement_with_previous_and_year": (
        ["engagement_rate_improvement"],
        (parse_period("2026-10"),),
        (),
        {},
        Compare.YEAR,
    ),
    "followers_stock_by_account": (
        ["followers", "audience_growth_velocity"],
        (parse_period("2026-Q3"),),
        ("account",),
        {},
        Compare.NONE,
    ),
    "mean_per_post_and_pooled_weekly": (
        ["engagement_rate_reach", "avg_clicks_per_post", "engagement_rate"],
        tuple(periods_between(date(2026, 9, 7), date(2026, 9, 27), Grain.WEEK)),
        ("format",),
        {"platform": ("instagram",)},
        Compare.PREVIOUS,
    ),
    "demographic_share_with_total": (
        ["followers_by_country"],
        (parse_period("2026-10"),),
        ("platform",),
        {},
        Compare.NONE,
    ),
    "roi_custom_range": (
        ["social_media_roi", "customer_acquisition_cost"],
        (Period.custom(date(2026, 10, 5), date(2026, 11, 3)),),
        (),
        {},
        Compare.PREVIOUS,
    ),
    "sentiment_across_facts": (
        ["brand_sentiment_evolution"],
        (parse_period("2026-10"),),
        ("platform",),
        {},
        Compare.PREVIOUS,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_sql(case: str, update_golden: bool) -> None:
    ids, periods, by, filters, compare = CASES[case]
    request = KpiRequest(tuple(CATALOGUE.get(i) for i in ids), periods, by, filters, compare)
    query = compile_request(CATALOGUE.model, request)
    steps = "\n".join(f"-- {s.kind:<10} {s.name:<18} {s.detail}" for s in query.steps)
    header = f"-- {case}: {', '.join(ids)}\n{steps}\n\n"
    assert_golden(f"sql/{case}.sql", query.sql, update_golden, header=header)


def test_a_filter_constant_within_the_stock_groups_is_applied_late() -> None:
    from cadran.core.formula import parse_condition
    from cadran.plan.scans import _columns_of

    assert _columns_of(parse_condition("dimension = 'country'")) == {"dimension"}
    assert _columns_of(parse_condition("a in ('x') and not b is null or c")) == {"a", "b", "c"}
    request = KpiRequest((CATALOGUE.get("followers_by_country"),), (parse_period("2026-10"),))
    text = compile_request(CATALOGUE.model, request).sql
    assert "sum(CASE WHEN (e_1 = 'country') THEN g" in text
