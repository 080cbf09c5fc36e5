"""The exceptions Cadran raises. Each carries a message meant for a user, on one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadran.core.issues import IssueSet


class CadranError(Exception):
    """Base class of every error a user may see. ``str(error)`` is the message to show."""

    exit_code = 1


class UsageError(CadranError):
    """The request itself is wrong: an unknown KPI, a bad period, an unsupported breakdown."""

    exit_code = 2


class FormulaError(UsageError):
    """A formula could not be parsed or does not make sense.

    ``position`` is the 0-based character offset of the problem in ``formula`` when known.
    """

    def __init__(self, message: str, formula: str = "", position: int | None = None) -> None:
        self.formula = formula
        self.position = position
        self.reason = message
        where = f" at column {position + 1}" if position is not None else ""
        super().__init__(f"{message}{where}" if formula else message)

    def caret(self) -> str:
        """The formula with a caret under the problem, for multi-line displays."""
        if self.position is None:
            return self.formula
        return f"{self.formula}\n{' ' * self.position}^"


class PeriodError(UsageError):
    """A period, date or range could not be understood."""


class DefinitionError(CadranError):
    """Definition files (KPI catalogue, measures, workspace KPIs) hold problems."""

    def __init__(self, issues: IssueSet) -> None:
        self.issues = issues
        errors = issues.errors
        first = errors[0] if errors else None
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}" if first else "invalid definitions")


class WorkspaceError(CadranError):
    """The workspace folder is missing, empty, locked or from an incompatible version."""


class DataError(CadranError):
    """Input data is malformed: named file, row, column and value, and what was expected."""
