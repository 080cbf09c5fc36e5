"""Binding formulas to the real semantic model: resolution, rewriting and clear errors."""

from __future__ import annotations

import pytest

from cadran.core.binding import MAX_PREVIOUS, Binder, KpiResolution, is_additive
from cadran.core.bound import (
    BArith,
    BAvgPer,
    BConst,
    BDays,
    BMeasure,
    BPrevious,
    BTotal,
    as_ratio,
    bound_text,
    contains,
    measures_of,
)
from cadran.core.errors import FormulaError
from cadran.core.formula import MAX_DEPTH, parse, parse_condition
from cadran.services.definitions import semantic_model

MODEL, MODEL_ISSUES = semantic_model()
PARAMETERS = {"customer_lifespan_years": 3.0, "hours_per_day": 8.0}
KPI_FORMULAS = {
    "engagement_rate": "engagements / impressions * 100",
    "follower_growth": "followers - previous(followers)",
}


def make_binder() -> Binder:
    def resolve(name):
        if name not in KPI_FORMULAS:
            return None
        text = KPI_FORMULAS[name]
        return KpiResolution(binder.bind(parse(text), text))

    binder = Binder(MODEL, PARAMETERS, resolve, lambda: list(KPI_FORMULAS))
    return binder


BINDER = make_binder()


def bind(source: str):
    return BINDER.bind(parse(source), source)


def test_the_model_has_no_issues():
    assert list(MODEL_ISSUES) == []


BOUND = [
    ("likes", "likes"),
    ("likes + comments * 2", "(likes + (comments * 2))"),
    ("-likes", "-(likes)"),
    ("days", "days"),
    ("$customer_lifespan_years * revenue", "(3 * revenue)"),
    ("engagement_rate", "((engagements / impressions) * 100)"),
    ("previous(engagement_rate, 12)", "previous(((engagements / impressions) * 100), 12)"),
    ("previous(likes)", "previous(likes)"),
    ("previous(likes, 36)", "previous(likes, 36)"),
    ("avg_per(clicks, post)", "avg_per(clicks, post)"),
    ("avg_per(followers, account)", "avg_per(followers, account)"),
    ("avg_per(messages, day)", "avg_per(messages, day)"),
    ("total(likes + comments)", "total((likes + comments))"),
    ("total(followers)", "total(followers)"),
    ("total(-posts)", "total(-(posts))"),
    ("coalesce(likes, 0)", "coalesce(likes, 0)"),
    ("abs(likes - comments)", "abs((likes - comments))"),
    ("messages[sentiment = 'negative']", "messages[sentiment_label = 'negative']"),
    ("messages['negative' = sentiment]", "messages[sentiment_label = 'negative']"),
    ("messages[question]", "messages[is_question]"),
    ("messages[answered]", "messages[first_reply_at is not null]"),
    (
        "messages[not answered and channel != 'public']",
        "messages[not first_reply_at is not null and channel != 'public']",
    ),
    ("messages[sentiment is null]", "messages[sentiment_label is null]"),
    ("messages[channel in ('public', 'private')]", "messages[channel in ('public', 'private')]"),
    ("leads[social]", "leads[source in ('organic_social', 'paid_social')]"),
    (
        "leads[qualified and source not in ('other')]",
        "leads[is_qualified and source not in ('other')]",
    ),
    ("posts[paid = true]", "posts[is_paid = true]"),
    ("posts[in_campaign]", "posts[campaign_id is not null]"),
    ("sessions[direct or brand_search]", "sessions[channel_group = 'Direct' or is_brand_search]"),
    ("audience_followers[dimension = 'age']", "audience_followers[dimension = 'age']"),
]


@pytest.mark.parametrize(("source", "text"), BOUND, ids=[s for s, _ in BOUND])
def test_binding(source, text):
    assert bound_text(bind(source)) == text


def test_comparisons_with_the_constant_first_are_turned_around():
    # No numeric attribute in the model: use a bare condition through the binder's rewrite.
    tree = bind("messages['positive' != sentiment]")
    assert tree.condition == parse_condition("sentiment_label != 'positive'")


def test_bound_trees():
    tree = bind("engagement_rate")
    assert isinstance(tree, BArith)
    assert [m.key for m in measures_of(tree)] == ["engagements", "impressions"]
    assert contains(tree, BConst)
    assert not contains(tree, BPrevious)
    assert bind("days") == BDays()
    assert bind("avg_per(clicks, post)") == BAvgPer(BMeasure(MODEL.measures["clicks"]), "post")
    assert bind("previous(likes, 3)") == BPrevious(BMeasure(MODEL.measures["likes"]), 3)
    assert bind("total(likes)") == BTotal(BMeasure(MODEL.measures["likes"]))
    filtered = bind("messages[sentiment = 'negative'] + messages")
    assert [m.key for m in measures_of(filtered)] == [
        "messages[sentiment_label = 'negative']",
        "messages",
    ]


