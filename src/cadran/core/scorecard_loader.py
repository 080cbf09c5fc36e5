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

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from cadran.core.catalogue import Kpi
from cadran.core.health import DEFAULT_HEALTH, HealthThresholds
from cadran.core.issues import Issue, IssueSet
from cadran.core.located import LocatedList, LocatedMap, load_yaml
from cadran.core.periods import Grain
from cadran.core.relative_dates import RELATIVE_DATE, freeze_relative_dates, relative_date
from cadran.core.rollup import Grouping, Missing, Rollup
from cadran.core.scorecard import (
    DEFAULT_PERSPECTIVES,
    Limits,
    Link,
    Objective,
    Perspective,
    Scorecard,
)
from cadran.core.scorecard_indicators import read_indicators
from cadran.core.scorecard_reader import IndicatorDefaults, ScorecardReader
from cadran.core.spec import Bilingual, suggest
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


# -- reading helpers ----------------------------------------------------------------------------
@dataclass
class _Settings:
    rollup: Rollup = Rollup.WEIGHTED_AVERAGE
    include_leading: bool = True
    stoplights: tuple[StopLight, ...] = DEFAULT_STOPLIGHTS
    health: HealthThresholds = DEFAULT_HEALTH
    limits: Limits = field(default_factory=Limits)
    defaults: IndicatorDefaults = field(default_factory=IndicatorDefaults)


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
    reader = ScorecardReader(file, issues, as_of)
    root = reader.document(
        text, "scorecard file", "start from a template: cadran init --template social-media-bsc"
    )
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
    reader = ScorecardReader(file, issues, None)
    return reader.label(doc, "name", "the scorecard"), reader.label(
        doc, "description", "the scorecard"
    )


# -- perspectives and settings ------------------------------------------------------------------
def _perspectives(reader: ScorecardReader, root: LocatedMap) -> dict[str, Perspective]:
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


def _settings(reader: ScorecardReader, root: LocatedMap) -> _Settings:
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


def _stoplights(reader: ScorecardReader, settings: LocatedMap) -> tuple[StopLight, ...] | None:
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


def _health(reader: ScorecardReader, settings: LocatedMap) -> HealthThresholds:
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


def _limits(reader: ScorecardReader, settings: LocatedMap) -> Limits:
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


def _defaults(reader: ScorecardReader, settings: LocatedMap) -> IndicatorDefaults:
    out = IndicatorDefaults()
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
    reader: ScorecardReader,
    root: LocatedMap,
    perspectives: Mapping[str, Perspective],
    defaults: IndicatorDefaults,
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
    reader: ScorecardReader,
    m: LocatedMap,
    perspectives: Mapping[str, Perspective],
    defaults: IndicatorDefaults,
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
    indicators = read_indicators(reader, m, where, defaults, kpis)
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


def _links(reader: ScorecardReader, m: LocatedMap, where: str) -> list[Link]:
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


def _check_links(reader: ScorecardReader, drivers: Mapping[str, list[Link]]) -> None:
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
