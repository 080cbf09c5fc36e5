"""Idempotent upserts of staged rows into an entity's table, keeping what they replace.

A stage is a DuckDB table holding the entity's columns (references already resolved to
ids). Rows are matched on the entity's natural key: new keys are inserted, rows whose values
changed are replaced (a value left NULL in the stage keeps the stored one), identical rows are
left alone, so writing the same rows twice changes nothing. Every replaced row is copied to
``<table>_history`` first, so that undoing the batch restores it exactly; a post's replaced
lifetime metrics also go to ``post_metrics_history``, the record of how its counts grew.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadran.plan.sql import literal
from cadran.store.entities import POST_METRICS, Entity
from cadran.store.warehouse import LOCAL_DATE_FROM, Warehouse, sql_text

# Lifetime metric columns of a post (and their origins), as the posts entity declares them.
_POST_METRICS = frozenset(c for f in POST_METRICS for c in (f.target, f"{f.target}_origin"))
_METRICS_HISTORY = ("post_id", *sorted(_POST_METRICS), "metrics_as_of", "metrics_batch_id")


@dataclass(frozen=True)
class UpsertResult:
    """How many staged rows were new, changed, or already stored as they are."""

    inserted: int
    updated: int
    unchanged: int


def _insert_new(
    wh: Warehouse,
    ent: Entity,
    stage: str,
    batch: int,
    key_cols: list[str],
    data_cols: list[str],
    defaults: dict[str, str | float | bool | None],
) -> UpsertResult:
    """The common case of an import of new rows: insert them straight from the stage."""
    table = ent.table
    select = [f"s.{c}" for c in key_cols]
    select += [
        f"coalesce(s.{c}, {literal(defaults[c])}) AS {c}" if c in defaults else f"s.{c}"
        for c in data_cols
    ]
    if ent.id_column:
        idc = ent.id_column
        # New ids follow the largest one, numbered by the rows' order (gaps are harmless).
        select.append(f"(SELECT coalesce(max({idc}), 0) FROM {table}) + s._row AS {idc}")
    select.append(f"{int(batch)} AS batch_id")
    if table in LOCAL_DATE_FROM:
        select.append(
            f"CAST(timezone({sql_text(wh.timezone)}, s.{LOCAL_DATE_FROM[table]}) AS DATE) "
            "AS local_date"
        )
    if table == "post":
        select.append(f"{int(batch)} AS metrics_batch_id")
    # The ids are computed above, so the rows need not be stored in the stage's order. Without
    # that constraint DuckDB's insert keeps both cores busy instead of waiting to write row
    # groups in order (1M-row X export: the insert 1.72 s -> 1.47 s, mean of 8 runs).
    wh.con.execute("SET preserve_insertion_order = false")
    try:
        row = wh.con.execute(
            f"INSERT INTO {table} BY NAME SELECT {', '.join(select)} FROM {stage} s"
        ).fetchone()
    finally:
        wh.con.execute("RESET preserve_insertion_order")
    return UpsertResult(int(row[0]) if row else 0, 0, 0)


def key_columns(ent: Entity) -> list[str]:
    """The columns of the natural key."""
    out = []
    for name in ent.key:
        f = ent.field(name)
        assert f is not None, f"{ent.name} has no field {name}"
        out.append(f.target)
    return out


def stage_columns(ent: Entity) -> list[str]:
    """Every column a stage of ``ent`` holds: fields, then origins of measured fields."""
    columns = [f.target for f in ent.fields]
    return columns + [f"{f.target}_origin" for f in ent.fields if f.measured]


def _numbered(stage: str, numbered: bool) -> str:
    """The stage with column ``_row`` numbering its rows in order, from 1 or more."""
    if numbered:
        return stage
    # A table's rowid numbers its rows without a window over all of them. Rows a transaction
    # has not committed yet number from 2^55, not 0: count from the first one so that ids stay
    # small (accounts and campaigns are INTEGER).
    return f"(SELECT *, rowid - (SELECT min(rowid) FROM {stage}) + 1 AS _row FROM {stage})"


def upsert(
    wh: Warehouse, ent: Entity, stage: str, batch: int, *, numbered: bool = False
) -> UpsertResult:
    """Write the rows of ``stage`` into ``ent``'s table, stamped with ``batch``.

    ``numbered``: the stage has a column ``_row`` numbering its rows (positive, increasing,
    gaps allowed), and may then be a view; otherwise it must be a table, numbered by rowid.
    A view is read as it is when every row is new (the common import of new rows: no copy of
    a million rows), and copied once into a table otherwise.
    Must run inside a transaction: the steps are only consistent together.
    """
    key_cols = key_columns(ent)
    data_cols = [c for c in stage_columns(ent) if c not in key_cols]
    table = ent.table

    def match(a: str, b: str) -> str:
        return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in key_cols)

    # New rows take the entity's defaults for what the stage leaves out (is_paid = false).
    defaults = {(f.target if (f := ent.field(k)) else k): v for k, v in ent.defaults.items()}
    empty = wh.scalar(f"SELECT count(*) = 0 FROM (SELECT 1 FROM {table} LIMIT 1)")
    stored = (
        0
        if empty
        else wh.scalar(f"SELECT count(*) FROM {stage} s JOIN {table} e ON {match('e', 's')}")
    )
    if not stored:
        source = _numbered(stage, numbered)
        return _insert_new(wh, ent, source, batch, key_cols, data_cols, defaults)
    if numbered:
        wh.con.execute(f"CREATE OR REPLACE TEMP TABLE _cadran_staged AS SELECT * FROM {stage}")
        stage = "_cadran_staged"
    merged = [f"s.{c} AS {c}" for c in key_cols]
    merged += [
        f"coalesce(s.{c}, e.{c}{', ' + literal(defaults[c]) if c in defaults else ''}) AS {c}"
        for c in data_cols
    ]
    if ent.id_column:
        idc = ent.id_column
        # New rows get ids after the largest one, numbered by their row in the stage (a
        # running count would sort the whole stage; gaps in surrogate ids are harmless).
        merged.append(
            f"CASE WHEN e.{idc} IS NULL THEN (SELECT coalesce(max({idc}), 0) FROM {table}) "
            f"+ s._row ELSE e.{idc} END AS {idc}"
        )
    merged.append("e.batch_id IS NULL AS _is_new")
    wh.con.execute(
        "CREATE OR REPLACE TEMP TABLE _cadran_merged AS SELECT "
        + ", ".join(merged)
        + f" FROM {_numbered(stage, numbered)} s "
        f"LEFT JOIN {table} e ON {match('e', 's')}"
    )
    same = " AND ".join(f"m.{c} IS NOT DISTINCT FROM e.{c}" for c in data_cols) or "TRUE"
    wh.con.execute(
        "CREATE OR REPLACE TEMP TABLE _cadran_changed AS SELECT m.* FROM _cadran_merged m "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} e WHERE {match('e', 'm')} AND {same})"
    )
    total, changed, inserted = wh.con.execute(
        "SELECT (SELECT count(*) FROM _cadran_merged), count(*), coalesce(count_if(_is_new), 0) "
        "FROM _cadran_changed"
    ).fetchone() or (0, 0, 0)
    updated = int(changed) - int(inserted)
    extra = [f"{int(batch)} AS batch_id"]
    if table in LOCAL_DATE_FROM:
        instant = LOCAL_DATE_FROM[table]
        extra.append(f"CAST(timezone({sql_text(wh.timezone)}, m.{instant}) AS DATE) AS local_date")
    source = "_cadran_changed m"
    if updated:
        # Keep the rows about to be replaced, so that undoing this batch restores them.
        wh.con.execute(
            f"INSERT INTO {table}_history BY NAME SELECT e.*, {int(batch)} AS superseded_by "
            f"FROM {table} e JOIN _cadran_changed m ON {match('e', 'm')}"
        )
    if table == "post":
        metrics = [c for c in data_cols if c in _POST_METRICS]
        differs = " OR ".join(f"m.{c} IS DISTINCT FROM e.{c}" for c in metrics)
        if updated:
            cols = ", ".join(f"e.{c}" for c in _METRICS_HISTORY)
            wh.con.execute(
                f"INSERT INTO post_metrics_history ({', '.join(_METRICS_HISTORY)}, "
                f"superseded_by) SELECT {cols}, {int(batch)} FROM _cadran_changed m "
                f"JOIN post e ON {match('e', 'm')} WHERE {differs}"
            )
        extra.append(
            f"CASE WHEN e.post_id IS NULL OR {differs} THEN {int(batch)} "
            "ELSE e.metrics_batch_id END AS metrics_batch_id"
        )
        source = f"_cadran_changed m LEFT JOIN post e ON {match('e', 'm')}"
    wh.con.execute(
        "CREATE OR REPLACE TEMP TABLE _cadran_rows AS SELECT m.* EXCLUDE (_is_new), "
        + ", ".join(extra)
        + f" FROM {source}"
    )
    if updated:
        wh.con.execute(f"DELETE FROM {table} AS e USING _cadran_changed m WHERE {match('e', 'm')}")
    wh.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _cadran_rows")
    for temp in ("_cadran_merged", "_cadran_changed", "_cadran_rows", "_cadran_staged"):
        wh.con.execute(f"DROP TABLE IF EXISTS {temp}")
    return UpsertResult(int(inserted), updated, int(total) - int(changed))
