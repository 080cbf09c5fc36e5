"""Rules on how the parts of a scorecard agree: an indicator bound twice, drivers pointing down
the map, directions that contradict the KPI's, reviews too rare to steer by."""

from __future__ import annotations

from collections.abc import Iterator

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.check_context import (
    WARNING,
    CheckContext,
    Finding,
    RuleSet,
    ind_text,
    obj_text,
)
from cadran.core.periods import Grain
from cadran.core.scorecard import Indicator
from cadran.core.scoring import Direction

RULES = RuleSet()


@RULES.reports(
    ("duplicate-indicator", WARNING, "one objective binds the same KPI twice on the same data")
)
def _duplicate_indicator(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        seen: dict[tuple[str, frozenset[str], frozenset[str]], Indicator] = {}
        for i in o.indicators:
            key = (i.kpi, frozenset(i.scope.platforms), frozenset(i.scope.campaigns))
            first = seen.setdefault(key, i)
            if first is not i:
                yield c.on_indicator(
                    o,
                    i,
                    "duplicate-indicator",
                    f"{ind_text(i, c)} of {obj_text(o)} measures the same KPI on the same data as "
                    f"{first.id!r}: it counts twice",
                    f"remove {i.id!r} or {first.id!r}, or scope them to different platforms "
                    "or campaigns",
                )


@RULES.reports(("driver-points-down", WARNING, "a driver link pointing down the strategy map"))
def _driver_points_down(c: CheckContext) -> Iterator[Finding]:
    rank = {p.id: n for n, p in enumerate(c.card.perspectives)}
    for o in c.card.objectives:
        for d in o.drivers:
            src = c.card.objective(d.objective)
            if src is None or src.perspective not in rank or o.perspective not in rank:
                continue
            if rank[src.perspective] < rank[o.perspective]:
                yield c.on_objective(
                    o,
                    "driver-points-down",
                    f"{obj_text(src)} of perspective {src.perspective!r} drives "
                    f"{obj_text(o)}, which "
                    f"sits lower on the map (perspective {o.perspective!r})",
                    "causes sit below their effects (learning and growth, then internal "
                    "processes, customer, stakeholders): most likely "
                    f"{o.id!r} drives {src.id!r}, so move the link to the drivers of {src.id!r}",
                    line=d.line,
                )


@RULES.reports(
    ("direction-mismatch", WARNING, "an indicator's direction or target contradicts its KPI")
)
def _direction_mismatch(c: CheckContext) -> Iterator[Finding]:
    for o, i, kpi in c.bound():
        s, wrong = i.scoring, []
        if kpi.direction is KpiDirection.HIGHER and s.direction is Direction.MINIMIZE:
            wrong.append(f"it is minimised though {kpi.id} is better higher")
        if kpi.direction is KpiDirection.LOWER and s.direction is Direction.MAXIMIZE:
            wrong.append(f"it is maximised though {kpi.id} is better lower")
        if s.target is not None and s.baseline is not None:
            if s.direction is Direction.MAXIMIZE and s.target < s.baseline:
                wrong.append("its target is below its baseline though it is maximised")
            if s.direction is Direction.MINIMIZE and s.target > s.baseline:
                wrong.append("its target is above its baseline though it is minimised")
        if wrong:
            yield c.on_indicator(
                o,
                i,
                "direction-mismatch",
                f"{ind_text(i, c)} of {obj_text(o)}: {'; '.join(wrong)}",
                f"make the direction, baseline and target of {i.id!r} agree with "
                f"{kpi.id} ({kpi.direction.value.replace('_', ' ')})",
            )


@RULES.reports(("rare-review", WARNING, "an indicator updated once a year"))
def _rare_review(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        if i.interval is Grain.YEAR:
            yield c.on_indicator(
                o,
                i,
                "rare-review",
                f"{ind_text(i, c)} of {obj_text(o)} is updated once a year: "
                "too rarely to adjust the "
                "strategy in time (seed 004: weekly, monthly or quarterly)",
                f"update {i.id!r} every month or quarter",
            )
