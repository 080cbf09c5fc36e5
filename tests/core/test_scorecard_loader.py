"""Loading scorecard files: every problem at once with its line, defaults, relative dates."""

from __future__ import annotations

import graphlib
from datetime import date, timedelta
from itertools import pairwise
from textwrap import dedent

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.catalogue import Kpi, KpiAggregation, Unit
from cadran.core.health import HealthThresholds
from cadran.core.issues import IssueSet, Level
from cadran.core.periods import Grain
from cadran.core.rollup import Grouping, Missing, Rollup
from cadran.core.scorecard import DEFAULT_PERSPECTIVES, Limits, Link, Role, Scope
from cadran.core.scorecard_loader import (
    freeze_relative_dates,
    load_scorecard,
    relative_date,
    scorecard_header,
)
from cadran.core.scoring import Direction, Optimization, Scoring
from cadran.core.spec import Bilingual
from cadran.core.stoplights import StopLight

from .formula.strategies import SETTINGS

AS_OF = date(2026, 10, 31)


def _kpi(kpi_id: str, direction: KpiDirection) -> Kpi:
    label = Bilingual(kpi_id, kpi_id)
    return Kpi(kpi_id, label, label, "c", kpi_id, Unit.COUNT, direction, KpiAggregation.SUM)


KPIS = {
    k.id: k
    for k in (
        _kpi("likes", KpiDirection.HIGHER),
        _kpi("followers", KpiDirection.HIGHER),
        _kpi("response_time", KpiDirection.LOWER),
        _kpi("posts_per_period", KpiDirection.RANGE),
        _kpi("followers_by_age", KpiDirection.NEUTRAL),
        _kpi("qualified_interactions", KpiDirection.HIGHER),
    )
}


def load(text: str, kpis=KPIS, as_of: date | None = AS_OF):
    return load_scorecard(dedent(text), "card.yaml", kpis, as_of=as_of)


def located(issues: IssueSet) -> set[tuple[str, int | None, str | None]]:
    return {(i.level.value, i.line, i.field) for i in issues}


MINIMAL = """\
name: Minimal
objectives:
  - id: results
    name: Results
    perspective: stakeholders
    indicators:
      - kpi: likes
        baseline: 10
        target: 20
"""


def test_a_minimal_file_takes_every_default() -> None:
    card, issues = load(MINIMAL)
    assert list(issues) == []
    assert card is not None
    assert card.name == Bilingual("Minimal", "Minimal")
    assert card.file == "card.yaml"
    assert [(p.id, p.name) for p in card.perspectives] == list(DEFAULT_PERSPECTIVES)
    assert card.rollup is Rollup.WEIGHTED_AVERAGE
    assert card.include_leading is True
    assert card.limits == Limits()
    (objective,) = card.objectives
    assert (objective.id, objective.perspective, objective.line) == ("results", "stakeholders", 3)
    assert objective.drivers == ()
    assert objective.weight == 1.0
    (indicator,) = objective.indicators
    assert indicator.id == "likes"
    assert indicator.kpi == "likes"
    assert indicator.role is Role.LAGGING
    assert indicator.scope == Scope()
    assert indicator.scoring == Scoring(baseline=10, target=20)
    assert (indicator.interval, indicator.grouping, indicator.missing) == (
        Grain.MONTH,
        Grouping.LAST,
        Missing.NA,
    )
    assert (indicator.start, indicator.deadline, indicator.line) == (None, None, 7)


