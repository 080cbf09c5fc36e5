"""Importing export files: recognise each table, read it with SQL, stage it, upsert it.

One file is one batch and one transaction: a file that fails leaves nothing behind. A dry run
does everything a real import does, then rolls back, so what it reports is exactly what an
import would do. Re-importing a file already imported with the same options is recognised by
its hash and changes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cadran.core.errors import DataError
from cadran.core.exports import Candidate, ExportType, Layout, recognise
from cadran.plan.imports import ImportQuery, import_query
from cadran.plan.sql import text as sql_text
from cadran.services.import_checks import (
    any_bad,
    find_problems,
    given_columns,
    require_columns,
)
from cadran.services.import_context import import_constants
from cadran.services.import_model import (  # re-exported: the API of imports
    PARSED,
    RAW,
    REJECTED,
    SOURCE,
    FileReport,
    ImportOptions,
    Progress,
    RefusedError,
    TableReport,
)
from cadran.sources.files import Table, drop_loaded, read_tables
from cadran.store.batches import Batch, find_done_by_hash, find_done_by_source
from cadran.store.entities import ENTITIES
from cadran.store.reported import REPORTED_SOURCES, refresh_reported_figures
from cadran.store.staging import STAGE, create_stage, missing_keys
from cadran.store.upsert import upsert
from cadran.store.warehouse import Warehouse


class _Unchanged(Exception):
    """The file was imported before under another name: nothing of this import is kept."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch


class _DryRun(Exception):
    def __init__(self, reports: list[TableReport]) -> None:
        self.reports = reports


def _unchanged(report: Callable[..., FileReport], done: Batch) -> FileReport:
    return report(
        "unchanged",
        f"already imported as batch {done.batch_id} on {done.started_at} UTC; nothing changed",
        batch_id=done.batch_id,
    )


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
    key = options.key()
    digest: str | None = None
    # A file whose name was imported before is hashed first: an import re-run over a folder
    # then skips the unchanged files without reading their rows.
    if not options.dry_run and find_done_by_source(wh, path.name, key) is not None:
        digest = file_hash(path)
        done = find_done_by_hash(wh, digest, key)
        if done is not None:
            return _unchanged(report, done)
    # The rows are read and parsed before the transaction: a read may be retried (the
    # parallel CSV reader refuses some files the serial one reads), and a failed statement
    # would abort it.
    try:
        loaded = [_load(wh, i, t, lay, options, progress) for i, (t, lay) in enumerate(found)]
    except DataError as exc:
        _drop_temps(wh, len(found))
        return report("failed", str(exc), tables=tuple(notes))
    first = found[0][1].export
    # A new name is hashed on the other core while the rows are written, where DuckDB leaves
    # it idle part of the time (reading the rows keeps both cores busy). A renamed copy of an
    # imported file is found then, and the transaction keeps nothing.
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = None if digest or options.dry_run else pool.submit(file_hash, path)
            with wh.transaction():
                batch = wh.new_batch(
                    f"export:{first.id}",
                    path.name,
                    user=options.user,
                    file_hash=digest,
                    export_type=",".join(dict.fromkeys(lay.export.id for _, lay in found)),
                    platform=first.platform,
                    options=key,
                )
                done_tables = [_import_table(wh, one, batch, options, progress) for one in loaded]
                # The stored spread of the reports follows them, in the same transaction.
                if any(
                    ENTITIES[r.entity].table in REPORTED_SOURCES and r.inserted + r.updated
                    for r in done_tables
                    if r.entity
                ):
                    refresh_reported_figures(wh)
                if hashing is not None:
                    digest = hashing.result()
                    done = find_done_by_hash(wh, digest, key)
                    if done is not None:
                        raise _Unchanged(done)
                wh.finish_batch(
                    batch,
                    read=sum(r.rows_read for r in done_tables),
                    accepted=sum(r.inserted + r.updated + r.unchanged for r in done_tables),
                    rejected=sum(r.rejected for r in done_tables),
                    skipped=sum(sum(r.skipped.values()) for r in done_tables),
                    file_hash=digest,
                )
                if options.dry_run:
                    raise _DryRun(done_tables)
    except _Unchanged as same:
        return _unchanged(report, same.batch)
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
        _drop_temps(wh, len(found))
    return report("imported", batch_id=batch, tables=(*done_tables, *notes))


