"""A small-size demo workspace shared by the tests of a module, and a DuckDB loaded with it."""

from __future__ import annotations

import datetime

import duckdb
import pytest

from cadran.sources.demo import Chunk, DemoSpec, generate
from cadran.sources.demo.tables import COLUMNS
from cadran.store.migrations import migrate

SPEC = DemoSpec("S", seed=7, end=datetime.date(2026, 10, 31), timezone="Europe/Paris")

# Tables whose local_date the store derives from an instant (the others carry local dates).
INSTANT_OF = {
    "post": "published_at", "message": "created_at", "mention": "created_at",
    "lead": "created_at", "qualified_interaction": "occurred_at", "customer": "acquired_at",
    "revenue": "occurred_at", "recommendation": "created_at", "touchpoint": "occurred_at",
}  # fmt: skip


def schema_database(version: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the canonical schema (at ``version``, default the latest)."""
    connection = duckdb.connect()
    migrate(connection, version)
    return connection


def insert_chunk(connection: duckdb.DuckDBPyConnection, chunk: Chunk, timezone: str) -> None:
    """Insert a chunk as the store would: local_date from the instant in the zone, batch 1."""
    names = [f'"{name}"' for name in chunk.data.column_names]
    values = list(names)
    if chunk.table in INSTANT_OF:
        names.append("local_date")
        values.append(f"({INSTANT_OF[chunk.table]} AT TIME ZONE '{timezone}')::DATE")
    names.append("batch_id")
    values.append("1")
    if chunk.table == "post":
        names.append("metrics_batch_id")
        values.append("1")
    connection.register("incoming", chunk.data)
    try:
        connection.execute(
            f"INSERT INTO {chunk.table} ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM incoming"
        )
    finally:
        connection.unregister("incoming")


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    """Every chunk of the S workspace of ``SPEC``."""
    return list(generate(SPEC))


@pytest.fixture(scope="module")
def db(chunks: list[Chunk]) -> duckdb.DuckDBPyConnection:
    """The S workspace loaded into the canonical schema."""
    connection = schema_database()
    for chunk in chunks:
        insert_chunk(connection, chunk, SPEC.timezone)
    return connection


__all__ = ["COLUMNS", "SPEC", "insert_chunk", "schema_database"]
