"""FieldReader: typed fields of definition files, every problem recorded with file and line."""

from __future__ import annotations

from enum import Enum

import pytest

from cadran.core.issues import IssueSet, Level
from cadran.core.located import load_yaml
from cadran.core.spec import IDENTIFIER, Bilingual, FieldReader, suggest


class Color(Enum):
    RED = "red"
    GREEN = "green"


def reader_for(text: str):
    issues = IssueSet()
    doc = load_yaml(text, "kpis/x.yaml", issues)
    assert not issues
    return FieldReader("kpis/x.yaml", issues), doc, issues


def messages(issues):
    return [str(i) for i in issues]


def test_every_problem_is_reported_at_once_with_file_and_line():
    reader, doc, issues = reader_for(
        "id: Engagement-Rate\n"  # 1
        "title: ''\n"  # 2
        "target: lots\n"  # 3
        "enabled: 'yes'\n"  # 4
        "color: rde\n"  # 5
        "label: {en: Rate, de: Rate}\n"  # 6
        "tags: [a, 1, {x: y}, true]\n"  # 7
        "colour: red\n"  # 8
        "weight: .nan\n"  # 9
        "body: [1]\n"  # 10
    )
    where = "KPI 'x'"
    reader.known_keys(
        doc, ("id", "title", "target", "enabled", "color", "label", "tags", "weight", "body"), where
    )
    assert reader.identifier(doc, "id", where) is None
    assert reader.text(doc, "title", where) is None
    assert reader.text(doc, "description", where) is None
    assert reader.number(doc, "target", where) is None
    assert reader.boolean(doc, "enabled", where, default=True) is True
    assert reader.choice(doc, "color", Color, where) is None
    assert reader.bilingual(doc, "label", where) is None
    assert reader.text_list(doc, "tags", where) == ("a", "1")
    assert reader.number(doc, "weight", where) is None
    assert reader.mapping(doc["body"], f"'body' of {where}", doc.line_of("body")) is None
    assert [i.line for i in issues] == [8, 1, 2, 1, 3, 4, 5, 6, 6, 7, 7, 9, 10]
    assert all(i.file == "kpis/x.yaml" and i.level is Level.ERROR for i in issues)
    assert messages(issues) == [
        "kpis/x.yaml line 8 (colour): unknown field 'colour' in KPI 'x'; did you mean 'color'?",
        "kpis/x.yaml line 1 (id): 'id' of KPI 'x' must be snake_case (a-z, 0-9, _),"
        " got 'Engagement-Rate'",
        "kpis/x.yaml line 2 (title): 'title' of KPI 'x' must be a non-empty text, not an empty"
        " text",
        "kpis/x.yaml line 1 (description): KPI 'x' has no 'description'",
        "kpis/x.yaml line 3 (target): 'target' of KPI 'x' must be a number, not 'lots'",
        "kpis/x.yaml line 4 (enabled): 'enabled' of KPI 'x' must be true or false, not 'yes'",
        "kpis/x.yaml line 5 (color): 'color' of KPI 'x' must be one of red, green; got 'rde';"
        " did you mean 'red'?",
        "kpis/x.yaml line 6 (de): unknown field 'de' in 'label' of KPI 'x'",
        "kpis/x.yaml line 6 (fr): 'label' of KPI 'x' has no 'fr'",
        "kpis/x.yaml line 7 (tags): items of 'tags' in KPI 'x' must be texts, not a mapping",
        "kpis/x.yaml line 7 (tags): items of 'tags' in KPI 'x' must be texts, not true (a boolean)",
        "kpis/x.yaml line 9 (weight): 'weight' of KPI 'x' must be a finite number",
        "kpis/x.yaml line 10: 'body' of KPI 'x' must be a mapping (key: value), not a list",
    ]


