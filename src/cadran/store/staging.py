"""Staging imported rows: typing them like their table and resolving references in SQL.

Imports produce rows with SQL, not Python objects, so that a million-row export never passes
through Python. This module turns such a query into a stage an upsert can read: each column
cast to its table's type, origins marked, accounts and campaigns resolved to their ids (new
ones created and stamped with the batch, so that undoing the batch removes them).
"""

from __future__ import annotations

from collections.abc import Mapping

from cadran.store.entities import Entity
from cadran.store.upsert import stage_columns
from cadran.store.warehouse import Warehouse

STAGE = "_cadran_import_stage"


def column_types(wh: Warehouse, table: str) -> dict[str, str]:
    """SQL type of each column of ``table``."""
    return {
        str(name): str(kind)
        for name, kind in wh.rows(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
            [table],
        )
    }


def ensure_account(wh: Warehouse, platform: str, handle: str, batch: int) -> int:
    """The id of the account ``handle`` on ``platform``, created (in ``batch``) if new."""
    found = wh.scalar(
        "SELECT account_id FROM account WHERE platform = ? AND handle = ?", [platform, handle]
    )
    if found is not None:
        return int(found)
    new_id = int(wh.scalar("SELECT coalesce(max(account_id), 0) + 1 FROM account"))
    wh.con.execute(
        "INSERT INTO account (account_id, platform, handle, batch_id) VALUES (?, ?, ?, ?)",
        [new_id, platform, handle, batch],
    )
    return new_id


def create_stage(
    wh: Warehouse, ent: Entity, source: str, given: Mapping[str, str], batch: int
) -> None:
    """Create the stage of ``ent`` from relation ``source``, which numbers its rows in column
    ``_row``: a view, for ``upsert(..., numbered=True)``, so that new rows are typed on their
    way into the table rather than copied first.

    ``given`` maps entity field names to SQL expressions over ``source``. Fields not given are
    NULL (an upsert then keeps the stored value). A campaign given by name is resolved to its
    id, creating the campaigns not seen before.
    """
    types = column_types(wh, ent.table)
    select: list[str] = []
    by_column = {}
    for f in ent.fields:
        expr = given.get(f.name)
        if f.ref == "campaign" and expr is not None:
            _ensure_campaigns(wh, source, expr, batch)
        if f.ref == "account" and expr is not None and not expr.isdigit():
            _ensure_accounts(wh, source, expr, given.get("platform", "NULL"), batch)
        if f.ref is not None and expr is not None and not expr.isdigit():
            expr = reference_lookup(f.ref, expr, given)
        by_column[f.target] = expr
    for column in stage_columns(ent):
        if column.endswith("_origin") and column[: -len("_origin")] in by_column:
            value = by_column[column[: -len("_origin")]]
            expr = (
                "CAST(NULL AS VARCHAR)"
                if value is None
                else f"CASE WHEN {value} IS NULL THEN NULL ELSE 'native' END"
            )
        else:
            expr = by_column.get(column) or "NULL"
        select.append(f"CAST({expr} AS {types[column]}) AS {column}")
    wh.con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGE} AS SELECT {', '.join(select)}, _row FROM {source}"
    )


def reference_lookup(ref: str, expr: str, given: Mapping[str, str]) -> str:
    """SQL giving the id of the ``ref`` (lead, customer, post, campaign) named by ``expr``,
    NULL when there is none. A post is looked up within the row's platform and account."""
    if ref == "campaign":
        return f"(SELECT r.campaign_id FROM campaign r WHERE r.name = {expr})"
    if ref == "post":
        # Rows without an account (touchpoints) name a post by its platform and id alone.
        account = (
            f" AND r.account_id = CAST({given['account']} AS INTEGER)" if "account" in given else ""
        )
        return (
            f"(SELECT r.post_id FROM post r WHERE r.native_id = {expr} "
            f"AND r.platform = {given.get('platform', 'NULL')}{account})"
        )
    if ref in ("lead", "customer"):
        return f"(SELECT r.{ref}_id FROM {ref} r WHERE r.native_id = CAST({expr} AS VARCHAR))"
    # An account named in a column: its handle on the row's platform.
    return (
        f"(SELECT r.account_id FROM account r WHERE r.handle = {expr} "
        f"AND r.platform = {given.get('platform', 'NULL')})"
    )


def _ensure_campaigns(wh: Warehouse, source: str, name_expr: str, batch: int) -> None:
    wh.con.execute(
        "INSERT INTO campaign (campaign_id, name, batch_id) "
        "SELECT (SELECT coalesce(max(campaign_id), 0) FROM campaign) "
        f"+ row_number() OVER (ORDER BY n), n, {int(batch)} FROM "
        f"(SELECT DISTINCT {name_expr} AS n FROM {source} WHERE {name_expr} IS NOT NULL) s "
        "WHERE NOT EXISTS (SELECT 1 FROM campaign c WHERE c.name = s.n)"
    )


def _ensure_accounts(wh: Warehouse, source: str, handle: str, platform: str, batch: int) -> None:
    wh.con.execute(
        "INSERT INTO account (account_id, platform, handle, batch_id) "
        "SELECT (SELECT coalesce(max(account_id), 0) FROM account) "
        f"+ row_number() OVER (ORDER BY p, h), p, h, {int(batch)} FROM "
        f"(SELECT DISTINCT {platform} AS p, {handle} AS h FROM {source} "
        f"WHERE {handle} IS NOT NULL AND {platform} IS NOT NULL) s "
        "WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.platform = s.p AND a.handle = s.h)"
    )


def missing_keys(wh: Warehouse, ent: Entity, limit: int = 5) -> tuple[int, list[str]]:
    """Stage rows whose natural key is not stored yet: their number and a few of them."""
    keys = []
    for name in ent.key:
        f = ent.field(name)
        assert f is not None
        keys.append(f.target)
    match = " AND ".join(f"e.{k} IS NOT DISTINCT FROM s.{k}" for k in keys)
    absent = f"FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {ent.table} e WHERE {match})"
    count = int(wh.scalar(f"SELECT count(*) {absent}"))
    shown = [
        " / ".join(str(v) for v in row)
        for row in wh.rows(f"SELECT {', '.join('s.' + k for k in keys)} {absent} LIMIT {limit}")
    ]
    return count, shown
