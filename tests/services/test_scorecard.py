"""Scoring a scorecard on the demo workspace: values come from the KPI engine, roll-ups add up."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cadran.core.health import Health
from cadran.core.periods import Grain, Period, periods_between
from cadran.core.rollup import Grouping, Missing
from cadran.core.scorecard import (
    DEFAULT_PERSPECTIVES,
    Indicator,
    Link,
    Objective,
    Perspective,
    Role,
    Scope,
    Scorecard,
)
from cadran.core.scoring import Direction, Scoring
from cadran.core.spec import Bilingual
from cadran.services.scorecard import result_dict, score_history, score_scorecard
from cadran.services.workspace import Workspace

OCT = Period.of(date(2026, 10, 1), Grain.MONTH)
Q3 = Period.of(date(2026, 7, 1), Grain.QUARTER)


def _b(text: str) -> Bilingual:
    return Bilingual(text, text)


def _card(*objectives: Objective) -> Scorecard:
    return Scorecard(
        _b("test"), tuple(Perspective(i, n) for i, n in DEFAULT_PERSPECTIVES), objectives
    )


RESULTS = Objective(
    "results",
    _b("Valuable business results"),
    "stakeholders",
    indicators=(
        Indicator(
            "qi",
            "qualified_interactions",
            scoring=Scoring(baseline=100, target=300),
            grouping=Grouping.SUM,
            start=date(2026, 1, 1),
            deadline=date(2026, 12, 31),
        ),
        Indicator(
            "rev",
            "revenue_generated",
            scoring=Scoring(minimum=0, maximum=80_000, baseline=1000, target=60_000),
            weight=3,
        ),
    ),
    drivers=(Link("content", weight=2),),
)
CONTENT = Objective(
    "content",
    _b("Engaging content"),
    "customer",
    indicators=(
        Indicator(
            "er_ig",
            "engagement_rate",
            scope=Scope(platforms=("instagram",)),
            scoring=Scoring(baseline=1, target=8),
        ),
        Indicator(
            "rt",
            "response_time",
            role=Role.LEADING,
            scoring=Scoring(baseline=30, target=1, direction=Direction.MINIMIZE),
        ),
    ),
)


@pytest.fixture(scope="module")
def ws(demo_s: Path) -> Iterator[Workspace]:
    w = Workspace.open(demo_s)
    yield w
    w.close()


def _value(ws: Workspace, kpi: str, period: Period, platform: str | None = None) -> float:
    frame = ws.kpi(kpi, period=period.label, platform=platform, compare="none")
    return float(frame["value"].iloc[0])


def test_values_are_the_kpi_engine_s(ws: Workspace) -> None:
    result = score_scorecard(ws, _card(RESULTS, CONTENT), OCT)
    by_id = {r.indicator.id: r for o in result.objectives() for r in o.indicators}
    assert by_id["rev"].value == pytest.approx(_value(ws, "revenue_generated", OCT))
    assert by_id["er_ig"].value == pytest.approx(_value(ws, "engagement_rate", OCT, "instagram"))
    # The scoped value differs from the all-platforms one: the scope is applied.
    assert by_id["er_ig"].value != pytest.approx(_value(ws, "engagement_rate", OCT))
    assert by_id["rev"].previous == pytest.approx(_value(ws, "revenue_generated", OCT.previous()))


def test_monthly_values_are_grouped_over_a_quarter(ws: Workspace) -> None:
    result = score_scorecard(ws, _card(RESULTS, CONTENT), Q3)
    qi = next(r for r in next(iter(result.objectives())).indicators if r.indicator.id == "qi")
    months = periods_between(Q3.start, Q3.last_day, Grain.MONTH)
    assert qi.value == pytest.approx(sum(_value(ws, "qualified_interactions", m) for m in months))
    last = Indicator("qi", "qualified_interactions", grouping=Grouping.LAST)
    card = _card(Objective("o", _b("o"), "stakeholders", indicators=(last,)))
    only = next(score_scorecard(ws, card, Q3).objectives()).indicators[0]
    assert only.value == pytest.approx(_value(ws, "qualified_interactions", months[-1]))


def test_scores_and_roll_ups(ws: Workspace) -> None:
    result = score_scorecard(ws, _card(RESULTS, CONTENT), OCT)
    objectives = {o.objective.id: o for o in result.objectives()}
    content, results = objectives["content"], objectives["results"]
    er, rt = content.indicators
    assert er.score.progress == pytest.approx(min(max((er.value - 1) / 7, 0), 1))
    assert rt.score.progress == pytest.approx(min(max((rt.value - 30) / (1 - 30), 0), 1))
    # Content's lagging part is its lagging indicator alone; it drives results with weight 2.
    assert content.lagging.score == pytest.approx(er.score.performance)
    qi, rev = results.indicators
    assert rev.score.performance == pytest.approx(rev.value / 80_000)
    expected = (qi.score.performance * 1 + rev.score.performance * 3 + er.score.performance * 2) / 6
    assert results.performance.score == pytest.approx(expected)
    assert results.drivers == (("content", pytest.approx(er.score.performance)),)
    # Perspectives with no objective are n/a and do not pull the total down.
    total = (results.performance.score + content.performance.score) / 2
    assert result.performance.score == pytest.approx(total)
    assert result.performance.counted == 2 and result.performance.missing == 2


def test_health_needs_dates_and_leading_can_be_left_out(ws: Workspace) -> None:
    result = score_scorecard(ws, _card(RESULTS, CONTENT), OCT)
    objectives = {o.objective.id: o for o in result.objectives()}
    qi = objectives["results"].indicators[0]
    assert qi.score.expected_progress == pytest.approx(
        (date(2026, 10, 31) - date(2026, 1, 1)).days / 364
    )
    assert qi.score.health is not Health.NOT_TRACKED
    assert objectives["content"].indicators[0].score.health is Health.NOT_TRACKED
    card = _card(RESULTS, CONTENT)
    lagging_only = Scorecard(card.name, card.perspectives, card.objectives, include_leading=False)
    content = {o.objective.id: o for o in score_scorecard(ws, lagging_only, OCT).objectives()}
    assert content["content"].performance.score == pytest.approx(
        objectives["content"].indicators[0].score.performance
    )


def test_carry_last_fills_a_month_without_data(ws: Workspace) -> None:
    # Far in the future there is no data: n/a by default, the last value when carried.
    later = Period.of(date(2026, 11, 1), Grain.MONTH)
    na = Indicator("f", "revenue_generated")
    carry = Indicator("c", "revenue_generated", missing=Missing.CARRY_LAST)
    card = _card(Objective("o", _b("o"), "stakeholders", indicators=(na, carry)))
    a, b = next(score_scorecard(ws, card, later).objectives()).indicators
    assert a.value is None and a.score.status is None
    assert b.value == pytest.approx(_value(ws, "revenue_generated", OCT))


def test_twelve_months_of_statuses_and_json(ws: Workspace) -> None:
    periods = periods_between(date(2025, 11, 1), date(2026, 10, 31), Grain.MONTH)
    history = score_history(ws, _card(RESULTS, CONTENT), periods)
    assert [r.period for r in history] == periods
    for r in history:
        assert r.status in {"green", "yellow", "red"}
        assert all(o.status in {"green", "yellow", "red"} for o in r.objectives())
    data = result_dict(history[-1])
    assert data["period"] == "2026-10"
    objective = data["perspectives"][0]["objectives"][0]  # type: ignore[index]
    assert objective["id"] == "results"
    assert not math.isnan(objective["indicators"][1]["value"])


def test_campaign_scope_filters_on_the_campaign(ws: Workspace) -> None:
    sept = Period.of(date(2026, 9, 1), Grain.MONTH)
    breakdown = ws.kpi("impressions", period=sept.label, by="campaign", compare="none")
    named = breakdown.dropna(subset=["campaign"]).iloc[0]
    scoped = Indicator("i", "impressions", scope=Scope(campaigns=(str(named["campaign"]),)))
    card = _card(Objective("o", _b("o"), "customer", indicators=(scoped,)))
    (only,) = next(score_scorecard(ws, card, sept).objectives()).indicators
    assert only.value == pytest.approx(float(named["value"]))
    assert only.value < _value(ws, "impressions", sept)


def test_the_python_api_scores_the_workspace_scorecard(ws: Workspace) -> None:
    result = ws.score("2026-10")
    assert result.period == OCT
    assert result.card == ws.scorecard()
    assert result_dict(result)["status"] in {"green", "yellow", "red"}
