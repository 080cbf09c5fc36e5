"""Problems found while validating definitions, gathered so that all are reported at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum


class Level(Enum):
    """How serious an issue is: errors stop loading, warnings are shown."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as the input allows."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    level: Level = Level.ERROR
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where} line {self.line}" if where else f"line {self.line}"
        if self.field:
            where += f" ({self.field})" if where else self.field
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}; {self.hint}" if self.hint else text


@dataclass
class IssueSet:
    """An ordered collection of issues. Validation appends; callers decide whether to raise."""

    items: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        """Record one issue."""
        self.items.append(issue)

    def error(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record an error at the given place."""
        self.items.append(Issue(message, file, line, field, Level.ERROR, hint))

    def warning(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record a warning at the given place."""
        self.items.append(Issue(message, file, line, field, Level.WARNING, hint))

    def extend(self, issues: Iterable[Issue]) -> None:
        """Record several issues."""
        self.items.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        """The issues that stop loading."""
        return [i for i in self.items if i.level is Level.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues worth showing that do not stop loading."""
        return [i for i in self.items if i.level is Level.WARNING]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_errors(self) -> None:
        """Raise :class:`DefinitionError` carrying every issue if any of them is an error."""
        if self.errors:
            from cadran.core.errors import DefinitionError

            raise DefinitionError(self)
