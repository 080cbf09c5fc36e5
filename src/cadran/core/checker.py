"""The scorecard checker: every problem of a scorecard at once, each with a way to fix it.

The seeds list the mistakes teams make with social-media KPIs: following vanity metrics, KPIs
without objectives, goals that are not SMART, measuring everything, not following progress over
time, confusing objectives with indicators, treating every platform alike (seed 000), judging
social media on audience instead of business results (seeds 000, 001, 003, 004), reviewing
KPIs rarely (seed 004). :func:`check` runs one small rule per mistake that the scorecard and
what is known of the workspace's data (:class:`WorkspaceFacts`) make checkable, and returns a
:class:`Finding` per problem, each with a concrete hint.

Rules run in the order of :data:`CODES`; a rule reports what concerns the whole scorecard
first, then follows the file (perspectives, objectives, indicators and links in their order).
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

import difflib
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.catalogue import Kpi
from cadran.core.issues import Level
from cadran.core.periods import Grain
from cadran.core.rollup import Rollup
from cadran.core.scorecard import Indicator, Objective, Perspective, Role, Scorecard
from cadran.core.scoring import Direction

__all__ = ["CODES", "LEVELS", "Finding", "WorkspaceFacts", "check"]

from cadran.core.check_context import (
    AWARENESS_KPIS,
    BUSINESS_CATEGORIES,
    CODES,
    ERROR,
    FILLER_WORDS,
    IMPORT_HINTS,
    LEVELS,
    METRIC_NOUNS,
    METRIC_TAILS,
    MIN_HISTORY,
    PERCENT_FROM,
    RULES,
    WARNING,
    CheckContext,
    Finding,
    WorkspaceFacts,
    ind_text,
    num_text,
    obj_text,
    or_list,
    reports,
)

# -- structure --------------------------------------------------------------------------------


@reports(("no-objectives", ERROR, "the scorecard has no objectives"))
def _no_objectives(c: CheckContext) -> Iterator[Finding]:
    if not c.card.objectives:
        yield c.on_card(
            "no-objectives",
            "the scorecard has no objectives: its KPIs would measure nothing in particular",
            "write the goals first, then bind KPIs to them as indicators (seed 000: KPIs must "
            "answer objectives), e.g. an objective 'Grow qualified leads from LinkedIn' in the "
            "stakeholders perspective measured by leads_generated",
        )


@reports(("unknown-kpi", ERROR, "an indicator binds a KPI that is not in the catalogue"))
def _unknown_kpi(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        if i.kpi not in c.kpis:
            close = difflib.get_close_matches(i.kpi, list(c.kpis), n=1, cutoff=0.6)
            guess = f"did you mean {close[0]!r}? " if close else ""
            yield c.on_indicator(
                o,
                i,
                "unknown-kpi",
                f"indicator {i.id!r} of {obj_text(o)} binds the unknown KPI {i.kpi!r}",
                f"{guess}`cadran kpi list` shows the KPIs {i.id!r} can bind",
            )


@reports(("unknown-driver", ERROR, "a driver link names no objective"))
def _unknown_driver(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        for d in o.drivers:
            if c.card.objective(d.objective) is None:
                close = difflib.get_close_matches(d.objective, [x.id for x in c.card.objectives])
                guess = f"did you mean {close[0]!r}? " if close else ""
                yield c.on_objective(
                    o,
                    "unknown-driver",
                    f"{obj_text(o)} is driven by {d.objective!r}, which is not an objective",
                    f"{guess}name an objective of this scorecard in the drivers of {o.id!r}",
                    line=d.line,
                )


@reports(("driver-cycle", ERROR, "objectives drive one another in a loop"))
def _driver_cycle(c: CheckContext) -> Iterator[Finding]:
    drives: dict[str, list[str]] = {o.id: [] for o in c.card.objectives}
    for o in c.card.objectives:
        for d in o.drivers:
            if d.objective in drives:
                drives[d.objective].append(o.id)

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(drives[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(drives[x])
        return seen

    reached = {oid: reach(oid) for oid in drives}
    done: set[str] = set()
    for o in c.card.objectives:
        if o.id in done or o.id not in reached[o.id]:
            continue
        loop = [p.id for p in c.card.objectives if p.id in reached[o.id] and o.id in reached[p.id]]
        done.update(loop)
        what = (
            f"{obj_text(o)} is its own driver"
            if loop == [o.id]
            else f"objectives {', '.join(loop)} drive one another in a loop"
        )
        yield c.on_objective(
            o,
            "driver-cycle",
            f"{what}: a cause cannot be its own effect",
            f"remove the link that points back in the drivers of {or_list(loop)}: arrows go from "
            "causes (learning and growth, internal processes) to effects (customer, "
            "stakeholders)",
        )


# -- the seeds' mistakes ----------------------------------------------------------------------


@reports(
    (
        "vanity-metric",
        WARNING,
        "a followed KPI tied to no objective, or vanity metrics as an objective's only results",
    )
)
def _vanity_metric(c: CheckContext) -> Iterator[Finding]:
    if c.facts is not None:
        bound = {i.kpi for _, i in c.card.indicators()}
        for kpi_id in sorted(c.facts.tracked - bound):
            yield c.on_card(
                "vanity-metric",
                f"{c.kpi_name(kpi_id)} is followed but tied to no objective: without an "
                "objective a KPI is a vanity metric (seed 000)",
                f"bind {kpi_id} as an indicator of the objective it serves, or stop following it",
                kpi=kpi_id,
            )
    outcomes = c.available("qualified_interactions", "leads_generated", "net_follower_growth")
    for o in c.card.objectives:
        results = o.by_role(Role.LAGGING)
        kpis = [c.kpis.get(i.kpi) for i in results]
        if not results or not all(k is not None and k.vanity for k in kpis):
            continue
        for i in results:
            others = [repr(x.id) for x in results if x is not i]
            alone = (
                f"it and {or_list(others, 'and')} are the only results"
                if others
                else "it is the only result"
            )
            yield c.on_indicator(
                o,
                i,
                "vanity-metric",
                f"{ind_text(i, c)} is a vanity metric, yet {alone} measured for {obj_text(o)}",
                f"measure what {o.id!r} is after with a lagging indicator such as {outcomes} "
                f"(seed 001: focus on qualified interactions), and make {i.id!r} a leading "
                "indicator (role: leading)",
            )


@reports(("objective-without-indicator", ERROR, "an objective with neither indicators nor drivers"))
def _objective_without_indicator(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        if not o.indicators and not o.drivers:
            yield c.on_objective(
                o,
                "objective-without-indicator",
                f"{obj_text(o)} has no indicator and no driver: nothing can tell whether it is met",
                f"bind to {o.id!r} a KPI that shows it is met, as a lagging indicator with a "
                "target and a deadline, or link the objectives that drive it",
            )


_GAP_HINTS = {
    "target": "a target (the value to reach)",
    "baseline": "a baseline (the value it starts from)",
    "deadline": "a deadline (the date the target is due)",
}


@reports(("not-smart", WARNING, "an indicator without target, baseline or deadline"))
def _not_smart(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        gaps = i.smart_gaps
        if i.scoring.direction is Direction.RANGE:
            # A value to keep in range is due all the time, from no particular start value.
            gaps = tuple(g for g in gaps if g == "target")
        if gaps:
            yield c.on_indicator(
                o,
                i,
                "not-smart",
                f"{ind_text(i, c)} of {obj_text(o)} has no {or_list(gaps)}: "
                "the goal is not SMART (seed 004)",
                f"give {i.id!r} {or_list([_GAP_HINTS[g] for g in gaps])}",
            )


@reports(("deadline-before-start", ERROR, "an indicator due before it starts"))
def _deadline_before_start(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        if i.start is not None and i.deadline is not None and i.deadline < i.start:
            yield c.on_indicator(
                o,
                i,
                "deadline-before-start",
                f"{ind_text(i, c)} of {obj_text(o)} is due on {i.deadline}, "
                f"before it starts on {i.start}",
                f"swap or correct the start and deadline of {i.id!r}",
            )


@reports(("too-many-indicators", WARNING, "more indicators than the scorecard's limits"))
def _too_many_indicators(c: CheckContext) -> Iterator[Finding]:
    limits = c.card.limits
    total = sum(len(o.indicators) for o in c.card.objectives)
    if total > limits.indicators_total:
        yield c.on_card(
            "too-many-indicators",
            f"the scorecard has {total} indicators, more than {limits.indicators_total}: "
            "measuring everything drowns what matters (seed 000)",
            f"keep the {limits.indicators_total} indicators that best show whether the "
            "objectives are met and drop the others",
        )
    for o in c.card.objectives:
        if len(o.indicators) > limits.indicators_per_objective:
            yield c.on_objective(
                o,
                "too-many-indicators",
                f"{obj_text(o)} has {len(o.indicators)} indicators, more than "
                f"{limits.indicators_per_objective} (seed 000: do not measure everything)",
                f"keep the {limits.indicators_per_objective} indicators that best show "
                f"whether {o.id!r} is met, and drop the others or split {o.id!r} if it holds "
                "several goals",
            )


@reports(("no-business-result", WARNING, "no conversion or financial indicator anywhere"))
def _no_business_result(c: CheckContext) -> Iterator[Finding]:
    categories = {kpi.category for _, _, kpi in c.bound()}
    if not categories or categories & BUSINESS_CATEGORIES:
        return
    top = c.card.perspectives[0].name.en if c.card.perspectives else "stakeholders"
    examples = c.available(
        "qualified_interactions", "leads_generated", "revenue_generated", "roi_percent"
    )
    yield c.on_card(
        "no-business-result",
        "no indicator measures a business result: the scorecard has no conversion or "
        "financial KPI, only audience and activity (seeds 000 and 004 judge social media on "
        "business results)",
        f"add a lagging indicator such as {examples} to an objective of the {top} "
        "perspective (seed 001: 'Achieve valuable business results')",
    )


def _normal(text: str) -> str:
    """Lower case, no accents, punctuation or parenthesised qualifier, rough singular."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\([^)]*\)", " ", text)
    words = re.sub(r"[^a-z0-9#%]+", " ", text).split()
    while words and words[0] in FILLER_WORDS:
        words = words[1:]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for x, ca in enumerate(a, 1):
        prev, row[0] = row[0], x
        for y, cb in enumerate(b, 1):
            prev, row[y] = row[y], min(row[y] + 1, row[y - 1] + 1, prev + (ca != cb))
    return row[-1]


