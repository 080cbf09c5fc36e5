"""ROI per action: campaigns, platforms, content pillars or channels ranked by what they return.

For each action of the period: its costs (spread over their own periods, as the KPIs do), the
orders, revenue, new customers, leads and qualified interactions credited to it by an
attribution model, the ratios (ROI, ROAS, CAC, cost per lead, cost per qualified interaction),
the ROI's interval and the verdict of :mod:`cadran.core.roi`. Costs and conversions not tied to
any action of the breakdown (shared tools and staff, touches without a campaign) form their
own row, which is never judged; the total row gives the whole.

Costs include the spend of Meta Ads reports and qualified interactions the GA4 key events
(migration 0005; GA4's have no journey, so they keep their channel group's source). The
purchases the ad platform claims for itself are shown beside Cadran's figures as evidence,
never added to them, and never used for the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cadran.core.roi import ActionFigures, assess
from cadran.plan import attribution as plan
from cadran.services.attribution import attribute_all, check_dimension, credited, key_names
from cadran.services.conversion_settings import conversion_settings
from cadran.services.currency import check_currency
from cadran.services.reported import ga4_qualified_interactions, platform_purchases
from cadran.services.workspace import Workspace

# Columns of cost_daily that place a cost in each breakdown.
_COST_COLUMNS = {"channel": "source", "platform": "platform", "campaign": "campaign_id",
                 "pillar": "pillar"}  # fmt: skip
_KINDS = ("orders", "customers", "leads", "qualified_interactions")
UNASSIGNED = "(not tied to one)"
TOTAL = "(total)"
COLUMNS = (
    "cost",
    "orders",
    "revenue",
    "customers",
    "leads",
    "qualified_interactions",
    "roi",
    "roi_low",
    "roi_high",
    "roas",
    "cac",
    "cost_per_lead",
    "cost_per_qualified_interaction",
    "platform_purchases",
    "cost_per_platform_purchase",
    "verdict",
    "reason",
)
# Reported figures are spread over days in floating point: back to a sensible precision.
_DIGITS = 6


@dataclass(frozen=True)
class RoiReport:
    """The ranked actions and what the figures rest on."""

    frame: pd.DataFrame
    by: str
    model: str
    first_day: date
    last_day: date
    warnings: tuple[str, ...]
    confidence: float


def roi(
    ws: Workspace,
    *,
    period: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    by: str = "campaign",
    model: str | None = None,
) -> pd.DataFrame:
    """Actions ranked by ROI (see :func:`roi_report`): one row per action, then the row of
    what is not tied to one and the total."""
    return roi_report(ws, period=period, start=start, end=end, by=by, model=model).frame


def roi_report(
    ws: Workspace,
    *,
    period: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    by: str = "campaign",
    model: str | None = None,
) -> RoiReport:
    """ROI per campaign, platform, pillar or channel over a period, under an attribution
    model (default: the workspace's, ``last_touch`` unless configured)."""
    dimension = check_dimension(by)
    settings, thresholds = conversion_settings(ws)
    chosen = settings.model(model)
    periods = ws.resolve_periods(period, start, end)
    first_day, last_day = periods[0].start, periods[-1].last_day
    for table in ("cost_daily", "ad_daily"):  # the platform's spend per purchase is money too
        check_currency(ws, table, first_day, last_day, "day")
    runs = attribute_all(
        ws, _KINDS, first_day, last_day, (chosen,), dimension=dimension, settings=settings
    )
    column = plan.DIMENSIONS[dimension]
    by_kind = {kind: credited(run, column) for kind, run in runs.items()}
    warnings = [w for run in runs.values() for w in run.warnings]
    ga4 = ga4_qualified_interactions(ws, dimension, first_day, last_day)
    merged = dict(by_kind["qualified_interactions"])
    for key, n in ga4.items():
        credit, worth = merged.get(key, (0.0, 0.0))
        merged[key] = (round(credit + n, _DIGITS), worth)
    by_kind["qualified_interactions"] = merged
    if round(sum(ga4.values()), _DIGITS):
        # Spread over days, a report's count may fall partly in the period: 7.35, but 24.
        counted = f"{sum(ga4.values()):,.2f}".rstrip("0").rstrip(".")
        warnings.append(
            f"{counted} qualified interactions come from GA4 reports: they have "
            "no journey to attribute, so they count for the source of their channel group "
            "and are tied to no campaign, platform or pillar"
        )
    claimed = platform_purchases(ws, dimension, first_day, last_day)
    costs = _costs(ws, dimension, first_day, last_day)
    keys = list(dict.fromkeys([*costs, *(k for c in by_kind.values() for k in c), *claimed]))
    names = key_names(ws, dimension)
    rows = []
    for key in [*keys, TOTAL]:
        if key == TOTAL:
            figures = ActionFigures(
                sum(costs.values()),
                sum(worth for _, worth in by_kind["orders"].values()),
                *(sum(n for n, _ in by_kind[kind].values()) for kind in _KINDS),
            )
        else:
            figures = ActionFigures(
                costs.get(key, 0.0),
                by_kind["orders"].get(key, (0, 0))[1],
                *(by_kind[kind].get(key, (0, 0))[0] for kind in _KINDS),
            )
        verdict = assess(figures, thresholds)
        judged = key not in (None, TOTAL)
        if key == TOTAL:
            spend = sum(s for s, _ in claimed.values())
            purchases = sum(p for _, p in claimed.values())
        else:
            spend, purchases = claimed.get(key, (0.0, 0.0))
        rows.append(
            {
                dimension: UNASSIGNED if key is None else names.get(key, key),
                "cost": figures.cost,
                "orders": figures.orders,
                "revenue": figures.revenue,
                "customers": figures.customers,
                "leads": figures.leads,
                "qualified_interactions": figures.qualified_interactions,
                "roi": verdict.roi,
                "roi_low": verdict.roi_low,
                "roi_high": verdict.roi_high,
                "roas": verdict.roas,
                "cac": verdict.cac,
                "cost_per_lead": verdict.cost_per_lead,
                "cost_per_qualified_interaction": verdict.cost_per_qualified_interaction,
                "platform_purchases": round(purchases, _DIGITS) if claimed else None,
                "cost_per_platform_purchase": spend / purchases if purchases else None,
                "verdict": verdict.verdict.value if judged else None,
                "reason": verdict.reason if judged else _why_not_judged(key, dimension),
                "_order": 2 if key == TOTAL else 1 if key is None else 0,
            }
        )
    frame = pd.DataFrame(rows)
    frame["_roi"] = frame["roi"].fillna(float("-inf"))
    frame = (
        # The key breaks ties last: rows come from SQL in no set order.
        frame.sort_values(
            ["_order", "_roi", "revenue", dimension],
            ascending=[True, False, False, True],
            kind="stable",
        )
        .drop(columns=["_order", "_roi"])
        .reset_index(drop=True)
    )
    return RoiReport(
        frame[[dimension, *COLUMNS]],
        dimension,
        chosen.label,
        first_day,
        last_day,
        tuple(warnings),
        thresholds.confidence,
    )


def _why_not_judged(key: str | None, dimension: str) -> str:
    if key is None:
        return (
            f"costs and conversions not tied to one {dimension} (shared costs, touches "
            "without one): not an action to judge"
        )
    return "all actions together"


def _costs(
    ws: Workspace, dimension: str, first_day: date, last_day: date
) -> dict[str | None, float]:
    column = _COST_COLUMNS[dimension]
    rows = ws.warehouse.rows(
        f"SELECT CAST({column} AS VARCHAR), sum(amount) FROM cost_daily "
        "WHERE day BETWEEN ? AND ? GROUP BY 1",
        [first_day, last_day],
    )
    # Spread over days, amounts pick up float dust: back to cents, as they were recorded.
    return {(None if k is None else str(k)): round(float(v), 2) for k, v in rows}
