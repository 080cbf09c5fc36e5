"""The scorecard checker against the real KPI catalogue.

A good scorecard (seed 001's strategy map, with SMART indicators) gets no findings; a bad one
with one planted instance of each mistake gets exactly one finding per mistake; then each rule
on its own, by planting its mistake in the good scorecard.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

import pytest

from cadran.core.catalogue import Direction as KpiDirection
from cadran.core.catalogue import Kpi
from cadran.core.checker import CODES, LEVELS, Finding, WorkspaceFacts, check
from cadran.core.issues import Level
from cadran.core.periods import Grain
from cadran.core.rollup import Rollup
from cadran.core.scorecard import (
    DEFAULT_PERSPECTIVES,
    Indicator,
    Limits,
    Link,
    Objective,
    Perspective,
    Role,
    Scope,
    Scorecard,
)
from cadran.core.scoring import Direction, Scoring
from cadran.core.spec import Bilingual
from cadran.services.definitions import load_catalogue

START, DUE = date(2026, 1, 1), date(2026, 12, 31)
LEADING = Role.LEADING


@cache
def kpis() -> Mapping[str, Kpi]:
    catalogue, issues = load_catalogue()
    assert not issues.errors
    return catalogue.kpis


def smart(kpi_id: str) -> Scoring:
    """A SMART scoring that agrees with the KPI's direction."""
    direction = kpis()[kpi_id].direction
    if direction is KpiDirection.LOWER:
        return Scoring(baseline=20, target=10, direction=Direction.MINIMIZE)
    if direction is KpiDirection.RANGE:
        return Scoring(low=3, high=5, direction=Direction.RANGE)
    return Scoring(baseline=10, target=20)


def ind(
    id: str,
    kpi: str,
    role: Role = Role.LAGGING,
    *,
    platforms: Iterable[str] = (),
    **changes: Any,
) -> Indicator:
    fields: dict[str, Any] = {"scoring": smart(kpi), "start": START, "deadline": DUE}
    fields.update(changes)
    return Indicator(id, kpi, scope=Scope(platforms=tuple(platforms)), role=role, **fields)


def obj(
    id: str,
    name: str,
    perspective: str,
    *indicators: Indicator,
    drivers: Iterable[str | Link] = (),
    fr: str | None = None,
    **changes: Any,
) -> Objective:
    links = tuple(d if isinstance(d, Link) else Link(d) for d in drivers)
    return Objective(
        id,
        Bilingual(name, fr or name),
        perspective,
        indicators=indicators,
        drivers=links,
        **changes,
    )


PERSPECTIVES = tuple(Perspective(pid, name) for pid, name in DEFAULT_PERSPECTIVES)
NAME = Bilingual("Social media", "Réseaux sociaux")

# Seed 001's strategy map, measured properly.
GOOD = Scorecard(
    NAME,
    PERSPECTIVES,
    (
        obj(
            "results",
            "Achieve valuable business results",
            "stakeholders",
            ind("leads", "leads_generated", platforms=["linkedin"]),
            ind("qualified", "qualified_interactions", platforms=["linkedin"]),
            drivers=["engaging", "interaction"],
            fr="Réaliser de précieux résultats commerciaux",
        ),
        obj(
            "interaction",
            "Personal interaction with the brand",
            "customer",
            ind("public_comments", "public_comments"),
            ind("mentions", "brand_mentions"),
            drivers=["communicate"],
            fr="Interaction personnelle avec la marque",
        ),
        obj(
            "engaging",
            "Engaging content",
            "customer",
            ind("visits", "profile_visits"),
            ind("impressions", "impressions", platforms=["facebook"]),
            ind("shares", "avg_shares_per_post", LEADING),
            drivers=["publish"],
            fr="Contenu engageant",
        ),
        obj(
            "communicate",
            "Communicate with social media users",
            "internal",
            ind("response", "response_time"),
            ind("resolution", "complaint_resolution_rate"),
            drivers=["train"],
            fr="Communiquer avec les utilisateurs des réseaux sociaux",
        ),
        obj(
            "publish",
            "Publish engaging content",
            "internal",
            ind("cadence", "posts_per_period", deadline=None),
            ind("quality", "content_quality_index", LEADING),
            drivers=["tactics"],
            fr="Publier du contenu engageant",
        ),
        obj(
            "train",
            "Train the team to interact on social media",
            "learning",
            ind("unanswered", "unanswered_questions"),
            ind("median_response", "response_time_median", LEADING),
            fr="Former l'équipe à interagir sur les réseaux sociaux",
        ),
        obj(
            "tactics",
            "Learn the social media tactics that work best for us",
            "learning",
            ind("er", "engagement_rate"),
            ind("adoption", "ai_recommendation_adoption_rate", LEADING),
            fr="Apprendre les tactiques de réseaux sociaux qui fonctionnent pour nous",
        ),
    ),
    file="scorecard.yaml",
)


