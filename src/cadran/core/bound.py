"""Bound formulas: syntax trees whose names are resolved against the semantic model.

A bound tree is what the planner turns into a query. Filters are rewritten into conditions over
columns, KPI references are inlined, parameters become constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from cadran.core.formula import Condition, to_text
from cadran.core.semantic import Aggregation, Measure

SUM, COUNT = Aggregation.SUM, Aggregation.COUNT


@dataclass(frozen=True)
class BMeasure:
    """A measure, optionally filtered by a condition over its fact's columns.

    ``complete`` names other measures of the same fact that must have a value on a row for the
    row to count: a pooled ratio compares its parts over the same rows (see
    :func:`with_complete_cases`).
    """

    measure: Measure
    condition: Condition | None = None
    complete: tuple[Measure, ...] = ()

    @property
    def key(self) -> str:
        """A canonical text identifying this filtered measure (used to share computations)."""
        key = self.measure.name
        if self.condition is not None:
            key += f"[{to_text(self.condition)}]"
        if self.complete:
            key += "{where " + ", ".join(m.name for m in self.complete) + " known}"
        return key


@dataclass(frozen=True)
class BConst:
    """A constant (numbers and parameters)."""

    value: float


@dataclass(frozen=True)
class BDays:
    """The number of days in the period being evaluated."""


@dataclass(frozen=True)
class BNeg:
    """Unary minus."""

    operand: BExpr


@dataclass(frozen=True)
class BArith:
    """``+ - * /``; division by zero gives no value."""

    op: str
    left: BExpr
    right: BExpr


@dataclass(frozen=True)
class BFunc:
    """Scalar functions applied after aggregation: ``coalesce``, ``abs``."""

    name: str
    args: tuple[BExpr, ...]


@dataclass(frozen=True)
class BPrevious:
    """The operand evaluated ``n`` periods earlier."""

    operand: BExpr
    n: int = 1


@dataclass(frozen=True)
class BAvgPer:
    """Mean over ``entity`` of the operand evaluated per entity."""

    operand: BExpr
    entity: str


@dataclass(frozen=True)
class BTotal:
    """The operand summed over the KPI's own segments (for shares of a whole)."""

    operand: BExpr


BExpr: TypeAlias = (
    "BMeasure | BConst | BDays | BNeg | BArith | BFunc | BPrevious | BAvgPer | BTotal"
)


def children(node: BExpr) -> tuple[BExpr, ...]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, BNeg | BPrevious | BAvgPer | BTotal):
        return (node.operand,)
    if isinstance(node, BArith):
        return (node.left, node.right)
    if isinstance(node, BFunc):
        return node.args
    return ()


def measures_of(node: BExpr) -> list[BMeasure]:
    """Every (filtered) measure used in ``node``, in order of first use, without repeats."""
    seen: dict[str, BMeasure] = {}

    def visit(n: BExpr) -> None:
        if isinstance(n, BMeasure):
            seen.setdefault(n.key, n)
        for c in children(n):
            visit(c)

    visit(node)
    return list(seen.values())


def with_complete_cases(node: BExpr) -> BExpr:
    """Make the parts of a pooled ratio that come from the same fact count the same rows.

    ``engagements / impressions`` over posts of platforms that give no impressions (TikTok)
    would add their engagements to the numerator only. Each measure of a fact is therefore
    restricted to the rows where every value measure of that fact in the formula is known.
    Only sums and counts take part: stocks (followers), unique counts and means are not
    row-aligned. Inside ``avg_per`` the values are per row already, so nothing changes there.
    """
    by_fact: dict[str, dict[str, Measure]] = {}

    def collect(n: BExpr) -> None:
        if isinstance(n, BMeasure) and n.measure.expr is not None and n.measure.agg is SUM:
            by_fact.setdefault(n.measure.fact, {})[n.measure.name] = n.measure
        if not isinstance(n, BAvgPer):
            for c in children(n):
                collect(c)

    collect(node)

    def rewrite(n: BExpr) -> BExpr:
        if isinstance(n, BMeasure) and n.measure.agg in (SUM, COUNT):
            needed = {
                m.name: m
                for m in (*n.complete, *by_fact.get(n.measure.fact, {}).values())
                if m.name != n.measure.name
            }
            if not needed:
                return n
            return BMeasure(n.measure, n.condition, tuple(needed[k] for k in sorted(needed)))
        if isinstance(n, BNeg):
            return BNeg(rewrite(n.operand))
        if isinstance(n, BArith):
            return BArith(n.op, rewrite(n.left), rewrite(n.right))
        if isinstance(n, BFunc):
            return BFunc(n.name, tuple(rewrite(a) for a in n.args))
        if isinstance(n, BPrevious):
            return BPrevious(rewrite(n.operand), n.n)
        if isinstance(n, BTotal):
            return BTotal(rewrite(n.operand))
        return n

    return rewrite(node)


def contains(node: BExpr, kind: type) -> bool:
    """Whether ``node`` or any sub-expression is an instance of ``kind``."""
    return isinstance(node, kind) or any(contains(c, kind) for c in children(node))


def bound_text(node: BExpr) -> str:
    """A readable rendering of a bound expression (for explain)."""
    if isinstance(node, BMeasure):
        return node.key
    if isinstance(node, BConst):
        v = node.value
        return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)
    if isinstance(node, BDays):
        return "days"
    if isinstance(node, BNeg):
        return f"-({bound_text(node.operand)})"
    if isinstance(node, BArith):
        return f"({bound_text(node.left)} {node.op} {bound_text(node.right)})"
    if isinstance(node, BFunc):
        return f"{node.name}({', '.join(bound_text(a) for a in node.args)})"
    if isinstance(node, BPrevious):
        suffix = f", {node.n}" if node.n != 1 else ""
        return f"previous({bound_text(node.operand)}{suffix})"
    if isinstance(node, BAvgPer):
        return f"avg_per({bound_text(node.operand)}, {node.entity})"
    return f"total({bound_text(node.operand)})"


@dataclass(frozen=True)
class Ratio:
    """How a value splits into ``numerator / denominator * scale``."""

    numerator: BExpr
    denominator: BExpr | None
    scale: float = 1.0


def as_ratio(node: BExpr) -> Ratio:
    """Read the top-level ratio of a formula (``a / b``, ``a / b * 100``, ``100 * a / b``).

    Anything else has no denominator: its numerator is the value itself. (The planner reads a
    mean of per-entity values, ``avg_per``, as the sum of those values over their count.)
    """
    if isinstance(node, BArith) and node.op == "*":
        for ratio_side, const_side in ((node.left, node.right), (node.right, node.left)):
            if isinstance(const_side, BConst):
                inner = as_ratio(ratio_side)
                if inner.denominator is not None:
                    return Ratio(inner.numerator, inner.denominator, inner.scale * const_side.value)
    if isinstance(node, BArith) and node.op == "/":
        left = node.left
        if isinstance(left, BArith) and left.op == "*":
            if isinstance(left.right, BConst):  # (a * 100) / b
                return Ratio(left.left, node.right, left.right.value)
            if isinstance(left.left, BConst):  # (100 * a) / b
                return Ratio(left.right, node.right, left.left.value)
        return Ratio(node.left, node.right)
    return Ratio(node, None)