def _raw_name(index: int) -> str:
    return f"{RAW}_{index}"


def _rows_name(index: int) -> str:
    return f"{PARSED}_rows_{index}"


@dataclass(frozen=True)
class _Loaded:
    """One table of the file, read and parsed into TEMP table ``rows``."""

    index: int
    table: Table
    layout: Layout
    query: ImportQuery
    read: int  # rows read
    start: int  # row number of the first data row
    width: int
    through: bool  # read straight from the file: ``rows`` has no cells, and rowid numbers it

    @property
    def rows(self) -> str:
        return _rows_name(self.index)

    def numbered(self) -> str:
        """The parsed rows, with ``_row`` their row number in the file."""
        if not self.through:
            return self.rows
        return f"(SELECT * REPLACE (rowid + {self.start} AS _row) FROM {self.rows})"

    def cells(self, wh: Warehouse) -> str:
        """The view of the table's cells (``c<i>``, ``_row``), loading them if they were read
        straight through: only a file with problems to show needs them again."""
        name = _raw_name(self.index)
        if self.through and not wh.scalar(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]
        ):
            columns = self.layout.raw_columns(self.width)
            self.table.load(wh.con, name, self.start, self.width, columns)
        return name


def _load(
    wh: Warehouse,
    index: int,
    table: Table,
    layout: Layout,
    options: ImportOptions,
    progress: Progress | None,
) -> _Loaded:
    """Read and parse the cells of the columns the layout reads."""
    if progress:
        progress(f"{table.where}: reading", 0, 3)
    export = layout.export
    if export.needs_year and options.year is None:
        raise DataError(
            f"{table.where}: the dates have no year (e.g. {_first_value(table, layout)!r}) and "
            "the file does not say which; give the year of the first row with --year YYYY "
            "(the year is never guessed)"
        )
    width = max(len(layout.headers), 1)
    start = table.first_row + layout.data_index
    columns = layout.raw_columns(width)

    def query(raw: str) -> ImportQuery:
        return import_query(
            layout, raw, timezone=wh.timezone, year=options.year, key_from=export.key_from
        )

    parsed = query(_raw_name(index))
    if not parsed.ordered:
        # A large CSV is parsed as DuckDB reads it, without a copy of its cells.
        read = table.read_through(
            wh.con, _rows_name(index), start, width, columns, lambda cells: query(cells).parsed
        )
        if read is not None:
            return _Loaded(index, table, layout, parsed, read, start, width, through=True)
    read = table.load(wh.con, _raw_name(index), start, width, columns)
    wh.con.execute(f"CREATE OR REPLACE TEMP TABLE {_rows_name(index)} AS {parsed.parsed}")
    return _Loaded(index, table, layout, parsed, read, start, width, through=False)


def _drop_temps(wh: Warehouse, tables: int) -> None:
    for view in (STAGE, SOURCE, PARSED):
        wh.con.execute(f"DROP VIEW IF EXISTS {view}")
    wh.con.execute(f"DROP TABLE IF EXISTS {REJECTED}")
    for index in range(tables):
        wh.con.execute(f"DROP TABLE IF EXISTS {_rows_name(index)}")
        drop_loaded(wh.con, _raw_name(index))