def _alike(name: str, metric: str) -> bool:
    # Short names must match exactly ("sales" is not "saves"); longer ones may differ by a typo.
    if name == metric:
        return True
    allowed = 0 if len(metric) <= 6 else 1 if len(metric) <= 12 else 2
    return abs(len(name) - len(metric)) <= allowed and _edits(name, metric) <= allowed


def _metric_names(kpis: Mapping[str, Kpi]) -> list[tuple[str, str | None]]:
    """Normalised metric names, each with its KPI id (None for a bare metric noun)."""
    out: list[tuple[str, str | None]] = [(_normal(n), None) for n in METRIC_NOUNS]
    for kpi in kpis.values():
        for text in (kpi.name.en, kpi.name.fr, kpi.id.replace("_", " ")):
            n = _normal(text)
            out.append((n, kpi.id))
            words = n.split()
            if len(words) > 1 and words[-1] in METRIC_TAILS:
                out.append((" ".join(words[:-1]), kpi.id))
    return [(n, k) for n, k in out if n]


@reports(("goal-named-like-metric", WARNING, "an objective named like a metric"))
def _goal_named_like_metric(c: CheckContext) -> Iterator[Finding]:
    metrics = _metric_names(c.kpis)
    for o in c.card.objectives:
        names = {_normal(o.name.en), _normal(o.name.fr)} - {""}
        match = next(((n, k) for n, k in metrics if any(_alike(x, n) for x in names)), None)
        if match is None:
            continue
        kpi_id = match[1]
        metric = c.kpi_name(kpi_id) if kpi_id else f"'{match[0]}'"
        bind = (
            f"and bind {kpi_id} to it as an indicator"
            if kpi_id
            else "and bind the metric to it as an indicator"
        )
        yield c.on_objective(
            o,
            "goal-named-like-metric",
            f"{obj_text(o)} is named like the metric {metric}: an objective is the result you "
            "want, an indicator measures it (seed 000: do not confuse the two)",
            f"rename {o.id!r} after the outcome you want, e.g. 'Grow qualified leads from "
            f"LinkedIn', {bind}",
        )