def facts_for(
    card: Scorecard,
    *,
    missing: Iterable[str] = (),
    history: Mapping[str, int] | None = None,
    platforms: Iterable[str] = ("facebook", "instagram", "linkedin"),
    tracked: Iterable[str] = (),
) -> WorkspaceFacts:
    """Facts where every KPI of ``card`` but ``missing`` is computable with 12 past periods."""
    bound = {i.kpi for _, i in card.indicators()}
    past = dict.fromkeys(bound, 12)
    past.update(history or {})
    return WorkspaceFacts(
        computable=frozenset(bound - set(missing)),
        history=past,
        platforms=frozenset(platforms),
        tracked=frozenset(tracked),
    )


GOOD_FACTS = facts_for(GOOD, tracked=["leads_generated", "impressions"])


def where(findings: Iterable[Finding]) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.objective, f.indicator) for f in findings]


# Facts where everything ``card`` binds is computable with history (see facts_for).
AUTO: Any = object()


def found(
    card: Scorecard, facts: WorkspaceFacts | None = AUTO
) -> list[tuple[str, str | None, str | None]]:
    return where(check(card, kpis(), facts_for(card) if facts is AUTO else facts))


def replace_objective(card: Scorecard, objective_id: str, **changes: Any) -> Scorecard:
    objectives = tuple(
        dataclasses.replace(o, **changes) if o.id == objective_id else o for o in card.objectives
    )
    return dataclasses.replace(card, objectives=objectives)


def replace_indicator(
    card: Scorecard, objective_id: str, indicator_id: str, **changes: Any
) -> Scorecard:
    o = card.objective(objective_id)
    assert o is not None
    indicators = tuple(
        dataclasses.replace(i, **changes) if i.id == indicator_id else i for i in o.indicators
    )
    return replace_objective(card, objective_id, indicators=indicators)


def add_objectives(card: Scorecard, *objectives: Objective) -> Scorecard:
    return dataclasses.replace(card, objectives=(*card.objectives, *objectives))


def only(card: Scorecard, code: str, facts: WorkspaceFacts | None = AUTO) -> Finding:
    """The single finding of ``card``, which must have ``code``."""
    findings = check(card, kpis(), facts_for(card) if facts is AUTO else facts)
    assert [f.code for f in findings] == [code], where(findings)
    return findings[0]


# -- the whole picture ------------------------------------------------------------------------


def test_the_good_scorecard_has_no_findings() -> None:
    assert check(GOOD, kpis(), GOOD_FACTS) == []
    assert check(GOOD, kpis()) == []


