"""``cadran check``: the scorecard against the seeds' mistakes to avoid, on the workspace's data."""

from __future__ import annotations

from datetime import date

from cadran.core.checker import Finding, WorkspaceFacts, check
from cadran.core.periods import Grain, Period
from cadran.core.scorecard import Scorecard
from cadran.services.scorecard import kpi_coverage
from cadran.services.workspace import Workspace

# Months of history looked at to tell which KPIs can be computed and have something to compare.
HISTORY_MONTHS = 12


def workspace_facts(ws: Workspace, card: Scorecard, today: date | None = None) -> WorkspaceFacts:
    """What the checker needs to know about the data: computable KPIs, history, platforms."""
    kpis = {i.kpi for _, i in card.indicators()}
    span = ws.warehouse.date_range() if ws.warehouse.has_data() else None
    end = span[1] if span else (today or ws.today())
    last = Period.of(end, Grain.MONTH)
    periods = [last.shift(-n) for n in range(HISTORY_MONTHS - 1, -1, -1)]
    coverage = kpi_coverage(ws, kpis, periods)
    platforms = (
        frozenset(str(p) for (p,) in ws.warehouse.rows("SELECT DISTINCT platform FROM account"))
        if span
        else frozenset()
    )
    # KPIs the team defined itself are KPIs it means to follow: each should serve a goal.
    tracked = frozenset(k.id for k in ws.catalogue.kpis.values() if not k.builtin)
    return WorkspaceFacts(
        computable=frozenset(k for k, n in coverage.items() if n > 0),
        history=dict(coverage),
        platforms=platforms,
        tracked=tracked,
    )


def check_scorecard(ws: Workspace, card: Scorecard, today: date | None = None) -> list[Finding]:
    """Every problem of ``card`` at once, on this workspace's data."""
    return check(card, ws.catalogue.kpis, workspace_facts(ws, card, today))


__all__ = ["check_scorecard", "workspace_facts"]