@reports(("no-history", WARNING, "an indicator's KPI has fewer than 2 past periods of data"))
def _no_history(c: CheckContext) -> Iterator[Finding]:
    if c.facts is None:
        return
    for o, i, _ in c.bound():
        past = c.facts.history.get(i.kpi, 0)
        # A KPI that cannot be computed has no history either: not-computable says it.
        if i.kpi in c.facts.computable and past < MIN_HISTORY:
            had = "no past period" if past == 0 else f"only {past} past period"
            yield c.on_indicator(
                o,
                i,
                "no-history",
                f"{ind_text(i, c)} of {obj_text(o)} has {had} with a value: there is nothing to "
                "compare it with (seed 000: follow progress over time)",
                f"import earlier exports of the data behind {i.kpi} (at least {MIN_HISTORY} "
                f"past {i.interval.value}s) so {i.id!r} gets trends and progress; until then "
                "set its baseline from your own records",
            )


@reports(("not-computable", ERROR, "an indicator's KPI lacks data in the workspace"))
def _not_computable(c: CheckContext) -> Iterator[Finding]:
    if c.facts is None:
        return
    for o, i, kpi in c.bound():
        if i.kpi not in c.facts.computable:
            what = IMPORT_HINTS.get(kpi.category, "import the data its formula reads")
            yield c.on_indicator(
                o,
                i,
                "not-computable",
                f"{ind_text(i, c)} of {obj_text(o)} cannot be computed: "
                "the workspace lacks the data "
                "it is made from",
                f"for {i.id!r}, {what} (`cadran kpi show {i.kpi}` shows what it reads)",
            )