BAD = Scorecard(
    NAME,
    tuple(
        Perspective(pid, name, weight=w, line=n)
        for n, ((pid, name), w) in enumerate(
            zip(DEFAULT_PERSPECTIVES, (40, 30, 20, 5), strict=True), 2
        )
    ),
    (
        obj(
            "followers",
            "Followers",
            "stakeholders",
            ind("fans", "followers", platforms=["facebook"], line=11),
            ind("fan_growth", "followers_gained", LEADING, platforms=["facebook"], line=12),
            fr="Abonnés",
            line=10,
        ),
        obj(
            "engage",
            "Spark conversations",
            "customer",
            ind("er", "engagement_rate", scoring=Scoring(), start=None, deadline=None, line=21),
            ind("er2", "engagement_rate", line=22),
            ind("imp", "impressions", LEADING, line=23),
            ind("likes", "likes", LEADING, interval=Grain.YEAR, line=24),
            ind("shares", "shares", LEADING, weight=0.0, line=25),
            ind("comments", "comments", LEADING, line=26),
            line=20,
        ),
        obj(
            "awareness",
            "Be known on Instagram",
            "customer",
            drivers=[Link("followers", line=41)],
            line=40,
        ),
        obj(
            "seen",
            "Be seen by more people",
            "customer",
            ind("reach_all", "reach", line=31),
            ind("visits", "profile_visits", LEADING, line=32),
            line=30,
        ),
        obj(
            "publish",
            "Publish regularly",
            "internal",
            ind("resp", "response_time", scoring=Scoring(baseline=5, target=2), weight=60, line=51),
            ind(
                "quality",
                "content_quality_index",
                start=date(2026, 6, 1),
                deadline=date(2026, 1, 1),
                weight=30,
                line=52,
            ),
            line=50,
        ),
        obj("ghost", "Understand our audience", "learning", line=60),
    ),
    file="bad.yaml",
)
BAD_FACTS = facts_for(
    BAD,
    missing=["comments"],
    history={"likes": 1},
    platforms=["facebook", "instagram"],
    tracked=["video_views", "followers"],
)
BAD_FINDINGS = [
    ("vanity-metric", None, None),  # video_views is followed, bound nowhere
    ("vanity-metric", "followers", "fans"),  # followers is its only result
    ("vanity-metric", "seen", "reach_all"),  # reach too
    ("objective-without-indicator", "ghost", None),
    ("not-smart", "engage", "er"),
    ("deadline-before-start", "publish", "quality"),
    ("too-many-indicators", "engage", None),  # 6 > 5
    ("no-business-result", None, None),
    ("goal-named-like-metric", "followers", None),
    ("no-history", "engage", "likes"),
    ("not-computable", "engage", "comments"),
    ("platform-matters", "seen", "reach_all"),  # an awareness goal on every platform
    ("leading-only", "awareness", None),  # a driver and nothing else
    ("lagging-only", "publish", None),
    ("non-positive-weight", "engage", "shares"),
    ("weights-total", None, None),  # perspectives: 40 + 30 + 20 + 5
    ("weights-total", "publish", None),  # 60 + 30
    ("duplicate-indicator", "engage", "er2"),
    ("driver-points-down", "awareness", None),  # from stakeholders down to customer
    ("direction-mismatch", "publish", "resp"),
    ("rare-review", "engage", "likes"),
]


def test_the_bad_scorecard_gets_every_planted_mistake_and_nothing_else() -> None:
    assert found(BAD, BAD_FACTS) == BAD_FINDINGS


def test_findings_carry_level_location_and_kpi() -> None:
    findings = {(f.code, f.objective, f.indicator): f for f in check(BAD, kpis(), BAD_FACTS)}
    tracked = findings["vanity-metric", None, None]
    assert (tracked.kpi, tracked.line, tracked.file) == ("video_views", 0, "bad.yaml")
    computable = findings["not-computable", "engage", "comments"]
    assert computable.level is Level.ERROR
    assert (computable.line, computable.perspective, computable.kpi) == (26, "customer", "comments")
    assert findings["no-history", "engage", "likes"].level is Level.WARNING
    assert findings["driver-points-down", "awareness", None].line == 41  # the link's line
    assert findings["goal-named-like-metric", "followers", None].line == 10


def test_findings_follow_the_rules_then_the_file() -> None:
    findings = check(BAD, kpis(), BAD_FACTS)
    order = list(CODES)
    ranks = [order.index(f.code) for f in findings]
    assert ranks == sorted(ranks)
    for code in CODES:
        lines = [f.line for f in findings if f.code == code]
        assert lines == sorted(lines), code


def test_every_code_has_a_summary_and_a_level() -> None:
    assert list(CODES) == list(LEVELS)
    assert all(CODES.values())
    for f in check(BAD, kpis(), BAD_FACTS):
        zero = f.code == "non-positive-weight"  # a weight of 0 is only a warning
        assert f.level is (Level.WARNING if zero else LEVELS[f.code]), f


def test_messages_and_hints_name_what_they_are_about() -> None:
    for f in check(BAD, kpis(), BAD_FACTS):
        subject = f.indicator or f.objective or f.perspective or f.kpi
        assert f.message and f.hint, f
        if subject is not None:
            assert subject in f.message, f
            assert subject in f.hint, f


