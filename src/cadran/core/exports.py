"""Export types: how a platform's export file maps onto Cadran's entities, as data.

An export type says which header names (in every interface language) feed which entity field,
how each value is written (a count, a percentage, a date in some format...), which rows are not
data (a totals row), how to find the account, and what makes the export recognisable. The
definitions live in ``definitions/exports/*.yaml``; this module is their model and the pure
logic that recognises a table of cells as one of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum


class Parse(Enum):
    """How the text of a cell is read."""

    TEXT = "text"
    ID = "id"  # a platform id: digits or text, never a number in float form
    COUNT = "count"  # a whole number >= 0 ("312.0" is accepted: some exports write floats)
    SIGNED = "signed"  # a whole number that may be negative (net subscribers)
    NUMBER = "number"  # any finite number
    PERCENT = "percent"  # a percentage ("1.8%" or "7.28"), stored as a fraction (0.018)
    DATE = "date"
    TIMESTAMP = "timestamp"
    DAY_MONTH = "day_month"  # a localised date without a year ("8 de marzo", "April 12")
    DURATION = "duration"  # H:MM:SS or M:SS, stored in seconds
    BOOLEAN = "boolean"  # true/false, yes/no, oui/non, 1/0


@dataclass(frozen=True)
class ColumnRule:
    """Where one field's values come from and how they are read."""

    field: str
    headers: tuple[str, ...]  # normalised header names, any of which feeds the field
    parse: Parse
    formats: tuple[str, ...] = ()  # strptime formats for dates and timestamps
    blank: str | None = None  # what an empty cell means ("0" where exports write zeros so)
    nulls: tuple[str, ...] = ()  # texts meaning "no value" ("-", "NA")
    describes: str | None = None  # the description row text that tells duplicates apart
    decimal_comma: bool = False
    decimal_auto: bool = False  # a comma is the decimal mark when the text has no dot
    excel_serial: bool = False  # dates may be Excel serial day numbers
    utc: bool = False  # timestamps without an offset are in UTC (else the workspace zone)
    pattern: str | None = None  # a regular expression; the value is its first group


class AccountSource(Enum):
    """Where the account handle of an export is found."""

    FILENAME = "filename"
    FIELD = "field"


@dataclass(frozen=True)
class AccountRule:
    """One place to look for the account: the file name, or a field's values."""

    source: AccountSource
    pattern: str
    field: str | None = None


@dataclass(frozen=True)
class SkipRule:
    """Rows that are not data: a field holding one of ``values`` (normalised), or empty."""

    field: str
    values: tuple[str, ...] = ()
    empty: bool = False
    reason: str = "a totals row"


@dataclass(frozen=True)
class PeriodRule:
    """The period a whole table covers, read from its comment lines (GA4)."""

    start: str  # label of the comment line ("Start date")
    end: str
    format: str  # strptime format of the value ("%Y%m%d")


@dataclass(frozen=True)
class ExportType:
    """One kind of export file and how it maps onto an entity."""

    id: str
    name: str
    entity: str
    platform: str | None
    rules: tuple[ColumnRule, ...]
    detect: tuple[str, ...]  # fields whose columns must all be present
    header_search: int = 1  # the header is one of the first N rows
    description_row: bool = False  # a row under the header describes each column
    account: tuple[AccountRule, ...] = ()
    skip: tuple[SkipRule, ...] = ()
    constants: Mapping[str, str] = field(default_factory=dict)
    refuse: str | None = None  # recognised, but not importable: why
    update_only: bool = False  # rows complete records another table of the file created
    key_from: tuple[str, ...] = ()  # fields hashed into native_id when the export has no id
    metrics: tuple[ColumnRule, ...] = ()  # long shape: each column is a metric
    metrics_rest: ColumnRule | None = None  # long shape: every unmapped column is a metric
    dimension_from: str | None = None  # long shape: the dimension is this field's header
    dimension_into: str = "dimension"  # the field the dimension (a header) goes to
    first_column: str | None = None  # this field is the first column, whatever its header
    metric_into: str = "metric"  # long shape: the field a metric's name goes to
    value_into: str = "value"  # long shape: the field a metric's value goes to
    detect_value: tuple[str, str] | None = None  # (field, text its first value contains)
    period: PeriodRule | None = None
    needs_year: bool = False
    note: str = ""
    file: str = ""

    @property
    def is_long(self) -> bool:
        """Whether columns become rows (one per segment and metric)."""
        return bool(self.metrics) or self.metrics_rest is not None

    def rule(self, name: str) -> ColumnRule | None:
        """The rule feeding field ``name``."""
        return next((r for r in self.rules if r.field == name), None)


