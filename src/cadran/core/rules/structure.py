"""Rules on the scorecard's structure: objectives, known KPIs and drivers, no cycles."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from cadran.core.check_context import (
    ERROR,
    CheckContext,
    Finding,
    RuleSet,
    obj_text,
    or_list,
)

RULES = RuleSet()


@RULES.reports(("no-objectives", ERROR, "the scorecard has no objectives"))
def _no_objectives(c: CheckContext) -> Iterator[Finding]:
    if not c.card.objectives:
        yield c.on_card(
            "no-objectives",
            "the scorecard has no objectives: its KPIs would measure nothing in particular",
            "write the goals first, then bind KPIs to them as indicators (seed 000: KPIs must "
            "answer objectives), e.g. an objective 'Grow qualified leads from LinkedIn' in the "
            "stakeholders perspective measured by leads_generated",
        )


@RULES.reports(("unknown-kpi", ERROR, "an indicator binds a KPI that is not in the catalogue"))
def _unknown_kpi(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        if i.kpi not in c.kpis:
            close = difflib.get_close_matches(i.kpi, list(c.kpis), n=1, cutoff=0.6)
            guess = f"did you mean {close[0]!r}? " if close else ""
            yield c.on_indicator(
                o,
                i,
                "unknown-kpi",
                f"indicator {i.id!r} of {obj_text(o)} binds the unknown KPI {i.kpi!r}",
                f"{guess}`cadran kpi list` shows the KPIs {i.id!r} can bind",
            )


@RULES.reports(("unknown-driver", ERROR, "a driver link names no objective"))
def _unknown_driver(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        for d in o.drivers:
            if c.card.objective(d.objective) is None:
                close = difflib.get_close_matches(d.objective, [x.id for x in c.card.objectives])
                guess = f"did you mean {close[0]!r}? " if close else ""
                yield c.on_objective(
                    o,
                    "unknown-driver",
                    f"{obj_text(o)} is driven by {d.objective!r}, which is not an objective",
                    f"{guess}name an objective of this scorecard in the drivers of {o.id!r}",
                    line=d.line,
                )


@RULES.reports(("driver-cycle", ERROR, "objectives drive one another in a loop"))
def _driver_cycle(c: CheckContext) -> Iterator[Finding]:
    drives: dict[str, list[str]] = {o.id: [] for o in c.card.objectives}
    for o in c.card.objectives:
        for d in o.drivers:
            if d.objective in drives:
                drives[d.objective].append(o.id)

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(drives[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(drives[x])
        return seen

    reached = {oid: reach(oid) for oid in drives}
    done: set[str] = set()
    for o in c.card.objectives:
        if o.id in done or o.id not in reached[o.id]:
            continue
        loop = [p.id for p in c.card.objectives if p.id in reached[o.id] and o.id in reached[p.id]]
        done.update(loop)
        what = (
            f"{obj_text(o)} is its own driver"
            if loop == [o.id]
            else f"objectives {', '.join(loop)} drive one another in a loop"
        )
        yield c.on_objective(
            o,
            "driver-cycle",
            f"{what}: a cause cannot be its own effect",
            f"remove the link that points back in the drivers of {or_list(loop)}: arrows go from "
            "causes (learning and growth, internal processes) to effects (customer, "
            "stakeholders)",
        )