def test_rules_that_need_data_do_not_run_without_facts() -> None:
    data_rules = {"no-history", "not-computable", "platform-matters"}
    tracked = ("vanity-metric", None, None)
    expected = [x for x in BAD_FINDINGS if x[0] not in data_rules and x != tracked]
    assert found(BAD, None) == expected


def test_a_finding_reads_as_an_issue() -> None:
    f = next(f for f in check(BAD, kpis(), BAD_FACTS) if f.code == "rare-review")
    text = str(f.to_issue())
    assert text.startswith("bad.yaml line 24: indicator 'likes' ('Likes' (likes))")
    assert text.endswith("; update 'likes' every month or quarter")


# -- structure --------------------------------------------------------------------------------


def test_a_scorecard_without_objectives() -> None:
    f = only(dataclasses.replace(GOOD, objectives=()), "no-objectives", None)
    assert f.level is Level.ERROR


def test_an_unknown_kpi_is_reported_once_with_a_suggestion() -> None:
    card = replace_indicator(GOOD, "tactics", "er", kpi="engagment_rate")
    f = only(card, "unknown-kpi")
    assert (f.objective, f.indicator, f.level) == ("tactics", "er", Level.ERROR)
    assert "did you mean 'engagement_rate'?" in f.hint


def test_an_unknown_driver() -> None:
    card = replace_objective(GOOD, "communicate", drivers=(Link("train"), Link("trian", line=7)))
    f = only(card, "unknown-driver")
    assert (f.objective, f.line, f.level) == ("communicate", 7, Level.ERROR)
    assert "did you mean 'train'?" in f.hint


def test_objectives_driving_one_another_in_a_loop() -> None:
    card = replace_objective(GOOD, "train", drivers=(Link("communicate"),))
    # The link from internal down to learning also points down the map.
    assert found(card) == [
        ("driver-cycle", "communicate", None),
        ("driver-points-down", "train", None),
    ]
    f = check(card, kpis())[0]
    assert "communicate, train drive one another" in f.message


def test_an_objective_driving_itself() -> None:
    card = replace_objective(GOOD, "tactics", drivers=(Link("tactics"),))
    assert "(tactics) is its own driver" in only(card, "driver-cycle").message


# -- vanity metrics ---------------------------------------------------------------------------


def test_a_followed_kpi_tied_to_no_objective_is_a_vanity_metric() -> None:
    facts = dataclasses.replace(GOOD_FACTS, tracked=frozenset({"likes", "impressions", "reach"}))
    findings = check(GOOD, kpis(), facts)
    assert [(f.code, f.kpi) for f in findings] == [
        ("vanity-metric", "likes"),
        ("vanity-metric", "reach"),
    ]


def test_vanity_metrics_as_the_only_results_of_an_objective() -> None:
    card = replace_objective(
        GOOD,
        "engaging",
        indicators=(ind("likes", "likes"), ind("fans", "followers", platforms=["facebook"])),
    )
    assert found(card) == [
        ("vanity-metric", "engaging", "likes"),
        ("vanity-metric", "engaging", "fans"),
    ]
    assert "yet it and 'fans' are the only results" in check(card, kpis())[0].message


def test_a_vanity_metric_beside_a_real_result_or_as_a_driver_is_fine() -> None:
    card = replace_objective(
        GOOD, "engaging", indicators=(ind("visits", "profile_visits"), ind("l", "likes", LEADING))
    )
    assert found(card) == []


# -- objectives, SMART, counts ----------------------------------------------------------------


def test_an_objective_without_indicator_or_driver() -> None:
    card = add_objectives(GOOD, obj("profile", "Understand the customer profile", "learning"))
    f = only(card, "objective-without-indicator")
    assert (f.objective, f.level) == ("profile", Level.ERROR)


