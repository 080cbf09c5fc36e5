"""Importing export files: recognise each table, read it with SQL, stage it, upsert it.

One file is one batch and one transaction: a file that fails leaves nothing behind. A dry run
does everything a real import does, then rolls back, so what it reports is exactly what an
import would do. Re-importing a file already imported with the same options is recognised by
its hash and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from cadran.core.errors import DataError
from cadran.core.exports import AccountSource, Candidate, ExportType, Layout, recognise
from cadran.plan.imports import ImportQuery, import_query
from cadran.sources.files import Table, read_tables
from cadran.store.batches import find_done_by_hash
from cadran.store.entities import ENTITIES, Entity, FieldType
from cadran.store.staging import (
    STAGE,
    create_stage,
    ensure_account,
    missing_keys,
    reference_lookup,
)
from cadran.store.upsert import upsert
from cadran.store.warehouse import Warehouse

MAX_PROBLEMS = 12
RAW = "_cadran_raw"
PARSED = "_cadran_parsed"
SOURCE = "_cadran_source"
# Called with (what is being done, rows done, rows in all) for progress bars.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """What the user told the import about the files."""

    platform: str | None = None
    account: str | None = None
    year: int | None = None
    as_of: date | None = None
    dry_run: bool = False
    skip_bad_rows: bool = False
    user: str | None = None
    currency: str | None = None
    mapping: str | None = None  # hash of the mapping file used, if any

    def key(self) -> str:
        """The options that change what a file imports, as recorded with its batch."""
        given = {
            "platform": self.platform,
            "account": self.account,
            "year": self.year,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "skip_bad_rows": self.skip_bad_rows or None,
            "mapping": self.mapping,
        }
        return json.dumps({k: v for k, v in given.items() if v is not None}, sort_keys=True)


@dataclass(frozen=True)
class TableReport:
    """What happened to one table of a file."""

    where: str
    export_type: str | None = None
    export_name: str | None = None
    entity: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    note: str | None = None  # why it was not imported


@dataclass(frozen=True)
class FileReport:
    """What happened to one file."""

    path: Path
    status: str  # imported, unchanged, refused, failed, dry-run
    message: str | None = None
    batch_id: int | None = None
    tables: tuple[TableReport, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the file was (or, in a dry run, would be) imported."""
        return self.status in ("imported", "unchanged", "dry-run")


class RefusedError(DataError):
    """A file that must not be imported at all (ids mangled by a spreadsheet...)."""


class _DryRun(Exception):
    def __init__(self, reports: list[TableReport]) -> None:
        self.reports = reports


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files given, and the files inside folders given (sorted, hidden ones left out)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        elif p.is_file():
            out.append(p)
        else:
            raise DataError(f"{p}: no such file or folder")
    return out


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates_text(near: Sequence[Candidate]) -> str:
    if not near:
        return "no known export has these columns"
    best = near[0]
    return (
        f"closest is {best.export.name} ({best.export.id}), but columns "
        f"{', '.join(repr(m) for m in best.missing)} are missing"
    )


def _recognise(
    tables: Sequence[Table], exports: Sequence[ExportType], platform: str | None
) -> tuple[list[tuple[Table, Layout]], list[TableReport]]:
    found: list[tuple[Table, Layout]] = []
    notes: list[TableReport] = []
    for t in tables:
        layout, near = recognise(t.rows, exports, platform, t.comments)
        if layout is None:
            notes.append(TableReport(t.where, note=f"not recognised: {_candidates_text(near)}"))
        elif layout.export.refuse:
            notes.append(
                TableReport(
                    t.where,
                    layout.export.id,
                    layout.export.name,
                    note=f"recognised as {layout.export.name}, not imported: "
                    f"{layout.export.refuse}",
                )
            )
        else:
            found.append((t, layout))
    return found, notes


