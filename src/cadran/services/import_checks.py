"""Checking the parsed rows of an import: every bad value, missing value, unknown reference and
duplicated key, reported by row and column with what was expected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cadran.core.errors import DataError
from cadran.core.exports import Layout
from cadran.plan.imports import ImportQuery
from cadran.plan.sql import text as sql_text
from cadran.services.import_model import (
    MAX_PROBLEMS,
    PARSED,
    REJECTED,
    ImportOptions,
    RefusedError,
)
from cadran.sources.files import Table
from cadran.store.entities import Entity, FieldType
from cadran.store.staging import reference_lookup
from cadran.store.warehouse import Warehouse


def require_columns(
    table: Table, layout: Layout, ent: Entity, constants: dict[str, str | None]
) -> None:
    """Every field the entity requires has a column, a constant or a derived value."""
    export = layout.export
    if export.update_only:
        return
    derived = {"native_id"} if export.key_from else set()
    if export.is_long:
        derived |= {export.metric_into, export.value_into}
    for f in ent.fields:
        if not f.required or f.name in layout.columns or f.name in constants or f.name in derived:
            continue
        rule = export.rule(f.name)
        wanted = " or ".join(repr(h) for h in rule.headers) if rule else "a column"
        raise DataError(
            f"{table.where}: no column for {f.name!r} ({wanted}), which {ent.name} require; "
            "add the column, or map it in the mapping file"
        )


def any_bad(query: ImportQuery) -> str:
    return " OR ".join(f"_bad_{i}" for i in range(len(query.fields)))


def given_columns(layout: Layout, ent: Entity, constants: dict[str, str | None]) -> dict[str, str]:
    names = {f.name for f in ent.fields}
    given = {f: f for f in layout.columns if f in names}
    given.update({k: k for k in constants if k in names})
    if constants.get("account") is not None and "account" not in layout.columns:
        given["account"] = str(constants["account"])  # the id of the file's account
    for f in ent.fields:
        if f.type is FieldType.ENUM and f.name in given:
            given[f.name] = f"lower({f.name})"
    if layout.export.key_from:
        given["native_id"] = "native_id"
    if layout.export.is_long:
        given[layout.export.metric_into] = layout.export.metric_into
        given[layout.export.value_into] = layout.export.value_into
    return given


@dataclass(frozen=True)
class _Check:
    condition: str  # SQL over PARSED, true for a bad row
    column: int  # 1-based column of the file
    header: str
    expected: str
    fatal: bool = False


def _checks(
    layout: Layout, query: ImportQuery, ent: Entity, constants: dict[str, str | None]
) -> list[_Check]:
    checks = [
        _Check(f"_bad_{i}", f.column, f.header, f.expected, f.fatal)
        for i, f in enumerate(query.fields)
    ]
    bad = any_bad(query) or "FALSE"
    given = given_columns(layout, ent, constants)
    for f in ent.fields:
        if f.name not in layout.columns:
            continue
        col = layout.columns[f.name]
        header = layout.headers[col] if col < len(layout.headers) else ""
        if f.required and not layout.export.update_only:
            checks.append(
                _Check(
                    f"{f.name} IS NULL AND NOT ({bad})",
                    col + 1,
                    header,
                    "given (the value is required)",
                )
            )
        if f.ref in ("lead", "customer", "post"):
            lookup = reference_lookup(f.ref, f.name, given)
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND {lookup} IS NULL",
                    col + 1,
                    header,
                    f"a known {f.ref} (import the {f.ref}s first)",
                )
            )
        if f.non_negative:
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND {f.name} < 0",
                    col + 1,
                    header,
                    f"an amount of 0 or more ({ent.name} cannot be negative)",
                )
            )
        if f.type is FieldType.MONEY:
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND round({f.name}, 2) <> {f.name}",
                    col + 1,
                    header,
                    "an amount with at most 2 decimals",
                )
            )
        if f.name == "period_end" and "period_start" in layout.columns:
            checks.append(
                _Check(
                    "period_end < period_start",
                    col + 1,
                    header,
                    "a day on or after the period's start",
                )
            )
        if f.type is FieldType.ENUM:
            allowed = ", ".join(sql_text(v) for v in f.values)
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND lower({f.name}) NOT IN ({allowed})",
                    col + 1,
                    header,
                    f"one of {', '.join(f.values)}",
                )
            )
    return checks


def find_problems(
    wh: Warehouse,
    table: Table,
    layout: Layout,
    query: ImportQuery,
    ent: Entity,
    options: ImportOptions,
    constants: dict[str, str | None],
    cells: Callable[[], str],
) -> tuple[list[str], str | None]:
    """Every bad value, empty required value and duplicated key, by row and column.

    ``cells`` gives the relation of the table's cells as written (``c<i>``, ``_row``), to show
    bad values: it is only called when there are some.

    Raises when the file must be refused; with ``skip_bad_rows`` returns the problems and the
    name of a table of the rejected rows, else raises if there is any problem.
    """
    where = table.where
    checks = _checks(layout, query, ent, constants)
    problems: list[str] = []
    fatal: list[str] = []
    if checks:
        counts = wh.rows(
            "SELECT "
            + ", ".join(f"count_if({c.condition})" for c in checks)
            + f" FROM {PARSED} WHERE _skip IS NULL"
        )[0]
        for check, n in zip(checks, counts, strict=True):
            if not n:
                continue
            examples = wh.rows(
                f"SELECT p._row, r.c{check.column} FROM {PARSED} p JOIN {cells()} r USING (_row) "
                f"WHERE p._skip IS NULL AND ({check.condition}) ORDER BY p._row LIMIT 3"
            )
            shown = "; ".join(f"row {row}: {_shown(value)}" for row, value in examples)
            text = (
                f"column {check.column} {check.header!r}: {n} value(s) not {check.expected} "
                f"({shown})"
            )
            (fatal if check.fatal else problems).append(text)
    if not fatal:
        dup = _duplicates(wh, ent, layout)
        if dup:
            fatal.append(dup)
    if fatal:
        raise RefusedError(f"{where}: refused, {'; '.join(fatal)}; nothing was imported")
    if not problems:
        return [], None
    if not options.skip_bad_rows:
        more = len(problems) - MAX_PROBLEMS
        listed = "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise DataError(
            f"{where}: {listed}; nothing was imported "
            "(fix the file, or import the other rows with --skip-bad-rows)"
        )
    conds = " OR ".join(f"({c.condition})" for c in checks)
    wh.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {REJECTED} AS "
        f"SELECT _row FROM {PARSED} WHERE _skip IS NULL AND ({conds})"
    )
    return problems, REJECTED


def _shown(value: object) -> str:
    if value is None:
        return "empty"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _duplicates(wh: Warehouse, ent: Entity, layout: Layout) -> str | None:
    """Rows of the file sharing a natural key (they would be merged)."""
    keys = [k for k in ent.key if k in layout.columns or k == "native_id"]
    keys = [k for k in keys if k in layout.columns or layout.export.key_from]
    if not keys or layout.export.is_long:
        return None
    cols = ", ".join(keys)
    kept = f"_skip IS NULL AND {' AND '.join(k + ' IS NOT NULL' for k in keys)}"
    # Counting first, without the rows of every key, keeps a clean million-row file cheap.
    shared = wh.rows(
        f"SELECT {cols} FROM {PARSED} WHERE {kept} GROUP BY ALL HAVING count(*) > 1 "
        "ORDER BY ALL LIMIT 3"
    )
    if not shared:
        return None
    rows = wh.rows(
        f"SELECT {cols}, list(_row ORDER BY _row)[1:3], count(*) FROM {PARSED} "
        f"WHERE {kept} AND ({' OR '.join(_key_match(keys, r) for r in shared)}) "
        "GROUP BY ALL ORDER BY ALL"
    )
    shown = "; ".join(
        f"{' / '.join(str(v) for v in r[:-2])} on rows {', '.join(map(str, r[-2]))}" for r in rows
    )
    return f"several rows have the same {' + '.join(keys)} ({shown})"


def _key_match(keys: list[str], values: tuple[object, ...]) -> str:
    """SQL true for the rows whose ``keys`` hold ``values`` (none of them NULL)."""
    return (
        "("
        + " AND ".join(f"{k} = {sql_text(str(v))}" for k, v in zip(keys, values, strict=True))
        + ")"
    )
