"""Schema migrations: applied one step at a time, each atomic, never downgraded."""

from __future__ import annotations

import duckdb
import pytest

from cadran.core.errors import WorkspaceError
from cadran.store import migrations as mig


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    return {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}


@pytest.mark.parametrize("step", [m.version for m in mig.migrations()])
def test_each_step_applies_alone_and_keeps_existing_rows(step: int) -> None:
    con = duckdb.connect()
    assert mig.migrate(con, target=step - 1) == list(range(1, step))
    before = tables(con)
    # Put one row in every table that exists before the step (when there is any).
    if "import_batch" in before:
        con.execute(
            "INSERT INTO import_batch (batch_id, kind, source, started_at, status) "
            "VALUES (1, 'api', 'test', now(), 'done')"
        )
        before = tables(con)
    assert mig.migrate(con, target=step) == [step]
    assert mig.current_version(con) == step
    after = tables(con)
    for name, count in before.items():
        if name != "cadran_meta":
            assert after[name] == count, name


def test_latest_is_reached_and_migrating_again_does_nothing() -> None:
    con = duckdb.connect()
    assert mig.migrate(con) == list(range(1, mig.latest_version() + 1))
    assert mig.migrate(con) == []


def test_a_newer_schema_is_refused_untouched() -> None:
    con = duckdb.connect()
    mig.migrate(con)
    mig.write_meta(con, "schema_version", str(mig.latest_version() + 1))
    with pytest.raises(WorkspaceError, match="newer than this Cadran knows"):
        mig.migrate(con)


def test_a_failing_step_leaves_the_previous_version(monkeypatch: pytest.MonkeyPatch) -> None:
    real = mig.migrations()
    broken = mig.Migration(
        len(real) + 1, "broken", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;"
    )
    monkeypatch.setattr(mig, "migrations", lambda: [*real, broken])
    con = duckdb.connect()
    with pytest.raises(duckdb.Error):
        mig.migrate(con)
    assert mig.current_version(con) == len(real)
    assert "half_done" not in tables(con)