def import_file(
    wh: Warehouse,
    path: Path,
    exports: Sequence[ExportType],
    options: ImportOptions,
    progress: Progress | None = None,
) -> FileReport:
    """Import one file as one batch (or, in a dry run, report what that would do)."""
    started = time.perf_counter()

    def report(status: str, message: str | None = None, **kw: object) -> FileReport:
        return FileReport(
            path,
            status,
            message,
            seconds=time.perf_counter() - started,
            **kw,  # type: ignore[arg-type]
        )

    try:
        tables = read_tables(path)
    except DataError as exc:
        return report("failed", str(exc))
    if not tables:
        return report("refused", f"{path.name}: the file holds no table")
    found, notes = _recognise(tables, exports, options.platform)
    if not found:
        reasons = "; ".join(f"{n.where}: {n.note}" for n in notes)
        return report("refused", reasons, tables=tuple(notes))
    digest = file_hash(path)
    first = found[0][1].export
    if not options.dry_run:
        done = find_done_by_hash(wh, digest, options.key())
        if done is not None:
            return report(
                "unchanged",
                f"already imported as batch {done.batch_id} on {done.started_at} UTC; "
                "nothing changed",
                batch_id=done.batch_id,
            )
    try:
        with wh.transaction():
            batch = wh.new_batch(
                f"export:{first.id}",
                path.name,
                user=options.user,
                file_hash=digest,
                export_type=",".join(dict.fromkeys(lay.export.id for _, lay in found)),
                platform=first.platform,
                options=options.key(),
            )
            done_tables = [_import_table(wh, t, lay, batch, options, progress) for t, lay in found]
            wh.finish_batch(
                batch,
                read=sum(r.rows_read for r in done_tables),
                accepted=sum(r.inserted + r.updated + r.unchanged for r in done_tables),
                rejected=sum(r.rejected for r in done_tables),
                skipped=sum(sum(r.skipped.values()) for r in done_tables),
            )
            if options.dry_run:
                raise _DryRun(done_tables)
    except _DryRun as dry:
        return report("dry-run", tables=(*dry.reports, *notes))
    except RefusedError as exc:
        return report("refused", str(exc), tables=tuple(notes))
    except DataError as exc:
        return report("failed", str(exc), tables=tuple(notes))
    except (duckdb.ConstraintException, duckdb.ConversionException) as exc:
        # A value the checks above let through but the table refuses: still the file's fault.
        reason = str(exc).splitlines()[0]
        return report("failed", f"{path.name}: {reason}; nothing was imported")
    finally:
        _drop_temps(wh)
    return report("imported", batch_id=batch, tables=(*done_tables, *notes))


def _drop_temps(wh: Warehouse) -> None:
    for name in (SOURCE,):
        wh.con.execute(f"DROP VIEW IF EXISTS {name}")
    for name in (STAGE, PARSED, RAW, "_cadran_rejected"):
        wh.con.execute(f"DROP TABLE IF EXISTS {name}")


# -- one table ------------------------------------------------------------------------------
def _import_table(
    wh: Warehouse,
    table: Table,
    layout: Layout,
    batch: int,
    options: ImportOptions,
    progress: Progress | None,
) -> TableReport:
    export = layout.export
    ent = ENTITIES[export.entity]
    where = table.where
    width = max(len(layout.headers), 1)
    if progress:
        progress(f"{where}: reading", 0, 3)
    read = table.load(wh.con, RAW, table.first_row + layout.data_index, width)
    constants = _constants(wh, table, layout, ent, batch, options)
    _require_columns(table, layout, ent, constants)
    year = options.year
    if export.needs_year and year is None:
        raise DataError(
            f"{where}: the dates have no year (e.g. {_first_value(wh, layout)!r}) and the "
            "file does not say which; give the year of the first row with --year YYYY "
            "(the year is never guessed)"
        )
    query = import_query(
        layout,
        RAW,
        timezone=wh.timezone,
        year=year,
        constants=constants,
        key_from=export.key_from,
    )
    if progress:
        progress(f"{where}: checking", 1, 3)
    wh.con.execute(f"CREATE OR REPLACE TEMP TABLE {PARSED} AS {query.parsed}")
    problems, rejected_rows = _problems(wh, table, layout, query, ent, options, constants)
    skipped = {
        str(reason): int(n)
        for reason, n in wh.rows(
            f"SELECT _skip, count(*) FROM {PARSED} WHERE _skip IS NOT NULL GROUP BY 1"
        )
    }
    if progress:
        progress(f"{where}: writing", 2, 3)
    keep = f"_skip IS NULL AND NOT ({_any_bad(query)})" if query.fields else "_skip IS NULL"
    if rejected_rows:
        keep += f" AND _row NOT IN (SELECT _row FROM {rejected_rows})"
    rejected = int(wh.scalar(f"SELECT count(*) FROM {rejected_rows}")) if rejected_rows else 0
    wh.con.execute(f"DROP TABLE {RAW}")  # the cells are no longer needed: free the memory
    given = _given(layout, ent, constants)
    _source(wh, query, layout, keep)
    create_stage(wh, ent, SOURCE, given, batch)
    wh.con.execute(f"DROP VIEW {SOURCE}")
    wh.con.execute(f"DROP TABLE {PARSED}")
    if export.update_only:
        absent, shown = missing_keys(wh, ent)
        if absent:
            raise DataError(
                f"{where}: {absent} row(s) complete records that are not imported yet "
                f"({', '.join(shown)}); import the file's main table first"
            )
    result = upsert(wh, ent, STAGE, batch)
    if progress:
        progress(f"{where}: done", 3, 3)
    return TableReport(
        where,
        export.id,
        export.name,
        ent.name,
        read,
        result.inserted,
        result.updated,
        result.unchanged,
        rejected,
        skipped,
        tuple(problems),
    )


