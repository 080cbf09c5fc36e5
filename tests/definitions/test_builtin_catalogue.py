"""The built-in KPI catalogue: it loads cleanly and covers what the seed documents require.

Seeds 000 to 004 are the French source documents the catalogue is built from; every KPI they
name carries the seed's number in ``seeds``. Seed 002 also publishes benchmark bands and worked
examples, which are checked here against the bound formulas with a small evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import pytest

from cadran.core.bound import (
    BArith,
    BAvgPer,
    BConst,
    BDays,
    BExpr,
    BFunc,
    BMeasure,
    BNeg,
    BPrevious,
    as_ratio,
    measures_of,
)
from cadran.core.catalogue import BandLevel, Catalogue, Direction, KpiAggregation, Unit
from cadran.core.formula import parse
from cadran.core.semantic import Aggregation
from cadran.services.definitions import load_catalogue

SEED_000 = {
    "followers",
    "engagement_rate",
    "shares",
    "comments",
    "likes",
    "leads_generated",
    "cost_per_lead",
    "customer_acquisition_cost",
    "customer_lifetime_value",
    "revenue_generated",
}

SEED_001 = {
    # engagement
    "impressions",
    "profile_visits",
    "likes",
    "followers",
    "public_comments",
    "private_questions",
    "shares",
    # internal
    "posts_per_period",
    "response_time",
    "response_time_business",
    "response_time_public",
    "response_time_private",
    "complaint_resolution_rate",
    "formal_readability_index",
    "content_quality_index",
    # popularity
    "brand_mentions",
    "tagged_people",
    # demographics
    "followers_by_age_gender",
    "followers_by_country",
    "followers_by_language",
    "active_hours",
    # inbound traffic
    "direct_traffic",
    "indirect_traffic",
    # conversions and finance
    "social_lead_conversion_rate",
    "revenue_generated",
    "qualified_interactions",
    # paid posts
    "paid_cost_per_lead",
    "customer_lifetime_value",
    # traffic
    "time_on_site",
    "adjusted_bounce_rate",
    # average A per B
    "avg_clicks_per_post",
    "avg_shares_per_post",
    "avg_comments_per_post",
    # leading metric of the strategy map
    "social_media_budget",
}

SEED_002 = {
    "engagement_rate_improvement",
    "audience_growth_velocity",
    "content_virality_rate",
    "brand_sentiment_evolution",
    "ai_recommendation_adoption_rate",
    "customer_acquisition_cost",
    "social_media_roi",
}

# Seed 002's « Benchmarks de l'industrie », as published: level -> (min, max).
SEED_002_BANDS: dict[str, dict[str, tuple[float | None, float | None]]] = {
    "engagement_rate_improvement": {
        "typical": (10, 20),
        "above_average": (25, None),
        "exceptional": (50, None),
    },
    "audience_growth_velocity": {
        "typical": (5, 10),
        "above_average": (10, 15),
        "exceptional": (15, None),
    },
    "content_virality_rate": {
        "typical": (2, 5),
        "above_average": (5, 8),
        "exceptional": (10, None),
    },
    "brand_sentiment_evolution": {
        "typical": (3, 7),
        "above_average": (8, 12),
        "exceptional": (13, None),
    },
    "ai_recommendation_adoption_rate": {
        "below_average": (None, 20),
        "typical": (20, 40),
        "exceptional": (40, None),
    },
    "customer_acquisition_cost": {
        "typical": (20, 200),
        "above_average": (15, 50),
        "exceptional": (None, 10),
    },
    "social_media_roi": {
        "typical": (4, 5),
        "exceptional": (10, None),
    },
}

AVERAGE_PER_POST = {
    "avg_clicks_per_post",
    "avg_shares_per_post",
    "avg_comments_per_post",
    "amplification_rate",
    "applause_rate",
    "conversation_rate",
}


@cache
def catalogue() -> Catalogue:
    cat, issues = load_catalogue()
    assert not list(issues), "\n".join(str(i) for i in issues)
    return cat


def tagged(seed: str) -> set[str]:
    return {k.id for k in catalogue().kpis.values() if seed in k.seeds}


# -- loading -------------------------------------------------------------------------------------


def test_loads_without_issues_and_binds_every_kpi() -> None:
    _, issues = load_catalogue()
    assert [str(i) for i in issues] == []
    cat = catalogue()
    assert set(cat.bound) == set(cat.kpis)
    assert len(cat.kpis) >= 75


def test_each_kpi_file_holds_one_category() -> None:
    for kpi in catalogue().kpis.values():
        assert kpi.file.endswith(f"/kpis/{kpi.category}.yaml"), (kpi.id, kpi.file)


def test_every_category_has_a_kpi() -> None:
    cat = catalogue()
    used = {k.category for k in cat.kpis.values()}
    assert used == set(cat.categories)


# -- seeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "expected"), [("000", SEED_000), ("001", SEED_001), ("002", SEED_002)]
)
def test_seed_tags(seed: str, expected: set[str]) -> None:
    assert tagged(seed) == expected


def test_seed_counts() -> None:
    assert (len(tagged("000")), len(tagged("001")), len(tagged("002"))) == (10, 34, 7)


def test_later_seeds_are_tagged() -> None:
    assert {"reach", "click_through_rate", "conversion_rate", "social_media_roi"} <= tagged("003")
    assert {"website_sessions", "conversion_rate", "social_media_roi", "roi_percent"} <= tagged(
        "004"
    )


def test_seed_001_categories_follow_the_seed() -> None:
    cat = catalogue()
    expected = {
        "engagement": {
            "impressions",
            "profile_visits",
            "likes",
            "followers",
            "public_comments",
            "private_questions",
            "shares",
        },
        "internal": {
            "posts_per_period",
            "response_time",
            "complaint_resolution_rate",
            "formal_readability_index",
            "content_quality_index",
        },
        "popularity": {"brand_mentions", "tagged_people"},
        "demographics": {
            "followers_by_age_gender",
            "followers_by_country",
            "followers_by_language",
            "active_hours",
        },
        "inbound_traffic": {"direct_traffic", "indirect_traffic"},
        "conversions_finance": {
            "social_lead_conversion_rate",
            "revenue_generated",
            "qualified_interactions",
        },
        "paid": {"paid_cost_per_lead", "customer_lifetime_value", "social_media_budget"},
        "traffic": {"time_on_site", "adjusted_bounce_rate"},
        "average_per": {"avg_clicks_per_post", "avg_shares_per_post", "avg_comments_per_post"},
    }
    for category, ids in expected.items():
        for kpi_id in ids:
            assert cat.kpis[kpi_id].category == category, kpi_id


# -- texts ---------------------------------------------------------------------------------------


def test_names_are_non_empty_and_distinct_in_each_language() -> None:
    kpis = list(catalogue().kpis.values())
    for lang in ("en", "fr"):
        names = [k.name.get(lang).strip() for k in kpis]
        assert all(names), lang
        assert len(set(names)) == len(names), sorted(n for n in names if names.count(n) > 1)


def test_descriptions_are_written_in_both_languages() -> None:
    for kpi in catalogue().kpis.values():
        en, fr = kpi.description.en, kpi.description.fr
        assert len(en) >= 80, kpi.id
        assert len(fr) >= 80, kpi.id
        assert en != fr, kpi.id
        assert kpi.sources or kpi.id in {"engagement_rate_reach"}, kpi.id


def test_french_texts_are_accented() -> None:
    french = " ".join(f"{k.name.fr} {k.description.fr}" for k in catalogue().kpis.values())
    for word in ("période", "à", "réseaux sociaux", "dépenses", "évolution"):
        assert word in french.lower(), word


# -- units and aggregations ----------------------------------------------------------------------


def test_percent_kpis_are_ratios_times_100_and_vice_versa() -> None:
    for bk in catalogue().bound.values():
        expr = bk.expr.operand if isinstance(bk.expr, BAvgPer) else bk.expr
        ratio = as_ratio(expr)
        is_percent_formula = ratio.denominator is not None and ratio.scale == 100
        assert (bk.kpi.unit is Unit.PERCENT) == is_percent_formula, bk.kpi.id
        if bk.kpi.unit is Unit.PERCENT:
            assert bk.kpi.aggregation in (KpiAggregation.POOLED, KpiAggregation.MEAN_PER_POST)


def test_average_per_family_uses_mean_per_post() -> None:
    cat = catalogue()
    family = {k.id for k in cat.kpis.values() if k.category == "average_per"}
    family |= {k.id for k in cat.kpis.values() if k.formula.startswith("avg_per(")}
    assert family == AVERAGE_PER_POST
    for kpi_id in family:
        bk = cat.bound[kpi_id]
        assert bk.kpi.aggregation is KpiAggregation.MEAN_PER_POST, kpi_id
        assert isinstance(bk.expr, BAvgPer), kpi_id
        assert bk.expr.entity == "post", kpi_id


def test_amplification_rate_equals_average_shares_per_post() -> None:
    cat = catalogue()
    assert cat.bound["amplification_rate"].expr == cat.bound["avg_shares_per_post"].expr
    assert cat.bound["conversation_rate"].expr == cat.bound["avg_comments_per_post"].expr


def test_reach_type_kpis_are_unique() -> None:
    cat = catalogue()
    unique_measure_kpis = {
        bk.kpi.id
        for bk in cat.bound.values()
        if any(m.measure.agg is Aggregation.UNIQUE for m in measures_of(bk.expr))
        and not isinstance(bk.expr, BAvgPer)
    }
    # Frequency divides by reach, defined for one campaign's row only (never summed).
    frequencies = {"ad_frequency", "ad_segment_frequency"}
    assert unique_measure_kpis == {"reach", "account_reach", *frequencies}
    for kpi_id in unique_measure_kpis - frequencies:
        assert cat.kpis[kpi_id].aggregation is KpiAggregation.UNIQUE, kpi_id
    # Engagement rate by reach divides per post, so reach is never summed.
    assert cat.kpis["engagement_rate_reach"].aggregation is KpiAggregation.MEAN_PER_POST


def test_demographics_are_neutral_distributions() -> None:
    for kpi in catalogue().kpis.values():
        if kpi.category == "demographics":
            assert kpi.unit is Unit.PERCENT, kpi.id
            assert kpi.direction is Direction.NEUTRAL, kpi.id
            assert kpi.aggregation is KpiAggregation.POOLED, kpi.id
            assert kpi.dimensions == ("segment",), kpi.id
            assert "total(" in kpi.formula, kpi.id
    assert sum(k.category == "demographics" for k in catalogue().kpis.values()) == 8


def test_vanity_counts_are_flagged() -> None:
    cat = catalogue()
    for kpi_id in ("followers", "likes", "impressions", "reach"):
        assert cat.kpis[kpi_id].vanity, kpi_id
    for kpi_id in ("engagement_rate", "qualified_interactions", "social_media_roi"):
        assert not cat.kpis[kpi_id].vanity, kpi_id


@pytest.mark.parametrize(
    ("kpi_id", "unit", "direction"),
    [
        ("cost_per_lead", Unit.CURRENCY, Direction.LOWER),
        ("customer_acquisition_cost", Unit.CURRENCY, Direction.LOWER),
        ("customer_lifetime_value", Unit.CURRENCY, Direction.HIGHER),
        ("social_media_roi", Unit.RATIO, Direction.HIGHER),
        ("roi_percent", Unit.PERCENT, Direction.HIGHER),
        ("response_time", Unit.HOURS, Direction.LOWER),
        ("time_on_site", Unit.SECONDS, Direction.HIGHER),
        ("adjusted_bounce_rate", Unit.PERCENT, Direction.LOWER),
        ("social_media_budget", Unit.CURRENCY, Direction.RANGE),
        ("formal_readability_index", Unit.SCORE, Direction.HIGHER),
        ("followers_lost", Unit.COUNT, Direction.LOWER),
    ],
)
def test_units_and_directions(kpi_id: str, unit: Unit, direction: Direction) -> None:
    kpi = catalogue().kpis[kpi_id]
    assert (kpi.unit, kpi.direction) == (unit, direction)


# -- benchmarks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kpi_id", sorted(SEED_002_BANDS))
def test_seed_002_benchmarks_as_published(kpi_id: str) -> None:
    benchmarks = catalogue().benchmarks.get(kpi_id, ())
    assert len(benchmarks) == 1, kpi_id
    bench = benchmarks[0]
    assert "bplaner.com" in bench.source
    assert "2024" in bench.source
    assert bench.method.en
    assert bench.method.fr
    got = {b.level.value: (b.low, b.high) for b in bench.bands}
    assert got == SEED_002_BANDS[kpi_id]


def test_benchmarks_only_for_seed_002_kpis() -> None:
    assert set(catalogue().benchmarks) == set(SEED_002_BANDS)


def test_benchmark_levels_read_as_published() -> None:
    bench = catalogue().benchmarks
    assert bench["engagement_rate_improvement"][0].level_of(15) is BandLevel.TYPICAL
    assert bench["engagement_rate_improvement"][0].level_of(22) is None
    assert bench["audience_growth_velocity"][0].level_of(12) is BandLevel.ABOVE_AVERAGE
    assert bench["ai_recommendation_adoption_rate"][0].level_of(12) is BandLevel.BELOW_AVERAGE
    # Lower is better: overlapping bands resolve to the best level.
    assert bench["customer_acquisition_cost"][0].level_of(30) is BandLevel.ABOVE_AVERAGE
    assert bench["customer_acquisition_cost"][0].level_of(8) is BandLevel.EXCEPTIONAL
    assert bench["social_media_roi"][0].level_of(4) is BandLevel.TYPICAL


# -- worked examples of the seeds ----------------------------------------------------------------


def evaluate(
    expr: BExpr,
    values: Mapping[str, float],
    previous: Mapping[str, float] | None = None,
    days: float = 30,
) -> float | None:
    """Evaluate a bound formula from the values of its (filtered) measures, keyed by their text."""

    def ev(node: BExpr, vals: Mapping[str, float]) -> float | None:
        if isinstance(node, BMeasure):
            return vals[node.key.split("{")[0]]  # every value is known here
        if isinstance(node, BConst):
            return node.value
        if isinstance(node, BDays):
            return days
        if isinstance(node, BNeg):
            v = ev(node.operand, vals)
            return None if v is None else -v
        if isinstance(node, BPrevious):
            assert previous is not None
            assert node.n == 1
            return ev(node.operand, previous)
        if isinstance(node, BFunc):
            args = [ev(a, vals) for a in node.args]
            if node.name == "abs":
                return None if args[0] is None else abs(args[0])
            return next((a for a in args if a is not None), None)
        assert isinstance(node, BArith), node
        left, right = ev(node.left, vals), ev(node.right, vals)
        if left is None or right is None:
            return None
        if node.op == "/":
            return None if right == 0 else left / right
        return {"+": left + right, "-": left - right, "*": left * right}[node.op]

    return ev(expr, values)


def keyed(values: Mapping[str, float]) -> dict[str, float]:
    """Measure values given as formula texts (``leads[social]``), keyed as bound measures are."""
    binder = catalogue().binder()
    out: dict[str, float] = {}
    for text, value in values.items():
        bound = binder.bind(parse(text), text)
        assert isinstance(bound, BMeasure), text
        out[bound.key] = value
    return out


@pytest.mark.parametrize(
    ("kpi_id", "current", "previous", "expected"),
    [
        # Seed 002: 500 interactions against 400 (impressions unchanged) -> 25 %.
        (
            "engagement_rate_improvement",
            {"engagements": 500, "impressions": 10_000},
            {"engagements": 400, "impressions": 10_000},
            25,
        ),
        # Seed 002: 500 followers at the start of the month, +100, -50 -> 10 %.
        (
            "audience_growth_velocity",
            {"followers_gained": 100, "followers_lost": 50, "followers_opening": 500},
            None,
            10,
        ),
        # Seed 002: 500 shares, 800 likes, 300 comments on one post, 10,000 followers -> 16 %.
        (
            "content_virality_rate",
            {"shares": 500, "likes": 800, "comments": 300, "posts": 1, "followers": 10_000},
            None,
            16,
        ),
        # Seed 002: sentiment score 75 last month, 80 this month -> 6.67 %.
        (
            "brand_sentiment_evolution",
            {
                "messages[sentiment = 'positive']": 80,
                "messages[sentiment = 'negative']": 20,
                "mentions[sentiment = 'positive']": 0,
                "mentions[sentiment = 'negative']": 0,
            },
            {
                "messages[sentiment = 'positive']": 75,
                "messages[sentiment = 'negative']": 25,
                "mentions[sentiment = 'positive']": 0,
                "mentions[sentiment = 'negative']": 0,
            },
            6.67,
        ),
        # Seed 002: 300 of 1,000 exposed users acted -> 30 %.
        (
            "ai_recommendation_adoption_rate",
            {"recommendation_users_acted": 300, "recommendation_users_exposed": 1_000},
            None,
            30,
        ),
        # Seed 002: 5,000 $ for 100 new customers -> 50 $.
        ("customer_acquisition_cost", {"cost": 5_000, "customers[social]": 100}, None, 50),
        # Seed 002: (10,000 - 2,000) / 2,000 = 4; seed 004 in percent.
        ("social_media_roi", {"revenue[social]": 10_000, "cost": 2_000}, None, 4),
        ("roi_percent", {"revenue[social]": 10_000, "cost": 2_000}, None, 400),
    ],
)
def test_seed_worked_examples(
    kpi_id: str,
    current: dict[str, float],
    previous: dict[str, float] | None,
    expected: float,
) -> None:
    expr = catalogue().bound[kpi_id].expr
    got = evaluate(expr, keyed(current), keyed(previous) if previous else None)
    assert got is not None
    assert round(got, 2) == pytest.approx(expected)


def test_lifetime_value_annualises_and_applies_parameters() -> None:
    expr = catalogue().bound["customer_lifetime_value"].expr
    values = keyed({"revenue[social]": 1_200, "buyers[social]": 10})
    # 120 per buyer over a year, 3 years of lifespan, margin 1 (the default parameters).
    assert evaluate(expr, values, days=365) == pytest.approx(360)
    # The same revenue over 30 days is annualised.
    assert evaluate(expr, values, days=30) == pytest.approx(120 * 365 / 30 * 3)


def test_division_by_zero_gives_no_value() -> None:
    expr = catalogue().bound["customer_acquisition_cost"].expr
    assert evaluate(expr, keyed({"cost": 5_000, "customers[social]": 0})) is None