# -- one table ------------------------------------------------------------------------------
def _import_table(
    wh: Warehouse,
    loaded: _Loaded,
    batch: int,
    options: ImportOptions,
    progress: Progress | None,
) -> TableReport:
    table, layout, query = loaded.table, loaded.layout, loaded.query
    export = layout.export
    ent = ENTITIES[export.entity]
    where = table.where
    constants = import_constants(wh, table, layout, ent, batch, options, loaded.rows)
    require_columns(table, layout, ent, constants)
    if progress:
        progress(f"{where}: checking", 1, 3)
    wh.con.execute(
        f"CREATE OR REPLACE TEMP VIEW {PARSED} AS "
        + query.with_constants(loaded.numbered(), constants)
    )
    problems, rejected_rows = find_problems(
        wh, table, layout, query, ent, options, constants, lambda: loaded.cells(wh)
    )
    skipped = {
        str(reason): int(n)
        for reason, n in wh.rows(
            f"SELECT _skip, count(*) FROM {PARSED} WHERE _skip IS NOT NULL GROUP BY 1"
        )
    }
    if progress:
        progress(f"{where}: writing", 2, 3)
    keep = f"_skip IS NULL AND NOT ({any_bad(query)})" if query.fields else "_skip IS NULL"
    if rejected_rows:
        keep += f" AND _row NOT IN (SELECT _row FROM {rejected_rows})"
    rejected = int(wh.scalar(f"SELECT count(*) FROM {rejected_rows}")) if rejected_rows else 0
    drop_loaded(wh.con, _raw_name(loaded.index))  # the cells are no longer needed
    given = given_columns(layout, ent, constants)
    _source(wh, query, layout, keep)
    create_stage(wh, ent, SOURCE, given, batch)
    if export.update_only:
        absent, shown = missing_keys(wh, ent)
        if absent:
            raise DataError(
                f"{where}: {absent} row(s) complete records that are not imported yet "
                f"({', '.join(shown)}); import the file's main table first"
            )
    result = upsert(wh, ent, STAGE, batch, numbered=True)
    for view in (STAGE, SOURCE, PARSED):
        wh.con.execute(f"DROP VIEW {view}")
    wh.con.execute(f"DROP TABLE {loaded.rows}")
    if progress:
        progress(f"{where}: done", 3, 3)
    return TableReport(
        where,
        export.id,
        export.name,
        ent.name,
        loaded.read,
        result.inserted,
        result.updated,
        result.unchanged,
        rejected,
        skipped,
        tuple(problems),
    )


def _first_value(table: Table, layout: Layout) -> str | None:
    """The first value of the table's first dated column, to show in a message."""
    col = next(
        (layout.columns[r.field] for r in layout.export.rules if r.field in layout.columns), 0
    )
    rows = table.rows[layout.data_index :]
    return next((row[col] for row in rows if col < len(row) and row[col]), None)


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
    metrics = len(layout.metric_columns)
    for i, (name, _col, _rule) in enumerate(layout.metric_columns):
        # A metric named into another field (a segment) is prefixed to that field's value.
        named = f"{sql_text(name)} || '.' || {into}" if into in layout.columns else sql_text(name)
        # Each row gives one row per metric: number them apart, for the ids of new rows.
        numbered = f"_row * {metrics} + {i} AS _row"
        parts.append(
            f"SELECT * REPLACE ({named} AS {into}, {numbered}), v_m{i} AS {value} "
            f"FROM {PARSED} WHERE {keep} AND v_m{i} IS NOT NULL"
            if into in layout.columns
            else f"SELECT * REPLACE ({numbered}), {named} AS {into}, v_m{i} AS {value} "
            f"FROM {PARSED} WHERE {keep} AND v_m{i} IS NOT NULL"
        )
    wh.con.execute(f"CREATE OR REPLACE TEMP VIEW {SOURCE} AS {' UNION ALL '.join(parts)}")


__all__ = [
    "FileReport",
    "ImportOptions",
    "Progress",
    "RefusedError",
    "TableReport",
    "expand_paths",
    "file_hash",
    "import_file",
]