def _require_columns(
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


def _first_value(wh: Warehouse, layout: Layout) -> str:
    col = next(
        (layout.columns[r.field] for r in layout.export.rules if r.field in layout.columns), 0
    )
    value = wh.scalar(f"SELECT c{col + 1} FROM {RAW} WHERE c{col + 1} IS NOT NULL LIMIT 1")
    return str(value)


def _any_bad(query: ImportQuery) -> str:
    return " OR ".join(f"_bad_{i}" for i in range(len(query.fields)))


def _given(layout: Layout, ent: Entity, constants: dict[str, str | None]) -> dict[str, str]:
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


def _source(wh: Warehouse, query: ImportQuery, layout: Layout, keep: str) -> None:
    """The rows to stage: kept rows, and in the long shape one row per metric."""
    if not layout.export.is_long:
        wh.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {SOURCE} AS SELECT * FROM {PARSED} WHERE {keep}"
        )
        return
    export = layout.export
    into, value = export.metric_into, export.value_into
    parts = []
    for i, (name, _col, _rule) in enumerate(layout.metric_columns):
        # A metric named into another field (a segment) is prefixed to that field's value.
        named = f"{_text(name)} || '.' || {into}" if into in layout.columns else _text(name)
        parts.append(
            f"SELECT * REPLACE ({named} AS {into}) , v_m{i} AS {value} FROM {PARSED} "
            f"WHERE {keep} AND v_m{i} IS NOT NULL"
            if into in layout.columns
            else f"SELECT *, {named} AS {into}, v_m{i} AS {value} FROM {PARSED} "
            f"WHERE {keep} AND v_m{i} IS NOT NULL"
        )
    wh.con.execute(f"CREATE OR REPLACE TEMP VIEW {SOURCE} AS {' UNION ALL '.join(parts)}")


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


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
    any_bad = _any_bad(query) or "FALSE"
    for f in ent.fields:
        if f.name not in layout.columns:
            continue
        col = layout.columns[f.name]
        header = layout.headers[col] if col < len(layout.headers) else ""
        if f.required and not layout.export.update_only:
            checks.append(
                _Check(
                    f"{f.name} IS NULL AND NOT ({any_bad})",
                    col + 1,
                    header,
                    "given (the value is required)",
                )
            )
        if f.ref in ("lead", "customer", "post"):
            lookup = reference_lookup(f.ref, f.name, _given(layout, ent, constants))
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND {lookup} IS NULL",
                    col + 1,
                    header,
                    f"a known {f.ref} (import the {f.ref}s first)",
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
            allowed = ", ".join(_text(v) for v in f.values)
            checks.append(
                _Check(
                    f"{f.name} IS NOT NULL AND lower({f.name}) NOT IN ({allowed})",
                    col + 1,
                    header,
                    f"one of {', '.join(f.values)}",
                )
            )
    return checks


