"""The embedded analytics store: one DuckDB file per workspace.

Only this layer executes queries. It opens (and migrates) the database, records import batches,
loads Arrow tables, and runs the SQL that the planner generates.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from cadran.core.errors import DataError, WorkspaceError
from cadran.store.migrations import migrate, read_meta, write_meta

# Tables whose local date is derived from an instant, in the workspace's time zone.
LOCAL_DATE_FROM = {
    "post": "published_at",
    "message": "created_at",
    "mention": "created_at",
    "lead": "created_at",
    "qualified_interaction": "occurred_at",
    "customer": "acquired_at",
    "revenue": "occurred_at",
    "recommendation": "created_at",
    "touchpoint": "occurred_at",
}

# Facts and the local-date column that places their rows in time.
FACT_DATES = {
    "post": "local_date",
    "account_daily": "day",
    "audience": "as_of",
    "message": "local_date",
    "mention": "local_date",
    "web_traffic": "day",
    "lead": "local_date",
    "qualified_interaction": "local_date",
    "customer": "local_date",
    "revenue": "local_date",
    "cost": "period_start",
    "recommendation": "local_date",
    "touchpoint": "local_date",
    "ad_insight": "period_end",
    "segment_metric": "period_end",
}


def sql_text(value: str) -> str:
    """``value`` as a SQL string literal (quotes doubled; NUL refused)."""
    if "\x00" in value:
        raise DataError("text values may not contain NUL characters")
    return "'" + value.replace("'", "''") + "'"


class Warehouse:
    """An open workspace database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, timezone: str, path: Path | None) -> None:
        self.con = con
        self.timezone = timezone
        self.path = path
        self._in_transaction = False

    @classmethod
    def open(cls, path: Path | None, timezone: str, memory_limit: str = "4GiB") -> Warehouse:
        """Open (creating or migrating as needed) the database at ``path`` (None: in memory)."""
        try:
            con = duckdb.connect(
                str(path) if path is not None else ":memory:",
                config={"memory_limit": memory_limit},
            )
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise WorkspaceError(
                    f"the workspace database {path} is in use by another Cadran process; "
                    "close it and try again"
                ) from None
            raise WorkspaceError(f"cannot open the workspace database {path}: {message}") from None
        except duckdb.Error as exc:
            raise WorkspaceError(f"{path} is not a readable Cadran database ({exc})") from None
        try:
            migrate(con)
            stored = read_meta(con, "timezone")
            if stored is None:
                write_meta(con, "timezone", timezone)
            elif stored != timezone:
                raise WorkspaceError(
                    f"cadran.toml says the time zone is {timezone} but the data's local dates "
                    f"were computed in {stored}; set it back to {stored}"
                )
        except BaseException:
            con.close()
            raise
        return cls(con, timezone, path)

    def close(self) -> None:
        """Close the database."""
        self.con.close()

    # -- queries ----------------------------------------------------------------------------
    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        # A relation, not a DB-API result: its Arrow output is not copied once more.
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def frame(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a query and return its result as a DataFrame."""
        return self.con.execute(sql, params or []).df()

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        return self.con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a query returning one value."""
        row = self.con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a failure rolls back every change made inside the block."""
        if self._in_transaction:
            yield
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
        finally:
            self._in_transaction = False

    # -- batches and loading ----------------------------------------------------------------
    def new_batch(
        self,
        kind: str,
        source: str,
        *,
        user: str | None = None,
        file_hash: str | None = None,
        note: str | None = None,
        export_type: str | None = None,
        platform: str | None = None,
        options: str | None = None,
    ) -> int:
        """Record a new import batch and return its id."""
        batch_id = int(self.scalar("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batch"))
        self.con.execute(
            "INSERT INTO import_batch (batch_id, kind, source, file_hash, started_at, user_name,"
            " status, note, export_type, platform, options)"
            " VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
            [
                batch_id,
                kind,
                source,
                file_hash,
                datetime.now(UTC),
                user,
                note,
                export_type,
                platform,
                options,
            ],
        )
        return batch_id

    def finish_batch(
        self,
        batch_id: int,
        *,
        read: int,
        accepted: int,
        rejected: int = 0,
        skipped: int = 0,
        file_hash: str | None = None,
    ) -> None:
        """Mark a batch as done with its row counts (and its file's hash, if known only now)."""
        self.con.execute(
            "UPDATE import_batch SET status = 'done', finished_at = ?, rows_read = ?,"
            " rows_accepted = ?, rows_rejected = ?, rows_skipped = ?,"
            " file_hash = coalesce(?, file_hash) WHERE batch_id = ?",
            [datetime.now(UTC), read, accepted, rejected, skipped, file_hash, batch_id],
        )

    def insert(self, table: str, data: pa.Table, batch_id: int) -> int:
        """Append ``data`` to ``table``, deriving local dates and stamping the batch.

        ``data`` holds the table's columns except ``local_date`` (derived here from the row's
        instant in the workspace's time zone), ``batch_id`` and ``metrics_batch_id``.
        """
        extra = [f"{int(batch_id)} AS batch_id"]
        if table in LOCAL_DATE_FROM:
            extra.append(
                f"CAST(timezone({sql_text(self.timezone)}, {LOCAL_DATE_FROM[table]}) AS DATE)"
                " AS local_date"
            )
        if table == "post":
            extra.append(f"{int(batch_id)} AS metrics_batch_id")
        view = f"_cadran_chunk_{table}"
        self.con.register(view, data)
        try:
            self.con.execute(
                f"INSERT INTO {table} BY NAME SELECT *, {', '.join(extra)} FROM {view}"
            )
        finally:
            self.con.unregister(view)
        return int(data.num_rows)

    # -- facts about the data ---------------------------------------------------------------
    def row_counts(self, tables: Sequence[str] = tuple(FACT_DATES)) -> dict[str, int]:
        """Number of rows of each fact table."""
        sql = " UNION ALL ".join(f"SELECT {sql_text(t)}, count(*) FROM {t}" for t in tables)
        return {str(name): int(n) for name, n in self.rows(sql)}

    def has_data(self) -> bool:
        """Whether any fact table holds a row."""
        return any(n > 0 for n in self.row_counts().values())

    def date_range(self) -> tuple[date, date] | None:
        """First and last local dates with data across the facts, or None when empty."""
        sql = " UNION ALL ".join(
            f"SELECT min({col}) AS lo, max({col}) AS hi FROM {t}" for t, col in FACT_DATES.items()
        )
        row = self.con.execute(f"SELECT min(lo), max(hi) FROM ({sql})").fetchone()
        if row is None or row[0] is None:
            return None
        return row[0], row[1]
