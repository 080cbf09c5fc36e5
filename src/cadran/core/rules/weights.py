"""Rules on weights, judged per group of siblings that roll up together (see
:mod:`cadran.core.checker`): non-positive weights, splits that read otherwise than they count,
weights a roll-up ignores."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from cadran.core.check_context import (
    ERROR,
    PERCENT_FROM,
    WARNING,
    CheckContext,
    Finding,
    RuleSet,
    num_text,
)
from cadran.core.issues import Level
from cadran.core.rollup import Rollup
from cadran.core.scorecard import Objective, Perspective, Role

RULES = RuleSet()


@dataclass(frozen=True)
class _Weight:
    name: str
    weight: float


def _siblings(c: CheckContext) -> Iterator[tuple[Perspective | Objective | None, list[_Weight]]]:
    """Each group of weights that roll up together, with its parent (None for the card)."""
    yield None, [_Weight(p.id, p.weight) for p in c.card.perspectives]
    for p in c.card.perspectives:
        yield p, [_Weight(o.id, o.weight) for o in c.card.in_perspective(p.id)]
    for o in c.card.objectives:
        kids = o.indicators if c.card.include_leading else o.by_role(Role.LAGGING)
        drivers = o.drivers if c.card.include_leading else ()
        yield (
            o,
            [_Weight(i.id, i.weight) for i in kids]
            + [_Weight(d.objective, d.weight) for d in drivers],
        )


@RULES.reports(("non-positive-weight", ERROR, "a weight below 0 or not a number (0 is a warning)"))
def _non_positive_weight(c: CheckContext) -> Iterator[Finding]:
    def judge(weight: float, what: str, owner: str) -> tuple[str, str, Level] | None:
        if math.isfinite(weight) and weight > 0:
            return None
        if weight == 0:
            return (
                f"{what} has weight 0: it counts for nothing in {owner}'s score",
                f"give {what} a positive weight, or remove it if it is not meant to count",
                WARNING,
            )
        return (
            f"{what} has weight {num_text(weight)}: a weight must be a positive number",
            f"give {what} a positive weight (weights are shares of {owner}'s score)",
            ERROR,
        )

    for p in c.card.perspectives:
        if (j := judge(p.weight, f"perspective {p.id!r}", "the scorecard")) is not None:
            yield c.on_perspective(p, "non-positive-weight", *j)
    for o in c.card.objectives:
        j = judge(o.weight, f"objective {o.id!r}", f"perspective {o.perspective!r}")
        if j is not None:
            yield c.on_objective(o, "non-positive-weight", *j)
        for i in o.indicators:
            if (j := judge(i.weight, f"indicator {i.id!r}", f"objective {o.id!r}")) is not None:
                yield c.on_indicator(o, i, "non-positive-weight", *j)
        for d in o.drivers:
            what = f"the driver link from {d.objective!r}"
            if (j := judge(d.weight, what, f"objective {o.id!r}")) is not None:
                yield c.on_objective(o, "non-positive-weight", *j, line=d.line)


def _locate(
    c: CheckContext, parent: Perspective | Objective | None, code: str, message: str, hint: str
) -> Finding:
    if parent is None:
        return c.on_card(code, message, hint)
    if isinstance(parent, Perspective):
        return c.on_perspective(parent, code, message, hint)
    return c.on_objective(parent, code, message, hint)


def _group_name(parent: Perspective | Objective | None) -> str:
    if parent is None:
        return "the perspectives"
    if isinstance(parent, Perspective):
        return f"the objectives of perspective {parent.id!r}"
    return f"the indicators and drivers of objective {parent.id!r}"


def _counted(group: list[_Weight]) -> list[_Weight] | None:
    """The weights that count (weight 0 leaves a child out); None if any is invalid."""
    if any(not math.isfinite(w.weight) or w.weight < 0 for w in group):
        return None  # non-positive-weight reports it
    return [w for w in group if w.weight > 0]


def _unequal(group: list[_Weight]) -> bool:
    return len({w.weight for w in group}) > 1


@RULES.reports(
    ("weights-total", WARNING, "percentages that do not add up to 100, or fractions to 1")
)
def _weights_total(c: CheckContext) -> Iterator[Finding]:
    if c.card.rollup is not Rollup.WEIGHTED_AVERAGE:
        return
    for parent, group in _siblings(c):
        counted = _counted(group)
        if not counted or len(counted) < 2:
            continue
        total = math.fsum(w.weight for w in counted)
        top = max(w.weight for w in counted)
        if top > PERCENT_FROM:
            expected, unit = 100.0, "percentages"
        elif top < 1:
            expected, unit = 1.0, "fractions"
        else:
            continue  # relative weights (2 to 1): their total does not matter
        if math.isclose(total, expected, rel_tol=1e-9):
            continue
        shares = ", ".join(f"{w.name} {num_text(w.weight / total * expected)}" for w in counted)
        yield _locate(
            c,
            parent,
            "weights-total",
            f"the weights of {_group_name(parent)} add up to {num_text(total)}, not "
            f"{num_text(expected)}: each counts for its share of {num_text(total)}",
            f"weights count as shares of their total: to read as they count, write those of "
            f"{_group_name(parent)} as {unit} that add up to {num_text(expected)}, here {shares}",
        )


@RULES.reports(("weights-ignored", WARNING, "unequal weights under a roll-up that ignores them"))
def _weights_ignored(c: CheckContext) -> Iterator[Finding]:
    if c.card.rollup is Rollup.WEIGHTED_AVERAGE:
        return
    for parent, group in _siblings(c):
        counted = _counted(group)
        if counted and _unequal(counted):
            yield _locate(
                c,
                parent,
                "weights-ignored",
                f"{_group_name(parent)} have different weights, but the scorecard rolls up "
                f"by {c.card.rollup.value}, which ignores them",
                f"set the scorecard's rollup to {Rollup.WEIGHTED_AVERAGE.value} for the "
                f"weights of {_group_name(parent)} to count, or remove them",
            )
