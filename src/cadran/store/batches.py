"""Import batches: listing them and undoing one.

Every write belongs to a batch (an import of one file, a demo build, a call of the Python API).
Undoing a batch deletes the rows it inserted and restores, from ``<table>_history``, the rows
it replaced, then forgets accounts and campaigns it created that nothing uses any more. A batch
whose rows were since replaced by a later batch cannot be undone before that later one: the
message names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cadran.core.errors import DataError
from cadran.store.entities import ENTITIES
from cadran.store.reported import REPORTED_SOURCES, refresh_reported_figures
from cadran.store.warehouse import Warehouse

# Tables written by entities, children before the parents they reference.
_FACT_TABLES = tuple(
    dict.fromkeys(
        e.table
        for e in ENTITIES.values()
        if e.table
        not in (
            "account",
            "campaign",
        )
    )
)
_PARENTS = {
    "account": (
        "account_id",
        (
            "post",
            "account_daily",
            "audience",
            "message",
            "mention",
            "recommendation",
            "segment_metric",
        ),
    ),
    "campaign": (
        "campaign_id",
        (
            "post",
            "web_traffic",
            "lead",
            "qualified_interaction",
            "customer",
            "revenue",
            "cost",
            "ad_insight",
            "touchpoint",
        ),
    ),
}


@dataclass(frozen=True)
class Batch:
    """One recorded import."""

    batch_id: int
    kind: str
    source: str
    export_type: str | None
    platform: str | None
    file_hash: str | None
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_skipped: int
    started_at: str
    finished_at: str | None
    user_name: str | None
    status: str
    note: str | None
    options: str | None


_COLUMNS = (
    "batch_id, kind, source, export_type, CAST(platform AS VARCHAR), file_hash, rows_read, "
    "rows_accepted, rows_rejected, coalesce(rows_skipped, 0), "
    "strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), "
    "strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), user_name, status, note, "
    "options"
)


def _batch(row: tuple[Any, ...]) -> Batch:
    return Batch(*row)


def list_batches(wh: Warehouse, *, include_undone: bool = True) -> list[Batch]:
    """Every batch, oldest first."""
    where = "" if include_undone else "WHERE status <> 'undone'"
    return [
        _batch(r) for r in wh.rows(f"SELECT {_COLUMNS} FROM import_batch {where} ORDER BY batch_id")
    ]


def get_batch(wh: Warehouse, batch_id: int) -> Batch:
    """The batch ``batch_id``, or an error naming the known range."""
    rows = wh.rows(f"SELECT {_COLUMNS} FROM import_batch WHERE batch_id = ?", [batch_id])
    if not rows:
        last = wh.scalar("SELECT max(batch_id) FROM import_batch")
        known = f"batches are numbered 1 to {last}" if last else "no batch was recorded yet"
        raise DataError(f"there is no batch {batch_id}: {known} (see `cadran import list`)")
    return _batch(rows[0])


def find_done_by_hash(wh: Warehouse, file_hash: str, options: str) -> Batch | None:
    """The batch that imported the same file with the same options and was not undone."""
    return _last_done(wh, "file_hash", file_hash, options)


def find_done_by_source(wh: Warehouse, source: str, options: str) -> Batch | None:
    """The last batch that imported a file of this name with the same options, not undone."""
    return _last_done(wh, "source", source, options)


def _last_done(wh: Warehouse, column: str, value: str, options: str) -> Batch | None:
    rows = wh.rows(
        f"SELECT {_COLUMNS} FROM import_batch WHERE {column} = ? AND options = ? "
        "AND status = 'done' ORDER BY batch_id DESC LIMIT 1",
        [value, options],
    )
    return _batch(rows[0]) if rows else None


@dataclass(frozen=True)
class UndoResult:
    """What undoing a batch did, per table."""

    batch_id: int
    deleted: dict[str, int]
    restored: dict[str, int]


def undo(wh: Warehouse, batch_id: int, *, now: datetime) -> UndoResult:
    """Undo batch ``batch_id`` in one transaction; nothing changes if any step fails."""
    batch = get_batch(wh, batch_id)
    if batch.status != "done":
        raise DataError(f"batch {batch_id} is {batch.status}: only a done batch can be undone")
    later = _later_batches(wh, batch_id)
    if later:
        raise DataError(
            f"batch {batch_id} cannot be undone yet: batch(es) {', '.join(map(str, later))} "
            f"changed rows it wrote; undo {later[-1]} first, then go back"
        )
    deleted: dict[str, int] = {}
    restored: dict[str, int] = {}
    with wh.transaction():
        for table in (*_FACT_TABLES, "campaign", "account"):
            if table in _PARENTS:
                gone = _drop_unused(wh, table, batch_id)
            else:
                gone = _count(wh, f"DELETE FROM {table} WHERE batch_id = {batch_id}")
            back = _count(
                wh,
                f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (superseded_by) "
                f"FROM {table}_history WHERE superseded_by = {batch_id}",
            )
            wh.con.execute(f"DELETE FROM {table}_history WHERE superseded_by = {batch_id}")
            if gone or back:
                deleted[table], restored[table] = gone, back
        wh.con.execute(f"DELETE FROM post_metrics_history WHERE superseded_by = {batch_id}")
        if REPORTED_SOURCES & deleted.keys():  # every table with rows deleted or restored
            refresh_reported_figures(wh)
        wh.con.execute(
            "UPDATE import_batch SET status = 'undone', note = concat_ws('; ', note, ?) "
            "WHERE batch_id = ?",
            [f"undone at {now:%Y-%m-%d %H:%M:%S}", batch_id],
        )
    return UndoResult(batch_id, deleted, restored)


def _count(wh: Warehouse, sql: str) -> int:
    row = wh.con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _later_batches(wh: Warehouse, batch_id: int) -> list[int]:
    """Batches that replaced rows ``batch_id`` wrote and are still in force."""
    union = " UNION ".join(
        f"SELECT superseded_by AS b FROM {t}_history WHERE batch_id = {batch_id}"
        for t in (*_FACT_TABLES, "campaign", "account")
    )
    rows = wh.rows(
        f"SELECT DISTINCT h.b FROM ({union}) h JOIN import_batch i ON i.batch_id = h.b "
        "WHERE i.status = 'done' ORDER BY h.b"
    )
    return [int(r[0]) for r in rows]


def _drop_unused(wh: Warehouse, table: str, batch_id: int) -> int:
    """Delete the accounts (campaigns) the batch created, refusing if others still use them."""
    key, children = _PARENTS[table]
    used = " OR ".join(f"EXISTS (SELECT 1 FROM {c} WHERE {c}.{key} = p.{key})" for c in children)
    name = "handle" if table == "account" else "name"
    still = wh.rows(
        f"SELECT p.{name} FROM {table} p WHERE p.batch_id = {batch_id} AND ({used}) LIMIT 3"
    )
    if still:
        names = ", ".join(repr(r[0]) for r in still)
        raise DataError(
            f"batch {batch_id} created {table} {names}, which rows of other batches use; "
            "undo those batches first"
        )
    return _count(wh, f"DELETE FROM {table} WHERE batch_id = {batch_id}")
