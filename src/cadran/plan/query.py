"""Shared state of the query compiler, and how CTEs are named, written and described."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cadran.core.bound import BArith, BConst, BDays, BExpr, BFunc, BNeg
from cadran.core.periods import Grain, Period
from cadran.core.semantic import SemanticModel
from cadran.plan import sql
from cadran.plan.frames import Frame
from cadran.plan.request import KpiRequest


@dataclass(frozen=True)
class PlanStep:
    """One step of a plan, for ``cadran explain``."""

    kind: str
    frame: int | None
    name: str
    detail: str


class QueryState:
    """What the parts of the compiler share: the request, the CTEs written so far, columns."""

    model: SemanticModel
    request: KpiRequest
    d: sql.Dialect
    grain: Grain | None
    ctes: dict[str, tuple[str, bool]]
    steps: list[PlanStep]
    scans: dict[str, str]
    gridded: dict[int, bool]
    counter: int
    columns: dict[int, dict[str, str]]
    top: dict[int, str]
    cache: dict[int, dict[str, str]]
    first: Period
    last: Period
    data_start: date
    data_end: date

    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def _add(self, name: str, body: str, *, materialized: bool = False) -> None:
        self.ctes[name] = (body, materialized)

    def _reuse(self, name: str) -> None:
        """Mark a CTE read more than once as materialized, so its plan is not copied."""
        body, _ = self.ctes[name]
        self.ctes[name] = (body, True)

    def _with_clause(self) -> str:
        parts = [
            f"{name} AS{' MATERIALIZED' if mat else ''} (\n{body}\n)"
            for name, (body, mat) in self.ctes.items()
        ]
        return "WITH " + ",\n".join(parts)

    def _step(self, kind: str, frame: Frame | None, name: str, detail: str) -> None:
        self.steps.append(PlanStep(kind, frame.index if frame else None, name, detail))

    def _bucket(self, column: str) -> str:
        return self.d.bucket(column, self.grain) if self.grain else "pp.period_start"

    def _shift_expr(self, column: str, steps: int) -> str:
        return self.d.shift(column, self.grain, steps, self.first.days)

    @staticmethod
    def _key_cols(frame: Frame) -> list[str]:
        return [f"k_{k}" for k in frame.keys]

    def _days_expr(self) -> str:
        if self.grain is None:
            return sql.number(self.first.days)
        if self.grain is Grain.DAY:
            return "1"
        if self.grain is Grain.WEEK:
            return "7"
        return f"(CAST(period_start + INTERVAL {self.grain.months} MONTH AS DATE) - period_start)"

    def _scalar(self, node: BExpr, recurse: Callable[[BExpr], str]) -> str:
        if isinstance(node, BConst):
            return sql.number(node.value)
        if isinstance(node, BDays):
            return self._days_expr()
        if isinstance(node, BNeg):
            return f"(-{recurse(node.operand)})"
        if isinstance(node, BArith):
            left, right = recurse(node.left), recurse(node.right)
            if node.op == "/":
                return f"(CAST({left} AS DOUBLE) / NULLIF({right}, 0))"
            return f"({left} {node.op} {right})"
        if isinstance(node, BFunc):
            return f"{node.name}({', '.join(recurse(a) for a in node.args)})"
        raise AssertionError(f"unexpected node in a scalar expression: {node!r}")
