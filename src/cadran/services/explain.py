"""``cadran explain``: how a KPI is computed, in words, as a plan and as SQL."""

from __future__ import annotations

from cadran.core.bound import bound_text, measures_of
from cadran.core.formula import to_text
from cadran.plan.request import KpiRequest
from cadran.services.workspace import Workspace


def explain_request(ws: Workspace, request: KpiRequest) -> str:
    """The explanation of a one-KPI request."""
    bound = request.kpis[0]
    kpi = bound.kpi
    query = ws.compile(request)
    model = ws.catalogue.model
    periods = request.periods
    span = periods[0].label if len(periods) == 1 else f"{periods[0].label} .. {periods[-1].label}"
    lines = [
        f"KPI          {kpi.id} — {kpi.name.en}",
        f"formula      {kpi.formula}",
        f"computed as  {bound_text(bound.expr)}",
        f"aggregation  {kpi.aggregation.value}",
        f"periods      {span} ({len(periods)} period(s), "
        f"{request.grain.value if request.grain else 'custom range'})",
        f"breakdown    {', '.join(request.dimensions_of(bound)) or 'none'}",
        f"compare      {request.compare.value}",
        f"data read    {query.data_start.isoformat()} to {query.data_end.isoformat()} (excluded)",
        "",
        "measures",
    ]
    for bm in measures_of(bound.expr):
        m = bm.measure
        fact = model.facts[m.fact]
        what = "rows" if m.expr is None else to_text(m.expr)
        lines.append(f"  {bm.key}")
        lines.append(
            f"      {m.agg.value} of {what} in {fact.table} — {m.label.en}; "
            f"dated by {fact.date_basis.en}"
        )
    lines += ["", "plan"]
    for step in query.steps:
        frame = f"[frame {step.frame}] " if step.frame is not None else ""
        lines.append(f"  {step.kind:<10} {step.name:<18} {frame}{step.detail}")
    lines += ["", "sql", query.sql]
    return "\n".join(lines)