def test_ratios():
    ratio = as_ratio(bind("engagement_rate"))
    assert bound_text(ratio.numerator) == "engagements"
    assert bound_text(ratio.denominator) == "impressions"
    assert ratio.scale == 100
    assert as_ratio(bind("likes")).denominator is None
    assert as_ratio(bind("likes * 100 / posts")).scale == 100
    assert bound_text(as_ratio(bind("likes * 100 / posts")).numerator) == "likes"


def test_ratio_with_the_scale_first():
    ratio = as_ratio(bind("100 * likes / posts"))
    assert (bound_text(ratio.numerator), ratio.scale) == ("likes", 100)


@pytest.mark.parametrize(
    ("source", "additive"),
    [
        ("likes", True),
        ("posts", True),
        ("followers", True),  # a stock sums over its entities
        ("likes - comments", True),
        ("-likes", True),
        ("reach", False),
        ("readability", False),
        ("buyers", False),
        ("likes / posts", False),
        ("likes * 2", False),
        ("days", False),
    ],
)
def test_is_additive(source, additive):
    assert is_additive(bind(source)) is additive


# -- errors -----------------------------------------------------------------------------------

ERRORS = [
    # unknown names, with 'did you mean' hints
    ("engagemnts", "unknown name 'engagemnts'; did you mean 'engagements'?", 1),
    ("likes + likse", "unknown name 'likse'; did you mean 'likes'?", 9),
    ("engagement_rat * 2", "unknown name 'engagement_rat'; did you mean 'engagement_rate'?", 1),
    ("zzzz", "unknown name 'zzzz'", 1),
    ("post", "'post' is an entity; use it as avg_per(x, post)", 1),
    ("$lifespan", "unknown parameter $lifespan", 1),
    (
        "$customer_lifespan_year",
        "unknown parameter $customer_lifespan_year; did you mean 'customer_lifespan_years'?",
        1,
    ),
    ("foo(likes)", "unknown function foo()", 1),
    ("prevous(likes)", "unknown function prevous(); did you mean 'previous'?", 1),
    ("eval(1)", "unknown function eval()", 1),
    ("__import__(os)", "unknown function __import__()", 1),
    # filters
    ("x[paid]", "unknown measure 'x'", 1),
    ("likse[paid]", "unknown measure 'likse'; did you mean 'likes'?", 1),
    (
        "engagement_rate[paid]",
        "'engagement_rate' is a KPI; filters [...] apply to measures only",
        1,
    ),
    (
        "messages[sentimnt = 'negative']",
        "Public comments and private messages have no attribute 'sentimnt' (known: channel,"
        " sentiment, question, complaint, answered, resolved, business_hours, language);"
        " did you mean 'sentiment'?",
        10,
    ),
    ("followers[paid]", "Daily account metrics have no attribute 'paid' (known: none)", 11),
    ("messages[sentiment = 1]", "'sentiment' expects a text in quotes, not 1", 22),
    ("messages[question = 'yes']", "'question' expects true or false, not 'yes'", 21),
    ("posts[paid = 1]", "'paid' expects true or false, not 1", 14),
    ("messages[sentiment in ('negative', 1)]", "'sentiment' expects a text in quotes, not 1", 36),
    (
        "messages[sentiment = 'negatve']",
        "'negatve' is not a value of 'sentiment' (expected one of negative, neutral, positive);"
        " did you mean 'negative'?",
        22,
    ),
    (
        "messages[sentiment in ('negative', 'bad')]",
        "'bad' is not a value of 'sentiment' (expected one of negative, neutral, positive)",
        36,
    ),
    (
        "audience_followers[dimension = 'agee']",
        "'agee' is not a value of 'dimension' (expected one of age, gender, age_gender, country,"
        " city, language, active_hour, active_weekday); did you mean 'age'?",
        32,
    ),
    (
        "messages[channel]",
        "'channel' is not a yes/no attribute; compare it, e.g. channel = '...'",
        10,
    ),
    ("messages[answered = true]", "'answered' is a yes/no flag; use it alone or with 'not'", 10),
    ("messages[answered is null]", "'answered' is a yes/no flag; use it alone or with 'not'", 10),
    ("messages[sentiment = null]", "use 'sentiment is null' rather than comparing with null", 22),
    (
        "messages[sentiment = channel]",
        "compare an attribute with a constant, not with another name",
        22,
    ),
    ("messages[1 = 2]", "a comparison needs an attribute on one side", 10),
    ("messages[1 in (1)]", "expected an attribute name", 10),
    ("messages[channel < 'public']", "'channel' can only be compared with = or !=", 10),
    # previous()
    (
        "previous()",
        "previous() takes 1 to 2 argument(s): previous(x) or previous(x, n): x in the period n"
        " steps earlier (n from 1 to 36)",
        1,
    ),
    (
        "previous(likes, 1, 2)",
        "previous() takes 1 to 2 argument(s): previous(x) or previous(x, n): x in the period n"
        " steps earlier (n from 1 to 36)",
        1,
    ),
    # avg_per()
    (
        "avg_per(clicks)",
        "avg_per() takes 2 argument(s): avg_per(x, entity): mean of x per post, account,"
        " campaign, day, week or month",
        1,
    ),
    (
        "avg_per(clicks, posts)",
        "the second argument of avg_per() must be one of post, account, campaign, day, week,"
        " month; did you mean 'post'?",
        17,
    ),
    (
        "avg_per(clicks, country)",
        "the second argument of avg_per() must be one of post, account, campaign, day, week,"
        " month; did you mean 'account'?",
        17,
    ),
    (
        "avg_per(clicks, zzz)",
        "the second argument of avg_per() must be one of post, account, campaign, day, week, month",
        17,
    ),
    (
        "avg_per(clicks, 1)",
        "the second argument of avg_per() must be one of post, account, campaign, day, week, month",
        17,
    ),
    (
        "avg_per(followers, post)",
        "'followers' (Daily account metrics) cannot be computed per post",
        1,
    ),
    (
        "avg_per(sessions, account)",
        "'sessions' (Website traffic) cannot be computed per account",
        1,
    ),
    (
        "avg_per(likes / followers, post)",
        "'followers' (Daily account metrics) cannot be computed per post",
        1,
    ),
    ("avg_per(previous(clicks), post)", "previous() cannot be used inside avg_per()", 1),
    ("avg_per(total(clicks), post)", "total() cannot be used inside avg_per()", 1),
    # total()
    (
        "total(likes / impressions)",
        "total() applies to sums and counts (and + or - of them), not to ratios or averages",
        1,
    ),
    (
        "total(engagement_rate)",
        "total() applies to sums and counts (and + or - of them), not to ratios or averages",
        1,
    ),
    (
        "total(reach)",
        "total() applies to sums and counts (and + or - of them), not to ratios or averages",
        1,
    ),
    (
        "total(likes, posts)",
        "total() takes 1 argument(s): total(x): x summed over the KPI's own segments, for shares"
        " of a whole",
        1,
    ),
    # other functions
    ("abs(1, 2)", "abs() takes 1 argument(s): abs(x): absolute value", 1),
    (
        "coalesce()",
        "coalesce() takes 1 to 16 argument(s): coalesce(x, y, ...): the first of its arguments"
        " that has a value",
        1,
    ),
    ("likes + abs(zzz)", "unknown name 'zzz'", 13),
]


