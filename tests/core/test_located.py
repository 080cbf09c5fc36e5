"""YAML with line numbers: values remember where they were written; problems are issues."""

from __future__ import annotations

from datetime import date

from cadran.core.issues import IssueSet
from cadran.core.located import LocatedList, LocatedMap, line_of, load_yaml


def load(text: str):
    issues = IssueSet()
    return load_yaml(text, "defs.yaml", issues), [str(i) for i in issues]


def test_values_remember_their_lines():
    doc, issues = load(
        "# a comment\nname: likes\nnested:\n  a: 1\n\n  b: [x, y]\nitems:\n  - first\n  - {k: v}\n"
    )
    assert issues == []
    assert doc == {
        "name": "likes",
        "nested": {"a": 1, "b": ["x", "y"]},
        "items": ["first", {"k": "v"}],
    }
    assert isinstance(doc, LocatedMap)
    assert doc.line == 2
    assert doc.line_of("name") == 2
    assert doc.line_of("items") == 7
    assert doc.line_of("missing") == 2  # the mapping's own line
    assert doc["nested"].line == 4
    assert doc["nested"].line_of("b") == 6
    assert isinstance(doc["nested"]["b"], LocatedList)
    assert doc["nested"]["b"].line == 6
    assert doc["items"].line == 8
    assert doc["items"].item_lines == [8, 9]
    assert doc["items"][1].line == 9
    assert line_of(doc, "items") == 7
    assert line_of(doc) == 2
    assert line_of(doc["items"]) == 8
    assert line_of("plain") is None


def test_plain_values_are_loaded_safely():
    doc, issues = load("n: 1\nf: 1.5\nb: true\nz: null\nd: 2026-01-01\ns: '2026'\nh: 0x1F\n")
    assert issues == []
    assert doc == {
        "n": 1,
        "f": 1.5,
        "b": True,
        "z": None,
        "d": date(2026, 1, 1),
        "s": "2026",
        "h": 31,
    }


def test_duplicate_keys_are_reported_with_both_lines():
    doc, issues = load("a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n  x: 3\n")
    assert doc == {"a": 1, "b": 2, "c": {"x": 1}}  # the first value is kept
    assert issues == [
        "defs.yaml line 3: duplicate key 'a' (first on line 1)",
        "defs.yaml line 6: duplicate key 'x' (first on line 5)",
        "defs.yaml line 7: duplicate key 'x' (first on line 5)",
    ]


def test_duplicate_keys_in_flow_mappings():
    _, issues = load("a: 1\nb: {c: 1, c: 2}\n")
    assert issues == ["defs.yaml line 2: duplicate key 'c' (first on line 2)"]


def test_keys_must_be_text():
    doc, issues = load("1: x\nnull: y\ntrue: z\n? [1]\n: w\nok: v\n")
    assert doc == {"ok": "v"}
    assert issues == [
        "defs.yaml line 1: keys must be text, not 1",
        "defs.yaml line 2: keys must be text, not None",
        "defs.yaml line 3: keys must be text, not True",
        "defs.yaml line 4: keys must be text, not [1]",
    ]


def test_syntax_errors_give_their_line():
    doc, issues = load("a: 1\nb: [1, 2\nc: 3\n")
    assert doc is None
    assert issues == ["defs.yaml line 3: not valid YAML: expected ',' or ']', but got ':'"]
    _, issues = load("a: 1\nb: 2\n  c: 3\n")
    assert issues == ["defs.yaml line 3: not valid YAML: mapping values are not allowed here"]
    _, issues = load("a: 1\n\t- b\n")
    assert issues == [
        "defs.yaml line 2: not valid YAML: found character '\\t' that cannot start any token"
    ]
    _, issues = load('a: "\\xZZ"\n')
    assert issues == [
        "defs.yaml line 1: not valid YAML: expected escape sequence of 2 hexadecimal numbers,"
        " but found 'Z'"
    ]


def test_one_document_only():
    doc, issues = load("a: 1\n---\nb: 2\n")
    assert doc is None
    assert issues == ["defs.yaml line 2: not valid YAML: but found another document"]


def test_empty_documents_give_none_without_issues():
    assert load("") == (None, [])
    assert load("# only a comment\n\n") == (None, [])


def test_python_tags_are_refused_and_nothing_runs():
    doc, issues = load("a: !!python/object:os.system x\n")
    assert doc is None
    assert issues == [
        "defs.yaml line 1: not valid YAML: could not determine a constructor for the tag"
        " 'tag:yaml.org,2002:python/object:os.system'"
    ]
    doc, issues = load("a: !!python/object/apply:os.system ['exit 1']\nb: !!set {x: null}\n")
    assert doc == {"a": None, "b": None}
    assert issues == [
        "defs.yaml line 1: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        "defs.yaml line 2: unsupported YAML tag 'tag:yaml.org,2002:set'",
    ]
    doc, issues = load("a: !!map {x: 1}\nb: !!seq [1]\nc: !!str 1\n")
    assert (doc, issues) == ({"a": {"x": 1}, "b": [1], "c": "1"}, [])


def test_invalid_dates_are_issues_not_crashes():
    doc, issues = load("a: ok\nstart: 2026-02-30\n")
    assert doc == {"a": "ok", "start": None}
    assert issues == ["defs.yaml line 2: invalid value '2026-02-30': day is out of range for month"]


def test_aliases_share_their_anchor():
    doc, issues = load("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n")
    assert issues == []
    assert doc["use"] == {"x": 1}
    assert doc["use"].line == 1  # where the anchor's value is written
    assert doc["list"][0] is doc["list"][1] is doc["base"]


def test_alias_bombs_are_built_in_linear_time():
    """Each level doubles the previous one: 2**19 leaves if aliases were copied."""
    lines = ["l0: &l0 [x, x]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 19)]
    doc, issues = load("\n".join(lines) + "\n")
    assert issues == []
    assert doc["l18"][0] is doc["l18"][1] is doc["l17"]


def test_recursive_aliases_are_reported():
    doc, issues = load("a: &x [1, *x]\nb: &y {self: *y}\nc: 3\n")
    assert doc == {"a": [1, None], "b": {"self": None}, "c": 3}
    assert issues == [
        "defs.yaml line 1: an alias refers to a value that contains it (recursive anchor)",
        "defs.yaml line 2: an alias refers to a value that contains it (recursive anchor)",
    ]


def test_merge_keys_are_refused_clearly():
    doc, issues = load("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    assert doc == {"base": {"x": 1}, "item": {"y": 2}}
    assert issues == ["defs.yaml line 3: merge keys (<<) are not supported; write the fields out"]


def test_deep_nesting_is_an_issue_not_a_crash():
    doc, issues = load("[" * 5000 + "]" * 5000)
    assert doc is None
    assert issues == ["defs.yaml: not valid YAML: collections are nested too deeply"]
    doc, issues = load("[" * 50 + "]" * 50)
    assert issues == []


def test_located_values_built_in_code_point_at_the_top_of_the_file():
    m = LocatedMap(a=1)
    assert (m.line, m.line_of("a"), m.key_lines) == (1, 1, {})
    seq = LocatedList(["x", "y"])
    assert (seq.line, seq.item_lines) == (1, [1, 1])


def test_characters_yaml_refuses_are_an_issue_not_a_crash() -> None:
    issues = IssueSet()
    assert load_yaml("a: 1\x00\n", "k.yaml", issues) is None
    (issue,) = issues.errors
    assert issue.file == "k.yaml" and "not valid YAML" in issue.message
