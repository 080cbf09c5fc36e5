"""Benchmark of the KPI engine on the whole catalogue, against two hand-written references.

The task: every KPI of the built-in catalogue that can be broken down by platform, for the 24
calendar months ending with the last complete month of the demo data (2024-11 to 2026-10), by
platform, no comparison::

    ws.evaluate(ws.request(ids, start="2024-11-01", end="2026-10-31", grain="month",
                           by="platform", compare="none"))

For each demo size (S ~10k posts, M ~1M, L ~10M posts + 50M messages; seed 42, data ending
2026-10-31, cached in bench/.cache/<size>-<seed>/) it

1. checks that the engine, the hand-written SQL (reference_sql.py) and pandas
   (reference_pandas.py) agree on every (kpi, period, platform[, segment]) value, numerator and
   denominator (relative tolerance 1e-9, NaN equal to NaN, and the same keys);
2. times each one warm (median of --repeat runs): the engine through the Python API, the SQL
   on the same DuckDB connection, pandas in a subprocess (reading the tables counts in its
   time; the compute-only time is shown too);
3. measures the peak memory (RSS) of one evaluation of each, in a fresh subprocess.

Targets: engine <= 1.3 x the hand-written SQL, pandas >= 10 x the engine, engine peak RSS on L
<= 4 GiB.

    .venv/bin/python bench/kpi_engine.py              # S, M and L
    .venv/bin/python bench/kpi_engine.py S M --repeat 7
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd
import psutil
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
END = datetime.date(2026, 10, 31)
START, STOP = "2024-11-01", "2026-10-31"
DEFAULT_REPEAT = {"S": 5, "M": 5, "L": 3}
TARGET_SQL_RATIO = 1.3
TARGET_PANDAS_RATIO = 10.0
TARGET_L_MEMORY = 4 * 1024**3
GIB = 1024**3

console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)


def load_module(name: str) -> ModuleType:
    """Import bench/<name>.py by path (bench/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# -- workspaces --------------------------------------------------------------------------------
def workspace(size: str, seed: int) -> Path:
    """The cached demo workspace of ``size``, built first if needed (in a temporary folder)."""
    final = CACHE / f"{size}-{seed}"
    if (final / "cadran.duckdb").exists():
        return final
    from cadran.services.demo import create_demo
    from cadran.sources.demo import DemoSpec, expected_rows

    tmp = CACHE / f"{size}-{seed}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    expected = expected_rows(DemoSpec(size, seed=seed, end=END, timezone="Europe/Paris"))
    total = sum(expected.values())
    done: dict[str, int] = {}
    with Progress(
        TextColumn(f"building the {size} demo (seed {seed})"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} / {task.total:,.0f} rows"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("build", total=total)

        def report(table: str, written: int, _expected: int) -> None:
            done[table] = written
            progress.update(task, completed=sum(done.values()))

        start = time.perf_counter()
        create_demo(tmp, size=size, seed=seed, end=END, progress=report).close()
    tmp.rename(final)
    console.print(f"  built {final} in {time.perf_counter() - start:.0f} s")
    return final


# Facts of the ad platforms' reports: the demo generates none (the ad KPIs are checked against
# the platforms' own figures on real Meta Ads exports, in the test suite).
AD_FACTS = {"ad", "ad_segment", "ad_daily"}


def kpi_ids(ws: Any) -> list[str]:
    """Every built-in KPI that can be broken down by platform, ad results aside."""
    return [
        k
        for k, b in ws.catalogue.bound.items()
        if "platform" in b.dimensions and not AD_FACTS & set(b.facts)
    ]


def request(ws: Any, ids: list[str]) -> Any:
    return ws.request(ids, start=START, end=STOP, grain="month", by="platform", compare="none")


# -- workers (run in a subprocess) --------------------------------------------------------------
def worker(kind: str, path: Path, repeat: int, out: Path | None) -> dict[str, Any]:
    """Run one implementation ``repeat`` times in this process; report times and peak RSS."""
    rss_before = psutil.Process().memory_info().rss
    times: list[float] = []
    extra: dict[str, Any] = {}
    frame: pd.DataFrame | None = None
    if kind == "engine":
        import cadran

        ws = cadran.open(path)
        ids = kpi_ids(ws)
        rss_before = psutil.Process().memory_info().rss
        for _ in range(repeat):
            start = time.perf_counter()
            frame = ws.evaluate(request(ws, ids)).frame
            times.append(time.perf_counter() - start)
        ws.close()
    elif kind == "sql":
        ref = load_module("reference_sql")
        con = duckdb.connect(str(path / "cadran.duckdb"), read_only=True)
        params = ref.parameters(path)
        rss_before = psutil.Process().memory_info().rss
        for _ in range(repeat):
            start = time.perf_counter()
            frame = ref.evaluate(con, params=params)
            times.append(time.perf_counter() - start)
        con.close()
    elif kind == "pandas":
        ref = load_module("reference_pandas")
        con = duckdb.connect(str(path / "cadran.duckdb"), read_only=True)
        params = ref.parameters(path)
        reads: list[float] = []
        ref.load(con)  # warm-up: DuckDB's cache of the table blocks, as for the others
        for _ in range(repeat):
            start = time.perf_counter()
            tables = ref.load(con)
            reads.append(time.perf_counter() - start)
            frame = ref.compute(tables, params=params)
            times.append(time.perf_counter() - start)
            del tables
        con.close()
        extra["read"] = reads
    else:
        raise ValueError(kind)
    if out is not None and frame is not None:
        frame.to_pickle(out)
    return {"times": times, "peak_rss": peak_rss(), "rss_before": rss_before, **extra}


def peak_rss() -> int:
    """Peak RSS of this process in bytes.

    VmHWM of /proc/self/status, not getrusage's ru_maxrss: Linux keeps ru_maxrss across
    execve, so a worker started from a big parent would report the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Attempt:
    """A worker subprocess, watched: its peak RSS, and killed above ``limit`` bytes."""

    def __init__(
        self, kind: str, path: Path, repeat: int, out: Path | None, limit: int, label: str
    ) -> None:
        self.kind, self.label, self.limit = kind, label, limit
        cmd = [sys.executable, __file__, "--worker", kind, str(path), "--repeat", str(repeat)]
        if out is not None:
            cmd += ["--out", str(out)]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.watched_peak = 0
        self.killed = False
        self._watch = threading.Thread(target=self._poll, daemon=True)
        self._watch.start()

    def _poll(self) -> None:
        ps = psutil.Process(self.proc.pid)
        while self.proc.poll() is None:
            try:
                rss = ps.memory_info().rss
            except psutil.Error:
                break
            self.watched_peak = max(self.watched_peak, rss)
            if rss > self.limit:
                self.killed = True
                self.proc.kill()
                break
            time.sleep(0.1)

    def result(self) -> dict[str, Any]:
        with console.status(f"  {self.label}"):
            stdout, stderr = self.proc.communicate()
        self._watch.join()
        elapsed = time.perf_counter() - self.started
        if self.proc.returncode == 0:
            data = json.loads(stdout.strip().splitlines()[-1])
            data["ok"] = True
            data["watched_peak"] = self.watched_peak
            return data
        reason = (
            f"stopped by the benchmark at {self.watched_peak / GIB:.1f} GiB RSS "
            f"(limit {self.limit / GIB:.1f} GiB) after {elapsed:.0f} s"
            if self.killed
            else f"exit code {self.proc.returncode} after {elapsed:.0f} s, peak RSS seen "
            f"{self.watched_peak / GIB:.1f} GiB: {stderr.strip().splitlines()[-1:]}"
        )
        return {"ok": False, "reason": reason, "peak_rss": self.watched_peak}


def run_worker(
    kind: str, path: Path, repeat: int, label: str, limit: int, out: Path | None = None
) -> dict[str, Any]:
    return Attempt(kind, path, repeat, out, limit, label).result()


# -- one size -----------------------------------------------------------------------------------
def bench_size(size: str, seed: int, repeat: int, limit: int, per_kpi: bool) -> dict[str, Any]:
    import cadran

    ref_sql = load_module("reference_sql")
    agreement = load_module("agreement")
    path = workspace(size, seed)
    console.rule(f"[bold]{size}[/bold]  {path}")
    ws = cadran.open(path)
    counts = ws.warehouse.row_counts()
    console.print(
        f"  data: {sum(counts.values()):,d} rows (post {counts['post']:,d}, "
        f"message {counts['message']:,d}, account_daily {counts['account_daily']:,d}, "
        f"audience {counts['audience']:,d})"
    )
    ids = kpi_ids(ws)
    missing = sorted(set(ids) ^ set(ref_sql.ALL_KPIS))
    if missing:
        raise SystemExit(f"the references do not cover exactly the catalogue's KPIs: {missing}")
    console.print(f"  task: {len(ids)} KPIs x 24 months ({START} .. {STOP}) by platform")
    params = ref_sql.parameters(path)
    con = ws.warehouse.con
    out: dict[str, Any] = {"size": size}

    # Warm-up, then timed runs: engine and hand-written SQL on the same connection.
    timings: dict[str, list[float]] = {"engine": [], "sql": []}
    frames: dict[str, pd.DataFrame] = {}
    with Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        for name in ("engine", "sql"):
            task = progress.add_task(f"{name}: warm-up + {repeat} runs", total=repeat + 1)
            for i in range(repeat + 1):
                start = time.perf_counter()
                if name == "engine":
                    frames[name] = ws.evaluate(request(ws, ids)).frame
                else:
                    frames[name] = ref_sql.evaluate(con, params=params)
                if i:
                    timings[name].append(time.perf_counter() - start)
                progress.advance(task)
    if per_kpi:
        with console.status("  engine, each KPI in a request of its own (diagnostic)"):
            parts = [ws.evaluate(request(ws, [k])).frame for k in ids]
            frames["engine, KPI by KPI"] = pd.concat(
                [p.reindex(columns=frames["engine"].columns) for p in parts], ignore_index=True
            )
    ws.close()  # the workers open the database themselves

    with tempfile.TemporaryDirectory() as tmp:
        pickled = Path(tmp) / "pandas.pkl"
        pandas_run = run_worker(
            "pandas",
            path,
            repeat,
            f"pandas: {repeat} runs (read + compute) in a subprocess",
            limit,
            pickled,
        )
        if pandas_run["ok"]:
            frames["pandas"] = pd.read_pickle(pickled)

    # Agreement.
    console.print("[bold]agreement[/bold] (relative tolerance 1e-9, NaN = NaN, same keys)")
    checks = []
    pairs = [("engine", "sql"), ("pandas", "sql"), ("engine", "pandas")]
    if "engine, KPI by KPI" in frames:
        pairs.append(("engine, KPI by KPI", "sql"))
    for left, right in pairs:
        if left not in frames or right not in frames:
            continue
        names = (left, "hand-written SQL" if right == "sql" else right)
        result = agreement.compare(frames[left], frames[right], names)
        checks.append(result)
        console.print("  [green]OK[/green] " if result.ok else "  [red]DIFFER[/red] ", end="")
        console.print(result.summary(limit=8), markup=False)
    out["agreement"] = [
        {
            "pair": f"{c.left} / {c.right}",
            "keys": c.keys,
            "values": c.values,
            "disagreeing": len(c.mismatches),
            "only_left": len(c.only_left),
            "only_right": len(c.only_right),
        }
        for c in checks
    ]

    # Peak memory: one evaluation in a fresh subprocess per implementation.
    memory = {}
    for kind in ("engine", "sql"):
        memory[kind] = run_worker(
            kind, path, 1, f"{kind}: peak memory of one evaluation in a fresh process", limit
        )
    memory["pandas"] = pandas_run

    med = {k: statistics.median(v) for k, v in timings.items()}
    out["median_s"] = dict(med)
    out["runs_s"] = timings
    if pandas_run["ok"]:
        out["median_s"]["pandas"] = statistics.median(pandas_run["times"])
        out["median_s"]["pandas_read"] = statistics.median(pandas_run["read"])
        out["median_s"]["pandas_compute"] = statistics.median(
            t - r for t, r in zip(pandas_run["times"], pandas_run["read"], strict=True)
        )
        out["runs_s"]["pandas"] = pandas_run["times"]
    else:
        out["pandas_failure"] = pandas_run["reason"]
    out["peak_rss"] = {k: v.get("peak_rss") for k, v in memory.items()}
    out["memory_ok"] = {k: v["ok"] for k, v in memory.items()}
    report_size(out, repeat)
    return out


def report_size(out: dict[str, Any], repeat: int) -> None:
    med, rss = out["median_s"], out["peak_rss"]
    table = Table(title=f"{out['size']}: warm, median of {repeat} runs", title_justify="left")
    for col in ("implementation", "median", "runs", "peak RSS (1 evaluation)"):
        table.add_column(col, justify="left" if col == "implementation" else "right")
    table.add_row(
        "Cadran engine (ws.evaluate)",
        f"{med['engine']:.3f} s",
        " ".join(f"{t:.2f}" for t in out["runs_s"]["engine"]),
        f"{rss['engine'] / GIB:.2f} GiB",
    )
    table.add_row(
        "hand-written SQL (DuckDB)",
        f"{med['sql']:.3f} s",
        " ".join(f"{t:.2f}" for t in out["runs_s"]["sql"]),
        f"{rss['sql'] / GIB:.2f} GiB",
    )
    if "pandas" in med:
        table.add_row(
            "pandas (read + compute)",
            f"{med['pandas']:.3f} s",
            " ".join(f"{t:.2f}" for t in out["runs_s"]["pandas"]),
            f"{rss['pandas'] / GIB:.2f} GiB",
        )
        table.add_row("  of which reading tables (.df())", f"{med['pandas_read']:.3f} s", "", "")
        table.add_row("  of which compute only", f"{med['pandas_compute']:.3f} s", "", "")
    else:
        table.add_row("pandas", "failed", out["pandas_failure"], f"{rss['pandas'] / GIB:.2f} GiB")
    console.print(table)
    sql_ratio = med["engine"] / med["sql"]
    ok = sql_ratio <= TARGET_SQL_RATIO
    console.print(
        f"  engine / hand-written SQL = {sql_ratio:.2f}  (target <= {TARGET_SQL_RATIO}): "
        + ("[green]met[/green]" if ok else "[red]NOT met[/red]")
    )
    if "pandas" in med:
        p_ratio = med["pandas"] / med["engine"]
        c_ratio = med["pandas_compute"] / med["engine"]
        console.print(
            f"  pandas / engine = {p_ratio:.2f} with reading, {c_ratio:.2f} compute only"
            f"  (target >= {TARGET_PANDAS_RATIO:.0f}): "
            + ("[green]met[/green]" if p_ratio >= TARGET_PANDAS_RATIO else "[red]NOT met[/red]")
        )
    else:
        console.print(f"  pandas / engine: no figure, pandas failed: {out['pandas_failure']}")
    if out["size"] == "L":
        ok_mem = rss["engine"] <= TARGET_L_MEMORY
        console.print(
            f"  engine peak RSS on L = {rss['engine'] / GIB:.2f} GiB (target <= 4 GiB): "
            + ("[green]met[/green]" if ok_mem else "[red]NOT met[/red]")
        )


def engine_source() -> str:
    """Where the measured cadran comes from, and its git revision when it is this checkout."""
    import cadran

    src = Path(cadran.__file__).resolve().parents[1]
    text = f"cadran from {src}"
    if (src.parent / "REVISION").exists():  # a snapshot: git archive <rev> src
        text += f" (snapshot of git {(src.parent / 'REVISION').read_text().strip()[:7]})"
    try:
        head = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--", "."],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        text += f" (git {head}{', with uncommitted changes' if dirty else ''})"
    except (OSError, subprocess.CalledProcessError):
        pass
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["S", "M", "L"], help="S, M and/or L")
    parser.add_argument("--repeat", type=int, help="timed runs (default 5 for S and M, 3 for L)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=22.0,
        help="GiB of RSS at which a worker is stopped (default 22)",
    )
    parser.add_argument(
        "--per-kpi",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also evaluate each KPI alone with the engine (default: S and M only)",
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--worker", choices=["engine", "sql", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        path = Path(args.sizes[0])
        print(json.dumps(worker(args.worker, path, args.repeat or 1, args.out)))
        return
    sizes = [s.upper() for s in args.sizes]
    if unknown := sorted(set(sizes) - {"S", "M", "L"}):
        parser.error(f"unknown size(s) {', '.join(unknown)}: expected S, M or L")
    vm = psutil.virtual_memory()
    console.print(
        f"kpi_engine benchmark: duckdb {duckdb.__version__}, pandas {pd.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{vm.total / GIB:.1f} GiB RAM"
    )
    console.print(f"engine measured: {engine_source()}")
    results = []
    for size in sizes:
        repeat = args.repeat or DEFAULT_REPEAT[size]
        per_kpi = args.per_kpi if args.per_kpi is not None else size in ("S", "M")
        results.append(bench_size(size, args.seed, repeat, int(args.memory_limit * GIB), per_kpi))
    summary = Table(title="summary", title_justify="left")
    for col in ("size", "engine", "SQL", "pandas", "engine/SQL", "pandas/engine", "engine RSS"):
        summary.add_column(col, justify="right")
    for r in results:
        med = r["median_s"]
        summary.add_row(
            r["size"],
            f"{med['engine']:.3f} s",
            f"{med['sql']:.3f} s",
            f"{med['pandas']:.2f} s" if "pandas" in med else "failed",
            f"{med['engine'] / med['sql']:.2f}",
            f"{med['pandas'] / med['engine']:.2f}" if "pandas" in med else "-",
            f"{r['peak_rss']['engine'] / GIB:.2f} GiB",
        )
    console.print(summary)
    for r in results:
        for a in r["agreement"]:
            console.print(
                f"  {r['size']}: {a['pair']}: {a['values']:,d} values compared, "
                f"{a['disagreeing']} disagreeing, keys only on one side: "
                f"{a['only_left']} / {a['only_right']}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
