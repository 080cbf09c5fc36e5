"""The semantic model loader: the real file is clean; broken files report every problem."""

from __future__ import annotations

from importlib import resources

import pytest

from cadran.core.formula import parse, parse_condition
from cadran.core.semantic import TIME_ENTITIES, Aggregation, ColumnRef, ValueType
from cadran.core.semantic_loader import check_row_condition, check_row_expr, load_semantic_model

REAL = resources.files("cadran").joinpath("definitions", "semantic.yaml").read_text("utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only occurrence of ``needle``."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def load(text: str):
    model, issues = load_semantic_model(text, "semantic.yaml")
    return model, [str(i) for i in issues]


# -- the real file ----------------------------------------------------------------------------


def test_the_real_semantic_model_loads_without_issues():
    model, issues = load(REAL)
    assert issues == []
    assert set(TIME_ENTITIES) <= set(model.entities)
    assert {"post", "account_daily", "message", "lead", "revenue", "cost"} <= set(model.facts)
    assert len(model.measures) >= 30
    for measure in model.measures.values():
        fact = model.facts[measure.fact]
        assert measure.label.en
        assert measure.label.fr
        assert measure.unit
        if measure.agg in (Aggregation.LAST, Aggregation.FIRST):
            assert measure.per
            assert all(p in fact.entities for p in measure.per)
        else:
            assert measure.per == ()
        if measure.expr is None:
            assert measure.agg is Aggregation.COUNT
        else:
            assert check_row_expr(measure.expr, fact.columns) == []
    for fact in model.facts.values():
        assert set(fact.dimensions) <= set(model.dimensions)
        for ref in fact.dimensions.values():
            assert ref.join is None or ref.join in fact.joins
        for attribute in fact.attributes.values():
            assert (attribute.column is None) != (attribute.condition is None)
            if attribute.condition is not None:
                assert attribute.type is ValueType.BOOLEAN


def test_a_few_known_definitions():
    model, _ = load(REAL)
    followers = model.measures["followers"]
    assert (followers.fact, followers.agg, followers.per) == (
        "account_daily",
        Aggregation.LAST,
        ("account",),
    )
    assert model.measures["posts"].expr is None
    assert model.measures["likes"].expr == parse("likes")
    message = model.facts["message"]
    assert message.dimensions["campaign"] == ColumnRef("campaign_id", "post")
    assert str(message.dimensions["campaign"]) == "post.campaign_id"
    assert message.attributes["sentiment"].values == ("negative", "neutral", "positive")
    assert message.attributes["answered"].condition == parse_condition("first_reply_at is not null")
    assert message.entity_column("day") == ColumnRef("local_date")
    assert message.entity_column("post") == ColumnRef("post_id")
    assert message.entity_column("campaign") is None
    # Anchored attributes (&sources, &social) are shared by several facts.
    assert model.facts["revenue"].attributes["social"] == model.facts["lead"].attributes["social"]


def test_enums():
    assert [a for a in Aggregation if a.additive] == [Aggregation.SUM, Aggregation.COUNT]
    assert [t for t in ValueType if t.numeric] == [ValueType.NUMBER, ValueType.INTEGER]


# -- a broken copy of the real file -----------------------------------------------------------

BREAKAGES = [
    # (original text, broken text, line marker in the broken file, expected message)
    (
        "      topic: topic\n",
        "      topik: topic\n",
        "topik: topic",
        "fact 'post' uses unknown dimension 'topik'; did you mean 'topic'?",
    ),
    (
        "in_campaign: {condition: campaign_id is not null",
        "in_campaign: {condition: campaign_idd is not null",
        "campaign_idd",
        "condition of attribute 'in_campaign' of fact 'post': unknown column 'campaign_idd'",
    ),
    (
        "direct: {condition: channel_group = 'Direct'",
        "direct: {condition: channel_group in 'Direct'",
        "channel_group in 'Direct'",
        "condition of attribute 'direct' of fact 'web_traffic': expected '(' after 'in' but found"
        " text 'Direct' at column 18",
    ),
    (
        "    expr: likes\n",
        "    expr: likez\n",
        "expr: likez",
        "expr of measure 'likes': unknown column 'likez' (did you mean 'likes'?)",
    ),
    (
        "  followers:\n    fact: account_daily\n    expr: followers\n    agg: last\n"
        "    per: [account]\n",
        "  followers:\n    fact: account_daily\n    expr: followers\n    agg: last\n",
        "  followers:\n    fact: account_daily",
        "measure 'followers' is a stock (last) so it needs 'per' entities",
    ),
    (
        "    expr: sentiment_score\n",
        "    expr: sentiment_score +\n",
        "expr: sentiment_score +",
        "expr of measure 'message_sentiment': expected a number, a name or '(' but found end of"
        " formula at column 18",
    ),
    (
        "    fact: mention\n",
        "    fact: mentoin\n",
        "fact: mentoin",
        "measure 'mentions' uses unknown fact 'mentoin'; did you mean 'mention'?",
    ),
]


def test_a_broken_copy_reports_every_problem_with_its_line():
    text = REAL
    for original, broken, _, _ in BREAKAGES:
        assert text.count(original) == 1, original
        text = text.replace(original, broken)
    model, issues = load(text)
    expected = []
    for _, _, marker, message in BREAKAGES:
        line = line_of(text, marker) + marker.count("\n")
        expected.append(f"semantic.yaml line {line}: {message}")
    assert sorted(issues) == sorted(expected)
    # Broken measures are left out; the others still load.
    assert "mentions" not in model.measures
    assert "messages" in model.measures


# -- a small model, broken one way at a time --------------------------------------------------

SMALL = """\
entities:
  post: {en: post, fr: publication}
  day: {en: day, fr: jour}
  week: {en: week, fr: semaine}
  month: {en: month, fr: mois}
dimensions:
  platform:
    name: {en: Platform, fr: Plateforme}
facts:
  post:
    table: post
    name: {en: Posts, fr: Publications}
    date: local_date
    date_basis: {en: publication date, fr: date de publication}
    row_entity: post
    joins:
      account: {table: account, key: account_id}
    entities: {post: post_id}
    dimensions: {platform: platform}
    columns: {likes: integer, paid: boolean, score: number}
    attributes:
      paid: {column: paid, type: boolean}
measures:
  likes:
    fact: post
    expr: likes
    agg: sum
    unit: likes
    name: {en: Likes, fr: J'aime}
"""


def test_the_small_model_is_valid():
    model, issues = load(SMALL)
    assert issues == []
    assert list(model.measures) == ["likes"]


SMALL_BREAKAGES = [
    (
        "  platform:\n    name:",
        "  Platform:\n    name:",
        7,
        "dimension name 'Platform' must be snake_case",
    ),
    (
        "table: post\n",
        "table: Post\n",
        11,
        "'table' of fact 'post' must be snake_case (a-z, 0-9, _), got 'Post'",
    ),
    (
        "    row_entity: post\n",
        "    row_entity: account\n",
        15,
        "row_entity 'account' of fact 'post' is not one of its entities",
    ),
    (
        "entities: {post: post_id}",
        "entities: {post: post_id, day: local_date}",
        18,
        "'day' is a time entity of every fact; remove it from fact 'post'",
    ),
    (
        "entities: {post: post_id}",
        "entities: {post: acount.post_id}",
        18,
        "entity 'post' of fact 'post' uses unknown join 'acount'; did you mean 'account'?",
    ),
    (
        "entities: {post: post_id}",
        "entities: {post: 'post id'}",
        18,
        "entity 'post' of fact 'post': 'post id' is not a column name",
    ),
    (
        "entities: {post: post_id}",
        "entities: {post: 5}",
        18,
        "entity 'post' of fact 'post' must name a column",
    ),
    (
        "dimensions: {platform: platform}",
        "dimensions: {platfrom: platform}",
        19,
        "fact 'post' uses unknown dimension 'platfrom'; did you mean 'platform'?",
    ),
    (
        "likes: integer, paid",
        "likes: int, paid",
        20,
        "'likes' of column 'likes' of fact 'post' must be one of text, number, integer, boolean,"
        " date, timestamp; got 'int'; did you mean 'integer'?",
    ),
    (
        "paid: {column: paid, type: boolean}",
        "paid: {type: boolean}",
        22,
        "attribute 'paid' of fact 'post' needs either a column or a condition",
    ),
    (
        "paid: {column: paid, type: boolean}",
        "paid: {condition: score > 1, type: number}",
        22,
        "attribute 'paid' of fact 'post' is a condition, so its type must be boolean",
    ),
    (
        "paid: {column: paid, type: boolean}",
        "paid: {condition: scor > 1, type: boolean}",
        22,
        "condition of attribute 'paid' of fact 'post': unknown column 'scor'",
    ),
    (
        "paid: {column: paid, type: boolean}",
        "paid: {column: paid, type: boolean, values: x, colour: red}",
        22,
        "unknown field 'colour' in attribute 'paid' of fact 'post'; did you mean 'column'?",
    ),
    (
        "    expr: likes\n",
        "    expr: likes[paid]\n",
        26,
        "expr of measure 'likes': filters and parameters are not allowed in a row expression",
    ),
    (
        "    expr: likes\n",
        "    expr: $x + likes\n",
        26,
        "expr of measure 'likes': filters and parameters are not allowed in a row expression",
    ),
    (
        "    expr: likes\n",
        "    expr: avg(likes)\n",
        26,
        "expr of measure 'likes': unknown function 'avg' in a row expression",
    ),
    (
        "    expr: likes\n",
        "    expr: abs(likes, 1)\n",
        26,
        "expr of measure 'likes': abs() takes 1 to 1 argument(s)",
    ),
    (
        "    agg: sum\n",
        "    agg: sum\n    aggr: sum\n",
        28,
        "unknown field 'aggr' in measure 'likes'; did you mean 'agg'?",
    ),
    (
        "    agg: sum\n",
        "    agg: total\n",
        27,
        "'agg' of measure 'likes' must be one of sum, count, count_distinct, mean, median, min,"
        " max, last, first, unique; got 'total'",
    ),
    (
        "    agg: sum\n",
        "    agg: sum\n    per: [post]\n",
        28,
        "'per' only applies to last/first measures (measure 'likes')",
    ),
    (
        "    agg: sum\n",
        "    agg: last\n    per: [pots]\n",
        28,
        "'per' entity 'pots' of measure 'likes' is not an entity of fact 'post'; did you mean"
        " 'post'?",
    ),
    (
        "    unit: likes\n",
        "    unit: ''\n",
        28,
        "'unit' of measure 'likes' must be a non-empty text, not an empty text",
    ),
    (
        "    name: {en: Likes, fr: J'aime}\n",
        "",
        25,
        "measure 'likes' has no 'name' (give en and fr)",
    ),
]


@pytest.mark.parametrize(
    ("original", "broken", "line", "message"),
    SMALL_BREAKAGES,
    ids=[m[:50] for *_, m in SMALL_BREAKAGES],
)
def test_each_problem_of_a_small_model(original, broken, line, message):
    assert original in SMALL
    _, issues = load(SMALL.replace(original, broken, 1))
    assert f"semantic.yaml line {line}: {message}" in issues or any(
        i.startswith(f"semantic.yaml line {line} (") and i.endswith(message) for i in issues
    ), issues


def test_the_expr_of_a_count_is_optional_but_other_aggregations_need_one():
    text = SMALL.replace("    expr: likes\n", "")
    assert load(text.replace("agg: sum", "agg: count"))[1] == []
    assert load(text)[1] == [
        "semantic.yaml line 25: measure 'likes' aggregates with 'sum' so it needs an 'expr'"
    ]


def test_missing_sections_are_reported_not_crashes():
    model, issues = load("facts: {}\nmeasures: {}\n")
    assert issues == [
        "semantic.yaml line 1 (entities): the semantic model has no 'entities' section",
        "semantic.yaml line 1 (entities): the time entity 'day' must be declared",
        "semantic.yaml line 1 (entities): the time entity 'week' must be declared",
        "semantic.yaml line 1 (entities): the time entity 'month' must be declared",
        "semantic.yaml line 1 (dimensions): the semantic model has no 'dimensions' section",
    ]
    assert model.measures == {}


def test_the_whole_file_must_be_a_mapping():
    assert load("") == (load("")[0], ["semantic.yaml: the file is empty"])
    assert load("- a\n")[1] == [
        "semantic.yaml line 1: the semantic model must be a mapping (key: value), not a list"
    ]
    assert load("facts: [\n")[1] == [
        "semantic.yaml line 2: not valid YAML: expected the node content, but found '<stream end>'"
    ]
    assert load(SMALL + "extra: 1\n")[1] == [
        "semantic.yaml line 30 (extra): unknown field 'extra' in the semantic model"
    ]


def test_an_attribute_has_a_column_or_a_condition_not_both():
    text = SMALL.replace(
        "paid: {column: paid, type: boolean}",
        "paid: {column: paid, condition: score > 1, type: boolean}",
    )
    assert load(text)[1] != []


# -- row-level checks -------------------------------------------------------------------------

COLUMNS = {
    "likes": ValueType.INTEGER,
    "created_at": ValueType.TIMESTAMP,
    "reply_at": ValueType.TIMESTAMP,
}


@pytest.mark.parametrize(
    ("expr", "problems"),
    [
        ("likes * 2 - -likes", []),
        ("coalesce(likes, 0) + abs(likes)", []),
        ("seconds_between(created_at, reply_at) / 3600", []),
        ("likse", ["unknown column 'likse' (did you mean 'likes'?)"]),
        ("zzz + yyy", ["unknown column 'zzz'", "unknown column 'yyy'"]),
        ("seconds_between(created_at)", ["seconds_between() takes 2 to 2 argument(s)"]),
        ("coalesce()", ["coalesce() takes 1 to 16 argument(s)"]),
        ("previous(likes)", ["unknown function 'previous' in a row expression"]),
        ("likes[x = 1]", ["filters and parameters are not allowed in a row expression"]),
    ],
)
def test_check_row_expr(expr, problems):
    assert check_row_expr(parse(expr), COLUMNS) == problems


@pytest.mark.parametrize(
    ("condition", "problems"),
    [
        ("likes > 1 and not (reply_at is null or likes in (1, 2))", []),
        ("x = 1 or y", ["unknown column 'x'", "unknown column 'y'"]),
        ("'a' = 'b'", []),
        ("not z", ["unknown column 'z'"]),
    ],
)
def test_check_row_condition(condition, problems):
    assert check_row_condition(parse_condition(condition), COLUMNS) == problems