@pytest.mark.parametrize(("source", "message", "column"), ERRORS, ids=[s for s, *_ in ERRORS])
def test_binding_errors(source, message, column):
    with pytest.raises(FormulaError) as info:
        bind(source)
    assert info.value.reason == message
    assert str(info.value) == f"{message} at column {column}"
    assert info.value.formula == source


@pytest.mark.parametrize(
    "steps", ["0", "37", "1.5", "-1", "x", "1 + 1", "$hours_per_day", "previous(likes)"]
)
def test_previous_needs_a_whole_number_of_steps(steps):
    source = f"previous(likes, {steps})"
    with pytest.raises(FormulaError) as info:
        bind(source)
    assert info.value.reason == (
        f"the second argument of previous() must be a whole number from 1 to {MAX_PREVIOUS}"
    )
    assert info.value.position == len("previous(likes, ")


def test_without_kpis_a_kpi_name_is_unknown():
    binder = Binder(MODEL, {})
    with pytest.raises(
        FormulaError, match=r"^unknown name 'engagement_rate'; did you mean 'engagements'"
    ):
        binder.bind(parse("engagement_rate"), "engagement_rate")
    with pytest.raises(FormulaError, match=r"^unknown measure 'engagement_rate'; did you mean"):
        binder.bind(parse("engagement_rate[paid]"), "engagement_rate[paid]")


def test_the_deepest_formulas_bind():
    """The parser's depth limit keeps every later stage within the Python stack."""
    for source in (
        " + ".join(["likes"] * MAX_DEPTH),
        "-" * (MAX_DEPTH - 1) + "likes",
        "(" * (MAX_DEPTH - 1) + "likes" + ")" * (MAX_DEPTH - 1),
        "abs(" * (MAX_DEPTH // 2 - 1) + "likes" + ")" * (MAX_DEPTH // 2 - 1),
        "posts[" + " or ".join(["paid"] * (MAX_DEPTH - 1)) + "]",
    ):
        tree = bind(source)
        bound_text(tree)
        measures_of(tree)
    with pytest.raises(FormulaError, match="nests deeper"):
        bind("1" + "+1" * 1999)  # a 2000-deep tree if it were accepted
