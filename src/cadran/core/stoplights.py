"""Stop-lights: a named status (green, yellow, red...) for a score between 0 and 1.

Rules are read top to bottom and the first one whose bound the score reaches wins, as in
ClearPoint's series evaluations (section 5 of the KPI reference). BSC Designer lets users set
red/yellow/green thresholds on performance, so the statuses are free names rather than an enum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cadran.core.issues import Issue, Level

__all__ = ["DEFAULT_STOPLIGHTS", "StopLight", "stoplight", "validate_stoplights"]

_FIELD = "stoplights"


@dataclass(frozen=True)
class StopLight:
    """One rule: the score gets ``status`` when it is at least ``at_least``."""

    status: str
    at_least: float

    def matches(self, score: float) -> bool:
        """Whether ``score`` reaches this rule's bound."""
        return score >= self.at_least

    def __str__(self) -> str:
        return f"{self.status} ≥ {self.at_least:g}"


DEFAULT_STOPLIGHTS: tuple[StopLight, ...] = (
    StopLight("green", 0.9),
    StopLight("yellow", 0.7),
    StopLight("red", 0.0),
)
"""Green from 90 %, yellow from 70 %, red below.

Round numbers a reader checks at a glance. Green means the target (or the top of the scale) is
reached or within a tenth of it; yellow covers the next fifth; the red rule at 0 makes the set
cover every clamped score, so a known score always gets a colour.
"""


def stoplight(score: float | None, rules: Sequence[StopLight] = DEFAULT_STOPLIGHTS) -> str | None:
    """The status of the first rule ``score`` matches.

    ``None`` for a missing score (shown as n/a) and for a score below every rule's bound.
    """
    if score is None or math.isnan(score):
        return None
    for rule in rules:
        if rule.matches(score):
            return rule.status
    return None


def validate_stoplights(rules: Sequence[StopLight]) -> list[Issue]:
    """Every problem with a list of rules at once (rules are numbered from 1 in messages).

    Errors: no rules, a rule without a status, a bound that is not a number in [0, 1], and a
    rule that can never match because an earlier rule with a lower or equal bound takes every
    score it would. Warning: scores below the lowest bound get no status.
    """
    if not rules:
        return [Issue("no stop-light rules: at least one is needed", field=_FIELD)]
    issues: list[Issue] = []
    valid: list[tuple[int, StopLight]] = []
    for number, rule in enumerate(rules, start=1):
        if not rule.status.strip():
            issues.append(Issue(f"rule {number} has no status name", field=_FIELD))
        if not (math.isfinite(rule.at_least) and 0.0 <= rule.at_least <= 1.0):
            issues.append(
                Issue(f"rule {number} ({rule}): the bound must be between 0 and 1", field=_FIELD)
            )
            continue
        # With "at least" rules only, an earlier rule shadows a later one exactly when its bound
        # is lower or equal: it already matches every score the later rule would.
        shadow = next(((n, r) for n, r in valid if r.at_least <= rule.at_least), None)
        if shadow is not None:
            issues.append(
                Issue(
                    f"rule {number} ({rule}) can never match: rule {shadow[0]} ({shadow[1]}) "
                    "comes first and matches every score it would",
                    field=_FIELD,
                    hint="order the rules from the highest bound to the lowest",
                )
            )
        valid.append((number, rule))
    if valid:
        lowest = min(r.at_least for _, r in valid)
        if lowest > 0.0:
            issues.append(
                Issue(
                    f"scores below {lowest:g} match no rule and get no status",
                    field=_FIELD,
                    level=Level.WARNING,
                    hint="end with a rule at 0 to give every score a status",
                )
            )
    return issues
