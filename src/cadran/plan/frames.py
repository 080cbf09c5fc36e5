"""Frames: the grains at which parts of a formula are computed, and what each one needs.

A frame is a set of key columns: the period, the breakdown dimensions and, for the inside of
``avg_per(x, entity)``, the entity. Collecting a request's formulas gathers, per frame, the
measures to aggregate from each fact, so that each fact is scanned once per frame however many
KPIs use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cadran.core.bound import (
    BAvgPer,
    BExpr,
    BMeasure,
    BPrevious,
    bound_text,
    children,
    measures_of,
)
from cadran.core.semantic import Aggregation, SemanticModel

STOCKS = (Aggregation.LAST, Aggregation.FIRST)


@dataclass
class Frame:
    """One grain of computation and the measures it needs, grouped by fact."""

    index: int
    dims: tuple[str, ...]
    entity: str | None = None
    intrinsic: tuple[str, ...] = ()
    # fact -> measure key -> measure
    measures: dict[str, dict[str, BMeasure]] = field(default_factory=dict)
    # fact -> avg key -> avg_per computed on that fact's rows (one row per entity)
    inline_avgs: dict[str, dict[str, BAvgPer]] = field(default_factory=dict)
    # avg key -> (avg_per, child frame) computed through a finer frame
    nested_avgs: dict[str, tuple[BAvgPer, Frame]] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """Key columns after the period: dimensions, then the entity if any."""
        return (*self.dims, *((self.entity,) if self.entity else ()))

    def facts(self) -> list[str]:
        """Facts scanned at this frame."""
        return list(dict.fromkeys([*self.measures, *self.inline_avgs]))


def avg_key(node: BAvgPer) -> str:
    """A canonical text of an ``avg_per`` node."""
    return bound_text(node)


def lookback(node: BExpr) -> int:
    """How many periods before the evaluated one ``node`` reads (nested previous() add up)."""
    own = node.n if isinstance(node, BPrevious) else 0
    return own + max((lookback(c) for c in children(node)), default=0)


class FrameCollector:
    """Walks bound formulas and records what each frame must compute."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self.frames: dict[tuple[tuple[str, ...], str | None, str | None], Frame] = {}

    def frame(
        self,
        dims: tuple[str, ...],
        entity: str | None = None,
        intrinsic: tuple[str, ...] = (),
        owner: str | None = None,
    ) -> Frame:
        """The frame of these keys, created on first use.

        ``owner`` gives a KPI a frame of its own: the segments of one distribution (countries)
        must not mix with another's (ages) when both are evaluated together.
        """
        key = (dims, entity, owner)
        if key not in self.frames:
            self.frames[key] = Frame(len(self.frames), dims, entity, intrinsic)
        return self.frames[key]

    def collect(self, node: BExpr, frame: Frame) -> None:
        """Record every measure and average ``node`` needs in ``frame``."""
        if isinstance(node, BMeasure):
            frame.measures.setdefault(node.measure.fact, {})[node.key] = node
            return
        if isinstance(node, BAvgPer):
            fact = self.inline_fact(node)
            if fact is not None:
                frame.inline_avgs.setdefault(fact, {})[avg_key(node)] = node
                return
            child = self.frame(frame.dims, node.entity, frame.intrinsic)
            frame.nested_avgs[avg_key(node)] = (node, child)
            self.collect(node.operand, child)
            return
        for c in children(node):
            self.collect(c, frame)

    def inline_fact(self, node: BAvgPer) -> str | None:
        """The fact whose rows are the averaged entities, when ``node`` can use its rows directly.

        ``avg_per(engagements / reach, post)`` over the post fact (one row per post) is the mean
        of a row expression: no grouping per post is needed.
        """
        used = measures_of(node.operand)
        facts = {bm.measure.fact for bm in used}
        if len(facts) != 1:
            return None
        fact = facts.pop()
        if self.model.facts[fact].row_entity != node.entity:
            return None
        if any(isinstance(c, BAvgPer) for c in _walk(node.operand)):
            return None
        return fact


def _walk(node: BExpr) -> list[BExpr]:
    out = [node]
    for c in children(node):
        out.extend(_walk(c))
    return out