@pytest.mark.parametrize(
    ("changes", "gaps"),
    [
        ({"scoring": Scoring(target=20)}, "no baseline"),
        ({"scoring": Scoring(baseline=10)}, "no target"),
        ({"deadline": None}, "no deadline"),
        ({"scoring": Scoring(), "deadline": None}, "no target, baseline or deadline"),
    ],
)
def test_an_indicator_that_is_not_smart(changes: dict[str, Any], gaps: str) -> None:
    f = only(replace_indicator(GOOD, "tactics", "er", **changes), "not-smart")
    assert (f.objective, f.indicator, f.level) == ("tactics", "er", Level.WARNING)
    assert f"{gaps}: the goal is not SMART" in f.message


def test_a_range_needs_only_its_range() -> None:
    # "cadence" keeps posts per period in [3, 5] with no baseline and no deadline.
    assert found(GOOD) == []
    no_range = Scoring(direction=Direction.RANGE)
    f = only(replace_indicator(GOOD, "publish", "cadence", scoring=no_range), "not-smart")
    assert "has no target:" in f.message


def test_a_deadline_before_the_start() -> None:
    card = replace_indicator(GOOD, "tactics", "er", deadline=date(2025, 12, 31))
    assert only(card, "deadline-before-start").level is Level.ERROR
    assert found(replace_indicator(GOOD, "tactics", "er", deadline=START)) == []


def test_too_many_indicators_per_objective_and_in_all() -> None:
    card = dataclasses.replace(GOOD, limits=Limits(indicators_per_objective=2, indicators_total=14))
    assert found(card) == [
        ("too-many-indicators", None, None),  # 15 indicators
        ("too-many-indicators", "engaging", None),  # 3 indicators
    ]


# -- business results -------------------------------------------------------------------------


def test_no_business_result() -> None:
    card = dataclasses.replace(GOOD, objectives=GOOD.objectives[1:])
    f = only(card, "no-business-result", None)
    assert "leads_generated" in f.hint
    assert "Stakeholders' interests perspective" in f.hint


def test_a_paid_kpi_is_a_business_result() -> None:
    card = replace_objective(
        GOOD, "results", indicators=(ind("roas", "roas"),), drivers=(Link("engaging"),)
    )
    assert found(card) == []


# -- objectives named like metrics ------------------------------------------------------------

SEED_001_OBJECTIVES = [
    "Achieve valuable business results",
    "Réaliser de précieux résultats commerciaux",
    "Personal interaction with the brand",
    "Interaction directe avec la marque",
    "Engaging content",
    "Contenu engageant",
    "Communicate with social media users",
    "Publish engaging content",
    "Reach a wider audience through paid ads",
    "Accéder à un auditoire plus large via des publicités payantes",
    "Train the team to interact on social media",
    "Learn the social media tactics that work best for us",
    "Apprendre les tactiques de réseaux sociaux qui fonctionnent pour nous",
    "Understand the customer profile",
    "Comprendre le profil du client",
    "Define the concept of a qualified interaction",
]


@pytest.mark.parametrize(
    ("name", "kpi"),
    [
        ("Likes", "likes"),
        ("Followers", "followers"),
        ("Folowers", "followers"),
        ("Number of followers", "followers"),
        ("Nombre d'abonnés", "followers"),
        ("Engagement rate", "engagement_rate"),
        ("Taux d'engagement", "engagement_rate"),
        ("engagement_rate", "engagement_rate"),
        ("Impressions (Facebook)", "impressions"),
        ("Brand sentiment", "brand_sentiment_score"),
        ("Fans", None),
        ("Leads", None),
        ("Engagement", None),
    ],
)
def test_an_objective_named_like_a_metric(name: str, kpi: str | None) -> None:
    card = replace_objective(GOOD, "tactics", name=Bilingual(name, name))
    f = only(card, "goal-named-like-metric")
    assert f.objective == "tactics"
    assert "rename 'tactics' after the outcome you want" in f.hint
    if kpi is not None:
        assert f"({kpi})" in f.message
        assert f"bind {kpi} to it" in f.hint


@pytest.mark.parametrize(
    "name",
    [
        *SEED_001_OBJECTIVES,
        "Grow qualified leads from LinkedIn",
        "Lower customer acquisition cost",
        "Increase the engagement rate on Instagram",
        "Sales",  # not "Saves"
        "Brand awareness",
    ],
)
def test_an_objective_named_after_an_outcome(name: str) -> None:
    card = replace_objective(GOOD, "tactics", name=Bilingual(name, name))
    assert found(card) == []