FULL = """\
name: {en: Social media, fr: Réseaux sociaux}
description: Both languages
perspectives:
  - stakeholders
  - {id: customer, name: Clients, weight: 2}
  - {id: internal, name: {en: Processes, fr: Processus}}
settings:
  rollup: min
  include_leading: false
  stoplights: [{status: good, at_least: 0.8}, {status: bad, at_least: 0}]
  health: {on_track: 0.9, behind: 0.5}
  limits: {indicators_per_objective: 3, indicators_total: 9}
  defaults: {interval: week, grouping: sum, missing: carry_last, start: 2026-01-01,
             deadline: +2 months}
objectives:
  - id: results
    name: {en: Results, fr: Résultats}
    perspective: stakeholders
    description: {en: Sales, fr: Ventes}
    owner: Sales lead
    weight: 3
    driven_by: [audience, {objective: care, weight: 0.5}]
    indicators:
      - kpi: qualified_interactions
        id: qi
        name: Qualified
        role: lagging
        platforms: [linkedin, x]
        campaigns: [spring]
        optimization: binary
        baseline: 100
        target: 200
        min: 0
        max: 400
        weight: 2
        interval: quarter
        grouping: last
        missing: na
        start: 2026-02-01
        deadline: 2026-12-31
  - id: audience
    name: Audience
    perspective: customer
    indicators:
      - {kpi: followers, role: leading, baseline: 5, target: 6}
      - {kpi: followers, id: followers_li, platforms: linkedin, baseline: 5, target: 6}
  - id: care
    name: Care
    perspective: internal
    indicators:
      - {kpi: response_time, baseline: 10, target: 5, start: -1 year, deadline: +2 weeks}
      - {kpi: posts_per_period, low: 10, high: 20, tolerance: 5}
      - {kpi: posts_per_period, id: posts_kept, target: 15, direction: range,
         optimization: binary}
"""


def test_every_field_is_read() -> None:
    card, issues = load(FULL)
    assert list(issues) == []
    assert card is not None
    assert card.name == Bilingual("Social media", "Réseaux sociaux")
    assert card.description == Bilingual("Both languages", "Both languages")
    assert [(p.id, p.name.en, p.weight, p.line) for p in card.perspectives] == [
        ("stakeholders", "Stakeholders' interests", 1.0, 4),
        ("customer", "Clients", 2.0, 5),
        ("internal", "Processes", 1.0, 6),
    ]
    assert card.rollup is Rollup.MIN
    assert card.include_leading is False
    assert card.stoplights == (StopLight("good", 0.8), StopLight("bad", 0.0))
    assert card.health == HealthThresholds(0.9, 0.5)
    assert card.limits == Limits(3, 9)
    results, audience, care = card.objectives
    assert results.description == Bilingual("Sales", "Ventes")
    assert results.owner == "Sales lead"
    assert results.weight == 3
    assert results.drivers == (Link("audience", 1.0, 22), Link("care", 0.5, 22))
    (qi,) = results.indicators
    assert qi.id == "qi"
    assert qi.name == Bilingual("Qualified", "Qualified")
    assert qi.scope == Scope(("linkedin", "x"), ("spring",))
    assert qi.scoring == Scoring(
        minimum=0,
        maximum=400,
        baseline=100,
        target=200,
        optimization=Optimization.BINARY,
    )
    assert (qi.weight, qi.interval, qi.grouping, qi.missing) == (
        2,
        Grain.QUARTER,
        Grouping.LAST,
        Missing.NA,
    )
    assert (qi.start, qi.deadline) == (date(2026, 2, 1), date(2026, 12, 31))
    followers, followers_li = audience.indicators
    assert followers.role is Role.LEADING
    assert followers_li.scope.platforms == ("linkedin",)
    # Settings defaults: week, sum, carry_last, and the dates (the deadline relative to as_of).
    assert (followers.interval, followers.grouping, followers.missing) == (
        Grain.WEEK,
        Grouping.SUM,
        Missing.CARRY_LAST,
    )
    assert (followers.start, followers.deadline) == (date(2026, 1, 1), date(2026, 12, 31))
    response, posts, kept = care.indicators
    # Directions come from the catalogue when the file does not say.
    assert response.scoring.direction is Direction.MINIMIZE
    assert (response.start, response.deadline) == (date(2025, 10, 31), date(2026, 11, 14))
    assert posts.scoring == Scoring(direction=Direction.RANGE, low=10, high=20, tolerance=5)
    assert kept.scoring == Scoring(
        target=15, direction=Direction.RANGE, optimization=Optimization.BINARY
    )


