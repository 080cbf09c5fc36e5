"""ROI per action: campaigns, platforms, content pillars or channels ranked by what they return.

For each action of the period: its costs (spread over their own periods, as the KPIs do), the
orders, revenue, new customers, leads and qualified interactions credited to it by an
attribution model, the ratios (ROI, ROAS, CAC, cost per lead, cost per qualified interaction),
the ROI's interval and the verdict of :mod:`cadran.core.roi`. Costs and conversions not tied to
any action of the breakdown (shared tools and staff, touches without a campaign) form their
own row, which is never judged; the total row gives the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from cadran.core.roi import ActionFigures, assess
from cadran.plan import attribution as plan
from cadran.services.attribution import (
    attribute_all,
    check_currency,
    check_dimension,
    credited,
    key_names,
)
from cadran.services.conversion_settings import conversion_settings
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
    "verdict",
    "reason",
)


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
    check_currency(ws, "cost_daily", first_day, last_day, "day")
    runs = attribute_all(
        ws, _KINDS, first_day, last_day, (chosen,), dimension=dimension, settings=settings
    )
    column = plan.DIMENSIONS[dimension]
    by_kind = {kind: credited(run, column) for kind, run in runs.items()}
    costs = _costs(ws, dimension, first_day, last_day)
    keys = list(dict.fromkeys([*costs, *(k for c in by_kind.values() for k in c)]))
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
    warnings = tuple(w for run in runs.values() for w in run.warnings)
    return RoiReport(
        frame[[dimension, *COLUMNS]],
        dimension,
        chosen.label,
        first_day,
        last_day,
        warnings,
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
