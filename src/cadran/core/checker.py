"""The scorecard checker: every problem of a scorecard at once, each with a way to fix it.

The seeds list the mistakes teams make with social-media KPIs: following vanity metrics, KPIs
without objectives, goals that are not SMART, measuring everything, not following progress over
time, confusing objectives with indicators, treating every platform alike (seed 000), judging
social media on audience instead of business results (seeds 000, 001, 003, 004), reviewing
KPIs rarely (seed 004). :func:`check` runs one small rule per mistake that the scorecard and
what is known of the workspace's data (:class:`WorkspaceFacts`) make checkable, and returns a
:class:`Finding` per problem, each with a concrete hint.

The rules live in :mod:`cadran.core.rules`, one module per family (structure, the seeds'
mistakes, weights, coherence). Rules run in the order of :data:`CODES`; a rule reports what
concerns the whole scorecard first, then follows the file (perspectives, objectives,
indicators and links in their order).
Rules that need the workspace's data (no-history, not-computable, platform-matters and the
tracked half of vanity-metric) only run when ``facts`` is given. Rules skip indicators whose
KPI is not in ``kpis``: unknown-kpi reports those once.

Weights (rules non-positive-weight, weights-total, weights-ignored) are judged per group of
siblings that roll up together: the perspectives; the objectives of one perspective; the
indicators and driver links of one objective (only its lagging indicators when the scorecard
leaves leading ones out of roll-ups). A weight of 0 leaves a child out of its group. Roll-ups
renormalise weights, so relative weights (2 for the KPI that matters most, 1 for the others,
as the built-in strategy map does) are fine whatever their total, and so are equal ones. The
mistake is a split that reads otherwise than it counts: weights written as percentages (one of
them above 10) that do not add up to 100, or as fractions (all below 1) that do not add up to
1, for instance 60 and 30 (each counts for its share of 90: 66.67 % and 33.33 %) or 50 and 50
beside a driver left at the default 1. BSC Designer's "weights on a level should sum to 10" is
a convention of its editor, not a rule of the roll-up, so it is not enforced.
"""

from __future__ import annotations

from collections.abc import Mapping

from cadran.core.catalogue import Kpi
from cadran.core.check_context import CheckContext, Finding, WorkspaceFacts
from cadran.core.issues import Level
from cadran.core.rules import coherence, mistakes, structure, weights
from cadran.core.scorecard import Scorecard

__all__ = ["CODES", "LEVELS", "Finding", "WorkspaceFacts", "check"]

# The families in the order they report; each family's rules in the order they are defined.
_FAMILIES = (structure.RULES, mistakes.RULES, weights.RULES, coherence.RULES)
RULES = tuple(rule for family in _FAMILIES for rule in family.rules)
CODES: Mapping[str, str] = {
    code: summary for family in _FAMILIES for code, (_, summary) in family.codes.items()
}
"""Every finding code, in report order, with a one-line summary of what it flags."""
LEVELS: Mapping[str, Level] = {
    code: level for family in _FAMILIES for code, (level, _) in family.codes.items()
}
"""The level of each code's findings (non-positive-weight is a warning for a weight of 0)."""


def check(
    card: Scorecard, kpis: Mapping[str, Kpi], facts: WorkspaceFacts | None = None
) -> list[Finding]:
    """Every problem of ``card``, by rule (in the order of :data:`CODES`) then by position.

    ``kpis`` are the catalogue's KPIs (with the workspace's own); ``facts`` what is known of
    the workspace's data, without which the rules that need data do not run.
    """
    run = CheckContext(card, kpis, facts, LEVELS)
    return [finding for rule in RULES for finding in rule(run)]