MALFORMED = """\
name: Broken
objetives: []
settings:
  rollup: weighted
  stoplights: [{status: green, at_least: 0.9}, {status: yellow, at_least: 0.95}]
  health: {on_track: 0.8, behind: 0.9}
  limits: {indicators_per_objective: 0, indicators_total: 2.5}
  defaults: {start: 2026-06-01, deadline: 2026-01-01, grouping: median}
perspectives:
  - {id: stakeholders}
  - {id: people}
  - {id: stakeholders, name: Again}
objectives:
  - id: a
    name: A
    perspective: custmer
    wieght: 2
    driven_by: [b, a, zz, {objective: c, weight: -1, note: x}]
    indicators:
      - kpi: folowers
      - kpi: likes
        direction: up
        baseline: ten
        target: 5
        min: 10
        max: 5
      - kpi: likes
        low: 3
        high: 1
        tolerance: -1
        weight: -2
        start: 2026-13-01
        deadline: soon
        platforms: [linkdin]
        role: driver
  - id: b
    name: {en: B}
    perspective: stakeholders
    driven_by: [c]
    indicators:
      - {kpi: posts_per_period}
      - {kpi: response_time, start: 2026-06-01, deadline: 2026-01-01, interval: fortnight}
      - {kpi: likes, baseline: 1, target: 2}
      - {kpi: likes, id: likes_kept, baseline: 5, target: 5}
      - {kpi: likes, id: likes, baseline: 1, target: 3}
  - id: c
    name: C
    perspective: stakeholders
    driven_by: [b]
  - id: a
    name: Duplicate
    perspective: stakeholders
  - name: No id
    perspective: stakeholders
  - just text
"""


