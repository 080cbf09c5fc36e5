"""Scoring a workspace's scorecard on its data: indicator values, scores, roll-ups, statuses.

Each indicator's KPI is evaluated by the KPI engine at the indicator's update interval, scoped
to its platforms and campaigns; the values of the intervals inside the period are grouped as
the indicator says (sum, average, last...) after applying its missing-value policy. Scores and
roll-ups are :mod:`cadran.core.scoring` and :mod:`cadran.core.rollup`: this module only feeds
them. One request per distinct (interval, scope) keeps the number of queries small.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cadran.core.catalogue import BandLevel, Benchmark, Kpi
from cadran.core.health import Health
from cadran.core.periods import Grain, Period, periods_between
from cadran.core.rollup import Rolled, aggregate_periods, fill_missing, rollup
from cadran.core.scorecard import Indicator, Objective, Role, Scorecard
from cadran.core.scoring import IndicatorScore, score_indicator
from cadran.core.stoplights import stoplight
from cadran.plan.request import Compare
from cadran.services.workspace import Workspace

# Intervals looked back before a period, so that "carry the last value" has one to carry.
LOOKBACK = 12
_ORDER = (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR)


@dataclass(frozen=True)
class BandInfo:
    """The benchmark band a value falls in, with where the band comes from."""

    level: BandLevel | None
    benchmark: Benchmark


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of one objective, scored for one period."""

    objective: str
    indicator: Indicator
    kpi: Kpi
    previous: float | None
    score: IndicatorScore
    bands: tuple[BandInfo, ...] = ()

    @property
    def value(self) -> float | None:
        """The indicator's value for the period."""
        return self.score.value


@dataclass(frozen=True)
class ObjectiveResult:
    """An objective's roll-up: its indicators, plus the lagging part of its drivers."""

    objective: Objective
    indicators: tuple[IndicatorResult, ...]
    drivers: tuple[tuple[str, float | None], ...]  # (driver objective id, its lagging score)
    performance: Rolled
    progress: Rolled
    lagging: Rolled  # the part other objectives see when this one drives them
    status: str | None
    health: Health
    previous: float | None  # the performance of the period before, for the trend


@dataclass(frozen=True)
class PerspectiveResult:
    """A perspective's roll-up of its objectives."""

    id: str
    name: str
    objectives: tuple[ObjectiveResult, ...]
    performance: Rolled
    status: str | None


@dataclass(frozen=True)
class ScorecardResult:
    """A whole scorecard scored for one period."""

    card: Scorecard
    period: Period
    as_of: date
    perspectives: tuple[PerspectiveResult, ...]
    performance: Rolled
    status: str | None

    def objectives(self) -> Iterable[ObjectiveResult]:
        """Every objective result, perspective by perspective."""
        for p in self.perspectives:
            yield from p.objectives


# -- values ---------------------------------------------------------------------------------
def _finer(a: Grain, b: Grain) -> bool:
    return _ORDER.index(a) < _ORDER.index(b)


def _grain_for(indicator: Indicator, period: Period) -> Grain:
    """The grain the indicator's KPI is evaluated at for ``period``: its interval when that
    splits the period, else the period's own grain (a quarterly indicator read for a month)."""
    if period.grain is None or _finer(indicator.interval, period.grain):
        return indicator.interval
    return period.grain


def _key(indicator: Indicator, period: Period) -> tuple[Grain, tuple[str, ...], tuple[str, ...]]:
    scope = indicator.scope
    return (_grain_for(indicator, period), scope.platforms, scope.campaigns)


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not math.isnan(value):
        return float(value)
    return None


class _Values:
    """KPI values by (grain, scope, kpi, interval start), fetched in as few requests as can be."""

    def __init__(self, ws: Workspace, card: Scorecard, periods: Sequence[Period]) -> None:
        wanted: dict[tuple[Grain, tuple[str, ...], tuple[str, ...]], set[str]] = defaultdict(set)
        spans: dict[tuple[Grain, tuple[str, ...], tuple[str, ...]], tuple[date, date]] = {}
        for _, ind in card.indicators():
            if ind.kpi not in ws.catalogue.bound:
                continue
            for period in periods:
                key = _key(ind, period)
                wanted[key].add(ind.kpi)
                first = Period.of(period.previous().start, key[0]).shift(-LOOKBACK).start
                lo, hi = spans.get(key, (first, period.last_day))
                spans[key] = (min(lo, first), max(hi, period.last_day))
        self.values: dict[tuple[Grain, tuple[str, ...], tuple[str, ...], str, date], float] = {}
        for key, kpis in wanted.items():
            grain, platforms, campaigns = key
            first, last = spans[key]
            request = ws.request(
                sorted(kpis),
                start=first,
                end=last,
                grain=grain,
                platform=list(platforms) or None,
                campaign=list(campaigns) or None,
                compare=Compare.NONE,
            )
            frame = ws.evaluate(request).frame
            for kpi, start, value in zip(
                frame["kpi"], frame["period_start"], frame["value"], strict=True
            ):
                known = _number(value)
                if known is not None and isinstance(start, date):
                    self.values[(*key, str(kpi), start)] = known

    def of(self, indicator: Indicator, period: Period) -> float | None:
        """The indicator's value for ``period``: its intervals grouped, missing ones filled."""
        grain, platforms, campaigns = _key(indicator, period)
        first = Period.of(period.start, grain).shift(-LOOKBACK).start
        steps = periods_between(first, period.last_day, grain)
        series = [
            self.values.get((grain, platforms, campaigns, indicator.kpi, p.start)) for p in steps
        ]
        filled = fill_missing(series, indicator.missing)
        inside = [v for p, v in zip(steps, filled, strict=True) if p.start >= period.start]
        # Missing periods were filled above; grouping sees each interval once.
        return aggregate_periods(inside, indicator.grouping)