def test_valid_fields():
    reader, doc, issues = reader_for(
        "id: engagement_rate\n"
        "title: '  Engagement rate  '\n"
        "target: 5\n"
        "ratio: 0.25\n"
        "enabled: false\n"
        "color: green\n"
        "label: {en: Rate, fr: Taux}\n"
        "tags: [a, b]\n"
        "tag: single\n"
    )
    where = "KPI 'x'"
    assert reader.identifier(doc, "id", where) == "engagement_rate"
    assert reader.text(doc, "title", where) == "Engagement rate"
    assert reader.number(doc, "target", where) == 5.0
    assert isinstance(reader.number(doc, "target", where), float)
    assert reader.number(doc, "ratio", where) == 0.25
    assert reader.number(doc, "absent", where) is None
    assert reader.boolean(doc, "enabled", where, default=True) is False
    assert reader.boolean(doc, "absent", where, default=True) is True
    assert reader.choice(doc, "color", Color, where) is Color.GREEN
    assert (
        reader.choice(doc, "absent", Color, where, required=False, default=Color.RED) is Color.RED
    )
    assert reader.bilingual(doc, "label", where) == Bilingual("Rate", "Taux")
    assert reader.bilingual(doc, "absent", where, required=False) is None
    assert reader.text_list(doc, "tags", where) == ("a", "b")
    assert reader.text_list(doc, "tag", where) == ("single",)
    assert reader.text_list(doc, "absent", where) == ()
    assert reader.text(doc, "absent", where, required=False, default="x") == "x"
    assert reader.identifier(doc, "absent", where, required=False) is None
    assert reader.mapping(doc, "root", 1) is doc
    assert reader.sequence(doc["tags"], "tags", 8) is doc["tags"]
    assert not issues


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("5", "5 (an int)"),
        ("1.5", "1.5 (a float)"),
        ("null", "nothing"),
        ("''", "an empty text"),
        ("'  '", "an empty text"),
        ("'yes'", "'yes'"),
        ("yes", "true (a boolean)"),  # YAML 1.1 reads yes/no/on/off as booleans
        ("off", "false (a boolean)"),
        ("[1]", "a list"),
        ("2026-01-01", "datetime.date(2026, 1, 1) (a date)"),
        ("12:30:00", "45000 (an int)"),  # YAML 1.1 sexagesimal
    ],
)
def test_values_are_described_in_words(value, kind):
    reader, doc, issues = reader_for(f"k: {value}\n")
    assert reader.mapping(doc["k"], "'k' of w", doc.line_of("k")) is None
    assert messages(issues) == [
        f"kpis/x.yaml line 1: 'k' of w must be a mapping (key: value), not {kind}"
    ]


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "9" * 400, "-" + "9" * 400])
def test_numbers_must_be_finite(value):
    reader, doc, issues = reader_for(f"k: {value}\n")
    assert reader.number(doc, "k", "w") is None
    assert messages(issues) == ["kpis/x.yaml line 1 (k): 'k' of w must be a finite number"]


def test_booleans_are_not_numbers():
    reader, doc, issues = reader_for("k: true\n")
    assert reader.number(doc, "k", "w", required=True) is None
    assert reader.number(doc, "missing", "w", required=True) is None
    assert messages(issues) == [
        "kpis/x.yaml line 1 (k): 'k' of w must be a number, not true (a boolean)",
        "kpis/x.yaml line 1 (missing): w has no 'missing'",
    ]


def test_missing_required_fields_point_at_their_mapping():
    reader, doc, issues = reader_for("first: 1\nitem:\n  a: 1\n")
    item = doc["item"]
    reader.text(item, "name", "item")
    reader.choice(item, "color", Color, "item")
    reader.bilingual(item, "label", "item")
    assert messages(issues) == [
        "kpis/x.yaml line 3 (name): item has no 'name'",
        "kpis/x.yaml line 3 (color): item has no 'color'",
        "kpis/x.yaml line 3 (label): item has no 'label' (give en and fr)",
    ]


def test_wrong_container_types():
    reader, doc, issues = reader_for("label: Rate\ntags: {a: 1}\ncolor: [red]\n")
    assert reader.bilingual(doc, "label", "w") is None
    assert reader.text_list(doc, "tags", "w") == ()
    assert reader.sequence(None, "the list", None) is None
    assert reader.choice(doc, "color", Color, "w") is None
    assert messages(issues) == [
        "kpis/x.yaml line 1: 'label' of w must be a mapping (key: value), not 'Rate'",
        "kpis/x.yaml line 2: 'tags' of w must be a list, not a mapping",
        "kpis/x.yaml: the list must be a list, not nothing",
        "kpis/x.yaml line 3 (color): 'color' of w must be one of red, green; got ['red'];"
        " did you mean 'red'?",
    ]


def test_warnings_are_recorded_as_warnings():
    issues = IssueSet()
    FieldReader("f.yaml", issues).warning("old field", 4, "x")
    assert issues.warnings == list(issues)
    assert str(issues.items[0]) == "f.yaml line 4 (x): old field"


def test_suggest():
    assert suggest("engagemnts", ["engagements", "impressions"]) == "did you mean 'engagements'?"
    assert suggest("zzz", ["engagements", "impressions"]) is None
    assert suggest("x", []) is None


def test_bilingual_get():
    text = Bilingual("Rate", "Taux")
    assert (text.get("en"), text.get("fr"), text.get("de")) == ("Rate", "Taux", "Rate")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("likes", True),
        ("a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("v2_rate", True),
        ("Likes", False),
        ("2likes", False),
        ("_likes", False),
        ("li-kes", False),
        ("likes\n", False),
        ("", False),
    ],
)
def test_identifier_pattern(name, ok):
    assert bool(IDENTIFIER.fullmatch(name)) is ok