def test_a_malformed_file_reports_every_problem_at_once() -> None:
    card, issues = load(MALFORMED)
    assert card is None
    assert all(i.file == "card.yaml" for i in issues)
    expected = {
        ("error", 2, "objetives"),  # an unknown key, with "did you mean"
        ("error", 4, "rollup"),
        ("error", 5, "stoplights"),  # rule 2 can never match
        ("warning", 5, "stoplights"),  # scores below 0.9 get no status
        ("error", 6, "health"),
        ("error", 7, "indicators_per_objective"),
        ("error", 7, "indicators_total"),
        ("error", 8, "grouping"),
        ("error", 8, "deadline"),  # the default deadline before the default start
        ("error", 11, "name"),  # 'people' is no default perspective and has no name
        ("error", 12, "id"),  # a perspective declared twice
        ("error", 16, "perspective"),
        ("error", 17, "wieght"),
        ("error", 18, "note"),
        ("error", 18, "weight"),
        ("error", 18, "driven_by"),  # a is driven by itself, and by an unknown 'zz'
        ("error", 20, "kpi"),
        ("error", 22, "direction"),
        ("error", 23, "baseline"),
        ("error", 26, "max"),
        ("warning", 28, "low"),  # range fields on an indicator to maximize
        ("warning", 29, "high"),
        ("warning", 30, "tolerance"),
        ("error", 29, "high"),
        ("error", 30, "tolerance"),
        ("error", 31, "weight"),
        ("error", 32, None),  # 2026-13-01 is refused by YAML itself, and reported once
        ("error", 33, "deadline"),
        ("error", 34, "platforms"),
        ("error", 35, "role"),
        ("error", 37, "fr"),
        ("error", 39, "driven_by"),  # the cycle b -> c -> b
        ("error", 41, "target"),  # a range indicator without target or low/high
        ("error", 42, "interval"),
        ("error", 42, "deadline"),
        ("error", 44, "target"),  # target equals baseline
        ("error", 45, "id"),  # indicator id 'likes' used twice in 'b'
        ("error", 50, "id"),  # objective id 'a' used twice
        ("error", 53, "id"),  # an objective without an id
        ("error", 55, None),  # an objective that is not a mapping
    }
    assert located(issues) == expected
    assert len(issues) == len(expected) + 1  # two errors of driven_by on line 18
    messages = [str(i) for i in issues]
    expected_fragments = [
        "line 2 (objetives): unknown field 'objetives' in the scorecard; did you mean "
        "'objectives'?",
        "line 4 (rollup): 'rollup' of 'settings' must be one of weighted_average, average, min, "
        "max; got 'weighted'; did you mean 'weighted_average'?",
        "rule 2 (yellow ≥ 0.95) can never match",
        "line 16 (perspective): unknown perspective 'custmer' in objective 'a' (the scorecard has "
        "stakeholders); declare it under 'perspectives'",
        "line 17 (wieght): unknown field 'wieght' in objective 'a'; did you mean 'weight'?",
        "line 20 (kpi): unknown KPI 'folowers' in indicator 'folowers' of objective 'a'; did you "
        "mean 'followers'?",
        "'direction' of indicator 'likes' of objective 'a' must be one of maximize, minimize, "
        "range",
        "'baseline' of indicator 'likes' of objective 'a' must be a number, not 'ten'",
        "'min' 10 of indicator 'likes' of objective 'a' must be below 'max' 5",
        "'low' 3 of indicator 'likes' of objective 'a' is above 'high' 1",
        "'tolerance' of indicator 'likes' of objective 'a' must be 0 or more, got -1",
        "'weight' of indicator 'likes' of objective 'a' must be 0 or more, got -2",
        "'deadline' of indicator 'likes' of objective 'a' must be a date, not 'soon'",
        "unknown platform 'linkdin' (expected one of facebook, instagram, linkedin, x, tiktok, "
        "youtube); did you mean 'linkedin'?",
        "'role' of indicator 'likes' of objective 'a' must be one of leading, lagging",
        "'name' of objective 'b' has no 'fr'",
        "range indicator 'posts_per_period' of objective 'b' has neither a target nor low and high",
        "'interval' of indicator 'response_time' of objective 'b' must be one of day, week, "
        "month, quarter, year; got 'fortnight'",
        "the deadline 2026-01-01 of indicator 'response_time' of objective 'b' comes before its "
        "start 2026-06-01",
        "the target of indicator 'likes_kept' of objective 'b' equals its baseline (5)",
        "indicator id 'likes' is already used in objective 'b' on line 43",
        "objective id 'a' is already used on line 14",
        "line 53 (id): an objective has no 'id'",
        "objective 'a' is driven by itself",
        "objective 'a' is driven by an unknown objective 'zz'",
        "the drivers make a cycle: b -> c -> b",
        "each objective must be a mapping (key: value), not 'just text'",
    ]
    for fragment in expected_fragments:
        assert any(fragment in m for m in messages), fragment


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the scorecard file is empty"),
        ("# only a comment\n", "the scorecard file is empty"),
        ("name: [unclosed\n", "not valid YAML"),
        ("a: b: c\n", "not valid YAML"),
        ("- a\n- b\n", "a scorecard file must be a mapping (key: value), not a list"),
        ("just words\n", "a scorecard file must be a mapping (key: value), not 'just words'"),
        ("\x00\x01binary", "not valid YAML"),
        ("name: x\nname: y\nobjectives: []\n", "duplicate key 'name'"),
        ("&a [*a]\n", "recursive anchor"),
    ],
)
def test_input_that_is_no_scorecard_gives_one_clear_issue(text: str, message: str) -> None:
    card, issues = load_scorecard(text, "card.yaml", KPIS)
    assert card is None
    assert issues.errors
    assert message in str(issues.errors[0])
    assert issues.errors[0].file == "card.yaml"


def test_a_scorecard_without_objectives_or_name() -> None:
    card, issues = load("description: x\n")
    assert card is None
    assert located(issues) == {("error", 1, "name"), ("error", 1, "objectives")}
    card, issues = load("name: x\nobjectives: []\n")
    assert card is not None
    assert [i.level for i in issues] == [Level.WARNING]


