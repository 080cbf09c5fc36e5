"""Amounts in one currency: the workspace's. Adding euros to rupees gives a meaningless total,
so a KPI, an attribution or an ROI reading money in another currency is refused, naming the
table, the currency and how many rows."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cadran.core.bound import measures_of
from cadran.core.errors import DataError
from cadran.plan.request import KpiRequest

if TYPE_CHECKING:
    from cadran.services.workspace import Workspace

# Facts whose rows carry a currency: costs (recorded ones and the ad platforms' spend), orders,
# and the ad platforms' own daily spend. The ad platforms' per-report figures (`ad`) are the
# platform's own, in its currency, and are checked against its own ratios, not added to ours.
MONEY_FACTS = ("cost", "revenue", "ad_daily")


def check_currency(ws: Workspace, table: str, first_day: date, last_day: date, day: str) -> None:
    """Refuse amounts of ``table`` in the span whose currency is not the workspace's: adding
    euros to dollars would give a meaningless total."""
    rows = ws.warehouse.rows(
        f"SELECT currency, count(*) FROM {table} WHERE {day} BETWEEN ? AND ? "
        "AND currency IS DISTINCT FROM ? GROUP BY currency ORDER BY 2 DESC",
        [first_day, last_day, ws.config.currency],
    )
    if rows:
        found = ", ".join(f"{n} in {c or 'no currency'}" for c, n in rows)
        raise DataError(
            f"mixed currencies: the workspace counts in {ws.config.currency}, but {table} has "
            f"rows from {first_day} to {last_day} in another currency ({found}); convert them "
            f"to {ws.config.currency} before importing, or set the workspace's currency"
        )


def check_request_currencies(
    ws: Workspace, request: KpiRequest, first_day: date, last_day: date
) -> None:
    """:func:`check_currency` for each fact whose amounts the KPIs of ``request`` add up."""
    facts = {
        bm.measure.fact
        for bound in request.kpis
        for bm in measures_of(bound.expr)
        if bm.measure.unit == "currency"
    }
    model = ws.catalogue.model
    for name in sorted(facts & set(MONEY_FACTS)):
        fact = model.facts[name]
        check_currency(ws, fact.table, first_day, last_day, fact.date)