def _problems(
    wh: Warehouse,
    table: Table,
    layout: Layout,
    query: ImportQuery,
    ent: Entity,
    options: ImportOptions,
    constants: dict[str, str | None],
) -> tuple[list[str], str | None]:
    """Every bad value, empty required value and duplicated key, by row and column.

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
                f"SELECT p._row, r.c{check.column} FROM {PARSED} p JOIN {RAW} r USING (_row) "
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
        "CREATE OR REPLACE TEMP TABLE _cadran_rejected AS "
        f"SELECT _row FROM {PARSED} WHERE _skip IS NULL AND ({conds})"
    )
    return problems, "_cadran_rejected"


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
    rows = wh.rows(
        f"SELECT {cols}, list(_row ORDER BY _row)[1:3], count(*) FROM {PARSED} "
        f"WHERE _skip IS NULL AND {' AND '.join(k + ' IS NOT NULL' for k in keys)} "
        "GROUP BY ALL HAVING count(*) > 1 ORDER BY 1 LIMIT 3"
    )
    if not rows:
        return None
    shown = "; ".join(
        f"{' / '.join(str(v) for v in r[:-2])} on rows {', '.join(map(str, r[-2]))}" for r in rows
    )
    return f"several rows have the same {' + '.join(keys)} ({shown})"


# -- constants: account, period, snapshot date ----------------------------------------------
def _constants(
    wh: Warehouse,
    table: Table,
    layout: Layout,
    ent: Entity,
    batch: int,
    options: ImportOptions,
) -> dict[str, str | None]:
    export = layout.export
    out: dict[str, str | None] = dict(export.constants)
    names = {f.name for f in ent.fields}
    if "platform" in names and export.platform:
        out["platform"] = export.platform
    if ent.field("account") is not None and export.platform:
        handle = options.account or _account_handle(wh, table, layout)
        # Every export of a platform is some account's, even where the table allows none.
        if handle is None:
            raise DataError(
                f"{table.where}: the export does not say which {export.platform} account it "
                "is from; give it with --account NAME"
            )
        out["account"] = str(ensure_account(wh, export.platform, handle, batch))
    if "currency" in names and "currency" not in layout.columns and "currency" not in out:
        out["currency"] = options.currency  # the workspace's, as for rows added from Python
    if export.period is not None:
        start, end = _period(table, export)
        out["period_start"], out["period_end"] = start.isoformat(), end.isoformat()
    if "as_of" in names and "as_of" not in layout.columns and "as_of" not in out:
        if options.as_of is None:
            raise DataError(
                f"{table.where}: the snapshot date is not in the file; give it with "
                "--as-of YYYY-MM-DD (the day the export was made)"
            )
        out["as_of"] = options.as_of.isoformat()
    if layout.dimension is not None and export.dimension_into not in out:
        out[export.dimension_into] = layout.dimension.lower()
    return out


def _account_handle(wh: Warehouse, table: Table, layout: Layout) -> str | None:
    for rule in layout.export.account:
        if rule.source is AccountSource.FILENAME:
            m = re.search(rule.pattern, table.path.name)
            if m and m.group(1):
                return m.group(1)
        elif rule.field is not None and rule.field in layout.columns:
            col = layout.columns[rule.field] + 1
            found = [
                str(r[0])
                for r in wh.rows(
                    f"SELECT DISTINCT regexp_extract(c{col}, {_text(rule.pattern)}, 1) AS h "
                    f"FROM {RAW} WHERE h <> '' ORDER BY h LIMIT 4"
                )
            ]
            if len(found) > 1:
                raise DataError(
                    f"{table.where}: rows belong to several accounts "
                    f"({', '.join(found[:3])}); import one account per file or give --account"
                )
            if found:
                return found[0]
    return None


def _period(table: Table, export: ExportType) -> tuple[date, date]:
    rule = export.period
    assert rule is not None
    values: dict[str, str] = {}
    for line in table.comments:
        label, _, value = line.partition(":")
        values[label.strip().lower()] = value.strip()
    got = []
    for label in (rule.start, rule.end):
        text = values.get(label.lower())
        if text is None:
            raise DataError(
                f"{table.where}: no '# {label}: ...' line above the table; expected the "
                "report's period in its comment lines"
            )
        try:
            got.append(datetime.strptime(text, rule.format).date())
        except ValueError:
            raise DataError(
                f"{table.where}: '# {label}: {text}' is not a date ({rule.format})"
            ) from None
    if got[1] < got[0]:
        raise DataError(f"{table.where}: the period ends ({got[1]}) before it starts ({got[0]})")
    return got[0], got[1]