def test_directions_default_to_the_catalogue_or_maximize() -> None:
    text = """\
    name: x
    objectives:
      - id: o
        name: O
        perspective: customer
        indicators:
          - {kpi: response_time, baseline: 10, target: 5}
          - {kpi: likes, baseline: 1, target: 2}
          - {kpi: followers_by_age, baseline: 1, target: 2}
          - {kpi: response_time, id: up, direction: maximize, baseline: 10, target: 20}
    """
    card, issues = load(text)
    assert card is not None
    directions = [i.scoring.direction for i in card.objectives[0].indicators]
    assert directions == [Direction.MINIMIZE] + [Direction.MAXIMIZE] * 3
    # A descriptive KPI gets maximize, with a warning on its line.
    assert located(issues) == {("warning", 9, "direction")}
    # With the KPI ids only, every direction not written is maximize, without warnings.
    card, issues = load(text, kpis=set(KPIS))
    assert card is not None
    assert {i.scoring.direction for i in card.objectives[0].indicators} == {Direction.MAXIMIZE}
    # ...and a target below the baseline of an indicator to maximize is worth a warning.
    assert located(issues) == {("warning", 7, "target")}


def test_a_range_kpi_needs_its_range() -> None:
    text = """\
    name: x
    objectives:
      - id: o
        name: O
        perspective: customer
        indicators:
          - {kpi: posts_per_period, low: 3}
          - {kpi: posts_per_period, id: p2, high: 3}
          - {kpi: posts_per_period, id: p3}
          - {kpi: posts_per_period, id: p4, target: 4}
    """
    card, issues = load(text)
    assert card is None
    assert located(issues) == {("error", 7, "high"), ("error", 8, "low"), ("error", 9, "target")}


def test_perspectives_can_be_renamed_and_must_be_declared() -> None:
    text = """\
    name: x
    perspectives:
      - {id: stakeholders, name: {en: Financial, fr: Financière}}
      - {id: team, name: Team}
    objectives:
      - {id: a, name: A, perspective: team}
      - {id: b, name: B, perspective: customer}
    """
    card, issues = load(text)
    assert card is None
    (issue,) = issues
    assert (issue.line, issue.field) == (7, "perspective")
    assert "(the scorecard has stakeholders, team)" in issue.message
    card, issues = load(text.replace("customer", "team"))
    assert card is not None
    assert [p.name.fr for p in card.perspectives] == ["Financière", "Team"]


def test_a_single_driver_may_be_written_without_brackets() -> None:
    text = """\
    name: x
    objectives:
      - {id: a, name: A, perspective: customer, driven_by: b}
      - {id: b, name: B, perspective: internal}
    """
    card, issues = load(text)
    assert list(issues) == []
    assert card is not None
    assert card.objectives[0].drivers == (Link("b", 1.0, 3),)


def test_duplicate_drivers_are_reported() -> None:
    text = """\
    name: x
    objectives:
      - id: a
        name: A
        perspective: customer
        driven_by:
          - b
          - {objective: b, weight: 2}
      - {id: b, name: B, perspective: internal}
    """
    _, issues = load(text)
    (issue,) = issues
    assert (issue.line, issue.field) == (8, "driven_by")
    assert "names its driver 'b' twice (first on line 7)" in issue.message


def _chain(ids: list[str], edges: list[tuple[str, str]]) -> str:
    lines = ["name: graph", "objectives:"]
    for oid in ids:
        drivers = [d for o, d in edges if o == oid]
        lines.append(f"  - {{id: {oid}, name: {oid}, perspective: customer, driven_by: {drivers}}}")
    return "\n".join(lines).replace("'", "") + "\n"


def test_each_cycle_is_named_once_from_its_smallest_id() -> None:
    ids = ["a", "b", "c", "d", "e"]
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "d"), ("c", "d")]
    _, issues = load(_chain(ids, edges))
    cycles = sorted(i.message.split(": ")[1].split(" (")[0] for i in issues)
    assert cycles == ["a -> b -> c -> a", "d -> e -> d"]
    lines = sorted(i.line for i in issues)
    assert lines == [3, 6]  # the links leaving a and d