def normalize_header(text: str | None) -> str:
    """Header text compared case- and spacing-insensitively, without a trailing colon."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\xa0", " ")
    text = " ".join(text.split()).lower()
    return text.rstrip(": ").strip()


def metric_name(header: str) -> str:
    """A snake_case metric name from a header ("Watch time (hours)" -> "watch_time_hours")."""
    text = unicodedata.normalize("NFKD", normalize_header(header))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "value"


@dataclass(frozen=True)
class Layout:
    """Where an export's fields are in a table of cells."""

    export: ExportType
    header_index: int  # index of the header row in the table's rows
    data_index: int  # index of the first data row
    columns: Mapping[str, int]  # field -> 0-based column
    metric_columns: tuple[tuple[str, int, ColumnRule], ...] = ()  # long shape
    dimension: str | None = None  # long shape: the dimension name from a header
    headers: tuple[str, ...] = ()  # the header row as written

    def raw_columns(self, width: int) -> list[int]:
        """The 1-based numbers of the columns an import reads (at least one, within width)."""
        used = {c + 1 for c in self.columns.values()} | {c + 1 for _, c, _ in self.metric_columns}
        return sorted(c for c in used if c <= width) or [1]


@dataclass(frozen=True)
class Candidate:
    """How close a table came to an export type, for 'not recognised' messages."""

    export: ExportType
    found: int
    missing: tuple[str, ...]  # header names of the detect fields not found


def _find(
    rule: ColumnRule, headers: Sequence[str], descriptions: Sequence[str] | None
) -> int | None:
    positions = [
        i
        for i, h in enumerate(headers)
        if h and any(h == a or (a.endswith("*") and h.startswith(a[:-1])) for a in rule.headers)
    ]
    if rule.describes and descriptions is not None:
        wanted = rule.describes.lower()
        positions = [i for i in positions if wanted in descriptions[i].lower()]
    return positions[0] if positions else None


def _descriptions(row: Sequence[str | None], width: int) -> list[str]:
    """Description texts per column; a blank cell continues the description on its left
    (Facebook writes it once for a group of breakdown columns)."""
    out: list[str] = []
    last = ""
    for i in range(width):
        cell = row[i] if i < len(row) else None
        if cell is not None and cell.strip():
            last = cell.strip()
        out.append(last if i > 0 else (cell or "").strip())
    return out


def locate(
    export: ExportType, rows: Sequence[Sequence[str | None]], comments: Sequence[str] = ()
) -> tuple[Layout | None, Candidate]:
    """Where ``export``'s fields are in ``rows``, or None with how close it came."""
    best = Candidate(export, -1, ())
    if export.period is not None:
        labels = {line.partition(":")[0].strip().lower() for line in comments}
        if export.period.start.lower() not in labels:
            return None, best
    for index in range(min(export.header_search, len(rows))):
        raw = rows[index]
        headers = [normalize_header(c) for c in raw]
        descriptions = None
        if export.description_row and index + 1 < len(rows):
            descriptions = _descriptions(rows[index + 1], len(headers))
        columns: dict[str, int] = {}
        for rule in export.rules:
            at = _find(rule, headers, descriptions)
            if at is not None:
                columns[rule.field] = at
        missing = tuple(
            r.headers[0]
            for r in export.rules
            if r.field in export.detect and r.field not in columns
        )
        found = sum(1 for f in export.detect if f in columns)
        if found > best.found:
            best = Candidate(export, found, missing)
        if missing or not columns:
            continue
        if export.detect_value is not None:
            wanted_field, wanted_text = export.detect_value
            at = columns.get(wanted_field)
            start = index + (2 if export.description_row else 1)
            first = rows[start] if start < len(rows) else ()
            cell = first[at] if at is not None and at < len(first) else None
            if cell is None or wanted_text.lower() not in cell.lower():
                continue
        used = set(columns.values())
        metrics: list[tuple[str, int, ColumnRule]] = []
        for rule in export.metrics:
            at = _find(rule, headers, descriptions)
            if at is not None:
                metrics.append((rule.field, at, rule))
                used.add(at)
        if export.metrics_rest is not None:
            for i, h in enumerate(headers):
                if i not in used and h:
                    metrics.append((metric_name(raw[i] or ""), i, export.metrics_rest))
        if export.is_long and not metrics:
            continue
        dimension = None
        if export.dimension_from is not None and export.dimension_from in columns:
            dimension = raw[columns[export.dimension_from]] or ""
        start = index + (2 if export.description_row else 1)
        layout = Layout(
            export,
            index,
            start,
            columns,
            tuple(metrics),
            dimension.strip() if dimension is not None else None,
            tuple((c or "") for c in raw),
        )
        return layout, Candidate(export, found, ())
    return None, best


def recognise(
    rows: Sequence[Sequence[str | None]],
    exports: Sequence[ExportType],
    platform: str | None = None,
    comments: Sequence[str] = (),
) -> tuple[Layout | None, list[Candidate]]:
    """The export type ``rows`` are, and the closest candidates when none fits.

    Among the types whose detect columns are all present, the one mapping the most columns
    wins (ties go to the earlier definition), so a richer export is never read as a poorer
    one that shares its first columns.
    """
    found: list[Layout] = []
    near: list[Candidate] = []
    for export in exports:
        if platform is not None and export.platform != platform:
            continue
        layout, candidate = locate(export, rows, comments)
        if layout is not None:
            found.append(layout)
        elif candidate.found > 0:
            near.append(candidate)
    if found:
        best = max(found, key=lambda lay: (len(lay.columns) + len(lay.metric_columns),))
        return best, []
    near.sort(key=lambda c: (-c.found / max(len(c.export.detect), 1), c.export.id))
    return None, near[:3]
