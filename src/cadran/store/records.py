"""Writing rows of an entity: validation, reference resolution and idempotent upserts.

Every bad value is reported with its row (1-based), field, value and what was expected, and
nothing is written unless every row is valid. Rows are matched on their natural key: new keys
are inserted, known keys are updated (a value given replaces the stored one; a field left out
keeps it), so adding the same rows twice changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa

from cadran.core.errors import DataError
from cadran.core.spec import suggest
from cadran.store.entities import ENTITIES, Entity, Field, FieldType
from cadran.store.reported import REPORTED_SOURCES, refresh_reported_figures
from cadran.store.upsert import UpsertResult, stage_columns, upsert
from cadran.store.warehouse import Warehouse

ORIGINS = ("native", "computed", "estimated")
MAX_SHOWN = 5
_NUMBER_EXPECTED = {
    FieldType.INTEGER: "a whole number of 0 or more",
    FieldType.NUMBER: "a number",
    FieldType.SCORE: "a score from -1 to 1",
    FieldType.MONEY: "an amount with at most 2 decimals",
}
_TRUE = {"true", "yes", "oui", "1", "y", "t", "vrai"}
_FALSE = {"false", "no", "non", "0", "n", "f", "faux"}


@dataclass(frozen=True)
class WriteResult:
    """What a write did."""

    entity: str
    batch_id: int
    rows: int
    inserted: int
    updated: int


def entity(name: str) -> Entity:
    """The entity called ``name``, or an error listing the known ones."""
    found = ENTITIES.get(name)
    if found is None:
        hint = suggest(name, ENTITIES)
        raise DataError(
            f"unknown entity {name!r}: expected one of {', '.join(ENTITIES)}"
            + (f"; {hint}" if hint else "")
        )
    return found


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, row: int | None, field: str, value: object, expected: str) -> None:
        where = f"row {row + 1}, " if row is not None else ""
        shown = (
            repr(value)
            if not isinstance(value, str) or len(value) < 60
            else repr(value[:57] + "...")
        )
        self.items.append(f"{where}field {field!r}: {shown} is not {expected}")

    def raise_if_any(self) -> None:
        if self.items:
            more = len(self.items) - MAX_SHOWN
            text = "; ".join(self.items[:MAX_SHOWN])
            suffix = f" (and {more} more problem(s))" if more > 0 else ""
            raise DataError(f"{self.source}: {text}{suffix}; nothing was written")


def _is_missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or value is pd.NaT
        or (isinstance(value, str) and value.strip() == "")
    )


def _convert(f: Field, value: Any, tz: ZoneInfo) -> tuple[Any, str | None]:
    """(converted value, None) or (None, what was expected)."""
    t = f.type
    if t is FieldType.TEXT:
        text = str(value)
        return (None, "text without NUL characters") if "\x00" in text else (text.strip(), None)
    if t is FieldType.ENUM:
        text = str(value).strip().lower()
        return (text, None) if text in f.values else (None, f"one of {', '.join(f.values)}")
    if t is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, "true or false"
    if t in (FieldType.INTEGER, FieldType.NUMBER, FieldType.SCORE, FieldType.MONEY):
        expected = _NUMBER_EXPECTED[t]
        if isinstance(value, bool):
            return None, expected
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None, expected
        if not number.is_finite():
            return None, "a finite number"
        if t is FieldType.INTEGER:
            if number != number.to_integral_value() or number < 0:
                return None, expected
            return int(number), None
        if t is FieldType.SCORE and not -1 <= number <= 1:
            return None, expected
        if f.non_negative and number < 0:
            return None, "an amount of 0 or more"
        if t is FieldType.MONEY:
            if number != number.quantize(Decimal("0.01")) or abs(number) >= Decimal(10) ** 16:
                return None, expected
            return number.quantize(Decimal("0.01")), None
        return float(number), None
    if t is FieldType.DATE:
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        try:
            return date.fromisoformat(str(value).strip()), None
        except ValueError:
            return None, "a date YYYY-MM-DD"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None, "a date and time (ISO 8601, e.g. 2026-10-05T14:30:00+02:00)"
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC), None


def _records(rows: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(rows, pd.DataFrame):
        return [{str(k): v for k, v in r.items()} for r in rows.to_dict(orient="records")]
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping):
            raise DataError(f"row {i + 1} is a {type(r).__name__}, not a mapping of fields")
        out.append(dict(r))
    return out


def validate(
    ent: Entity,
    rows: pd.DataFrame | Iterable[Mapping[str, Any]],
    tz: ZoneInfo,
    source: str,
    origin: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Check and convert rows; every problem is reported at once, naming row and field."""
    problems = _Problems(source)
    records = _records(rows)
    if not records:
        raise DataError(f"{source}: no rows to add")
    known = {f.name for f in ent.fields}
    origin_fields = {f"{f.name}_origin" for f in ent.fields if f.measured}
    given: set[str] = set()
    for r in records:
        given.update(r)
    for name in sorted(given - known - origin_fields):
        problems.add(
            None,
            name,
            name,
            "a field of "
            + ent.name
            + (f" ({h})" if (h := suggest(name, known)) else "")
            + f"; known fields: {', '.join(sorted(known))}",
        )
    problems.raise_if_any()
    origin = dict(origin or {})
    for name, mark in origin.items():
        f = ent.field(name)
        if f is None or not f.measured:
            problems.add(None, f"origin[{name}]", name, "a measured field of " + ent.name)
        elif mark not in ORIGINS:
            problems.add(None, f"origin[{name}]", mark, f"one of {', '.join(ORIGINS)}")
    problems.raise_if_any()
    defaults = {**ent.defaults, **(defaults or {})}
    out: list[dict[str, Any]] = []
    for i, r in enumerate(records):
        row: dict[str, Any] = {}
        for f in ent.fields:
            value = r.get(f.name)
            if _is_missing(value):
                value = defaults.get(f.name)
            if _is_missing(value):
                if f.required:
                    problems.add(i, f.name, None, "given (the field is required)")
                row[f.name] = None
            else:
                converted, expected = _convert(f, value, tz)
                if expected is not None:
                    problems.add(i, f.name, value, expected)
                row[f.name] = converted
            if f.measured:
                mark = r.get(f"{f.name}_origin", origin.get(f.name, "native"))
                if _is_missing(mark) or row[f.name] is None:
                    row[f"{f.target}_origin"] = None
                elif mark not in ORIGINS:
                    problems.add(i, f"{f.name}_origin", mark, f"one of {', '.join(ORIGINS)}")
                else:
                    row[f"{f.target}_origin"] = mark
        out.append(row)
    seen: dict[tuple[Any, ...], int] = {}
    for i, row in enumerate(out):
        key = tuple(row[k] for k in ent.key)
        if key in seen:
            problems.add(i, "+".join(ent.key), key, f"a new key (row {seen[key] + 1} has it too)")
        seen[key] = i
    problems.raise_if_any()
    return out