# -- scoring --------------------------------------------------------------------------------
def _bands(ws: Workspace, kpi: str, value: float | None) -> tuple[BandInfo, ...]:
    benches = ws.catalogue.benchmarks.get(kpi, ())
    return tuple(BandInfo(b.level_of(value) if value is not None else None, b) for b in benches)


def _score(
    ws: Workspace,
    card: Scorecard,
    values: _Values,
    objective: Objective,
    ind: Indicator,
    period: Period,
    as_of: date,
) -> IndicatorResult:
    value = values.of(ind, period)
    previous = values.of(ind, period.previous()) if period.grain else None
    score = score_indicator(
        ind.scoring,
        value,
        previous=previous,
        start=ind.start,
        deadline=ind.deadline,
        as_of=min(as_of, period.last_day),
        stoplights=card.stoplights,
        thresholds=card.health,
    )
    return IndicatorResult(
        objective.id, ind, ws.catalogue.kpis[ind.kpi], previous, score, _bands(ws, ind.kpi, value)
    )


def _objective_health(progress: Rolled, results: Sequence[IndicatorResult]) -> Health:
    """The health of the objective's least healthy tracked indicator (not tracked if none)."""
    order = [Health.AT_RISK, Health.BEHIND, Health.ON_TRACK, Health.ACHIEVED, Health.EXCEEDED]
    tracked = [r.score.health for r in results if r.score.health in order]
    if not tracked or progress.score is None:
        return Health.NOT_TRACKED
    return min(tracked, key=order.index)


def score_scorecard(
    ws: Workspace,
    card: Scorecard,
    period: Period,
    *,
    as_of: date | None = None,
    lang: str = "en",
) -> ScorecardResult:
    """Score ``card`` on the workspace's data for ``period``.

    Each objective also gets its performance of the period before, scored the same way (its
    drivers included), for the trend.
    """
    return score_history(ws, card, [period], lang=lang, as_of=as_of)[0]


def _performances(result: ScorecardResult) -> dict[str, float | None]:
    return {o.objective.id: o.performance.score for o in result.objectives()}


def _score_period(
    ws: Workspace,
    card: Scorecard,
    period: Period,
    values: _Values,
    before: Mapping[str, float | None],
    as_of: date,
    lang: str,
) -> ScorecardResult:
    """``card`` scored for ``period``; ``before`` holds each objective's previous score."""
    results: dict[str, tuple[IndicatorResult, ...]] = {}
    for o in card.objectives:
        results[o.id] = tuple(
            _score(ws, card, values, o, i, period, as_of)
            for i in o.indicators
            if i.kpi in ws.catalogue.kpis
        )
    lagging = {
        o.id: rollup(
            [
                (r.score.performance, r.indicator.weight)
                for r in results[o.id]
                if r.indicator.role is Role.LAGGING
            ],
            card.rollup,
        )
        for o in card.objectives
    }
    objective_results: dict[str, ObjectiveResult] = {}
    for o in card.objectives:
        own = [r for r in results[o.id] if card.include_leading or r.indicator.role is Role.LAGGING]
        drivers = tuple(
            (d.objective, lagging[d.objective].score if d.objective in lagging else None)
            for d in o.drivers
        )
        driver_children = (
            [(score, d.weight) for (_, score), d in zip(drivers, o.drivers, strict=True)]
            if card.include_leading
            else []
        )
        perf = rollup(
            [(r.score.performance, r.indicator.weight) for r in own] + driver_children,
            card.rollup,
        )
        prog = rollup([(r.score.progress, r.indicator.weight) for r in own], card.rollup)
        prev = before.get(o.id)
        objective_results[o.id] = ObjectiveResult(
            o,
            results[o.id],
            drivers,
            perf,
            prog,
            lagging[o.id],
            stoplight(perf.score, card.stoplights),
            _objective_health(prog, own),
            prev,
        )
    perspectives = []
    for p in card.perspectives:
        objs = tuple(objective_results[o.id] for o in card.in_perspective(p.id))
        perf = rollup([(r.performance.score, r.objective.weight) for r in objs], card.rollup)
        perspectives.append(
            PerspectiveResult(
                p.id, p.name.get(lang), objs, perf, stoplight(perf.score, card.stoplights)
            )
        )
    total = rollup(
        [
            (p.performance.score, w.weight)
            for p, w in zip(perspectives, card.perspectives, strict=True)
        ],
        card.rollup,
    )
    return ScorecardResult(
        card, period, as_of, tuple(perspectives), total, stoplight(total.score, card.stoplights)
    )


