"""The balanced scorecard: perspectives, objectives, indicators and their cause-and-effect links.

A scorecard is a tree, perspective → objective → indicator, plus a graph between objectives:
an objective may be *driven by* others (the strategy map's arrows). Seed 001 writes those links
as "leading metrics: the lagging part of objective X": the lagging indicators of a driver count
as a leading indicator of the objective it drives. Indicators bind a KPI of the catalogue,
optionally scoped to platforms or campaigns, with the scale and goal that score it
(:class:`cadran.core.scoring.Scoring`).

Everything here is data: loading and validating it is :mod:`cadran.core.scorecard_loader`,
scoring it is :mod:`cadran.core.scoring` and :mod:`cadran.core.rollup`, checking it against the
seeds' "mistakes to avoid" is :mod:`cadran.core.checker`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from cadran.core.health import DEFAULT_HEALTH, HealthThresholds
from cadran.core.periods import Grain
from cadran.core.rollup import Grouping, Missing, Rollup
from cadran.core.scoring import Scoring
from cadran.core.spec import Bilingual
from cadran.core.stoplights import DEFAULT_STOPLIGHTS, StopLight

# The four perspectives of seed 001, in the order a strategy map draws them (top to bottom).
DEFAULT_PERSPECTIVES: tuple[tuple[str, Bilingual], ...] = (
    ("stakeholders", Bilingual("Stakeholders' interests", "Intérêts des parties prenantes")),
    ("customer", Bilingual("Customer", "Client")),
    ("internal", Bilingual("Internal processes", "Processus internes")),
    ("learning", Bilingual("Learning and growth", "Apprentissage et croissance")),
)


class Role(Enum):
    """Whether an indicator measures a result (lagging) or a driver of results (leading)."""

    LEADING = "leading"
    LAGGING = "lagging"


@dataclass(frozen=True)
class Scope:
    """What part of the data an indicator looks at; empty means everything."""

    platforms: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        """True when the indicator is not narrowed to platforms or campaigns."""
        return not (self.platforms or self.campaigns)


@dataclass(frozen=True)
class Indicator:
    """A KPI bound to an objective, with the goal and scale that score it.

    ``start`` is the date of the baseline (where expected progress starts) and ``deadline`` the
    date the target is due: with the KPI and the target they make the goal SMART. ``interval``
    is how often the indicator is updated; ``grouping`` says how its values over several
    intervals make one value for a longer period, and ``missing`` what an interval without data
    means (carry the last value, or n/a).
    """

    id: str
    kpi: str
    name: Bilingual | None = None
    scope: Scope = field(default_factory=Scope)
    scoring: Scoring = field(default_factory=Scoring)
    weight: float = 1.0
    role: Role = Role.LAGGING
    interval: Grain = Grain.MONTH
    grouping: Grouping = Grouping.LAST
    missing: Missing = Missing.NA
    start: date | None = None
    deadline: date | None = None
    line: int = 0

    @property
    def smart_gaps(self) -> tuple[str, ...]:
        """What a SMART goal needs and this indicator lacks: target, baseline, deadline."""
        s = self.scoring
        gaps = []
        if s.target is None and not (s.low is not None and s.high is not None):
            gaps.append("target")
        if s.baseline is None and s.low is None:
            gaps.append("baseline")
        if self.deadline is None:
            gaps.append("deadline")
        return tuple(gaps)


@dataclass(frozen=True)
class Link:
    """A cause-and-effect arrow: the lagging part of ``objective`` drives the objective holding
    the link, where it counts as a leading indicator with ``weight``."""

    objective: str
    weight: float = 1.0
    line: int = 0


@dataclass(frozen=True)
class Objective:
    """A goal of one perspective, measured by its indicators and driven by other objectives."""

    id: str
    name: Bilingual
    perspective: str
    description: Bilingual | None = None
    owner: str | None = None
    indicators: tuple[Indicator, ...] = ()
    drivers: tuple[Link, ...] = ()
    weight: float = 1.0
    line: int = 0

    def by_role(self, role: Role) -> tuple[Indicator, ...]:
        """The objective's own indicators of one role."""
        return tuple(i for i in self.indicators if i.role is role)


@dataclass(frozen=True)
class Perspective:
    """One row of the strategy map."""

    id: str
    name: Bilingual
    weight: float = 1.0
    line: int = 0


@dataclass(frozen=True)
class Limits:
    """Thresholds of the checker (seed 000: few KPIs, each tied to a goal)."""

    indicators_per_objective: int = 5
    indicators_total: int = 25


@dataclass(frozen=True)
class Scorecard:
    """A whole scorecard, as written in a workspace's ``scorecard.yaml`` or a template."""

    name: Bilingual
    perspectives: tuple[Perspective, ...]
    objectives: tuple[Objective, ...]
    description: Bilingual | None = None
    rollup: Rollup = Rollup.WEIGHTED_AVERAGE
    stoplights: tuple[StopLight, ...] = DEFAULT_STOPLIGHTS
    health: HealthThresholds = DEFAULT_HEALTH
    limits: Limits = field(default_factory=Limits)
    # Roll-ups of an objective include its leading indicators and drivers unless told not to.
    include_leading: bool = True
    file: str = ""
    _index: Mapping[str, Objective] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {o.id: o for o in self.objectives})

    def objective(self, objective_id: str) -> Objective | None:
        """The objective with this id, or None."""
        return self._index.get(objective_id)

    def in_perspective(self, perspective_id: str) -> tuple[Objective, ...]:
        """The objectives of one perspective, in the file's order."""
        return tuple(o for o in self.objectives if o.perspective == perspective_id)

    def indicators(self) -> Iterator[tuple[Objective, Indicator]]:
        """Every indicator with the objective holding it."""
        for o in self.objectives:
            for i in o.indicators:
                yield o, i

    def driven_by(self, objective_id: str) -> tuple[Objective, ...]:
        """The objectives that ``objective_id`` drives (the arrows leaving it)."""
        return tuple(
            o for o in self.objectives if any(d.objective == objective_id for d in o.drivers)
        )


__all__ = [
    "DEFAULT_PERSPECTIVES",
    "Indicator",
    "Limits",
    "Link",
    "Objective",
    "Perspective",
    "Role",
    "Scope",
    "Scorecard",
]
