"""Schema versions: numbered SQL migrations applied one step at a time, each in a transaction.

Migration files live in this package as ``NNNN_description.sql``. The current version and the
workspace time zone the local dates were computed in are kept in the ``cadran_meta`` table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from cadran.core.errors import WorkspaceError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One step of the schema."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with this version of Cadran, in order."""
    folder = resources.files("cadran.store").joinpath("migrations")
    out: list[Migration] = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            out.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    out.sort(key=lambda mig: mig.version)
    for expected, mig in enumerate(out, start=1):
        if mig.version != expected:
            raise RuntimeError(f"migration {expected:04d} is missing (found {mig.version:04d})")
    return out


def latest_version() -> int:
    """The schema version this Cadran writes."""
    return len(migrations())


def _bootstrap(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS cadran_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
    )


def read_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A value of ``cadran_meta``, None when absent (or when the table does not exist yet)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'cadran_meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute("SELECT value FROM cadran_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def write_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set a value of ``cadran_meta``."""
    con.execute(
        "INSERT INTO cadran_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
        [key, value, value],
    )


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the open database (0 for an empty one)."""
    value = read_meta(con, "schema_version")
    return int(value) if value is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Bring the schema up to ``target`` (default: the latest), one step per transaction.

    Returns the versions applied. A database written by a newer Cadran is refused, never
    touched.
    """
    steps = migrations()
    target = len(steps) if target is None else target
    _bootstrap(con)
    version = current_version(con)
    if version > len(steps):
        raise WorkspaceError(
            f"this workspace has schema version {version}, newer than this Cadran knows "
            f"({len(steps)}); upgrade Cadran to open it"
        )
    applied: list[int] = []
    for mig in steps[version:target]:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            write_meta(con, "schema_version", str(mig.version))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(mig.version)
    return applied
