"""What a user asks for: KPIs, periods, breakdowns, filters and a comparison."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from cadran.core.attribution import AttributionModel
from cadran.core.catalogue import BoundKpi
from cadran.core.errors import UsageError
from cadran.core.periods import Grain, Period
from cadran.core.semantic import SemanticModel
from cadran.core.spec import suggest

BREAKDOWNS = ("platform", "account", "campaign", "format", "topic", "post", "source")
FILTERABLE = ("platform", "campaign")


class Compare(Enum):
    """Which earlier period each value is compared with."""

    NONE = "none"
    PREVIOUS = "previous"
    YEAR = "year"

    @classmethod
    def parse(cls, value: str | None) -> Compare:
        """Read ``previous``, ``year`` or ``none``."""
        if value is None:
            return cls.NONE
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise UsageError(
                f"unknown comparison {value!r}: expected previous, year or none"
            ) from None


@dataclass(frozen=True)
class KpiRequest:
    """KPIs to evaluate over ``periods`` (all of one grain, or one custom period)."""

    kpis: tuple[BoundKpi, ...]
    periods: tuple[Period, ...]
    by: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    compare: Compare = Compare.NONE
    # Credit conversions and revenue to touchpoints by this model (None: the source recorded
    # on each row). The service evaluating the request prepares the credited facts.
    attribution: AttributionModel | None = None

    @property
    def grain(self) -> Grain | None:
        """The grain of the periods (None for a custom period)."""
        return self.periods[0].grain

    def dimensions_of(self, kpi: BoundKpi) -> tuple[str, ...]:
        """The breakdown of one KPI: the requested one plus the KPI's own segments."""
        return tuple(dict.fromkeys([*self.by, *kpi.kpi.dimensions]))


def check_request(request: KpiRequest, model: SemanticModel) -> None:
    """Refuse requests that cannot be answered, with a message naming what is wrong."""
    if not request.kpis:
        raise UsageError("no KPI to evaluate")
    if not request.periods:
        raise UsageError("no period to evaluate")
    grains = {p.grain for p in request.periods}
    if len(grains) != 1 or (None in grains and len(request.periods) != 1):
        raise UsageError("periods must all have the same grain")
    for dim in request.by:
        if dim not in BREAKDOWNS:
            raise UsageError(
                f"cannot break down by {dim!r}: expected one of {', '.join(BREAKDOWNS)}"
                + (f"; {h}" if (h := suggest(dim, BREAKDOWNS)) else "")
            )
    if len(set(request.by)) != len(request.by):
        raise UsageError("a breakdown is repeated")
    for dim in request.filters:
        if dim not in FILTERABLE:
            raise UsageError(f"cannot filter on {dim!r}: expected one of {', '.join(FILTERABLE)}")
    for bound in request.kpis:
        for dim in [*request.by, *request.filters]:
            if dim not in bound.dimensions:
                facts = ", ".join(
                    model.facts[f].label.en.lower()
                    for f in bound.facts
                    if dim not in model.facts[f].dimensions
                )
                raise UsageError(
                    f"KPI {bound.kpi.id!r} cannot be broken down or filtered by {dim!r}: "
                    f"{facts} have no {dim}"
                )