# -- data: history, computability, platforms --------------------------------------------------


@pytest.mark.parametrize(("past", "says"), [(0, "has no past period"), (1, "has only 1 past")])
def test_no_history_to_compare_with(past: int, says: str) -> None:
    facts = facts_for(GOOD, history={"engagement_rate": past})
    f = only(GOOD, "no-history", facts)
    assert (f.objective, f.indicator, f.level) == ("tactics", "er", Level.WARNING)
    assert says in f.message
    assert "at least 2 past months" in f.hint


def test_two_past_periods_are_enough_and_a_missing_kpi_is_not_computable_only() -> None:
    assert found(GOOD, facts_for(GOOD, history={"engagement_rate": 2})) == []
    facts = facts_for(GOOD, missing=["engagement_rate"], history={"engagement_rate": 0})
    assert found(GOOD, facts) == [("not-computable", "tactics", "er")]


@pytest.mark.parametrize(
    ("kpi", "what"),
    [
        ("leads_generated", "CRM"),
        ("roas", "ad exports"),
        ("website_sessions", "Google Analytics 4"),
        ("direct_traffic", "Google Analytics 4"),
        ("net_sentiment", "comments, messages and mentions"),
        ("engagement_rate", "post and page exports"),
        ("net_follower_growth", "page exports (followers)"),
        ("avg_clicks_per_post", "post exports"),
        ("followers_by_age", "audience exports"),
        ("response_time", "messages with their replies"),
    ],
)
def test_not_computable_says_what_to_import(kpi: str, what: str) -> None:
    card = replace_indicator(GOOD, "tactics", "er", kpi=kpi, scoring=smart(kpi))
    findings = check(card, kpis(), facts_for(card, missing=[kpi]))
    f = next(f for f in findings if f.code == "not-computable" and f.indicator == "er")
    assert f.level is Level.ERROR
    assert what in f.hint
    assert f"`cadran kpi show {kpi}`" in f.hint


def _leads_in_publish(card: Scorecard = GOOD) -> Scorecard:
    publish = card.objective("publish")
    assert publish is not None
    return replace_objective(
        card, "publish", indicators=(*publish.indicators, ind("leads", "leads_generated"))
    )


def test_leads_on_every_platform_together() -> None:
    f = only(_leads_in_publish(), "platform-matters")
    assert (f.objective, f.indicator) == ("publish", "leads")
    assert "`platforms: [linkedin]`" in f.hint
    assert "facebook, instagram, linkedin together" in f.message


def test_awareness_on_every_platform_together() -> None:
    """Only an awareness goal is flagged: awareness metrics beside others (seed 001's engaging
    content lists impressions and followers with traffic and likes) are not one."""
    card = replace_indicator(GOOD, "engaging", "impressions", scope=Scope(campaigns=("spring",)))
    assert found(card) == []
    card = replace_objective(card, "engaging", indicators=(ind("imp", "impressions"),))
    findings = check(card, kpis(), facts_for(card))
    assert [(f.code, f.indicator) for f in findings] == [
        ("vanity-metric", "imp"),  # awareness measured by a vanity metric alone
        ("platform-matters", "imp"),
    ]
    f = findings[1]
    assert "`platforms: [facebook, instagram]`" in f.hint


def test_platforms_do_not_matter_with_one_platform_or_for_other_kpis() -> None:
    card = replace_indicator(GOOD, "results", "leads", scope=Scope())
    assert found(card, facts_for(card, platforms=["linkedin"])) == []
    # The good scorecard's engagement rate, response time, comments... add platforms up.
    assert found(GOOD) == []


def test_business_results_at_the_top_add_every_platform_up() -> None:
    """The top perspective holds the results of all social media: its totals are the point."""
    card = replace_indicator(GOOD, "results", "leads", scope=Scope())
    assert found(card) == []


def test_the_platform_suggested_is_one_in_the_data() -> None:
    card = _leads_in_publish()
    f = only(card, "platform-matters", facts_for(card, platforms=["x", "tiktok"]))
    assert "`platforms: [tiktok]`" in f.hint


# -- roles ------------------------------------------------------------------------------------


