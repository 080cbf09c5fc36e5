"""The engine against two independent implementations of the benchmark task (bench/).

The task of bench/kpi_engine.py: every built-in KPI that can be broken down by platform, for
the 24 months 2024-11 .. 2026-10, by platform, no comparison, on the seeded S demo.
bench/reference_sql.py (hand-written DuckDB SQL) and bench/reference_pandas.py (pandas) compute
it without the planner; each (kpi, period, platform[, segment]) value, numerator and denominator
must agree (relative tolerance 1e-9, NaN = NaN), and the rows must be the same. The KPIs without
a platform breakdown (the churn rate and the churn-based lifetime value read the customer base
per day, which has no platform) are compared the same way for the whole workspace, per month.

A small hand-made workspace adds what the demo never has: a single post in a month (reach is
then known), a platform without posts in a month that has posts, a month without messages, a
trailing unknown follower count, a post published at 23:30 UTC on 30 September (1 October in
Paris), costs spanning two months, rows without a platform, customers lost on the first and
after the last day of a month in Paris.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

import cadran
from cadran.services.workspace import Workspace

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str) -> ModuleType:
    """Import bench/<name>.py by path: bench/ is not a package."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


reference_sql = load("reference_sql")
reference_pandas = load("reference_pandas")
agreement = load("agreement")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The seeded S demo (seed 42, data up to 2026-10-31), built once for this module."""
    workspace = cadran.demo(
        tmp_path_factory.mktemp("bench") / "demo-s", size="S", seed=42, end="2026-10-31"
    )
    yield workspace
    workspace.close()


# Facts of the ad platforms' reports.
AD_FACTS = {"ad", "ad_segment", "ad_daily"}


def kpi_ids(ws: Workspace) -> list[str]:
    # The demo generates no ad results: the ad KPIs are checked against the platform's own
    # figures on real Meta Ads exports instead (tests/services/test_real_exports.py and
    # tests/services/test_real_conversions.py).
    return [
        k
        for k, b in ws.catalogue.bound.items()
        if "platform" in b.dimensions and not AD_FACTS & set(b.facts)
    ]


def total_kpi_ids(ws: Workspace) -> list[str]:
    """The KPIs without a platform breakdown, evaluated for the whole workspace."""
    return [k for k, b in ws.catalogue.bound.items() if "platform" not in b.dimensions]


@pytest.fixture(scope="module")
def engine(ws: Workspace) -> pd.DataFrame:
    req = ws.request(
        kpi_ids(ws),
        start="2024-11-01",
        end="2026-10-31",
        grain="month",
        by="platform",
        compare="none",
    )
    return ws.evaluate(req).frame


@pytest.fixture(scope="module")
def sql(ws: Workspace) -> pd.DataFrame:
    return reference_sql.evaluate(ws.warehouse.con, params=reference_sql.parameters(ws.folder.root))


@pytest.fixture(scope="module")
def pandas_result(ws: Workspace) -> pd.DataFrame:
    params = reference_pandas.parameters(ws.folder.root)
    return reference_pandas.evaluate(ws.warehouse.con, params=params)


def test_the_references_cover_the_catalogue(ws: Workspace) -> None:
    assert len(ws.catalogue.bound) == 99
    assert len(kpi_ids(ws)) == 87
    assert sorted(reference_sql.ALL_KPIS) == sorted(kpi_ids(ws))
    totals = ["customer_churn_rate", "customer_lifetime_value_churn"]
    assert sorted(total_kpi_ids(ws)) == totals
    assert sorted(reference_sql.TOTAL_KPIS) == sorted(reference_pandas.TOTAL_KPIS) == totals
    # The rest are the ad KPIs (see kpi_ids).
    other = set(ws.catalogue.bound) - set(kpi_ids(ws)) - set(totals)
    assert all(AD_FACTS & set(ws.catalogue.bound[k].facts) for k in other)


def test_kpis_without_a_platform_agree_for_the_whole_workspace(ws: Workspace) -> None:
    req = ws.request(
        total_kpi_ids(ws), start="2024-11-01", end="2026-10-31", grain="month", compare="none"
    )
    engine = ws.evaluate(req).frame
    params = reference_sql.parameters(ws.folder.root)
    sql = reference_sql.evaluate_totals(ws.warehouse.con, params=params)
    by_pandas = reference_pandas.evaluate_totals(ws.warehouse.con, params=params)
    assert agreement.compare(by_pandas, sql, ("pandas", "reference SQL")).ok
    result = agreement.compare(engine, sql, ("engine", "reference SQL"))
    assert result.keys == 2 * 24
    assert result.ok, result.summary()
    assert sql["value"].notna().all()  # customers are lost every month of the demo


def test_engine_values_agree_with_the_hand_written_sql(
    engine: pd.DataFrame, sql: pd.DataFrame
) -> None:
    result = agreement.compare(engine, sql, ("engine", "reference SQL"))
    assert result.keys > 17_000  # every KPI x 24 months x platforms (x segments)
    assert result.values_agree, result.summary()


def test_engine_has_the_rows_of_the_hand_written_sql(
    engine: pd.DataFrame, sql: pd.DataFrame
) -> None:
    # A KPI has a row for each month and each platform with rows its own filters select,
    # whatever else the request evaluates.
    result = agreement.compare(engine, sql, ("engine", "reference SQL"))
    assert result.same_keys, result.summary()


def test_pandas_agrees_with_the_hand_written_sql(
    pandas_result: pd.DataFrame, sql: pd.DataFrame
) -> None:
    result = agreement.compare(pandas_result, sql, ("pandas", "reference SQL"))
    assert result.ok, result.summary()
    assert result.values == 3 * result.keys > 50_000


def test_the_comparison_sees_a_small_difference_and_a_missing_row(sql: pd.DataFrame) -> None:
    changed = sql.copy()
    row = int(np.flatnonzero(changed["kpi"].eq("engagement_rate") & changed["value"].notna())[0])
    changed.loc[row, "value"] *= 1 + 1e-8
    result = agreement.compare(changed.drop(index=row + 1), sql, ("changed", "reference SQL"))
    assert len(result.mismatches) == 1
    assert len(result.only_right) == 1 and result.only_left.empty
    assert agreement.compare(sql, sql).ok


def _post(native_id: str, when: str, platform: str, account: str, **metrics: object) -> dict:
    return {
        "platform": platform,
        "account": account,
        "native_id": native_id,
        "published_at": when,
        **metrics,
    }


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """Two months (September and October 2026) of hand-made rows."""
    ws = cadran.init(tmp_path_factory.mktemp("bench") / "edge", timezone="Europe/Paris")
    ws.add(
        "posts",
        [
            _post("p1", "2026-09-15T10:00", "x", "@b", clicks=4, likes=1, impressions=100),
            _post("p2", "2026-10-15T10:00", "instagram", "@a", clicks=6, likes=2,
                  impressions=50, reach=40),
            _post("p3", "2026-09-03T10:00", "instagram", "@a", comments=3, saves=2,
                  is_paid=True, impressions=80, reach=70),
            _post("p4", "2026-10-20T10:00", "tiktok", "@t", likes=10, comments=1, shares=0,
                  video_views=100),
            _post("p5", "2026-10-21T10:00", "tiktok", "@t", likes=5, comments=0, shares=2,
                  readability=50.0),
            _post("p6", "2026-09-30T23:30:00+00:00", "x", "@b", likes=7, clicks=1,
                  impressions=20, is_paid=True, engagements_native=9),
        ],
    )  # fmt: skip
    daily = [
        ("instagram", "@a", "2026-09-01", {"followers": 100, "reach": 5}),
        ("instagram", "@a", "2026-09-30",
         {"followers": 110, "followers_gained": 12, "followers_lost": 2}),
        ("instagram", "@a", "2026-10-01", {"followers": 111, "profile_visits": 4}),
        ("instagram", "@a", "2026-10-31", {"followers": None, "followers_lost": 3}),
        ("x", "@b", "2026-10-05",
         {"followers": 50, "reach": 7, "followers_gained": 1, "followers_lost": 0}),
    ]  # fmt: skip
    ws.add(
        "account_daily",
        [{"platform": p, "account": a, "day": d, **m} for p, a, d, m in daily],
    )
    audience = [
        ("instagram", "@a", "2026-09-30", "country", "FR", 60),
        ("instagram", "@a", "2026-09-30", "country", "BE", 40),
        ("instagram", "@a", "2026-10-31", "country", "FR", 70),
        ("instagram", "@a", "2026-10-31", "country", "other", None),
        ("instagram", "@a", "2026-10-31", "age", "18-24", 30),
        ("instagram", "@a", "2026-10-31", "language", "other", 5),
        ("x", "@b", "2026-10-31", "country", "FR", 50),
    ]
    ws.add(
        "audience",
        [
            {"platform": p, "account": a, "as_of": d, "dimension": dim, "segment": seg,
             "followers": n}
            for p, a, d, dim, seg, n in audience
        ],
    )  # fmt: skip
    ws.add(
        "messages",
        [
            {"platform": "instagram", "account": "@a", "native_id": "m1", "channel": "public",
             "created_at": "2026-10-02T10:00", "first_reply_at": "2026-10-02T12:00",
             "is_question": True, "sentiment_label": "positive", "sentiment_score": 0.5},
            {"platform": "instagram", "account": "@a", "native_id": "m2", "channel": "private",
             "created_at": "2026-10-03T10:00", "is_question": True, "is_complaint": True,
             "sentiment_label": "negative", "sentiment_score": -0.5},
            {"platform": "x", "account": "@b", "native_id": "m3", "channel": "public",
             "created_at": "2026-10-04T10:00", "first_reply_at": "2026-10-04T10:30",
             "is_complaint": True, "resolved_at": "2026-10-05T10:00",
             "sentiment_label": "neutral", "sentiment_score": 0.0},
        ],
    )  # fmt: skip
    ws.add(
        "mentions",
        [
            {"platform": "instagram", "native_id": "n1", "kind": "tag",
             "created_at": "2026-09-10T10:00", "sentiment_label": "positive"},
            {"platform": "facebook", "native_id": "n2", "kind": "mention",
             "created_at": "2026-09-11T10:00", "sentiment_label": "negative"},
        ],
    )  # fmt: skip
    ws.add(
        "web_traffic",
        [
            {"day": "2026-09-10", "source": "google", "medium": "organic",
             "channel_group": "Organic Search", "is_brand_search": True, "sessions": 100,
             "engaged_sessions": 60, "engagement_seconds": 1000.0},
            {"day": "2026-10-10", "source": "instagram.com", "medium": "referral",
             "channel_group": "Organic Social", "platform": "instagram", "sessions": 20,
             "engagement_seconds": 50.0},
        ],
    )  # fmt: skip
    ws.add(
        "costs",
        [
            {"native_id": "c1", "period_start": "2026-09-25", "period_end": "2026-10-04",
             "category": "ads", "platform": "instagram", "amount": 100},
            {"native_id": "c2", "period_start": "2026-10-01", "period_end": "2026-10-31",
             "category": "content", "amount": 31},
        ],
    )  # fmt: skip
    ws.add(
        "customers",
        [
            # lost on 1 November in Paris: still a customer for all of October
            {"native_id": "k1", "acquired_at": "2026-10-06T10:00", "source": "organic_social",
             "platform": "instagram", "churned_at": "2026-10-31T23:30:00+00:00"},
            # lost on 1 October in Paris (30 September in UTC)
            {"native_id": "k2", "acquired_at": "2026-09-20T10:00", "source": "direct",
             "churned_at": "2026-09-30T22:30:00+00:00"},
        ],
    )  # fmt: skip
    ws.add(
        "leads",
        [
            {"native_id": "l1", "created_at": "2026-10-05T10:00", "source": "paid_social",
             "platform": "instagram", "customer": "k1"},
            {"native_id": "l2", "created_at": "2026-09-05T10:00", "source": "direct"},
        ],
    )  # fmt: skip
    ws.add(
        "revenue",
        [
            {"native_id": "r1", "occurred_at": "2026-10-06T10:00", "amount": 25.5,
             "source": "organic_social", "platform": "instagram", "customer": "k1"},
            {"native_id": "r2", "occurred_at": "2026-09-06T10:00", "amount": 10,
             "source": "direct"},
        ],
    )  # fmt: skip
    ws.add(
        "qualified_interactions",
        [{"native_id": "q1", "occurred_at": "2026-10-05T10:00", "kind": "newsletter_signup",
          "source": "organic_social", "platform": "instagram"}],
    )  # fmt: skip
    ws.add(
        "recommendations",
        [
            {"native_id": "e1", "created_at": "2026-10-08T08:00", "platform": "instagram",
             "account": "@a", "users_exposed": 10},
            {"native_id": "e2", "created_at": "2026-09-08T08:00", "platform": "x",
             "users_exposed": 5, "users_acted": 2},
        ],
    )  # fmt: skip
    yield ws
    ws.close()


EDGE = (date(2026, 9, 1), date(2026, 10, 31))


def test_edge_cases_agree(edge: Workspace) -> None:
    req = edge.request(
        kpi_ids(edge), start=EDGE[0], end=EDGE[1], grain="month", by="platform", compare="none"
    )
    engine = edge.evaluate(req).frame
    sql = reference_sql.evaluate(edge.warehouse.con, *EDGE)
    by_pandas = reference_pandas.evaluate(edge.warehouse.con, *EDGE)
    assert agreement.compare(by_pandas, sql, ("pandas", "reference SQL")).ok
    result = agreement.compare(engine, sql, ("engine", "reference SQL"))
    assert result.keys > 300
    assert result.ok, result.summary(limit=20)


def test_edge_cases_without_a_platform_agree(edge: Workspace) -> None:
    req = edge.request(
        total_kpi_ids(edge), start=EDGE[0], end=EDGE[1], grain="month", compare="none"
    )
    engine = edge.evaluate(req).frame
    sql = reference_sql.evaluate_totals(edge.warehouse.con, *EDGE)
    by_pandas = reference_pandas.evaluate_totals(edge.warehouse.con, *EDGE)
    assert agreement.compare(by_pandas, sql, ("pandas", "reference SQL")).ok
    result = agreement.compare(engine, sql, ("engine", "reference SQL"))
    assert result.ok, result.summary()
    values = sql.set_index(["kpi", "period_start"])["value"]
    september, october = pd.Timestamp(EDGE[0]), pd.Timestamp("2026-10-01")
    # September: k2 is a customer from the 21st (10 of 11 days), nobody is lost, so the
    # lifetime value has no value. October: k2 on the 1st, k1 from the 7th (26 customer-days
    # over 31 days), k2 lost; revenue 25.5.
    assert values["customer_churn_rate", september] == 0
    assert np.isnan(values["customer_lifetime_value_churn", september])
    assert values["customer_churn_rate", october] == pytest.approx(1 / (26 / 31) * 100)
    assert values["customer_lifetime_value_churn", october] == pytest.approx(25.5)
