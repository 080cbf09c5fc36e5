"""The demo's chunks fit the canonical schema exactly and come out the same for the same spec."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
import sys

import duckdb
import pyarrow as pa
import pytest

from cadran.core.errors import UsageError
from cadran.sources.demo import Chunk, DemoSpec, expected_rows, generate
from cadran.sources.demo.spec import MAX_CHUNK_ROWS
from cadran.sources.demo.tables import chunks as split

from .conftest import SPEC, schema_database

FILLED_BY_STORE = {"local_date", "batch_id", "metrics_batch_id"}
# Migrations whose columns only real exports and text analytics fill: the demo leaves them out.
NOT_GENERATED = (2, 3)
SIMPLE_TYPES = {
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
    "DECIMAL(18,2)": pa.decimal128(18, 2),
}


def _is_string(type_: pa.DataType) -> bool:
    return bool(
        type_ == pa.string() or (pa.types.is_dictionary(type_) and type_.value_type == pa.string())
    )


def _columns(database: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(table, column) of every base table of ``database``."""
    found = database.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_name IN (SELECT table_name FROM duckdb_tables())"
    ).fetchall()
    return {(str(table), str(column)) for table, column in found}


def test_chunk_columns_match_the_schema(chunks: list[Chunk]) -> None:
    database = schema_database()
    left_out = set().union(
        *(_columns(schema_database(v)) - _columns(schema_database(v - 1)) for v in NOT_GENERATED)
    )
    described = {}
    for chunk in chunks:
        if chunk.table not in described:
            described[chunk.table] = database.execute(f"DESCRIBE {chunk.table}").fetchall()
        schema = [
            (name, type_)
            for name, type_, *_ in described[chunk.table]
            if name not in FILLED_BY_STORE and (chunk.table, name) not in left_out
        ]
        assert chunk.data.column_names == [name for name, _ in schema], chunk.table
        for (name, type_), field in zip(schema, chunk.data.schema, strict=True):
            where = f"{chunk.table}.{name}"
            if type_ == "VARCHAR":
                assert _is_string(field.type), where
            elif type_.startswith("ENUM("):
                assert _is_string(field.type), where
                allowed = set(re.findall(r"'([^']*)'", type_))
                column = chunk.data.column(name)
                present = column.combine_chunks()
                if pa.types.is_dictionary(present.type):
                    present = present.dictionary_decode()
                assert set(present.drop_null().unique().to_pylist()) <= allowed, where
            else:
                assert field.type == SIMPLE_TYPES[type_], where