def test_an_objective_with_drivers_only_is_leading_only() -> None:
    card = replace_objective(GOOD, "engaging", indicators=())
    f = only(card, "leading-only")
    assert "only leading indicators and drivers" in f.message


def test_an_objective_with_leading_indicators_only() -> None:
    card = replace_indicator(GOOD, "tactics", "er", role=LEADING)
    assert "only leading indicators:" in only(card, "leading-only").message


def test_an_objective_with_lagging_indicators_only() -> None:
    card = replace_indicator(GOOD, "tactics", "adoption", role=Role.LAGGING)
    f = only(card, "lagging-only")
    assert (f.objective, f.level) == ("tactics", Level.WARNING)
    assert "posts_per_period" in f.hint


# -- weights ----------------------------------------------------------------------------------


def test_non_positive_weights() -> None:
    perspectives = (dataclasses.replace(PERSPECTIVES[0], weight=-1.0, line=3), *PERSPECTIVES[1:])
    card = dataclasses.replace(GOOD, perspectives=perspectives)
    card = replace_indicator(card, "tactics", "er", weight=float("nan"))
    card = replace_objective(card, "train", weight=0.0)
    card = replace_objective(card, "results", drivers=(Link("engaging"), Link("interaction", -2)))
    findings = check(card, kpis(), facts_for(card))
    assert [(f.code, f.level, f.perspective, f.objective, f.indicator) for f in findings] == [
        ("non-positive-weight", Level.ERROR, "stakeholders", None, None),
        ("non-positive-weight", Level.ERROR, "stakeholders", "results", None),
        ("non-positive-weight", Level.WARNING, "learning", "train", None),
        ("non-positive-weight", Level.ERROR, "learning", "tactics", "er"),
    ]
    assert "the driver link from 'interaction' has weight -2" in findings[1].message


@pytest.mark.parametrize(
    "weights",
    [(5, 5), (60, 40), (6, 4), (0.6, 0.4), (70, 30, 0), (2, 1, 1), (6, 3), (10, 5, 5)],
)
def test_weights_that_add_up_or_are_relative(weights: tuple[float, ...]) -> None:
    kpi_ids = ["saves", "engagement_rate", "clicks"]
    indicators = tuple(
        ind(f"i{n}", kpi, LEADING if n == 0 else Role.LAGGING, weight=w)
        for n, (kpi, w) in enumerate(zip(kpi_ids, weights, strict=False))
    )
    card = replace_objective(GOOD, "tactics", indicators=indicators)
    zero = [("non-positive-weight", "tactics", "i2")] if 0 in weights else []
    assert found(card) == zero


@pytest.mark.parametrize(
    ("weights", "says", "shares"),
    [
        ((60, 30, None), "add up to 90, not 100", "as percentages that add up to 100, here "),
        ((20, 10, 10), "add up to 40, not 100", "here i0 50, i1 25, i2 25"),
        ((30, 30, 30), "add up to 90, not 100", "here i0 33.33, i1 33.33, i2 33.33"),
        ((0.5, 0.3, None), "add up to 0.8, not 1", "as fractions that add up to 1, here "),
    ],
)
def test_percentages_or_fractions_that_do_not_add_up(
    weights: tuple[float | None, ...], says: str, shares: str
) -> None:
    kpi_ids = ["saves", "engagement_rate", "clicks"]
    indicators = tuple(
        ind(f"i{n}", kpi, LEADING if n == 0 else Role.LAGGING, weight=w)
        for n, (kpi, w) in enumerate(zip(kpi_ids, weights, strict=True))
        if w is not None
    )
    f = only(replace_objective(GOOD, "tactics", indicators=indicators), "weights-total")
    assert f.objective == "tactics"
    assert says in f.message
    assert shares in f.hint


def test_percentages_are_shown_as_the_shares_they_count_for() -> None:
    card = replace_indicator(GOOD, "tactics", "er", weight=60.0)
    card = replace_indicator(card, "tactics", "adoption", weight=30.0)
    f = only(card, "weights-total")
    assert "add up to 90, not 100: each counts for its share of 90" in f.message
    assert f.hint.endswith("here er 66.67, adoption 33.33")