def test_a_long_chain_of_drivers_does_not_overflow() -> None:
    ids = [f"o{n}" for n in range(3000)]
    edges = [(ids[n], ids[n + 1]) for n in range(len(ids) - 1)] + [(ids[-1], ids[0])]
    card, issues = load(_chain(ids, edges))
    assert card is None
    (issue,) = issues
    assert issue.message.startswith("the drivers make a cycle: o0 -> o1 -> o2")


names = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@SETTINGS
@given(edges=st.lists(st.tuples(names, names), max_size=12, unique=True))
def test_a_cycle_is_reported_exactly_when_the_drivers_have_one(
    edges: list[tuple[str, str]],
) -> None:
    edges = [(a, b) for a, b in edges if a != b]
    ids = sorted({n for e in edges for n in e} | {"a"})
    card, issues = load(_chain(ids, edges))
    sorter = graphlib.TopologicalSorter({o: [d for x, d in edges if x == o] for o in ids})
    try:
        sorter.prepare()
        acyclic = True
    except graphlib.CycleError:
        acyclic = False
    assert (card is not None) == acyclic
    for issue in issues:
        assert issue.message.startswith("the drivers make a cycle: ")
        cycle = issue.message.split(": ")[1].split(" (")[0].split(" -> ")
        assert cycle[0] == cycle[-1] == min(cycle)
        assert all((a, b) in edges for a, b in pairwise(cycle))


# -- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+6 months", date(2027, 4, 30)),
        ("-6 months", date(2026, 4, 30)),  # 31 April does not exist
        ("+1 month", date(2026, 11, 30)),
        ("-1 year", date(2025, 10, 31)),
        ("+2 quarters", date(2027, 4, 30)),
        ("+0 days", AS_OF),
        ("-10 days", date(2026, 10, 21)),
        ("+2 weeks", date(2026, 11, 14)),
        ("+1week", date(2026, 11, 7)),
        ("+ 3 Days", date(2026, 11, 3)),
        ("6 months", None),
        ("next year", None),
        ("+6 fortnights", None),
    ],
)
def test_relative_dates(text: str, expected: date | None) -> None:
    assert relative_date(text, AS_OF) == expected


@SETTINGS
@given(days=st.integers(-5000, 5000), anchor=st.dates(date(1900, 1, 1), date(2100, 1, 1)))
def test_relative_days_are_plain_day_counts(days: int, anchor: date) -> None:
    sign = "+" if days >= 0 else "-"
    assert relative_date(f"{sign}{abs(days)} days", anchor) == anchor + timedelta(days=days)


def test_relative_dates_need_a_reference_date() -> None:
    text = """\
    name: x
    settings:
      defaults: {start: -6 months}
    objectives: []
    """
    card, issues = load(text, as_of=None)
    assert card is None
    (issue,) = issues.errors
    assert (issue.line, issue.field) == (3, "start")
    assert "relative ('-6 months') but no reference date" in issue.message


def test_out_of_range_relative_dates_are_reported() -> None:
    text = "name: x\nsettings:\n  defaults: {deadline: +9999 years}\nobjectives: []\n"
    card, issues = load(text)
    assert card is None
    assert "date out of range" in str(issues.errors[0])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-01-01T10:00:00", "must be a date without a time"),
        ("'2026-02-30'", "must be a date, not '2026-02-30'"),
        ("'2026-02-03'", None),
        ("20260101", "must be a date, not 20260101"),
        ("[2026]", "must be a date, not a list"),
    ],
)
def test_dates_must_be_dates(value: str, message: str | None) -> None:
    text = f"name: x\nsettings:\n  defaults:\n    start: {value}\nobjectives: []\n"
    card, issues = load(text)
    if message is None:
        assert card is not None
        return
    assert card is None
    (issue,) = issues.errors
    assert (issue.line, issue.field) == (4, "start")
    assert message in issue.message