def score_history(
    ws: Workspace,
    card: Scorecard,
    periods: Sequence[Period],
    *,
    lang: str = "en",
    as_of: date | None = None,
) -> list[ScorecardResult]:
    """The scorecard scored for each of ``periods`` (one set of queries for all of them).

    A period's previous scores are those of the result before it when that is the previous
    period (consecutive months are not scored twice), else scored on purpose.
    """
    values = _Values(ws, card, periods)
    out: list[ScorecardResult] = []
    for period in periods:
        before: dict[str, float | None] = {}
        if period.grain is not None:
            prev = period.previous()
            if out and out[-1].period == prev:
                before = _performances(out[-1])
            else:
                before = _performances(
                    _score_period(ws, card, prev, values, {}, prev.last_day, lang)
                )
        out.append(_score_period(ws, card, period, values, before, as_of or period.last_day, lang))
    return out


def kpi_coverage(
    ws: Workspace, kpis: Iterable[str], periods: Sequence[Period]
) -> Mapping[str, int]:
    """How many of ``periods`` each KPI has a value in (0 when it cannot be computed)."""
    ids = sorted(k for k in set(kpis) if k in ws.catalogue.bound)
    counts = dict.fromkeys(ids, 0)
    if not ids or not periods or not ws.warehouse.has_data():
        return counts
    request = ws.request(
        ids,
        start=periods[0].start,
        end=periods[-1].last_day,
        grain=periods[0].grain or Grain.MONTH,
        compare=Compare.NONE,
    )
    frame = ws.evaluate(request).frame
    for row in frame.itertuples(index=False):
        if _number(row.value) is not None:
            counts[str(row.kpi)] += 1
    return counts


# -- plain data, for JSON -------------------------------------------------------------------
def _pct(x: float | None) -> float | None:
    return None if x is None else round(x * 100, 2)


def _rolled(r: Rolled) -> dict[str, object]:
    return {
        "score": _pct(r.score),
        "coverage": _pct(r.coverage),
        "counted": r.counted,
        "missing": r.missing,
    }


def indicator_dict(r: IndicatorResult, lang: str = "en") -> dict[str, object]:
    """One indicator result as plain data (percentages for scores)."""
    ind, s = r.indicator, r.score
    trend = s.trend
    return {
        "id": ind.id,
        "kpi": ind.kpi,
        "name": (ind.name or r.kpi.name).get(lang),
        "role": ind.role.value,
        "platforms": list(ind.scope.platforms),
        "campaigns": list(ind.scope.campaigns),
        "weight": ind.weight,
        "value": s.value,
        "previous": r.previous,
        "unit": r.kpi.unit.value,
        "baseline": ind.scoring.baseline,
        "target": ind.scoring.target,
        "minimum": ind.scoring.minimum,
        "maximum": ind.scoring.maximum,
        "direction": ind.scoring.direction.value,
        "deadline": ind.deadline.isoformat() if ind.deadline else None,
        "performance": _pct(s.performance),
        "progress": _pct(s.progress),
        "expected_progress": _pct(s.expected_progress),
        "status": s.status,
        "health": s.health.value,
        "trend": None if trend is None else trend.movement.value,
        "trend_judgement": None
        if trend is None or trend.judgement is None
        else trend.judgement.value,
        "benchmarks": [
            {
                "level": b.level.value if b.level else None,
                "source": b.benchmark.source,
                "bands": [
                    {"level": x.level.value, "min": x.low, "max": x.high} for x in b.benchmark.bands
                ],
            }
            for b in r.bands
        ],
    }


def result_dict(result: ScorecardResult, lang: str = "en") -> dict[str, object]:
    """A scorecard result as plain data: the tree perspective → objective → indicator."""
    return {
        "scorecard": result.card.name.get(lang),
        "period": result.period.label,
        "period_start": result.period.start.isoformat(),
        "period_end": result.period.last_day.isoformat(),
        "performance": _rolled(result.performance),
        "status": result.status,
        "perspectives": [
            {
                "id": p.id,
                "name": p.name,
                "performance": _rolled(p.performance),
                "status": p.status,
                "objectives": [
                    {
                        "id": o.objective.id,
                        "name": o.objective.name.get(lang),
                        "owner": o.objective.owner,
                        "performance": _rolled(o.performance),
                        "progress": _rolled(o.progress),
                        "previous_performance": _pct(o.previous),
                        "status": o.status,
                        "health": o.health.value,
                        "driven_by": [
                            {"objective": d, "lagging_score": _pct(s)} for d, s in o.drivers
                        ],
                        "indicators": [indicator_dict(i, lang) for i in o.indicators],
                    }
                    for o in p.objectives
                ],
            }
            for p in result.perspectives
        ],
    }


__all__ = [
    "BandInfo",
    "IndicatorResult",
    "ObjectiveResult",
    "PerspectiveResult",
    "ScorecardResult",
    "indicator_dict",
    "kpi_coverage",
    "result_dict",
    "score_history",
    "score_scorecard",
]