def test_driver_links_weigh_with_the_indicators() -> None:
    card = replace_indicator(GOOD, "results", "leads", weight=50.0)
    card = replace_indicator(card, "results", "qualified", weight=30.0)
    assert only(card, "weights-total").objective == "results"  # 50 + 30 + 1 + 1
    drivers = (Link("engaging", 10.0), Link("interaction", 10.0))
    assert found(replace_objective(card, "results", drivers=drivers)) == []


def test_leading_indicators_weigh_only_when_they_roll_up() -> None:
    card = replace_indicator(GOOD, "tactics", "adoption", weight=50.0)
    assert only(card, "weights-total").objective == "tactics"
    assert found(dataclasses.replace(card, include_leading=False)) == []


def test_weights_of_objectives_and_perspectives() -> None:
    card = replace_objective(GOOD, "interaction", weight=70.0)
    card = replace_objective(card, "engaging", weight=20.0)
    f = only(card, "weights-total")
    assert (f.perspective, f.objective) == ("customer", None)
    assert "the objectives of perspective 'customer' add up to 90" in f.message
    perspectives = tuple(
        dataclasses.replace(p, weight=w) for p, w in zip(PERSPECTIVES, (4, 3, 2, 1), strict=True)
    )
    assert found(dataclasses.replace(GOOD, perspectives=perspectives)) == []


def test_weights_under_a_roll_up_that_ignores_them() -> None:
    card = dataclasses.replace(GOOD, rollup=Rollup.AVERAGE)
    assert found(card) == []
    f = only(replace_indicator(card, "tactics", "er", weight=60.0), "weights-ignored")
    assert "rolls up by average, which ignores them" in f.message


# -- more mistakes ----------------------------------------------------------------------------


def test_the_same_kpi_twice_on_the_same_data() -> None:
    twice = ind("leads2", "leads_generated", platforms=["linkedin"])
    card = replace_objective(GOOD, "results", indicators=(*GOOD.objectives[0].indicators, twice))
    f = only(card, "duplicate-indicator")
    assert (f.objective, f.indicator) == ("results", "leads2")
    assert "'leads'" in f.message


def test_the_same_kpi_on_other_platforms_is_fine() -> None:
    other = ind("leads_fb", "leads_generated", platforms=["facebook"])
    card = replace_objective(GOOD, "results", indicators=(*GOOD.objectives[0].indicators, other))
    assert found(card) == []


def test_a_driver_link_pointing_down_the_map() -> None:
    card = replace_objective(GOOD, "publish", drivers=(Link("tactics"), Link("engaging", line=9)))
    # engaging (customer) would then drive publish (internal) and be driven by it: a loop too.
    assert found(card) == [
        ("driver-cycle", "engaging", None),
        ("driver-points-down", "publish", None),
    ]
    f = check(card, kpis())[1]
    assert f.line == 9
    assert "move the link to the drivers of 'engaging'" in f.hint


def test_a_driver_in_the_same_perspective_is_fine() -> None:
    card = replace_objective(GOOD, "train", drivers=(Link("tactics"),))
    assert found(card) == []


@pytest.mark.parametrize(
    ("kpi", "scoring", "says"),
    [
        ("response_time", Scoring(baseline=20, target=10), "maximised though response_time"),
        ("engagement_rate", smart("response_time"), "minimised though engagement_rate"),
        ("engagement_rate", Scoring(baseline=20, target=10), "target is below its baseline"),
        (
            "response_time",
            Scoring(baseline=10, target=20, direction=Direction.MINIMIZE),
            "target is above its baseline",
        ),
    ],
)
def test_a_direction_that_contradicts_the_kpi(kpi: str, scoring: Scoring, says: str) -> None:
    card = replace_indicator(GOOD, "tactics", "er", kpi=kpi, scoring=scoring)
    f = only(card, "direction-mismatch")
    assert says in f.message


@pytest.mark.parametrize(("grain", "flagged"), [(Grain.YEAR, True), (Grain.QUARTER, False)])
def test_an_indicator_reviewed_once_a_year(grain: Grain, flagged: bool) -> None:
    card = replace_indicator(GOOD, "tactics", "er", interval=grain)
    assert found(card) == ([("rare-review", "tactics", "er")] if flagged else [])
