"""Reading fields out of located YAML with uniform, located error messages.

Loaders of definition files (measures, KPI catalogue, benchmarks) read each field through a
:class:`FieldReader`, which records a problem in the shared :class:`IssueSet` instead of raising,
so that one run reports every problem of every file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from cadran.core.issues import IssueSet
from cadran.core.located import LocatedList, LocatedMap

E = TypeVar("E", bound=Enum)

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class Bilingual:
    """A text in English and French."""

    en: str
    fr: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ('en' or 'fr')."""
        return self.fr if lang == "fr" else self.en


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


class FieldReader:
    """Reads typed fields of one definition file, recording problems in ``issues``."""

    def __init__(self, file: str, issues: IssueSet) -> None:
        self.file = file
        self.issues = issues

    def error(
        self, message: str, line: int | None, field: str | None = None, hint: str | None = None
    ) -> None:
        """Record an error in this file."""
        self.issues.error(message, file=self.file, line=line, field=field, hint=hint)

    def warning(self, message: str, line: int | None, field: str | None = None) -> None:
        """Record a warning in this file."""
        self.issues.warning(message, file=self.file, line=line, field=field)

    def mapping(self, value: Any, what: str, line: int | None) -> LocatedMap | None:
        """``value`` if it is a mapping, else an error."""
        if isinstance(value, LocatedMap):
            return value
        self.error(f"{what} must be a mapping (key: value), not {kind_of(value)}", line)
        return None

    def sequence(self, value: Any, what: str, line: int | None) -> LocatedList | None:
        """``value`` if it is a list, else an error."""
        if isinstance(value, LocatedList):
            return value
        self.error(f"{what} must be a list, not {kind_of(value)}", line)
        return None

    def known_keys(self, m: LocatedMap, allowed: Iterable[str], where: str) -> None:
        """Report keys of ``m`` that are not in ``allowed`` (typos would otherwise be ignored)."""
        allowed = list(allowed)
        for key in m:
            if key not in allowed:
                self.error(
                    f"unknown field {key!r} in {where}", m.line_of(key), key, suggest(key, allowed)
                )

    def text(
        self,
        m: LocatedMap,
        key: str,
        where: str,
        *,
        required: bool = True,
        default: str | None = None,
    ) -> str | None:
        """A non-empty text field."""
        if key not in m:
            if required:
                self.error(f"{where} has no {key!r}", m.line, key)
            return default
        value = m[key]
        if not isinstance(value, str) or not value.strip():
            self.error(
                f"{key!r} of {where} must be a non-empty text, not {kind_of(value)}",
                m.line_of(key),
                key,
            )
            return default
        return value.strip()

    def identifier(
        self, m: LocatedMap, key: str, where: str, *, required: bool = True
    ) -> str | None:
        """A snake_case identifier field."""
        value = self.text(m, key, where, required=required)
        if value is not None and not IDENTIFIER.match(value):
            self.error(
                f"{key!r} of {where} must be snake_case (a-z, 0-9, _), got {value!r}",
                m.line_of(key),
                key,
            )
            return None
        return value

    def number(
        self, m: LocatedMap, key: str, where: str, *, required: bool = False
    ) -> float | None:
        """A numeric field."""
        if key not in m:
            if required:
                self.error(f"{where} has no {key!r}", m.line, key)
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(
                f"{key!r} of {where} must be a number, not {kind_of(value)}", m.line_of(key), key
            )
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = float("inf")
        if number != number or number in (float("inf"), float("-inf")):
            self.error(f"{key!r} of {where} must be a finite number", m.line_of(key), key)
            return None
        return number

    def boolean(self, m: LocatedMap, key: str, where: str, *, default: bool) -> bool:
        """A true/false field."""
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.error(
                f"{key!r} of {where} must be true or false, not {kind_of(value)}",
                m.line_of(key),
                key,
            )
            return default
        return value

    def choice(
        self,
        m: LocatedMap,
        key: str,
        enum: type[E],
        where: str,
        *,
        required: bool = True,
        default: E | None = None,
    ) -> E | None:
        """A field whose value is one of an enumeration's values."""
        if key not in m:
            if required:
                self.error(f"{where} has no {key!r}", m.line, key)
            return default
        value = m[key]
        names = [str(e.value) for e in enum]
        if isinstance(value, str):
            for e in enum:
                if e.value == value:
                    return e
        self.error(
            f"{key!r} of {where} must be one of {', '.join(names)}; got {value!r}",
            m.line_of(key),
            key,
            suggest(str(value), names),
        )
        return default

    def bilingual(
        self, m: LocatedMap, key: str, where: str, *, required: bool = True
    ) -> Bilingual | None:
        """A field holding ``{en: ..., fr: ...}``."""
        if key not in m:
            if required:
                self.error(f"{where} has no {key!r} (give en and fr)", m.line, key)
            return None
        value = self.mapping(m[key], f"{key!r} of {where}", m.line_of(key))
        if value is None:
            return None
        self.known_keys(value, ("en", "fr"), f"{key!r} of {where}")
        en = self.text(value, "en", f"{key!r} of {where}")
        fr = self.text(value, "fr", f"{key!r} of {where}")
        if en is None or fr is None:
            return None
        return Bilingual(en, fr)

    def text_list(self, m: LocatedMap, key: str, where: str) -> tuple[str, ...]:
        """A list of texts (an absent field is an empty list)."""
        if key not in m:
            return ()
        value = m[key]
        if isinstance(value, str):
            return (value,)
        seq = self.sequence(value, f"{key!r} of {where}", m.line_of(key))
        if seq is None:
            return ()
        out: list[str] = []
        for item, line in zip(seq, seq.item_lines, strict=True):
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.error(
                    f"items of {key!r} in {where} must be texts, not {kind_of(item)}", line, key
                )
        return tuple(out)


def kind_of(value: object) -> str:
    """How a wrong value is shown in a message: ``nothing``, ``a list``, ``'x'``, ``3 (an int)``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, LocatedMap):
        return "a mapping"
    if isinstance(value, LocatedList):
        return "a list"
    if isinstance(value, str):
        return f"{value!r}" if value.strip() else "an empty text"
    kind = type(value).__name__
    article = "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"
    return f"{value!r} ({article} {kind})"