def test_every_table_but_import_batch_is_generated(chunks: list[Chunk]) -> None:
    database = schema_database()
    tables = {
        row[0] for row in database.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    # Imports' bookkeeping, superseded rows, ad-platform exports the demo does not imitate,
    # copies of cadran.toml settings the views read, and the spread of those exports.
    imports_only = {"import_batch", "cadran_meta", "ad_insight", "segment_metric"}
    imports_only |= {"ga4_key_event", "ga4_channel_source", "reported_daily_figure"}
    history = {table for table in tables if table.endswith("_history")}
    assert {chunk.table for chunk in chunks} == tables - imports_only - history


def test_chunks_insert_into_the_schema(chunks: list[Chunk], db: duckdb.DuckDBPyConnection) -> None:
    for table in {chunk.table for chunk in chunks}:
        expected = sum(chunk.data.num_rows for chunk in chunks if chunk.table == table)
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (expected,)


def test_parents_come_before_children(chunks: list[Chunk]) -> None:
    order = [chunk.table for chunk in chunks]
    assert order[:2] == ["account", "campaign"]
    assert order.index("post") < order.index("message")
    assert order.index("lead") < order.index("customer") < order.index("revenue")
    assert order.index("customer") < order.index("touchpoint")


def test_surrogate_ids_are_unique_and_start_at_one(db: duckdb.DuckDBPyConnection) -> None:
    for table, key in [("account", "account_id"), ("campaign", "campaign_id"), ("post", "post_id"),
                       ("message", "message_id"), ("mention", "mention_id"), ("lead", "lead_id"),
                       ("customer", "customer_id"), ("revenue", "revenue_id"), ("cost", "cost_id"),
                       ("qualified_interaction", "interaction_id"),
                       ("recommendation", "recommendation_id"),
                       ("touchpoint", "touchpoint_id")]:  # fmt: skip
        found = db.execute(
            f"SELECT min({key}), max({key}), count(*), count(DISTINCT {key}) FROM {table}"
        ).fetchone()
        assert found is not None
        low, high, count, distinct = found
        assert (low, high, distinct) == (1, count, count), table
    for table in ("post", "message", "mention", "lead", "customer", "revenue", "cost",
                  "touchpoint"):  # fmt: skip
        count, distinct = db.execute(
            f"SELECT count(*), count(DISTINCT native_id) FROM {table}"
        ).fetchone()
        assert count == distinct, table


def test_origins_are_null_exactly_when_values_are(db: duckdb.DuckDBPyConnection) -> None:
    for metric in ("impressions", "reach", "likes", "saves", "video_views", "engagements_native"):
        bad = db.execute(
            f"SELECT count(*) FROM post WHERE ({metric} IS NULL) <> ({metric}_origin IS NULL)"
        ).fetchone()
        assert bad == (0,), metric


def test_same_spec_gives_the_same_tables(chunks: list[Chunk]) -> None:
    again = list(generate(SPEC))
    assert [(c.table, c.data.num_rows) for c in again] == [
        (c.table, c.data.num_rows) for c in chunks
    ]
    for first, second in zip(chunks, again, strict=True):
        assert first.data.equals(second.data), first.table


_DIGEST = """
import datetime, hashlib, sys
import pyarrow as pa
from cadran.sources.demo import DemoSpec, generate

def digest(chunks):
    h = hashlib.sha256()
    for chunk in chunks:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, chunk.data.schema) as writer:
            writer.write_table(chunk.data)
        h.update(chunk.table.encode())
        h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()

if __name__ == "__main__":
    size, seed, end, zone = sys.argv[1:]
    spec = DemoSpec(size, int(seed), datetime.date.fromisoformat(end), zone)
    print(digest(generate(spec)))
"""


def test_hash_seed_locale_and_clock_zone_change_nothing(chunks: list[Chunk]) -> None:
    namespace: dict[str, object] = {}
    exec(_DIGEST, namespace)  # the same digest function, in this process
    digest = namespace["digest"]
    assert callable(digest)
    mine = digest(chunks)
    environment = {**os.environ, "PYTHONHASHSEED": "12345", "LC_ALL": "C", "TZ": "Asia/Tokyo"}
    arguments = [SPEC.size, str(SPEC.seed), SPEC.end.isoformat(), SPEC.timezone]
    result = subprocess.run(
        [sys.executable, "-c", _DIGEST, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == mine
    assert len(mine) == len(hashlib.sha256().hexdigest())


def test_another_seed_gives_other_data(chunks: list[Chunk]) -> None:
    other = DemoSpec("S", seed=SPEC.seed + 1, end=SPEC.end, timezone=SPEC.timezone)
    first_posts = next(c for c in generate(other) if c.table == "post")
    mine = next(c for c in chunks if c.table == "post")
    assert not first_posts.data.equals(mine.data)


def test_chunks_are_bounded(chunks: list[Chunk]) -> None:
    assert max(chunk.data.num_rows for chunk in chunks) <= MAX_CHUNK_ROWS
    table = pa.table({"x": list(range(5))})
    assert [c.data.num_rows for c in split("post", table, max_rows=2)] == [2, 2, 1]


def test_expected_rows_are_close(chunks: list[Chunk]) -> None:
    estimate = expected_rows(SPEC)
    for table in (
        "post",
        "message",
        "mention",
        "lead",
        "customer",
        "revenue",
        "account_daily",
        "audience",
        "touchpoint",
        "cost",
    ):
        actual = sum(chunk.data.num_rows for chunk in chunks if chunk.table == table)
        assert 0.7 * actual <= estimate[table] <= 1.3 * actual, table


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"size": "XL"}, "size"),
        ({"seed": -1}, "seed"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"end": datetime.datetime(2026, 1, 1)}, "date"),
        ({"currency": "euro"}, "currency"),
    ],
)
def test_bad_specs_are_refused(change: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "size": "S",
        "seed": 1,
        "end": datetime.date(2026, 1, 1),
        "timezone": "UTC",
    }
    values.update(change)
    with pytest.raises(UsageError, match=message):
        DemoSpec(**values)