@reports(("platform-matters", WARNING, "a lead or awareness indicator adds up several platforms"))
def _platform_matters(c: CheckContext) -> Iterator[Finding]:
    if c.facts is None or len(c.facts.platforms) < 2:
        return
    present = sorted(c.facts.platforms)
    # The top perspective holds the business results themselves (revenue, conversions from all
    # of social media): a total there is the point. The platform matters for the objectives
    # below it, where a platform is chosen to serve a goal.
    top = c.card.perspectives[0].id if c.card.perspectives else None
    for o, i, kpi in c.bound():
        if i.scope.platforms or o.perspective == top:
            continue
        if kpi.category == "conversions_finance":
            goal, best = "leads and sales", [p for p in ("linkedin",) if p in present]
            why = "LinkedIn is better at generating leads than Facebook (seed 000)"
        elif kpi.id in AWARENESS_KPIS and _awareness_goal(c, o):
            goal, best = "awareness", [p for p in ("facebook", "instagram") if p in present]
            why = "Facebook is ideal for brand awareness but not for sales (seed 000)"
        else:
            continue
        scope = ", ".join(best or present[:1])
        yield c.on_indicator(
            o,
            i,
            "platform-matters",
            f"{ind_text(i, c)} of {obj_text(o)} adds up {', '.join(present)} together, though "
            f"platforms are not equal for {goal}: {why}",
            f"scope {i.id!r} to the platform that serves {o.id!r}, e.g. `platforms: [{scope}]`, "
            "with one indicator per platform if several matter",
        )


def _awareness_goal(c: CheckContext, o: Objective) -> bool:
    """An objective measured only by awareness KPIs is an awareness goal, where the platform
    matters; awareness metrics beside others (seed 001's "engaging content") are not one."""
    lagging = [i for i in o.indicators if i.role is Role.LAGGING and i.kpi in c.kpis]
    return bool(lagging) and all(i.kpi in AWARENESS_KPIS for i in lagging)


