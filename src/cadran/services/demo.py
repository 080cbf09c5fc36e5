"""Building a demo workspace: the generator's chunks written into a new workspace's store, and
the seeds' social-media strategy map as its scorecard."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from cadran.core.errors import UsageError, WorkspaceError
from cadran.core.periods import parse_date
from cadran.services.scorecard_files import DEMO_TEMPLATE, install_template, scorecard_path
from cadran.services.text_analysis import reply_times
from cadran.services.text_settings import text_settings
from cadran.services.workspace import Workspace
from cadran.sources.demo import DemoSpec, expected_rows, generate
from cadran.store.reported import REPORTED_SOURCES, refresh_reported_figures

SIZES = ("S", "M", "L")
DEMO_TIMEZONE = "Europe/Paris"

COMMIT_ROWS = 5_000_000

Progress = Callable[[str, int, int], None]  # (table, rows written, rows expected)


def demo_spec(
    size: str = "S", seed: int = 42, end: date | str | None = None, today: date | None = None
) -> DemoSpec:
    """The demo to build. By default its data ends yesterday (two years of it)."""
    size = size.upper()
    if size not in SIZES:
        raise UsageError(f"unknown demo size {size!r}: expected S, M or L")
    if isinstance(end, str):
        end = parse_date(end, what="--end date")
    if end is None:
        end = (today or date.today()) - timedelta(days=1)
    return DemoSpec(size=size, seed=seed, end=end, timezone=DEMO_TIMEZONE, currency="EUR")


def create_demo(
    path: str | Path,
    *,
    size: str = "S",
    seed: int = 42,
    end: date | str | None = None,
    progress: Progress | None = None,
) -> Workspace:
    """Create a workspace at ``path`` filled with generated data (all of it or nothing)."""
    spec = demo_spec(size, seed, end)
    root = Path(path)
    if (root / "cadran.toml").exists():
        ws = Workspace.open(root)
        if ws.warehouse.has_data():
            ws.close()
            raise WorkspaceError(
                f"{str(root)!r} already holds data; choose an empty folder for the demo"
            )
    else:
        ws = Workspace.init(
            root,
            timezone=spec.timezone,
            currency=spec.currency,
            name=f"Cadran demo ({spec.size}, seed {spec.seed})",
        )
    if ws.config.timezone != spec.timezone:
        ws.close()
        raise WorkspaceError(
            f"the demo needs the time zone {spec.timezone}; {str(root)!r} uses {ws.config.timezone}"
        )
    expected = expected_rows(spec)
    written: dict[str, int] = {}
    wh = ws.warehouse
    try:
        batch = wh.new_batch(
            "demo",
            f"cadran demo --size {spec.size} --seed {spec.seed} --end {spec.end.isoformat()}",
        )
        pending = 0
        wh.con.execute("BEGIN TRANSACTION")
        for chunk in generate(spec):
            n = wh.insert(chunk.table, chunk.data, batch)
            written[chunk.table] = written.get(chunk.table, 0) + n
            pending += n
            # Commit every few million rows: one transaction holding L's 150 million rows
            # would keep them all in memory. A failure empties the tables again below.
            if pending >= COMMIT_ROWS:
                wh.con.execute("COMMIT")
                wh.con.execute("BEGIN TRANSACTION")
                pending = 0
            if progress is not None:
                progress(chunk.table, written[chunk.table], expected.get(chunk.table, 0))
        if REPORTED_SOURCES & written.keys():  # none today: the demo imitates no ad report
            refresh_reported_figures(wh)
        total = sum(written.values())
        wh.finish_batch(batch, read=total, accepted=total)
        wh.con.execute("COMMIT")
        # Reply times in business hours, as `cadran text analyze` measures them, so that the
        # care KPIs that read them have values from the start.
        reply_times(wh, text_settings(ws).schedule)
    except BaseException:
        _empty(ws)
        ws.close()
        raise
    try:
        # The seeds' strategy map, its goals dated from the demo's last day (a file already
        # there is the user's own and stays).
        if not scorecard_path(ws).exists():
            install_template(ws, DEMO_TEMPLATE, as_of=spec.end)
    except BaseException:
        ws.close()
        raise
    return ws


def _empty(ws: Workspace) -> None:
    """Undo a demo that failed halfway: the workspace was empty when it started."""
    con = ws.warehouse.con
    with contextlib.suppress(Exception):  # no transaction may be open
        con.execute("ROLLBACK")
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_name <> 'cadran_meta'"
        ).fetchall()
    ]
    con.execute("BEGIN TRANSACTION")
    for table in tables:
        con.execute(f"DELETE FROM {table}")
    con.execute("COMMIT")
