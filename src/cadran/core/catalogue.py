"""The KPI catalogue: KPI definitions, categories, parameters and benchmark bands.

Definitions are data (YAML files shipped in the package, plus the workspace's own KPI files).
:func:`cadran.core.catalogue_loader.build_catalogue` validates all of them together and reports
every problem with its file and line; formulas are bound against the semantic model, so a KPI
that names an unknown measure, attribute or KPI is refused when loading, not when first used.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from cadran.core.binding import Binder, KpiResolution
from cadran.core.bound import (
    BExpr,
)
from cadran.core.errors import UsageError
from cadran.core.semantic import SemanticModel
from cadran.core.spec import Bilingual


class Direction(Enum):
    """Which way is good."""

    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"
    RANGE = "keep_in_range"
    NEUTRAL = "neutral"  # descriptive KPIs such as audience distributions


class Unit(Enum):
    """The unit a KPI's value is expressed in."""

    PERCENT = "percent"
    RATIO = "ratio"
    COUNT = "count"
    CURRENCY = "currency"
    HOURS = "hours"
    SECONDS = "seconds"
    SCORE = "score"

    @property
    def decimals(self) -> int:
        """Default number of decimals shown."""
        return {Unit.COUNT: 0, Unit.PERCENT: 2, Unit.CURRENCY: 2}.get(self, 2)


class KpiAggregation(Enum):
    """How a KPI combines posts, days and accounts into one value for a period."""

    SUM = "sum"  # additive totals: counts, money
    POOLED = "pooled"  # ratio of the period's totals (sum of A / sum of B)
    MEAN_PER_POST = "mean_per_post"  # mean of per-post values (e.g. Hootsuite's ERR)
    MEAN_PER_DAY = "mean_per_day"  # mean of per-day values
    LAST = "last"  # stocks: value at the end of the period, per account, then summed
    FIRST = "first"  # stocks: value at the start of the period
    UNIQUE = "unique"  # unique counts (reach): never summed, only shown when not aggregated
    MEAN = "mean"  # mean of row values (e.g. response times)
    MEDIAN = "median"  # median of row values
    DISTINCT = "distinct"  # distinct count

    @property
    def entity(self) -> str | None:
        """The entity averaged over by mean_per_* aggregations."""
        return {KpiAggregation.MEAN_PER_POST: "post", KpiAggregation.MEAN_PER_DAY: "day"}.get(self)


class BandLevel(Enum):
    """Benchmark levels, worst to best."""

    BELOW_AVERAGE = "below_average"
    TYPICAL = "typical"
    ABOVE_AVERAGE = "above_average"
    EXCEPTIONAL = "exceptional"


@dataclass(frozen=True)
class Band:
    """A benchmark band: values from ``low`` to ``high`` (either may be open)."""

    level: BandLevel
    low: float | None
    high: float | None

    def contains(self, value: float) -> bool:
        """Whether ``value`` falls in the band (both ends included)."""
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Benchmark:
    """Benchmark bands of one KPI from one source, with the method behind them."""

    kpi: str
    source: str
    method: Bilingual
    bands: tuple[Band, ...]
    note: Bilingual | None = None
    file: str = ""
    line: int = 0

    def level_of(self, value: float) -> BandLevel | None:
        """The best band ``value`` falls in (bands may overlap as published), or None."""
        hits = [b.level for b in self.bands if b.contains(value)]
        order = list(BandLevel)
        return max(hits, key=order.index) if hits else None


@dataclass(frozen=True)
class Category:
    """A KPI category, as the seeds group them."""

    id: str
    name: Bilingual
    description: Bilingual | None = None


@dataclass(frozen=True)
class Parameter:
    """A named constant formulas can use as ``$name`` (workspaces may override the value)."""

    name: str
    value: float
    unit: str
    label: Bilingual


@dataclass(frozen=True)
class Kpi:
    """One KPI definition."""

    id: str
    name: Bilingual
    description: Bilingual
    category: str
    formula: str
    unit: Unit
    direction: Direction
    aggregation: KpiAggregation
    seeds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()  # breakdowns always applied (audience segments)
    vanity: bool = False
    decimals: int = 2
    file: str = ""
    line: int = 0
    builtin: bool = True
    formula_line: int = 0


@dataclass(frozen=True)
class BoundKpi:
    """A KPI with its formula bound; ``expr`` already applies the KPI's aggregation."""

    kpi: Kpi
    expr: BExpr
    dimensions: frozenset[str]  # breakdowns the KPI supports
    facts: tuple[str, ...]


@dataclass(frozen=True)
class SourceFile:
    """A definition file's name and text; ``builtin`` tells package files from workspace ones."""

    name: str
    text: str
    builtin: bool = True


@dataclass(frozen=True)
class Catalogue:
    """Every KPI with its bound formula, the categories, parameters and benchmarks."""

    model: SemanticModel
    kpis: Mapping[str, Kpi]
    bound: Mapping[str, BoundKpi]
    categories: Mapping[str, Category]
    parameters: Mapping[str, Parameter]
    benchmarks: Mapping[str, tuple[Benchmark, ...]] = field(default_factory=dict)

    def get(self, kpi_id: str) -> BoundKpi:
        """The KPI ``kpi_id``, or a :class:`UsageError` suggesting close ids."""
        found = self.bound.get(kpi_id)
        if found is None:
            close = difflib.get_close_matches(kpi_id, list(self.bound), n=3, cutoff=0.5)
            hint = (
                f"; did you mean {', '.join(close)}?"
                if close
                else "; `cadran kpi list` shows them all"
            )
            raise UsageError(f"unknown KPI {kpi_id!r}{hint}")
        return found

    def binder(self) -> Binder:
        """A binder over this catalogue, for ad-hoc formulas."""
        return Binder(
            self.model,
            {p.name: p.value for p in self.parameters.values()},
            lambda name: KpiResolution(self.bound[name].expr) if name in self.bound else None,
            lambda: list(self.bound),
        )
