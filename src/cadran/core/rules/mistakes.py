"""Rules for the seeds' mistakes to avoid: vanity metrics, goals that are not SMART, measuring
everything, no history, KPIs that cannot be computed, every platform alike, confused roles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from cadran.core.catalogue import Kpi
from cadran.core.check_context import (
    AWARENESS_KPIS,
    BUSINESS_CATEGORIES,
    ERROR,
    FILLER_WORDS,
    IMPORT_HINTS,
    METRIC_NOUNS,
    METRIC_TAILS,
    MIN_HISTORY,
    WARNING,
    CheckContext,
    Finding,
    RuleSet,
    ind_text,
    obj_text,
    or_list,
)
from cadran.core.scorecard import Objective, Role
from cadran.core.scoring import Direction

RULES = RuleSet()


@RULES.reports(
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


@RULES.reports(
    ("objective-without-indicator", ERROR, "an objective with neither indicators nor drivers")
)
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


@RULES.reports(("not-smart", WARNING, "an indicator without target, baseline or deadline"))
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


@RULES.reports(("deadline-before-start", ERROR, "an indicator due before it starts"))
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


@RULES.reports(("too-many-indicators", WARNING, "more indicators than the scorecard's limits"))
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


@RULES.reports(("no-business-result", WARNING, "no conversion or financial indicator anywhere"))
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


@RULES.reports(("goal-named-like-metric", WARNING, "an objective named like a metric"))
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


@RULES.reports(("no-history", WARNING, "an indicator's KPI has fewer than 2 past periods of data"))
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


@RULES.reports(("not-computable", ERROR, "an indicator's KPI lacks data in the workspace"))
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


@RULES.reports(
    ("platform-matters", WARNING, "a lead or awareness indicator adds up several platforms")
)
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


@RULES.reports(
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
