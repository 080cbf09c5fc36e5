"""Stop-lights: ordered rules, first match wins, and validation of a rule list."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadran.core.issues import Level
from cadran.core.stoplights import DEFAULT_STOPLIGHTS, StopLight, stoplight, validate_stoplights

from .formula.strategies import SETTINGS


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (1.0, "green"),
        (0.9, "green"),
        (0.8999, "yellow"),
        (0.7, "yellow"),
        (0.6999, "red"),
        (0.0, "red"),
        (-0.5, None),  # an unclamped score below every bound
        (None, None),
        (math.nan, None),
    ],
)
def test_default_stoplights(score: float | None, status: str | None) -> None:
    assert stoplight(score) == status


def test_the_first_matching_rule_wins_even_when_a_later_one_also_matches() -> None:
    # A deliberately badly ordered list: "red" shadows the others, and wins.
    rules = [StopLight("red", 0.0), StopLight("green", 0.9)]
    assert stoplight(0.95, rules) == "red"
    assert stoplight(0.95, list(reversed(rules))) == "green"


def test_no_rules_give_no_status() -> None:
    assert stoplight(0.5, []) is None


rule_lists = st.lists(
    st.builds(StopLight, st.sampled_from(["a", "b", "c", "d"]), st.floats(0, 1)),
    min_size=1,
    max_size=6,
)


@SETTINGS
@given(rules=rule_lists, score=st.floats(-1, 2))
def test_stoplight_is_the_first_match(rules: list[StopLight], score: float) -> None:
    matching = [i for i, rule in enumerate(rules) if score >= rule.at_least]
    status = stoplight(score, rules)
    if matching:
        assert status == rules[matching[0]].status
    else:
        assert status is None


@SETTINGS
@given(rules=rule_lists)
def test_a_list_with_no_shadowing_error_has_strictly_decreasing_bounds(
    rules: list[StopLight],
) -> None:
    errors = [i for i in validate_stoplights(rules) if i.level is Level.ERROR]
    bounds = [rule.at_least for rule in rules]
    strictly_decreasing = all(a > b for a, b in pairwise(bounds))
    assert (not errors) == strictly_decreasing


def test_default_stoplights_are_valid() -> None:
    assert validate_stoplights(DEFAULT_STOPLIGHTS) == []


def test_validation_reports_every_problem_at_once() -> None:
    rules = [
        StopLight("green", 0.8),
        StopLight("blue", 0.9),  # shadowed by green
        StopLight("", 0.5),
        StopLight("amber", 1.5),
        StopLight("grey", math.nan),
        StopLight("yellow", 0.5),  # shadowed by the nameless rule 3
        StopLight("red", 0.2),
    ]
    messages = [(issue.level, issue.message) for issue in validate_stoplights(rules)]
    assert messages == [
        (
            Level.ERROR,
            "rule 2 (blue ≥ 0.9) can never match: rule 1 (green ≥ 0.8) comes first and "
            "matches every score it would",
        ),
        (Level.ERROR, "rule 3 has no status name"),
        (Level.ERROR, "rule 4 (amber ≥ 1.5): the bound must be between 0 and 1"),
        (Level.ERROR, "rule 5 (grey ≥ nan): the bound must be between 0 and 1"),
        (
            Level.ERROR,
            "rule 6 (yellow ≥ 0.5) can never match: rule 3 ( ≥ 0.5) comes first and "
            "matches every score it would",
        ),
        (Level.WARNING, "scores below 0.2 match no rule and get no status"),
    ]


def test_an_empty_list_is_an_error() -> None:
    issues = validate_stoplights([])
    assert [(i.level, i.message, i.field) for i in issues] == [
        (Level.ERROR, "no stop-light rules: at least one is needed", "stoplights")
    ]
