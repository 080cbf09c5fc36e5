"""The indicators of a scorecard file: a KPI each, with its scope, scale, goal and dates."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.catalogue import Kpi
from cadran.core.exports_loader import PLATFORMS
from cadran.core.located import LocatedMap
from cadran.core.periods import Grain
from cadran.core.rollup import Grouping, Missing
from cadran.core.scorecard import Indicator, Role, Scope
from cadran.core.scorecard_reader import IndicatorDefaults, ScorecardReader
from cadran.core.scoring import Direction, Optimization, Scoring
from cadran.core.spec import suggest

__all__ = ["INDICATOR_FIELDS", "read_indicators"]

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

_KPI_DIRECTIONS = {
    KpiDirection.HIGHER: Direction.MAXIMIZE,
    KpiDirection.LOWER: Direction.MINIMIZE,
    KpiDirection.RANGE: Direction.RANGE,
}


def read_indicators(
    reader: ScorecardReader,
    m: LocatedMap,
    where: str,
    defaults: IndicatorDefaults,
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
    reader: ScorecardReader,
    m: LocatedMap,
    objective: str,
    defaults: IndicatorDefaults,
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


def _scoring(reader: ScorecardReader, m: LocatedMap, where: str, kpi: Kpi | None) -> Scoring | None:
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