@reports(
    ("leading-only", WARNING, "an objective measured by leading indicators and drivers only"),
    ("lagging-only", WARNING, "an objective measured by lagging indicators only"),
)
def _one_role(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        roles = {i.role for i in o.indicators} | ({Role.LEADING} if o.drivers else set())
        if roles == {Role.LEADING}:
            some = "leading indicators and drivers" if o.drivers else "leading indicators"
            yield c.on_objective(
                o,
                "leading-only",
                f"{obj_text(o)} has only {some}: nothing measures whether it is met",
                f"add to {o.id!r} a lagging indicator that measures the result itself (seed "
                "001 gives every objective lagging metrics), and keep the others as its drivers",
            )
        elif roles == {Role.LAGGING}:
            yield c.on_objective(
                o,
                "lagging-only",
                f"{obj_text(o)} has only lagging indicators: they tell too late whether it is on "
                "course",
                f"add to {o.id!r} a leading indicator of an activity that drives the result "
                f"(e.g. {c.available('posts_per_period', 'response_time')}), or link the "
                "objective that drives it",
            )


# -- weights ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Weight:
    name: str
    weight: float


def _siblings(c: CheckContext) -> Iterator[tuple[Perspective | Objective | None, list[_Weight]]]:
    """Each group of weights that roll up together, with its parent (None for the card)."""
    yield None, [_Weight(p.id, p.weight) for p in c.card.perspectives]
    for p in c.card.perspectives:
        yield p, [_Weight(o.id, o.weight) for o in c.card.in_perspective(p.id)]
    for o in c.card.objectives:
        kids = o.indicators if c.card.include_leading else o.by_role(Role.LAGGING)
        drivers = o.drivers if c.card.include_leading else ()
        yield (
            o,
            [_Weight(i.id, i.weight) for i in kids]
            + [_Weight(d.objective, d.weight) for d in drivers],
        )


@reports(("non-positive-weight", ERROR, "a weight below 0 or not a number (0 is a warning)"))
def _non_positive_weight(c: CheckContext) -> Iterator[Finding]:
    def judge(weight: float, what: str, owner: str) -> tuple[str, str, Level] | None:
        if math.isfinite(weight) and weight > 0:
            return None
        if weight == 0:
            return (
                f"{what} has weight 0: it counts for nothing in {owner}'s score",
                f"give {what} a positive weight, or remove it if it is not meant to count",
                WARNING,
            )
        return (
            f"{what} has weight {num_text(weight)}: a weight must be a positive number",
            f"give {what} a positive weight (weights are shares of {owner}'s score)",
            ERROR,
        )

    for p in c.card.perspectives:
        if (j := judge(p.weight, f"perspective {p.id!r}", "the scorecard")) is not None:
            yield c.on_perspective(p, "non-positive-weight", *j)
    for o in c.card.objectives:
        j = judge(o.weight, f"objective {o.id!r}", f"perspective {o.perspective!r}")
        if j is not None:
            yield c.on_objective(o, "non-positive-weight", *j)
        for i in o.indicators:
            if (j := judge(i.weight, f"indicator {i.id!r}", f"objective {o.id!r}")) is not None:
                yield c.on_indicator(o, i, "non-positive-weight", *j)
        for d in o.drivers:
            what = f"the driver link from {d.objective!r}"
            if (j := judge(d.weight, what, f"objective {o.id!r}")) is not None:
                yield c.on_objective(o, "non-positive-weight", *j, line=d.line)


def _locate(
    c: CheckContext, parent: Perspective | Objective | None, code: str, message: str, hint: str
) -> Finding:
    if parent is None:
        return c.on_card(code, message, hint)
    if isinstance(parent, Perspective):
        return c.on_perspective(parent, code, message, hint)
    return c.on_objective(parent, code, message, hint)


def _group_name(parent: Perspective | Objective | None) -> str:
    if parent is None:
        return "the perspectives"
    if isinstance(parent, Perspective):
        return f"the objectives of perspective {parent.id!r}"
    return f"the indicators and drivers of objective {parent.id!r}"


def _counted(group: list[_Weight]) -> list[_Weight] | None:
    """The weights that count (weight 0 leaves a child out); None if any is invalid."""
    if any(not math.isfinite(w.weight) or w.weight < 0 for w in group):
        return None  # non-positive-weight reports it
    return [w for w in group if w.weight > 0]


def _unequal(group: list[_Weight]) -> bool:
    return len({w.weight for w in group}) > 1


@reports(("weights-total", WARNING, "percentages that do not add up to 100, or fractions to 1"))
def _weights_total(c: CheckContext) -> Iterator[Finding]:
    if c.card.rollup is not Rollup.WEIGHTED_AVERAGE:
        return
    for parent, group in _siblings(c):
        counted = _counted(group)
        if not counted or len(counted) < 2:
            continue
        total = math.fsum(w.weight for w in counted)
        top = max(w.weight for w in counted)
        if top > PERCENT_FROM:
            expected, unit = 100.0, "percentages"
        elif top < 1:
            expected, unit = 1.0, "fractions"
        else:
            continue  # relative weights (2 to 1): their total does not matter
        if math.isclose(total, expected, rel_tol=1e-9):
            continue
        shares = ", ".join(f"{w.name} {num_text(w.weight / total * expected)}" for w in counted)
        yield _locate(
            c,
            parent,
            "weights-total",
            f"the weights of {_group_name(parent)} add up to {num_text(total)}, not "
            f"{num_text(expected)}: each counts for its share of {num_text(total)}",
            f"weights count as shares of their total: to read as they count, write those of "
            f"{_group_name(parent)} as {unit} that add up to {num_text(expected)}, here {shares}",
        )


@reports(("weights-ignored", WARNING, "unequal weights under a roll-up that ignores them"))
def _weights_ignored(c: CheckContext) -> Iterator[Finding]:
    if c.card.rollup is Rollup.WEIGHTED_AVERAGE:
        return
    for parent, group in _siblings(c):
        counted = _counted(group)
        if counted and _unequal(counted):
            yield _locate(
                c,
                parent,
                "weights-ignored",
                f"{_group_name(parent)} have different weights, but the scorecard rolls up "
                f"by {c.card.rollup.value}, which ignores them",
                f"set the scorecard's rollup to {Rollup.WEIGHTED_AVERAGE.value} for the "
                f"weights of {_group_name(parent)} to count, or remove them",
            )


# -- more mistakes ----------------------------------------------------------------------------


@reports(
    ("duplicate-indicator", WARNING, "one objective binds the same KPI twice on the same data")
)
def _duplicate_indicator(c: CheckContext) -> Iterator[Finding]:
    for o in c.card.objectives:
        seen: dict[tuple[str, frozenset[str], frozenset[str]], Indicator] = {}
        for i in o.indicators:
            key = (i.kpi, frozenset(i.scope.platforms), frozenset(i.scope.campaigns))
            first = seen.setdefault(key, i)
            if first is not i:
                yield c.on_indicator(
                    o,
                    i,
                    "duplicate-indicator",
                    f"{ind_text(i, c)} of {obj_text(o)} measures the same KPI on the same data as "
                    f"{first.id!r}: it counts twice",
                    f"remove {i.id!r} or {first.id!r}, or scope them to different platforms "
                    "or campaigns",
                )


@reports(("driver-points-down", WARNING, "a driver link pointing down the strategy map"))
def _driver_points_down(c: CheckContext) -> Iterator[Finding]:
    rank = {p.id: n for n, p in enumerate(c.card.perspectives)}
    for o in c.card.objectives:
        for d in o.drivers:
            src = c.card.objective(d.objective)
            if src is None or src.perspective not in rank or o.perspective not in rank:
                continue
            if rank[src.perspective] < rank[o.perspective]:
                yield c.on_objective(
                    o,
                    "driver-points-down",
                    f"{obj_text(src)} of perspective {src.perspective!r} drives "
                    f"{obj_text(o)}, which "
                    f"sits lower on the map (perspective {o.perspective!r})",
                    "causes sit below their effects (learning and growth, then internal "
                    "processes, customer, stakeholders): most likely "
                    f"{o.id!r} drives {src.id!r}, so move the link to the drivers of {src.id!r}",
                    line=d.line,
                )


@reports(("direction-mismatch", WARNING, "an indicator's direction or target contradicts its KPI"))
def _direction_mismatch(c: CheckContext) -> Iterator[Finding]:
    for o, i, kpi in c.bound():
        s, wrong = i.scoring, []
        if kpi.direction is KpiDirection.HIGHER and s.direction is Direction.MINIMIZE:
            wrong.append(f"it is minimised though {kpi.id} is better higher")
        if kpi.direction is KpiDirection.LOWER and s.direction is Direction.MAXIMIZE:
            wrong.append(f"it is maximised though {kpi.id} is better lower")
        if s.target is not None and s.baseline is not None:
            if s.direction is Direction.MAXIMIZE and s.target < s.baseline:
                wrong.append("its target is below its baseline though it is maximised")
            if s.direction is Direction.MINIMIZE and s.target > s.baseline:
                wrong.append("its target is above its baseline though it is minimised")
        if wrong:
            yield c.on_indicator(
                o,
                i,
                "direction-mismatch",
                f"{ind_text(i, c)} of {obj_text(o)}: {'; '.join(wrong)}",
                f"make the direction, baseline and target of {i.id!r} agree with "
                f"{kpi.id} ({kpi.direction.value.replace('_', ' ')})",
            )


@reports(("rare-review", WARNING, "an indicator updated once a year"))
def _rare_review(c: CheckContext) -> Iterator[Finding]:
    for o, i in c.card.indicators():
        if i.interval is Grain.YEAR:
            yield c.on_indicator(
                o,
                i,
                "rare-review",
                f"{ind_text(i, c)} of {obj_text(o)} is updated once a year: "
                "too rarely to adjust the "
                "strategy in time (seed 004: weekly, monthly or quarterly)",
                f"update {i.id!r} every month or quarter",
            )


def check(
    card: Scorecard, kpis: Mapping[str, Kpi], facts: WorkspaceFacts | None = None
) -> list[Finding]:
    """Every problem of ``card``, by rule (in the order of :data:`CODES`) then by position.

    ``kpis`` are the catalogue's KPIs (with the workspace's own); ``facts`` what is known of
    the workspace's data, without which the rules that need data do not run.
    """
    run = CheckContext(card, kpis, facts)
    return [finding for rule in RULES for finding in rule(run)]
