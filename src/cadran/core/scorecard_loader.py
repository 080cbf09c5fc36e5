"""Loading a balanced scorecard from YAML, with every problem reported at once.

A scorecard file (a workspace's ``scorecard.yaml`` or a packaged template) looks like this::

    name: {en: Social media, fr: Réseaux sociaux}   # or one text for both languages
    description: ...                               # optional, same forms as name
    perspectives:                                  # optional: seed 001's four by default
      - stakeholders                               # a default perspective, default name
      - {id: customer, name: Clients, weight: 2}   # renamed, weighted
    settings:                                      # optional, every key optional
      rollup: weighted_average                     # weighted_average | average | min | max
      include_leading: true                        # leading indicators count in roll-ups
      stoplights: [{status: green, at_least: 0.9}, {status: red, at_least: 0}]
      health: {on_track: 0.95, behind: 0.85}
      limits: {indicators_per_objective: 5, indicators_total: 25}
      defaults:                                    # for every indicator that does not say
        interval: month                            # day | week | month | quarter | year
        grouping: average                          # sum | average | last | min | max
        missing: na                                # na | carry_last
        start: -6 months                           # a date, or relative to the reference date
        deadline: +6 months
    objectives:
      - id: valuable_business_results              # snake_case, unique
        name: {en: ..., fr: ...}                   # required
        perspective: stakeholders                  # required, a declared perspective
        description: ...                           # optional
        owner: Marketing lead                      # optional
        weight: 1                                  # >= 0, default 1
        driven_by: [engaging_content, {objective: personal_interaction, weight: 2}]
        indicators:
          - kpi: qualified_interactions            # required, a KPI of the catalogue
            id: qi                                 # default: the KPI id; unique in the objective
            name: ...                              # optional
            role: lagging                          # leading | lagging (default lagging)
            platforms: [linkedin]                  # optional scope
            campaigns: [spring_launch]
            direction: maximize                    # maximize | minimize | range
            optimization: linear                   # linear | binary
            baseline: 120
            target: 200
            min: 0                                 # the performance scale (optional)
            max: 300
            low: 10                                # range indicators: the range to keep...
            high: 20
            tolerance: 5                           # ...and how far outside it scores fall to 0
            weight: 2                              # >= 0, default 1
            interval: month
            grouping: average
            missing: na
            start: 2026-01-01
            deadline: 2026-12-31

``direction`` defaults to the KPI's direction in the catalogue (higher is better → maximize,
lower is better → minimize, keep in range → range) when the catalogue's KPIs are given, else to
maximize. A relative date is ``+N`` or ``-N`` followed by day(s), week(s), month(s), quarter(s)
or year(s); every relative date counts from the same reference date ``as_of`` (the end of the
workspace's data, or today), passed in by the caller: this module never reads the clock.
:func:`freeze_relative_dates` writes them as plain dates, which is what installing a template
does, so that a workspace's goals stay where they were set.

:func:`load_scorecard` returns the scorecard and every issue; the scorecard is ``None`` when any
issue is an error. Each issue names the file and line, and the field and a fix when it can.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import yaml

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.catalogue import Kpi
from cadran.core.errors import PeriodError
from cadran.core.exports_loader import PLATFORMS
from cadran.core.health import DEFAULT_HEALTH, HealthThresholds
from cadran.core.issues import Issue, IssueSet
from cadran.core.located import LocatedList, LocatedMap, load_yaml
from cadran.core.periods import Grain, add_months
from cadran.core.rollup import Grouping, Missing, Rollup
from cadran.core.scorecard import (
    DEFAULT_PERSPECTIVES,
    Indicator,
    Limits,
    Link,
    Objective,
    Perspective,
    Role,
    Scope,
    Scorecard,
)
from cadran.core.scoring import Direction, Optimization, Scoring
from cadran.core.spec import Bilingual, FieldReader, kind_of, suggest
from cadran.core.stoplights import DEFAULT_STOPLIGHTS, StopLight, validate_stoplights

__all__ = [
    "RELATIVE_DATE",
    "freeze_relative_dates",
    "load_scorecard",
    "relative_date",
    "scorecard_header",
]

TOP_FIELDS = ("name", "description", "perspectives", "settings", "objectives")
PERSPECTIVE_FIELDS = ("id", "name", "weight")
SETTINGS_FIELDS = ("rollup", "include_leading", "stoplights", "health", "limits", "defaults")
STOPLIGHT_FIELDS = ("status", "at_least")
HEALTH_FIELDS = ("on_track", "behind")
LIMIT_FIELDS = ("indicators_per_objective", "indicators_total")
DEFAULT_FIELDS = ("interval", "grouping", "missing", "start", "deadline")
OBJECTIVE_FIELDS = (
    "id",
    "name",
    "perspective",
    "description",
    "owner",
    "weight",
    "driven_by",
    "indicators",
)
LINK_FIELDS = ("objective", "weight")
INDICATOR_FIELDS = (
    "kpi",
    "id",
    "name",
    "role",
    "platforms",
    "campaigns",
    "direction",
    "optimization",
    "baseline",
    "target",
    "min",
    "max",
    "low",
    "high",
    "tolerance",
    "weight",
    "interval",
    "grouping",
    "missing",
    "start",
    "deadline",
)

RELATIVE_DATE = re.compile(r"^([+-])\s*(\d{1,4})\s*(day|week|month|quarter|year)s?$")
"""``+6 months``, ``-1 year``, ``+2 weeks``: an offset from the reference date."""

_KPI_DIRECTIONS = {
    KpiDirection.HIGHER: Direction.MAXIMIZE,
    KpiDirection.LOWER: Direction.MINIMIZE,
    KpiDirection.RANGE: Direction.RANGE,
}


def relative_date(text: str, as_of: date) -> date | None:
    """The date ``text`` (such as ``+6 months``) means from ``as_of``; None if not relative.

    Months, quarters and years keep the day of the month, clamped to the target month's length
    (``-6 months`` from 31 October is 30 April). A date out of range is a ``PeriodError``.
    """
    m = RELATIVE_DATE.match(text.strip().lower())
    if m is None:
        return None
    n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
    unit = m.group(3)
    if unit in ("day", "week"):
        try:
            return as_of + timedelta(days=n * (7 if unit == "week" else 1))
        except OverflowError:
            raise PeriodError(f"date out of range: {as_of.isoformat()} moved by {text}") from None
    return add_months(as_of, n * {"month": 1, "quarter": 3, "year": 12}[unit])


# -- reading helpers ----------------------------------------------------------------------------
class _Reader(FieldReader):
    """A :class:`FieldReader` with the field kinds of scorecards."""

    def __init__(self, file: str, issues: IssueSet, as_of: date | None) -> None:
        super().__init__(file, issues)
        self.as_of = as_of

    def reported(self, line: int) -> bool:
        """Whether an error of this file is already recorded on ``line``."""
        return any(i.file == self.file and i.line == line for i in self.issues.errors)

    def label(
        self, m: LocatedMap, key: str, where: str, *, required: bool = False
    ) -> Bilingual | None:
        """``{en: ..., fr: ...}``, or one text meaning the same in both languages."""
        if key in m and isinstance(m[key], str):
            text = self.text(m, key, where)
            return Bilingual(text, text) if text is not None else None
        if key in m and not isinstance(m[key], LocatedMap):
            self.error(
                f"{key!r} of {where} must be a text or {{en: ..., fr: ...}}",
                m.line_of(key),
                key,
            )
            return None
        return self.bilingual(m, key, where, required=required)

    def weight(self, m: LocatedMap, where: str, default: float = 1.0) -> float:
        """A weight: a number >= 0 (0 switches the item off in roll-ups)."""
        value = self.number(m, "weight", where)
        if value is None:
            return default
        if value < 0:
            self.error(
                f"'weight' of {where} must be 0 or more, got {value:g}",
                m.line_of("weight"),
                "weight",
                "weights are relative importances; 0 leaves the item out of roll-ups",
            )
            return default
        return value

    def count(self, m: LocatedMap, key: str, where: str) -> int | None:
        """A whole number of at least 1."""
        value = self.number(m, key, where)
        if value is None:
            return None
        if value != int(value) or value < 1:
            self.error(
                f"{key!r} of {where} must be a whole number of at least 1, got {value:g}",
                m.line_of(key),
                key,
            )
            return None
        return int(value)

    def day(self, m: LocatedMap, key: str, where: str) -> date | None:
        """A date: ``2026-12-31`` or a relative date such as ``+6 months``."""
        if key not in m:
            return None
        value = m[key]
        line = m.line_of(key)
        hint = "write a date as YYYY-MM-DD, or relative to the reference date as +6 months"
        if value is None and self.reported(line):
            return None  # the YAML value itself was refused (such as 2026-13-01)
        if isinstance(value, datetime):
            self.error(f"{key!r} of {where} must be a date without a time", line, key, hint)
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            text = value.strip()
            if RELATIVE_DATE.match(text.lower()):
                if self.as_of is None:
                    self.error(
                        f"{key!r} of {where} is relative ({text!r}) but no reference date "
                        "was given to count from",
                        line,
                        key,
                        "load the scorecard with as_of, or write the date as YYYY-MM-DD",
                    )
                    return None
                try:
                    return relative_date(text, self.as_of)
                except PeriodError as exc:
                    self.error(f"{key!r} of {where}: {exc}", line, key)
                    return None
            if len(text) == 10:
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    pass
        self.error(f"{key!r} of {where} must be a date, not {kind_of(value)}", line, key, hint)
        return None

    def ids(
        self, values: Iterable[str], allowed: Collection[str], what: str, m: LocatedMap, key: str
    ) -> None:
        """Report values that are not in ``allowed``."""
        for v in values:
            if v not in allowed:
                self.error(
                    f"unknown {what} {v!r} (expected one of {', '.join(allowed)})",
                    m.line_of(key),
                    key,
                    suggest(v, allowed),
                )


@dataclass
class _Defaults:
    """Settings every indicator inherits unless it says otherwise."""

    interval: Grain = Grain.MONTH
    grouping: Grouping = Grouping.LAST
    missing: Missing = Missing.NA
    start: date | None = None
    deadline: date | None = None


@dataclass
class _Settings:
    rollup: Rollup = Rollup.WEIGHTED_AVERAGE
    include_leading: bool = True
    stoplights: tuple[StopLight, ...] = DEFAULT_STOPLIGHTS
    health: HealthThresholds = DEFAULT_HEALTH
    limits: Limits = field(default_factory=Limits)
    defaults: _Defaults = field(default_factory=_Defaults)


# -- the whole file -----------------------------------------------------------------------------
def load_scorecard(
    text: str,
    file: str,
    kpis: Mapping[str, Kpi] | Collection[str],
    *,
    as_of: date | None = None,
) -> tuple[Scorecard | None, IssueSet]:
    """Parse and validate a scorecard file against the KPI ids of the catalogue.

    ``kpis`` is the catalogue's KPI mapping (whose directions become the indicators' default
    directions) or just the known KPI ids. ``as_of`` is the date relative dates count from.
    Returns the scorecard (``None`` when any issue is an error) and every issue found.
    """
    issues = IssueSet()
    reader = _Reader(file, issues, as_of)
    try:
        doc = load_yaml(text, file, issues)
    except yaml.YAMLError as exc:  # characters YAML refuses (NUL...) fail before parsing starts
        issues.error(f"not valid YAML: {exc}", file=file, line=1)
        return None, issues
    if doc is None:
        if not issues:
            issues.error(
                "the scorecard file is empty",
                file=file,
                line=1,
                hint="start from a template: cadran init --template social-media-bsc",
            )
        return None, issues
    root = reader.mapping(doc, "a scorecard file", 1)
    if root is None:
        return None, issues
    reader.known_keys(root, TOP_FIELDS, "the scorecard")
    name = reader.label(root, "name", "the scorecard", required=True)
    description = reader.label(root, "description", "the scorecard")
    perspectives = _perspectives(reader, root)
    settings = _settings(reader, root)
    objectives = _objectives(reader, root, perspectives, settings.defaults, kpis)
    if issues.errors or name is None or objectives is None:
        return None, issues
    card = Scorecard(
        name=name,
        perspectives=tuple(perspectives.values()),
        objectives=tuple(objectives),
        description=description,
        rollup=settings.rollup,
        stoplights=settings.stoplights,
        health=settings.health,
        limits=settings.limits,
        include_leading=settings.include_leading,
        file=file,
    )
    return card, issues


def scorecard_header(text: str, file: str) -> tuple[Bilingual | None, Bilingual | None]:
    """The name and description of a scorecard file, without validating the rest."""
    issues = IssueSet()
    doc = load_yaml(text, file, issues)
    if not isinstance(doc, LocatedMap):
        return None, None
    reader = _Reader(file, issues, None)
    return reader.label(doc, "name", "the scorecard"), reader.label(
        doc, "description", "the scorecard"
    )


# -- perspectives and settings ------------------------------------------------------------------
def _perspectives(reader: _Reader, root: LocatedMap) -> dict[str, Perspective]:
    defaults = dict(DEFAULT_PERSPECTIVES)
    if "perspectives" not in root:
        return {pid: Perspective(pid, label) for pid, label in DEFAULT_PERSPECTIVES}
    seq = reader.sequence(root["perspectives"], "'perspectives'", root.line_of("perspectives"))
    out: dict[str, Perspective] = {}
    if seq is None:
        # Keep going with the defaults so that objectives are still checked.
        return {pid: Perspective(pid, label) for pid, label in DEFAULT_PERSPECTIVES}
    if not seq:
        reader.error(
            "'perspectives' is empty",
            root.line_of("perspectives"),
            "perspectives",
            "leave it out to use the four perspectives of a balanced scorecard",
        )
    for item, line in zip(seq, seq.item_lines, strict=True):
        if isinstance(item, str):
            item = LocatedMap(id=item)
            item.line = line
            item.key_lines = {"id": line}
        m = reader.mapping(item, "each perspective", line)
        if m is None:
            continue
        reader.known_keys(m, PERSPECTIVE_FIELDS, "a perspective")
        pid = reader.identifier(m, "id", "a perspective")
        where = f"perspective {pid!r}" if pid else "a perspective"
        label = reader.label(m, "name", where)
        weight = reader.weight(m, where)
        if pid is None:
            continue
        if label is None and "name" not in m:
            label = defaults.get(pid)
            if label is None:
                reader.error(
                    f"{where} has no 'name'",
                    m.line,
                    "name",
                    f"name it, or use one of the default perspectives: {', '.join(defaults)}",
                )
        if pid in out:
            reader.error(
                f"perspective id {pid!r} is already used on line {out[pid].line}",
                m.line_of("id"),
                "id",
                "give each perspective its own id",
            )
            continue
        if label is not None:
            out[pid] = Perspective(pid, label, weight, m.line)
    return out


def _settings(reader: _Reader, root: LocatedMap) -> _Settings:
    out = _Settings()
    if "settings" not in root:
        return out
    m = reader.mapping(root["settings"], "'settings'", root.line_of("settings"))
    if m is None:
        return out
    reader.known_keys(m, SETTINGS_FIELDS, "'settings'")
    rollup = reader.choice(m, "rollup", Rollup, "'settings'", required=False)
    out.rollup = rollup or out.rollup
    out.include_leading = reader.boolean(m, "include_leading", "'settings'", default=True)
    if "stoplights" in m:
        out.stoplights = _stoplights(reader, m) or out.stoplights
    if "health" in m:
        out.health = _health(reader, m)
    if "limits" in m:
        out.limits = _limits(reader, m)
    if "defaults" in m:
        out.defaults = _defaults(reader, m)
    return out


def _stoplights(reader: _Reader, settings: LocatedMap) -> tuple[StopLight, ...] | None:
    line = settings.line_of("stoplights")
    seq = reader.sequence(settings["stoplights"], "'stoplights'", line)
    if seq is None:
        return None
    rules: list[StopLight] = []
    complete = True
    for item, item_line in zip(seq, seq.item_lines, strict=True):
        m = reader.mapping(item, "each stop-light rule", item_line)
        if m is None:
            complete = False
            continue
        reader.known_keys(m, STOPLIGHT_FIELDS, "a stop-light rule")
        status = reader.text(m, "status", "a stop-light rule")
        bound = reader.number(m, "at_least", "a stop-light rule", required=True)
        if status is None or bound is None:
            complete = False
            continue
        rules.append(StopLight(status, bound))
    if not complete:
        return None
    for issue in validate_stoplights(rules):
        reader.issues.add(
            Issue(issue.message, reader.file, line, issue.field, issue.level, issue.hint)
        )
    return tuple(rules) if rules else None


def _health(reader: _Reader, settings: LocatedMap) -> HealthThresholds:
    m = reader.mapping(settings["health"], "'health'", settings.line_of("health"))
    if m is None:
        return DEFAULT_HEALTH
    reader.known_keys(m, HEALTH_FIELDS, "'health'")
    on_track = reader.number(m, "on_track", "'health'")
    behind = reader.number(m, "behind", "'health'")
    on_track = DEFAULT_HEALTH.on_track if on_track is None else on_track
    behind = DEFAULT_HEALTH.behind if behind is None else behind
    if not 0.0 <= behind <= on_track:
        reader.error(
            f"health thresholds need 0 <= behind <= on_track, got behind {behind:g} and "
            f"on_track {on_track:g}",
            m.line,
            "health",
            "they are shares of the expected progress, such as on_track: 0.95, behind: 0.85",
        )
        return DEFAULT_HEALTH
    return HealthThresholds(on_track, behind)


def _limits(reader: _Reader, settings: LocatedMap) -> Limits:
    m = reader.mapping(settings["limits"], "'limits'", settings.line_of("limits"))
    if m is None:
        return Limits()
    reader.known_keys(m, LIMIT_FIELDS, "'limits'")
    per = reader.count(m, "indicators_per_objective", "'limits'")
    total = reader.count(m, "indicators_total", "'limits'")
    base = Limits()
    return Limits(
        per if per is not None else base.indicators_per_objective,
        total if total is not None else base.indicators_total,
    )


def _defaults(reader: _Reader, settings: LocatedMap) -> _Defaults:
    out = _Defaults()
    m = reader.mapping(settings["defaults"], "'defaults'", settings.line_of("defaults"))
    if m is None:
        return out
    where = "'defaults'"
    reader.known_keys(m, DEFAULT_FIELDS, where)
    out.interval = reader.choice(m, "interval", Grain, where, required=False) or out.interval
    out.grouping = reader.choice(m, "grouping", Grouping, where, required=False) or out.grouping
    out.missing = reader.choice(m, "missing", Missing, where, required=False) or out.missing
    out.start = reader.day(m, "start", where)
    out.deadline = reader.day(m, "deadline", where)
    if out.start is not None and out.deadline is not None and out.deadline < out.start:
        reader.error(
            f"the default deadline {out.deadline.isoformat()} comes before the default start "
            f"{out.start.isoformat()}",
            m.line_of("deadline"),
            "deadline",
            "a goal's deadline must be on or after its start",
        )
    return out


# -- objectives ---------------------------------------------------------------------------------
def _objectives(
    reader: _Reader,
    root: LocatedMap,
    perspectives: Mapping[str, Perspective],
    defaults: _Defaults,
    kpis: Mapping[str, Kpi] | Collection[str],
) -> list[Objective] | None:
    if "objectives" not in root:
        reader.error("the scorecard has no 'objectives'", root.line, "objectives")
        return None
    seq = reader.sequence(root["objectives"], "'objectives'", root.line_of("objectives"))
    if seq is None:
        return None
    if not seq:
        reader.warning("the scorecard has no objectives yet", root.line_of("objectives"))
    out: list[Objective] = []
    # Every objective with a valid id takes part in the link checks, even when another of its
    # fields is wrong, so that one mistake does not hide (or fake) problems of the links.
    drivers: dict[str, list[Link]] = {}
    seen: dict[str, int] = {}
    for item, line in zip(seq, seq.item_lines, strict=True):
        m = reader.mapping(item, "each objective", line)
        if m is None:
            continue
        oid, links, objective = _objective(reader, m, perspectives, defaults, kpis)
        if oid is None:
            continue
        if oid in seen:
            reader.error(
                f"objective id {oid!r} is already used on line {seen[oid]}",
                m.line_of("id"),
                "id",
                "give each objective its own id",
            )
            continue
        seen[oid] = m.line
        drivers[oid] = links
        if objective is not None:
            out.append(objective)
    _check_links(reader, drivers)
    return out


def _objective(
    reader: _Reader,
    m: LocatedMap,
    perspectives: Mapping[str, Perspective],
    defaults: _Defaults,
    kpis: Mapping[str, Kpi] | Collection[str],
) -> tuple[str | None, list[Link], Objective | None]:
    oid = reader.identifier(m, "id", "an objective")
    where = f"objective {oid!r}" if oid else "an objective"
    reader.known_keys(m, OBJECTIVE_FIELDS, where)
    name = reader.label(m, "name", where, required=True)
    perspective = reader.identifier(m, "perspective", where)
    if perspective is not None and perspective not in perspectives:
        reader.error(
            f"unknown perspective {perspective!r} in {where} "
            f"(the scorecard has {', '.join(perspectives) or 'none'})",
            m.line_of("perspective"),
            "perspective",
            suggest(perspective, perspectives) or "declare it under 'perspectives'",
        )
        perspective = None
    description = reader.label(m, "description", where)
    owner = reader.text(m, "owner", where, required=False)
    weight = reader.weight(m, where)
    drivers = _links(reader, m, where)
    indicators = _indicators(reader, m, where, defaults, kpis)
    if oid is None or name is None or perspective is None:
        return oid, drivers, None
    objective = Objective(
        oid,
        name,
        perspective,
        description,
        owner,
        tuple(indicators),
        tuple(drivers),
        weight,
        m.line,
    )
    return oid, drivers, objective


def _links(reader: _Reader, m: LocatedMap, where: str) -> list[Link]:
    if "driven_by" not in m:
        return []
    value = m["driven_by"]
    if isinstance(value, str):  # a single driver written without brackets
        value = LocatedList([value])
        value.line = value.item_lines[0] = m.line_of("driven_by")
    seq = reader.sequence(value, f"'driven_by' of {where}", m.line_of("driven_by"))
    if seq is None:
        return []
    out: list[Link] = []
    for item, line in zip(seq, seq.item_lines, strict=True):
        if isinstance(item, str):
            item = LocatedMap(objective=item)
            item.line = line
            item.key_lines = {"objective": line}
        lm = reader.mapping(item, f"each driver of {where} (an objective id or a mapping)", line)
        if lm is None:
            continue
        reader.known_keys(lm, LINK_FIELDS, f"a driver of {where}")
        target = reader.identifier(lm, "objective", f"a driver of {where}")
        weight = reader.weight(lm, f"a driver of {where}")
        if target is not None:
            out.append(Link(target, weight, lm.line))
    return out


def _check_links(reader: _Reader, drivers: Mapping[str, list[Link]]) -> None:
    """Drivers name known objectives other than themselves, once each, and make no cycle."""
    known = set(drivers)
    graph: dict[str, list[Link]] = {}
    for oid, links in drivers.items():
        seen: dict[str, int] = {}
        valid: list[Link] = []
        for link in links:
            if link.objective == oid:
                reader.error(
                    f"objective {oid!r} is driven by itself",
                    link.line,
                    "driven_by",
                    "an objective's drivers are other objectives",
                )
            elif link.objective not in known:
                reader.error(
                    f"objective {oid!r} is driven by an unknown objective {link.objective!r}",
                    link.line,
                    "driven_by",
                    suggest(link.objective, known),
                )
            elif link.objective in seen:
                reader.error(
                    f"objective {oid!r} names its driver {link.objective!r} twice "
                    f"(first on line {seen[link.objective]})",
                    link.line,
                    "driven_by",
                )
            else:
                seen[link.objective] = link.line
                valid.append(link)
        graph[oid] = valid
    for cycle, line in _cycles(graph):
        reader.error(
            f"the drivers make a cycle: {' -> '.join(cycle)} (each objective is driven by the "
            "next)",
            line,
            "driven_by",
            "cause and effect run one way: remove one of these links",
        )


def _cycles(graph: Mapping[str, list[Link]]) -> list[tuple[list[str], int]]:
    """Each cycle a depth-first search meets, once, written from its smallest id, with the line
    of the link leaving that id. Iterative, so a long chain of drivers cannot overflow."""
    found: dict[tuple[str, ...], tuple[list[str], int]] = {}
    done: set[str] = set()
    for root in graph:
        if root in done:
            continue
        path: list[str] = [root]
        on_path = {root}
        todo: list[list[Link]] = [list(graph.get(root, ()))]
        while todo:
            if not todo[-1]:
                todo.pop()
                node = path.pop()
                on_path.discard(node)
                done.add(node)
                continue
            nxt = todo[-1].pop(0).objective
            if nxt in on_path:
                cycle = path[path.index(nxt) :]
                first = cycle.index(min(cycle))
                ordered = cycle[first:] + cycle[:first]
                if tuple(ordered) not in found:
                    after = ordered[1] if len(ordered) > 1 else ordered[0]
                    line = next(k.line for k in graph[ordered[0]] if k.objective == after)
                    found[tuple(ordered)] = ([*ordered, ordered[0]], line)
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                todo.append(list(graph.get(nxt, ())))
    return list(found.values())


# -- indicators ---------------------------------------------------------------------------------
def _indicators(
    reader: _Reader,
    m: LocatedMap,
    where: str,
    defaults: _Defaults,
    kpis: Mapping[str, Kpi] | Collection[str],
) -> list[Indicator]:
    if "indicators" not in m:
        return []
    seq = reader.sequence(m["indicators"], f"'indicators' of {where}", m.line_of("indicators"))
    if seq is None:
        return []
    out: list[Indicator] = []
    seen: dict[str, int] = {}
    for item, line in zip(seq, seq.item_lines, strict=True):
        im = reader.mapping(item, f"each indicator of {where}", line)
        if im is None:
            continue
        indicator = _indicator(reader, im, where, defaults, kpis)
        if indicator is None:
            continue
        if indicator.id in seen:
            reader.error(
                f"indicator id {indicator.id!r} is already used in {where} on line "
                f"{seen[indicator.id]}",
                im.line_of("id") if "id" in im else im.line,
                "id",
                "give the second one its own 'id' (the id defaults to the KPI id)",
            )
            continue
        seen[indicator.id] = indicator.line
        out.append(indicator)
    return out


def _indicator(
    reader: _Reader,
    m: LocatedMap,
    objective: str,
    defaults: _Defaults,
    kpis: Mapping[str, Kpi] | Collection[str],
) -> Indicator | None:
    kpi_id = reader.identifier(m, "kpi", f"an indicator of {objective}")
    own_id = reader.identifier(m, "id", f"an indicator of {objective}", required=False)
    iid = own_id or kpi_id
    where = f"indicator {iid!r} of {objective}" if iid else f"an indicator of {objective}"
    reader.known_keys(m, INDICATOR_FIELDS, where)
    kpi: Kpi | None = None
    if kpi_id is not None:
        if kpi_id not in kpis:
            reader.error(
                f"unknown KPI {kpi_id!r} in {where}",
                m.line_of("kpi"),
                "kpi",
                suggest(kpi_id, kpis) or "`cadran kpi list` shows the catalogue",
            )
            kpi_id = None
        elif isinstance(kpis, Mapping):
            found = kpis.get(kpi_id)
            kpi = found if isinstance(found, Kpi) else None
    name = reader.label(m, "name", where)
    role = reader.choice(m, "role", Role, where, required=False, default=Role.LAGGING)
    platforms = reader.text_list(m, "platforms", where)
    reader.ids(platforms, PLATFORMS, "platform", m, "platforms")
    campaigns = reader.text_list(m, "campaigns", where)
    scoring = _scoring(reader, m, where, kpi)
    weight = reader.weight(m, where)
    interval = reader.choice(m, "interval", Grain, where, required=False)
    grouping = reader.choice(m, "grouping", Grouping, where, required=False)
    missing = reader.choice(m, "missing", Missing, where, required=False)
    start = reader.day(m, "start", where) if "start" in m else defaults.start
    deadline = reader.day(m, "deadline", where) if "deadline" in m else defaults.deadline
    if (
        start is not None
        and deadline is not None
        and deadline < start
        and ("start" in m or "deadline" in m)
    ):
        reader.error(
            f"the deadline {deadline.isoformat()} of {where} comes before its start "
            f"{start.isoformat()}",
            m.line_of("deadline" if "deadline" in m else "start"),
            "deadline",
            "a goal's deadline must be on or after its start",
        )
    if iid is None or kpi_id is None or scoring is None:
        return None
    return Indicator(
        id=iid,
        kpi=kpi_id,
        name=name,
        scope=Scope(platforms, campaigns),
        scoring=scoring,
        weight=weight,
        role=role or Role.LAGGING,
        interval=interval or defaults.interval,
        grouping=grouping or defaults.grouping,
        missing=missing or defaults.missing,
        start=start,
        deadline=deadline,
        line=m.line,
    )


def _scoring(reader: _Reader, m: LocatedMap, where: str, kpi: Kpi | None) -> Scoring | None:
    direction = reader.choice(m, "direction", Direction, where, required=False)
    if direction is None and "direction" not in m:
        direction = Direction.MAXIMIZE
        if kpi is not None:
            if kpi.direction is KpiDirection.NEUTRAL:
                reader.warning(
                    f"KPI {kpi.id!r} of {where} is descriptive (neither higher nor lower is "
                    "better), so 'direction' defaults to maximize; say which values are better",
                    m.line_of("kpi"),
                    "direction",
                )
            else:
                direction = _KPI_DIRECTIONS[kpi.direction]
    optimization = reader.choice(m, "optimization", Optimization, where, required=False)
    numbers = {
        key: reader.number(m, key, where)
        for key in ("baseline", "target", "min", "max", "low", "high", "tolerance")
    }
    baseline, target = numbers["baseline"], numbers["target"]
    low, high, tolerance = numbers["low"], numbers["high"], numbers["tolerance"]
    minimum, maximum = numbers["min"], numbers["max"]
    ok = direction is not None and not ("optimization" in m and optimization is None)
    ok = ok and all(numbers[k] is not None for k in numbers if k in m)
    if minimum is not None and maximum is not None and minimum >= maximum:
        reader.error(
            f"'min' {minimum:g} of {where} must be below 'max' {maximum:g}",
            m.line_of("max"),
            "max",
            "min and max are the ends of the performance scale",
        )
        ok = False
    elif (minimum is None) != (maximum is None):
        given = "min" if minimum is not None else "max"
        reader.warning(
            f"{where} gives {given!r} without its pair, so it has no performance scale",
            m.line_of(given),
            given,
        )
    if low is not None and high is not None and low > high:
        reader.error(
            f"'low' {low:g} of {where} is above 'high' {high:g}",
            m.line_of("high"),
            "high",
            "the range to keep runs from low up to high",
        )
        ok = False
    if tolerance is not None and tolerance < 0:
        reader.error(
            f"'tolerance' of {where} must be 0 or more, got {tolerance:g}",
            m.line_of("tolerance"),
            "tolerance",
            "it is how far outside [low, high] the score falls to 0",
        )
        ok = False
    if direction is Direction.RANGE:
        if (low is None) != (high is None):
            reader.error(
                f"range {where} gives {'low' if low is not None else 'high'!r} alone",
                m.line_of("low" if low is not None else "high"),
                "low" if low is None else "high",
                "give both low and high, or only a target to keep",
            )
            ok = False
        elif low is None and target is None and not ("low" in m or "target" in m):
            reader.error(
                f"range {where} has neither a target nor low and high",
                m.line,
                "target",
                "give low and high (the range to keep) or a target (the value to keep)",
            )
            ok = False
    elif direction is not None:
        for key in ("low", "high", "tolerance"):
            if key in m:
                reader.warning(
                    f"{key!r} of {where} is only used by range indicators "
                    f"(this one is to {direction.value})",
                    m.line_of(key),
                    key,
                )
        binary = optimization is Optimization.BINARY
        if baseline is not None and target is not None and not binary:
            if target == baseline:
                reader.error(
                    f"the target of {where} equals its baseline ({target:g}): there is no way "
                    "to cover",
                    m.line_of("target"),
                    "target",
                    "set direction: range to keep a value where it is",
                )
                ok = False
            elif (target < baseline) == (direction is Direction.MAXIMIZE):
                better = "higher" if direction is Direction.MAXIMIZE else "lower"
                reader.warning(
                    f"the target {target:g} of {where} is not {better} than its baseline "
                    f"{baseline:g}, although it is to {direction.value}",
                    m.line_of("target"),
                    "target",
                )
    if not ok or direction is None:
        return None
    return Scoring(
        minimum=minimum,
        maximum=maximum,
        baseline=baseline,
        target=target,
        direction=direction,
        optimization=optimization or Optimization.LINEAR,
        tolerance=tolerance if tolerance is not None else 0.0,
        low=low,
        high=high,
    )


# -- freezing relative dates --------------------------------------------------------------------
def freeze_relative_dates(text: str, as_of: date) -> str:
    """``text`` with every relative date (``+6 months``) written as the date it means.

    Only the values of ``settings.defaults`` and of each indicator's ``start`` and ``deadline``
    change; comments, order and layout stay as they are. Text that does not parse comes back
    unchanged (loading it reports why). A relative date out of range is left as written.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return text
    spans: set[tuple[int, int, str]] = set()  # a set: an alias repeats its anchor's node

    def dates_of(node: yaml.Node | None) -> None:
        for key in ("start", "deadline"):
            value = _child(node, key)
            if not isinstance(value, yaml.ScalarNode) or value.tag != _STR_TAG:
                continue
            try:
                day = relative_date(str(value.value), as_of)
            except PeriodError:
                continue
            if day is not None:
                begin = value.start_mark.index
                # The node starts at its anchor or tag, if any (`&start -6 months`): keep them.
                prefix = _PROPERTIES.match(text, begin, value.end_mark.index)
                begin = prefix.end() if prefix else begin
                spans.add((begin, value.end_mark.index, day.isoformat()))

    dates_of(_child(_child(root, "settings"), "defaults"))
    for objective in _items(_child(root, "objectives")):
        for indicator in _items(_child(objective, "indicators")):
            dates_of(indicator)
    for begin, end, iso in sorted(spans, reverse=True):
        text = text[:begin] + iso + text[end:]
    return text


_STR_TAG = "tag:yaml.org,2002:str"
_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)+")


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found: yaml.Node = v
            return found
    return None


def _items(node: yaml.Node | None) -> list[Any]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
