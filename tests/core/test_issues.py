"""Issues gathered during validation, and the error types users see."""

from __future__ import annotations

import pytest

from cadran.core.errors import (
    CadranError,
    DataError,
    DefinitionError,
    FormulaError,
    PeriodError,
    UsageError,
    WorkspaceError,
)
from cadran.core.issues import Issue, IssueSet, Level


@pytest.mark.parametrize(
    ("issue", "text"),
    [
        (Issue("bad"), "bad"),
        (Issue("bad", file="a.yaml"), "a.yaml: bad"),
        (Issue("bad", file="a.yaml", line=3), "a.yaml line 3: bad"),
        (Issue("bad", file="a.yaml", line=3, field="unit"), "a.yaml line 3 (unit): bad"),
        (Issue("bad", field="unit"), "unit: bad"),
        (Issue("bad", file="a.yaml", hint="did you mean 'x'?"), "a.yaml: bad; did you mean 'x'?"),
        pytest.param(
            Issue("bad", line=3),
            "line 3: bad",
        ),
        pytest.param(
            Issue("bad", line=3, field="unit"),
            "line 3 (unit): bad",
        ),
    ],
)
def test_issue_text(issue, text):
    assert str(issue) == text


def test_issue_set_keeps_order_and_levels():
    issues = IssueSet()
    assert not issues
    assert len(issues) == 0
    issues.error("e1", file="f", line=1)
    issues.warning("w1", file="f", line=2, hint="h")
    issues.add(Issue("e2"))
    issues.extend([Issue("w2", level=Level.WARNING), Issue("e3")])
    assert issues
    assert len(issues) == 5
    assert [i.message for i in issues] == ["e1", "w1", "e2", "w2", "e3"]
    assert [i.message for i in issues.errors] == ["e1", "e2", "e3"]
    assert [i.message for i in issues.warnings] == ["w1", "w2"]
    assert issues.items[1] == Issue("w1", "f", 2, None, Level.WARNING, "h")


def test_raise_if_errors_carries_every_issue():
    issues = IssueSet()
    issues.warning("only a warning")
    issues.raise_if_errors()  # warnings do not stop loading
    issues.error("first", file="a.yaml", line=2)
    issues.error("second")
    issues.error("third")
    with pytest.raises(DefinitionError) as info:
        issues.raise_if_errors()
    assert str(info.value) == "a.yaml line 2: first (and 2 more problem(s))"
    assert info.value.issues is issues
    assert info.value.exit_code == 1


def test_a_single_error_has_no_count():
    issues = IssueSet()
    issues.error("only", file="a.yaml")
    with pytest.raises(DefinitionError, match=r"^a\.yaml: only$"):
        issues.raise_if_errors()
    assert str(DefinitionError(IssueSet())) == "invalid definitions"


def test_error_hierarchy_and_exit_codes():
    assert issubclass(FormulaError, UsageError)
    assert issubclass(PeriodError, UsageError)
    for kind in (UsageError, DefinitionError, WorkspaceError, DataError):
        assert issubclass(kind, CadranError)
    assert UsageError.exit_code == 2
    assert CadranError.exit_code == WorkspaceError.exit_code == DataError.exit_code == 1


def test_formula_error_positions():
    error = FormulaError("bad", "a + ", 4)
    assert str(error) == "bad at column 5"
    assert (error.reason, error.formula, error.position) == ("bad", "a + ", 4)
    assert error.caret() == "a + \n    ^"
    assert str(FormulaError("bad", "a")) == "bad"
    assert FormulaError("bad", "a").caret() == "a"
    assert str(FormulaError("bad")) == "bad"