FROZEN = """\
# comment kept
name: x   # and this one
settings:
  defaults: {start: -6 months, deadline: "+6 months", interval: month}
objectives:
  - id: o
    name: O
    perspective: customer
    indicators:
      - kpi: likes
        baseline: 1
        target: 2
        start: &s -1 year
        deadline: 2027-01-01
      - {kpi: followers, baseline: 1, target: 2, start: *s, deadline: '+2 weeks'}
  - id: p
    name: "start: -6 months in a name stays"
    perspective: customer
"""


def test_freezing_writes_the_dates_relative_dates_mean() -> None:
    frozen = freeze_relative_dates(FROZEN, AS_OF)
    assert frozen == (
        FROZEN.replace(
            '{start: -6 months, deadline: "+6 months"', "{start: 2026-04-30, deadline: 2027-04-30"
        )
        .replace("&s -1 year", "&s 2025-10-31")
        .replace("'+2 weeks'", "2026-11-14")
    )
    relative, issues = load_scorecard(FROZEN, "card.yaml", KPIS, as_of=AS_OF)
    assert relative is not None
    assert list(issues) == []
    fixed, issues = load_scorecard(frozen, "card.yaml", KPIS)  # no reference date needed now
    assert list(issues) == []
    assert fixed == relative


@pytest.mark.parametrize("text", ["", "name: [unclosed\n", "- a\n", MINIMAL])
def test_freezing_leaves_text_without_relative_dates_alone(text: str) -> None:
    assert freeze_relative_dates(text, AS_OF) == text


def test_the_header_is_read_without_the_rest() -> None:
    assert scorecard_header(FULL, "card.yaml") == (
        Bilingual("Social media", "Réseaux sociaux"),
        Bilingual("Both languages", "Both languages"),
    )
    assert scorecard_header("- not a card\n", "card.yaml") == (None, None)


def test_freezing_keeps_anchors_and_tags() -> None:
    text = "settings:\n  defaults: {start: !!str -1 month, deadline: &d +1 month}\n"
    assert freeze_relative_dates(text, AS_OF) == (
        "settings:\n  defaults: {start: !!str 2026-09-30, deadline: &d 2026-11-30}\n"
    )


yaml_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["likes", "maximize", "range", "+6 months", "-1 year", "2026-02-30", "", "x y", "nan"]
    ),
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.lists(st.sampled_from(["a", "linkedin", "b"]), max_size=3),
)
fields = st.sampled_from(
    [
        "kpi", "id", "name", "role", "platforms", "campaigns", "direction", "optimization",
        "baseline", "target", "min", "max", "low", "high", "tolerance", "weight", "interval",
        "grouping", "missing", "start", "deadline", "driven_by", "perspective", "bogus",
    ]
)  # fmt: skip


@SETTINGS
@given(
    indicator=st.dictionaries(fields, yaml_values, max_size=8),
    objective=st.dictionaries(fields, yaml_values, max_size=4),
    as_of=st.sampled_from([None, AS_OF, date(9999, 12, 31), date(1, 1, 1)]),
)
def test_any_values_in_any_field_give_issues_never_a_crash(
    indicator: dict[str, object], objective: dict[str, object], as_of: date | None
) -> None:
    doc = {
        "name": "x",
        "objectives": [
            {"id": "o", "name": "O", "perspective": "customer", **objective},
            {"id": "p", "name": "P", "perspective": "customer", "indicators": [indicator]},
        ],
    }
    text = yaml.safe_dump(doc, allow_unicode=True)
    card, issues = load_scorecard(text, "card.yaml", KPIS, as_of=as_of)
    assert (card is None) == bool(issues.errors)
    for issue in issues:
        assert issue.file == "card.yaml"
        assert issue.line is not None and issue.line >= 1
    if card is not None and as_of is not None:
        # Written as the dates they mean, relative dates load into the very same scorecard.
        frozen, more = load_scorecard(freeze_relative_dates(text, as_of), "card.yaml", KPIS)
        assert not more.errors
        assert frozen == card
