"""The KPI overview: headline KPIs of a period against the previous one, with benchmark bands."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cadran.core.catalogue import BandLevel, Kpi
from cadran.core.periods import Period
from cadran.services.workspace import Workspace

# One or two KPIs per seed-001 perspective, business results first (seeds 000, 001, 002).
HEADLINE = (
    "revenue_generated",
    "social_media_roi",
    "customer_acquisition_cost",
    "leads_generated",
    "qualified_interactions",
    "social_lead_conversion_rate",
    "followers",
    "audience_growth_velocity",
    "engagement_rate",
    "engagement_rate_improvement",
    "content_virality_rate",
    "impressions",
    "brand_sentiment_score",
    "brand_sentiment_evolution",
    "response_time",
    "complaint_resolution_rate",
    "posts_per_period",
    "ai_recommendation_adoption_rate",
)
BY_PLATFORM = (
    "followers",
    "engagement_rate",
    "posts_per_period",
    "impressions",
    "audience_growth_velocity",
)


@dataclass(frozen=True)
class OverviewLine:
    """One KPI of the overview."""

    kpi: Kpi
    value: float | None
    previous: float | None
    change: float | None
    band: BandLevel | None


@dataclass(frozen=True)
class Overview:
    """Headline KPIs of one period, plus a per-platform table."""

    period: Period
    lines: tuple[OverviewLine, ...]
    by_platform: pd.DataFrame


def _num(value: object) -> float | None:
    if value is None or not isinstance(value, int | float):
        return None
    return None if value != value else float(value)


def build_overview(ws: Workspace, period: str | None = None) -> Overview:
    """Evaluate the headline KPIs for ``period`` (default: the last complete month)."""
    catalogue = ws.catalogue
    chosen = ws.resolve_periods(period)[0]
    ids = [k for k in HEADLINE if k in catalogue.bound]
    frame = ws.kpi(ids, period=chosen.label, compare="previous")
    lines = []
    for row in frame.to_dict(orient="records"):
        kpi = catalogue.kpis[str(row["kpi"])]
        value = _num(row["value"])
        band = None
        if value is not None:
            for bench in catalogue.benchmarks.get(kpi.id, ()):
                band = bench.level_of(value)
        lines.append(
            OverviewLine(kpi, value, _num(row["previous_value"]), _num(row["change"]), band)
        )
    by_platform = ws.kpi(
        [k for k in BY_PLATFORM if k in catalogue.bound],
        period=chosen.label,
        by="platform",
        compare="previous",
    )
    return Overview(chosen, tuple(lines), by_platform)
