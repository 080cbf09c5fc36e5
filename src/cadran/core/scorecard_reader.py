"""Reading the fields of a scorecard file: labels, weights, counts, dates and id lists."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import yaml

from cadran.core.errors import PeriodError
from cadran.core.issues import IssueSet
from cadran.core.located import LocatedMap, load_yaml
from cadran.core.periods import Grain
from cadran.core.relative_dates import RELATIVE_DATE, relative_date
from cadran.core.rollup import Grouping, Missing
from cadran.core.spec import Bilingual, FieldReader, kind_of, suggest

__all__ = ["IndicatorDefaults", "ScorecardReader"]


class ScorecardReader(FieldReader):
    """A :class:`FieldReader` with the field kinds of scorecards."""

    def __init__(self, file: str, issues: IssueSet, as_of: date | None) -> None:
        super().__init__(file, issues)
        self.as_of = as_of

    def document(self, text: str, what: str, empty_hint: str) -> LocatedMap | None:
        """The top mapping of a YAML definition file, or None (the issues say why).

        ``what`` names the file in messages ("scorecard file"); ``empty_hint`` tells what to
        start an empty file from.
        """
        try:
            doc = load_yaml(text, self.file, self.issues)
        except yaml.YAMLError as exc:  # characters YAML refuses (NUL...) fail before parsing
            self.issues.error(f"not valid YAML: {exc}", file=self.file, line=1)
            return None
        if doc is None:
            if not self.issues:
                self.issues.error(f"the {what} is empty", file=self.file, line=1, hint=empty_hint)
            return None
        return self.mapping(doc, f"a {what}", 1)

    def reported(self, line: int) -> bool:
        """Whether an error of this file is already recorded on ``line``."""
        return any(i.file == self.file and i.line == line for i in self.issues.errors)

    def label(
        self, m: LocatedMap, key: str, where: str, *, required: bool = False
    ) -> Bilingual | None:
        """``{en: ..., fr: ...}``, or one text meaning the same in both languages."""
        if key in m and isinstance(m[key], str):
            text = self.text(m, key, where)
            return Bilingual(text, text) if text is not None else None
        if key in m and not isinstance(m[key], LocatedMap):
            self.error(
                f"{key!r} of {where} must be a text or {{en: ..., fr: ...}}",
                m.line_of(key),
                key,
            )
            return None
        return self.bilingual(m, key, where, required=required)

    def weight(self, m: LocatedMap, where: str, default: float = 1.0) -> float:
        """A weight: a number >= 0 (0 switches the item off in roll-ups)."""
        value = self.number(m, "weight", where)
        if value is None:
            return default
        if value < 0:
            self.error(
                f"'weight' of {where} must be 0 or more, got {value:g}",
                m.line_of("weight"),
                "weight",
                "weights are relative importances; 0 leaves the item out of roll-ups",
            )
            return default
        return value

    def count(self, m: LocatedMap, key: str, where: str) -> int | None:
        """A whole number of at least 1."""
        value = self.number(m, key, where)
        if value is None:
            return None
        if value != int(value) or value < 1:
            self.error(
                f"{key!r} of {where} must be a whole number of at least 1, got {value:g}",
                m.line_of(key),
                key,
            )
            return None
        return int(value)

    def day(self, m: LocatedMap, key: str, where: str) -> date | None:
        """A date: ``2026-12-31`` or a relative date such as ``+6 months``."""
        if key not in m:
            return None
        value = m[key]
        line = m.line_of(key)
        hint = "write a date as YYYY-MM-DD, or relative to the reference date as +6 months"
        if value is None and self.reported(line):
            return None  # the YAML value itself was refused (such as 2026-13-01)
        if isinstance(value, datetime):
            self.error(f"{key!r} of {where} must be a date without a time", line, key, hint)
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            text = value.strip()
            if RELATIVE_DATE.match(text.lower()):
                if self.as_of is None:
                    self.error(
                        f"{key!r} of {where} is relative ({text!r}) but no reference date "
                        "was given to count from",
                        line,
                        key,
                        "load the scorecard with as_of, or write the date as YYYY-MM-DD",
                    )
                    return None
                try:
                    return relative_date(text, self.as_of)
                except PeriodError as exc:
                    self.error(f"{key!r} of {where}: {exc}", line, key)
                    return None
            if len(text) == 10:
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    pass
        self.error(f"{key!r} of {where} must be a date, not {kind_of(value)}", line, key, hint)
        return None

    def ids(
        self, values: Iterable[str], allowed: Collection[str], what: str, m: LocatedMap, key: str
    ) -> None:
        """Report values that are not in ``allowed``."""
        for v in values:
            if v not in allowed:
                self.error(
                    f"unknown {what} {v!r} (expected one of {', '.join(allowed)})",
                    m.line_of(key),
                    key,
                    suggest(v, allowed),
                )


@dataclass
class IndicatorDefaults:
    """Settings every indicator inherits unless it says otherwise."""

    interval: Grain = Grain.MONTH
    grouping: Grouping = Grouping.LAST
    missing: Missing = Missing.NA
    start: date | None = None
    deadline: date | None = None