class RecordWriter:
    """Writes validated rows of any entity into a warehouse, one transaction per call."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.wh = warehouse

    def write(
        self,
        name: str,
        rows: pd.DataFrame | Iterable[Mapping[str, Any]],
        *,
        source: str = "python api",
        origin: Mapping[str, str] | None = None,
        currency: str | None = None,
    ) -> WriteResult:
        """Validate and write rows of entity ``name``; all or nothing."""
        ent = entity(name)
        defaults = {"currency": currency} if currency and ent.field("currency") else None
        data = validate(ent, rows, ZoneInfo(self.wh.timezone), source, origin, defaults)
        with self.wh.transaction():
            batch = self.wh.new_batch("api", source)
            resolved = self._resolve(ent, data, batch, source)
            result = self._write_stage(ent, resolved, batch)
            if ent.table in REPORTED_SOURCES:  # their stored spread follows, in this transaction
                refresh_reported_figures(self.wh)
            self.wh.finish_batch(batch, read=len(data), accepted=result.inserted + result.updated)
        return WriteResult(name, batch, len(data), result.inserted, result.updated)

    # -- references -------------------------------------------------------------------------
    def _resolve(
        self, ent: Entity, data: list[dict[str, Any]], batch: int, source: str
    ) -> list[dict[str, Any]]:
        problems = _Problems(source)
        # Rows share few distinct references (one account, a few campaigns): look each up once.
        known: dict[tuple[object, ...], int | None] = {}
        for f in ent.fields:
            if f.ref is None:
                continue
            for i, row in enumerate(data):
                value = row.get(f.name)
                if value is None:
                    row[f.target] = None
                    continue
                key = (f.ref, value, row.get("platform"), row.get("account_id"))
                if key not in known:
                    known[key] = self._lookup(f.ref, value, row, batch)
                resolved = known[key]
                if resolved is None:
                    problems.add(i, f.name, value, f"a known {f.ref} (add the {f.ref}s first)")
                row[f.target] = resolved
        problems.raise_if_any()
        return data

    def _write_stage(self, ent: Entity, data: list[dict[str, Any]], batch: int) -> UpsertResult:
        columns = stage_columns(ent)
        stage = pd.DataFrame([{c: r.get(c) for c in columns} for r in data], columns=columns)
        types = dict(
            self.wh.rows(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ?",
                [ent.table],
            )
        )
        self.wh.con.register("_cadran_rows_in", _typed_arrow(stage, types))
        try:
            # upsert wants a table: its rowid numbers the new rows.
            self.wh.con.execute(
                "CREATE OR REPLACE TEMP TABLE _cadran_stage AS SELECT * FROM _cadran_rows_in"
            )
        finally:
            self.wh.con.unregister("_cadran_rows_in")
        try:
            return upsert(self.wh, ent, "_cadran_stage", batch)
        finally:
            self.wh.con.execute("DROP TABLE IF EXISTS _cadran_stage")

    def _lookup(self, ref: str, value: str, row: dict[str, Any], batch: int) -> int | None:
        wh = self.wh
        if ref == "account":
            platform = row.get("platform")
            found = wh.scalar(
                "SELECT account_id FROM account WHERE platform = ? AND handle = ?",
                [platform, value],
            )
            if found is None and platform is not None:
                found = wh.scalar("SELECT coalesce(max(account_id), 0) + 1 FROM account")
                wh.con.execute(
                    "INSERT INTO account (account_id, platform, handle, batch_id) "
                    "VALUES (?, ?, ?, ?)",
                    [found, platform, value, batch],
                )
            return None if found is None else int(found)
        if ref == "campaign":
            found = wh.scalar("SELECT campaign_id FROM campaign WHERE name = ?", [value])
            if found is None:
                found = wh.scalar("SELECT coalesce(max(campaign_id), 0) + 1 FROM campaign")
                wh.con.execute(
                    "INSERT INTO campaign (campaign_id, name, batch_id) VALUES (?, ?, ?)",
                    [found, value, batch],
                )
            return int(found)
        if ref == "post":
            # Rows without an account (touchpoints) name a post by its platform and id alone.
            found = wh.scalar(
                "SELECT post_id FROM post WHERE platform = ? AND native_id = ? "
                "AND (account_id = ? OR ? IS NULL)",
                [row.get("platform"), value, row.get("account_id"), row.get("account_id")],
            )
        else:
            table = {"customer": "customer", "lead": "lead"}[ref]
            found = wh.scalar(f"SELECT {table}_id FROM {table} WHERE native_id = ?", [value])
        return None if found is None else int(found)


def _typed_arrow(frame: pd.DataFrame, types: Mapping[str, str]) -> pa.Table:
    """Arrow columns typed like the target table (ENUMs as text; DuckDB casts on insert)."""
    arrays = {}
    for column in frame.columns:
        sql_type = types.get(column, "VARCHAR").upper()
        values = [None if _is_missing(v) else v for v in frame[column].tolist()]
        if sql_type in ("BIGINT", "INTEGER"):
            arrays[column] = pa.array(values, pa.int64())
        elif sql_type == "DOUBLE":
            arrays[column] = pa.array(values, pa.float64())
        elif sql_type.startswith("DECIMAL"):
            arrays[column] = pa.array(values, pa.decimal128(18, 2))
        elif sql_type == "BOOLEAN":
            arrays[column] = pa.array(values, pa.bool_())
        elif sql_type == "DATE":
            arrays[column] = pa.array(values, pa.date32())
        elif sql_type.startswith("TIMESTAMP"):
            arrays[column] = pa.array(values, pa.timestamp("us", tz="UTC"))
        else:
            arrays[column] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(arrays)
