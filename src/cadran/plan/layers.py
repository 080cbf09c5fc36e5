"""Layers over a frame: derived columns, previous() shifts and total() windows."""

from __future__ import annotations

from cadran.core.bound import (
    BAvgPer,
    BExpr,
    BMeasure,
    BPrevious,
    BTotal,
    bound_text,
    children,
)
from cadran.plan.frames import Frame, avg_key
from cadran.plan.query import QueryState


def _ready_nodes(
    node: BExpr, cache: dict[str, str], totals: dict[str, BTotal], shifts: dict[str, BPrevious]
) -> bool:
    """Collect the total() and previous() nodes not yet computed whose insides are ready.

    Returns whether ``node`` itself is ready (all its total() and previous() computed).
    Averages are computed at their own frame, so their insides are not looked into.
    """
    if isinstance(node, BAvgPer):
        return True
    # Visit every child (no short-circuit): each may hold nodes to collect.
    children_ready = [_ready_nodes(c, cache, totals, shifts) for c in children(node)]
    inner_ready = all(children_ready)
    if isinstance(node, BTotal | BPrevious):
        key = (
            f"total:{bound_text(node.operand)}"
            if isinstance(node, BTotal)
            else f"previous:{node.n}:{bound_text(node.operand)}"
        )
        if key in cache:
            return True
        if inner_ready:
            if isinstance(node, BTotal):
                totals[key] = node
            else:
                shifts[key] = node
        return False
    return inner_ready


class LayerWriter(QueryState):
    """Writes the layers of a frame (mixed into the compiler)."""

    def _expr(self, node: BExpr, frame: Frame) -> str:
        cols = self.columns[frame.index]
        if isinstance(node, BMeasure):
            return cols[node.key]
        if isinstance(node, BAvgPer):
            return cols[avg_key(node)]
        if isinstance(node, BPrevious):
            return self._shifted(node, frame)
        if isinstance(node, BTotal):
            return self._total(node, frame)
        return self._scalar(node, lambda n: self._expr(n, frame))

    def _materialize(self, frame: Frame, exprs: dict[str, str]) -> str:
        """Add a layer computing ``exprs`` (column -> SQL) over the frame's top layer."""
        name = f"l{frame.index}_{self._name('')}"
        extra = ", ".join(f"{v} AS {k}" for k, v in exprs.items())
        self._add(name, f"SELECT *, {extra}\nFROM {self.top[frame.index]}")
        self.top[frame.index] = name
        return name

    def _join_shifted(
        self, frame: Frame, columns: dict[str, str], shift_sql: str, detail: str
    ) -> None:
        """Add a layer reading ``columns`` (source -> new name) from the shifted period."""
        src = self.top[frame.index]
        self._reuse(src)
        name = f"l{frame.index}_{self._name('')}"
        on = " AND ".join(
            [f"p.period_start = {shift_sql}"]
            + [f"p.{k} IS NOT DISTINCT FROM cur.{k}" for k in self._key_cols(frame)]
        )
        extra = ", ".join(f"p.{s} AS {t}" for s, t in columns.items())
        self._add(name, f"SELECT cur.*, {extra}\nFROM {src} AS cur\nLEFT JOIN {src} AS p ON {on}")
        self._step("shift", frame, name, detail)
        self.top[frame.index] = name

    def _shifted(self, node: BPrevious, frame: Frame) -> str:
        key = f"previous:{node.n}:{bound_text(node.operand)}"
        if key not in self.cache[frame.index]:
            self._prepare(frame, [node])
        return self.cache[frame.index][key]

    def _total(self, node: BTotal, frame: Frame) -> str:
        key = f"total:{bound_text(node.operand)}"
        if key not in self.cache[frame.index]:
            self._prepare(frame, [node])
        return self.cache[frame.index][key]

    def _prepare(self, frame: Frame, exprs: list[BExpr]) -> None:
        """Compute every total() and previous() the formulas need, a few layers for all.

        One derived layer and one window layer hold every total(); one derived layer and one
        self-join per step count hold every previous(). Innermost ones are done first, so that
        previous(total(x)) finds total(x) ready.
        """
        cache = self.cache[frame.index]
        while True:
            totals: dict[str, BTotal] = {}
            shifts: dict[str, BPrevious] = {}
            for expr in exprs:
                _ready_nodes(expr, cache, totals, shifts)
            if not totals and not shifts:
                return
            if totals:
                inner = {
                    self._name("x"): (k, self._expr(n.operand, frame)) for k, n in totals.items()
                }
                self._materialize(frame, {c: v for c, (_, v) in inner.items()})
                partition = ", ".join(
                    ["period_start", *(f"k_{d}" for d in frame.dims if d not in frame.intrinsic)]
                )
                self._materialize(
                    frame,
                    {f"{c}_total": f"sum({c}) OVER (PARTITION BY {partition})" for c in inner},
                )
                self._step(
                    "window",
                    frame,
                    self.top[frame.index],
                    f"{', '.join(totals)} over {', '.join(frame.intrinsic)}",
                )
                for c, (k, _) in inner.items():
                    cache[k] = f"{c}_total"
            by_step: dict[int, dict[str, BPrevious]] = {}
            for k, node in shifts.items():
                by_step.setdefault(node.n, {})[k] = node
            for n, group in sorted(by_step.items()):
                inner = {
                    self._name("x"): (k, self._expr(node.operand, frame))
                    for k, node in group.items()
                }
                self._materialize(frame, {c: v for c, (_, v) in inner.items()})
                self._join_shifted(
                    frame,
                    {c: f"{c}_p{n}" for c in inner},
                    self._shift_expr("cur.period_start", n),
                    f"{len(group)} value(s) of the period {n} step(s) earlier",
                )
                for c, (k, _) in inner.items():
                    cache[k] = f"{c}_p{n}"
