"""Benchmark of the X (Twitter) per-tweet export importer against DuckDB reading the same file.

The file: a generated analytics.twitter.com per-tweet CSV (export type ``x_tweets``) of N rows,
in exactly the format of the real exports: the same 40 quoted columns, the first count columns
written as floats ("312.0"), the others as integers, "-" in the ``promoted ...`` columns, times
like "2025-03-01 14:07 +0000", tweet texts with newlines, doubled quotes, emoji and ``&amp;``.
It is generated once (seed 42) and cached in
``bench/.cache/x_<N>/tweet_activity_metrics_benchaccount_20250101_20260101_en.csv`` (the row
count is in the folder's name: the importer takes the account from the file's name).

For each size it times, median of ``--repeat`` runs, alternating so that they share the
machine's noise, each run in a fresh subprocess (which also gives its peak RSS):

- **cadran**: ``import_file`` of the file into a fresh workspace (``Workspace.init``); only the
  call is timed. The import must report "imported" with N rows inserted;
- **read_csv**: DuckDB's own raw read, ``CREATE TABLE t AS SELECT * FROM read_csv(file,
  header=true, all_varchar=true)`` in an in-memory database;
- **typed SQL**: hand-written SQL doing what the importer does (read, type the 14 columns
  Cadran keeps, add the constants) into a DuckDB *file*, so that writing costs the same.

The stored rows of cadran and of the typed SQL are checked to agree (counts, sums of every
metric, of the times and of the text lengths). Target: cadran >= 300,000 rows/s at 1M rows.

    .venv/bin/python bench/import_x.py                    # 1,000,000 rows
    .venv/bin/python bench/import_x.py 100000 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import psutil
import pyarrow as pa

from kpi_engine import engine_source  # bench/ is on the path of a script run from it

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
FILE_NAME = "tweet_activity_metrics_benchaccount_20250101_20260101_en.csv"
HANDLE = "benchaccount"
START = np.datetime64("2025-01-01T00:00:00", "s")
STOP = np.datetime64("2026-01-01T00:00:00", "s")
TWITTER_EPOCH_MS = 1_288_834_974_657  # snowflake ids count milliseconds from here
TARGET_ROWS_PER_S = 300_000
MEMORY_LIMIT = "4GiB"  # Cadran's default; the references get the same
GIB = 1024**3

# The header of the real exports (tweet_activity_metrics_<handle>_<from>_<to>_en.csv).
HEADER = (
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
    "engagement rate", "retweets", "replies", "likes", "user profile clicks", "url clicks",
    "hashtag clicks", "detail expands", "permalink clicks", "app opens", "app installs",
    "follows", "email tweet", "dial phone", "media views", "media engagements",
    "promoted impressions", "promoted engagements", "promoted engagement rate",
    "promoted retweets", "promoted replies", "promoted likes", "promoted user profile clicks",
    "promoted url clicks", "promoted hashtag clicks", "promoted detail expands",
    "promoted permalink clicks", "promoted app opens", "promoted app installs",
    "promoted follows", "promoted email tweet", "promoted dial phone", "promoted media views",
    "promoted media engagements",
)  # fmt: skip
# The itemised engagements, written as floats ("3.0"), and their share of engagements.
ITEMISED = {
    "retweets": 0.07,
    "replies": 0.04,
    "likes": 0.30,
    "user profile clicks": 0.09,
    "url clicks": 0.12,
    "hashtag clicks": 0.02,
    "detail expands": 0.28,
    "permalink clicks": 0.03,
    "media engagements": 0.05,  # an integer column; only tweets with media have any
}
MEDIA_SHARE = 0.2  # tweets with a photo or video
ZERO_IMPRESSIONS = 0.002  # tweets the export shows with no impressions (rate 0)

# Pieces of tweet texts, joined at random: mentions, hashtags, emoji, &amp; (the export keeps
# HTML entities), doubled quotes and newlines (the CSV quotes and escapes them).
OPENINGS = (
    "New on the blog:", "Thread 🧵", "Reminder:", "We are hiring!", "📣 Announcement",
    "Just published", "Big thanks to @openscience &amp; @datafriends", "ICYMI", "Q&amp;A today",
    'Our answer to "what is tidy data?"', "🎉 Release day", "Call for speakers", "Heads up",
    "Quick tip", "From the archive", "@someone @another yes, exactly", "Happy Friday ☕",
    'He said ""it works on my machine"" 😅', "Coming soon", "Good morning 🌍",
)  # fmt: skip
MIDDLES = (
    "how we cut our load times in half",
    "a short guide to reproducible reports with #rstats &amp; #python",
    "slides and code from yesterday's talk",
    "the results of our community survey 📊",
    'why "fast enough" is a moving target',
    "what changed in version 2.0\n\n- faster imports\n- fewer surprises",
    "join us next week for a live session 🎥",
    "five things we learned shipping this",
    "notes from the meetup, with links\n\nthanks everyone who came 🙏",
    "a tutorial on cleaning messy CSV exports",
    "our roadmap for the coming months 🗺️",
    "a deep dive into time zones (yes, again)",
)
CLOSINGS = (
    "", "", "", "Read more:", "Details 👇", "#opendata", "#dataviz #rstats", "Link below",
    "\n\nSign up:", "(1/3)", "RT appreciated 🙌", "via @newsletter",
)  # fmt: skip
ALPHANUMERIC = np.frombuffer(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype=np.uint8
)


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 10e6 else f"{size / 1e6:.1f} MB"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the file ---------------------------------------------------------------------------------
def data_file(rows: int, seed: int) -> Path:
    """The cached export of ``rows`` rows, generated first if needed."""
    folder = CACHE / (f"x_{rows}" if seed == 42 else f"x_{rows}_seed{seed}")
    path = folder / FILE_NAME
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (FILE_NAME + ".tmp")
    start = time.perf_counter()
    write_export(tmp, rows, seed)
    tmp.rename(path)
    log(
        f"  generated {path.relative_to(BENCH.parent)} ({megabytes(path.stat().st_size)}) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return path


def generate(rows: int, seed: int) -> pa.Table:
    """The values of the export, typed (numbers, instants), newest tweet first."""
    rng = np.random.default_rng(seed)
    span = int((STOP - START) / np.timedelta64(1, "s"))
    seconds = np.sort(rng.integers(0, span, rows))[::-1]
    posted = START + seconds.astype("timedelta64[s]")
    # Snowflake ids: milliseconds since X's epoch, then 22 bits made unique by the row number.
    ms = (START.astype("datetime64[ms]").astype(np.int64) - TWITTER_EPOCH_MS) + seconds * 1000
    ms += rng.integers(0, 1000, rows)
    ids = (ms << 22) | (np.arange(rows, dtype=np.int64)[::-1] & ((1 << 22) - 1))
    if len(np.unique(ids)) != rows:  # only possible beyond 4M rows in one millisecond
        raise SystemExit("generated tweet ids are not unique; use fewer rows")

    impressions = np.rint(rng.lognormal(np.log(1500), 1.3, rows)).astype(np.int64) + 1
    impressions[rng.random(rows) < ZERO_IMPRESSIONS] = 0
    rate = np.clip(rng.lognormal(np.log(0.018), 0.8, rows), 0, 0.6)
    engagements = rng.binomial(impressions, rate)
    split = multinomial(rng, engagements, list(ITEMISED.values()))  # shape (rows, 9)
    media = rng.random(rows) < MEDIA_SHARE
    detail, media_col = list(ITEMISED).index("detail expands"), len(ITEMISED) - 1
    split[:, detail] += np.where(media, 0, split[:, media_col])  # no media: no media clicks
    split[:, media_col] = np.where(media, split[:, media_col], 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        engagement_rate = np.where(impressions > 0, engagements / impressions, 0.0)
    media_views = np.where(media, split[:, media_col] + rng.binomial(impressions, 0.01), 0)

    columns: dict[str, Any] = {
        "id": ids,
        "posted": posted,
        **texts(rng, rows),
        "impressions": impressions,
        "engagements": engagements,
        "engagement_rate": engagement_rate,
        **{name: split[:, i] for i, name in enumerate(ITEMISED)},
        "follows": rng.binomial(impressions, 0.0002),
        "media views": media_views,
    }
    return pa.table(columns)


def multinomial(rng: np.random.Generator, n: np.ndarray, shares: list[float]) -> np.ndarray:
    """``n`` split at random by ``shares`` (summing to 1): one binomial per share, which is
    several times faster than ``rng.multinomial`` with an array of ``n``."""
    out = np.empty((len(n), len(shares)), np.int64)
    left, rest = n.copy(), 1.0
    for i, share in enumerate(shares[:-1]):
        out[:, i] = rng.binomial(left, min(share / rest, 1.0))
        left -= out[:, i]
        rest -= share
    out[:, -1] = left
    return out


def texts(rng: np.random.Generator, rows: int) -> dict[str, pa.Array]:
    """The parts of the tweet texts (joined when written): an opening, a middle, a closing
    (often none) and a t.co link."""
    parts = {
        name: pa.DictionaryArray.from_arrays(
            pa.array(rng.integers(0, len(pool), rows, dtype=np.int32)),
            pa.array([p or None for p in pool], pa.string()),
        )
        for name, pool in (("opening", OPENINGS), ("middle", MIDDLES), ("closing", CLOSINGS))
    }
    codes = ALPHANUMERIC[rng.integers(0, len(ALPHANUMERIC), (rows, 10))]
    parts["link"] = pa.array(codes.view("S10").ravel()).cast(pa.string())
    return parts


def write_export(path: Path, rows: int, seed: int) -> None:
    """Write the export as the platform does: every value quoted, a header of 40 columns."""
    data = generate(rows, seed)

    def as_float(col: str) -> str:  # what CAST(<count> AS DOUBLE) AS VARCHAR gives, faster
        return f"""CAST("{col}" AS VARCHAR) || '.0'"""

    def as_int(col: str) -> str:
        return f'CAST("{col}" AS VARCHAR)'

    values = {
        "Tweet id": "CAST(id AS VARCHAR)",
        "Tweet permalink": f"'https://twitter.com/{HANDLE}/status/' || id",
        "Tweet text": "concat_ws(' ', opening, middle, closing, 'https://t.co/' || link)",
        "time": "strftime(posted, '%Y-%m-%d %H:%M') || ' +0000'",
        "impressions": as_float("impressions"),
        "engagements": as_float("engagements"),
        "engagement rate": "CAST(engagement_rate AS VARCHAR)",
        **{c: as_float(c) for c in ITEMISED if c != "media engagements"},
        "app opens": "'0'",
        "app installs": "'0'",
        "follows": as_int("follows"),
        "email tweet": "'0'",
        "dial phone": "'0'",
        "media views": as_int("media views"),
        "media engagements": as_int("media engagements"),
    }
    select = ", ".join(f"""{values.get(h, "'-'")} AS "{h}" """ for h in HEADER)
    con = duckdb.connect()
    con.register("generated", data)
    con.execute(
        f"COPY (SELECT {select} FROM generated) TO '{path}' "
        "(FORMAT csv, HEADER, FORCE_QUOTE *, DELIMITER ',', QUOTE '\"', ESCAPE '\"')"
    )
    con.close()


# -- measured in a subprocess -----------------------------------------------------------------
TYPED_SQL = """
CREATE TABLE post AS
SELECT
    CAST(row_number() OVER () AS BIGINT) AS post_id,
    1 AS account_id,
    'x' AS platform,
    "Tweet id" AS native_id,
    strptime(time, '%Y-%m-%d %H:%M %z') AS published_at,
    CAST(timezone('UTC', strptime(time, '%Y-%m-%d %H:%M %z')) AS DATE) AS local_date,
    "Tweet text" AS text,
    FALSE AS is_paid,
    "Tweet permalink" AS url,
    CAST(CAST(impressions AS DOUBLE) AS BIGINT) AS impressions,
    CAST(CAST(likes AS DOUBLE) AS BIGINT) AS likes,
    CAST(CAST(replies AS DOUBLE) AS BIGINT) AS comments,
    CAST(CAST(retweets AS DOUBLE) AS BIGINT) AS shares,
    CAST(CAST("url clicks" AS DOUBLE) AS BIGINT) AS clicks,
    CAST(CAST("media views" AS DOUBLE) AS BIGINT) AS video_views,
    CAST(CAST("user profile clicks" AS DOUBLE) AS BIGINT) AS profile_visits,
    CAST(CAST(follows AS DOUBLE) AS BIGINT) AS follows,
    CAST(CAST(engagements AS DOUBLE) AS BIGINT) AS engagements_native,
    CAST("engagement rate" AS DOUBLE) AS engagement_rate_native,
    1 AS batch_id,
    1 AS metrics_batch_id
FROM read_csv(?, header=true, all_varchar=true)
"""
# The same figures from the stored rows of either side, to check they did the same work.
CHECKSUM = """
SELECT count(*), count(DISTINCT native_id), sum(impressions), sum(likes), sum(comments),
       sum(shares), sum(clicks), sum(video_views), sum(profile_visits), sum(follows),
       sum(engagements_native), round(sum(engagement_rate_native), 6),
       sum(epoch(published_at)), sum(length(text)), sum(length(url))
FROM post
"""


def peak_rss() -> int:
    """Peak RSS of this process in bytes (VmHWM: ru_maxrss survives execve on Linux)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    """CPU time of this process so far, every thread (DuckDB's too), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(kind: str, path: Path, rows: int) -> dict[str, Any]:
    """One timed run of ``kind`` on ``path``, in this (fresh) process, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="cadran-bench-") as tmp:
        out: dict[str, Any] = {}
        if kind == "cadran":
            from cadran.services.imports import ImportOptions, import_file
            from cadran.services.workspace import Workspace

            ws = Workspace.init(Path(tmp) / "ws")
            exports = ws.export_types()
            before = psutil.Process().memory_info().rss
            start, cpu = time.perf_counter(), cpu_seconds()
            report = import_file(ws.warehouse, path, exports, ImportOptions())
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            table = report.tables[0] if report.tables else None
            if (
                report.status != "imported"
                or table is None
                or table.rows_read != rows
                or table.inserted != rows
            ):
                shown = f"read {table.rows_read}, inserted {table.inserted}" if table else ""
                raise SystemExit(
                    f"the import did not insert the {rows:,d} rows: status {report.status!r}"
                    f" ({report.message or shown})"
                )
            out["export_type"] = table.export_type
            out["checksum"] = list(ws.warehouse.con.execute(CHECKSUM).fetchone() or ())
            ws.close()
        elif kind == "read_csv":
            con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
            before = psutil.Process().memory_info().rss
            start, cpu = time.perf_counter(), cpu_seconds()
            con.execute(
                "CREATE TABLE t AS SELECT * FROM read_csv(?, header=true, all_varchar=true)",
                [str(path)],
            )
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            count = con.execute("SELECT count(*) FROM t").fetchone()
            if not count or count[0] != rows:
                raise SystemExit(f"read_csv read {count} rows, not {rows:,d}")
            con.close()
        elif kind == "typed_sql":
            con = duckdb.connect(
                str(Path(tmp) / "ref.duckdb"), config={"memory_limit": MEMORY_LIMIT}
            )
            con.execute("SET TimeZone = 'UTC'")
            before = psutil.Process().memory_info().rss
            start, cpu = time.perf_counter(), cpu_seconds()
            con.execute(TYPED_SQL, [str(path)])
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            out["checksum"] = list(con.execute(CHECKSUM).fetchone() or ())
            con.close()
        else:
            raise ValueError(kind)
    return {"seconds": seconds, "cpu": cpu, "peak_rss": peak_rss(), "rss_before": before, **out}


def run_worker(kind: str, path: Path, rows: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, str(path), "--rows", str(rows)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed (exit code {proc.returncode}):\n{proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- one size ---------------------------------------------------------------------------------
KINDS = ("read_csv", "typed_sql", "cadran")


def bench_size(rows: int, seed: int, repeat: int) -> dict[str, Any]:
    path = data_file(rows, seed)
    log(f"{rows:,d} rows: {path.relative_to(BENCH.parent)} ({megabytes(path.stat().st_size)})")
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for i in range(repeat):
        for kind in KINDS:  # alternating, so the three share the machine's noise
            result = run_worker(kind, path, rows)
            runs[kind].append(result)
            log(
                f"  run {i + 1}/{repeat} {kind:>9}: {result['seconds']:.2f} s "
                f"({result['cpu']:.2f} s CPU, peak RSS {result['peak_rss'] / GIB:.2f} GiB)"
            )
    cadran, typed = runs["cadran"][0]["checksum"], runs["typed_sql"][0]["checksum"]
    agree = cadran == typed
    if not agree:
        log(f"  WARNING: cadran and the typed SQL stored different rows: {cadran} != {typed}")
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r["cpu"] for r in v) for k, v in runs.items()}
    rss = {k: max(r["peak_rss"] for r in v) for k, v in runs.items()}
    return {
        "rows": rows,
        "bytes": path.stat().st_size,
        "median_s": med,
        "median_cpu_s": cpu,
        "runs_s": {k: [r["seconds"] for r in v] for k, v in runs.items()},
        "peak_rss": rss,
        "rss_before": {k: max(r["rss_before"] for r in v) for k, v in runs.items()},
        "agree": agree,
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| rows | file | cadran import | rows/s | read_csv (raw) | typed SQL | "
        "cadran / read_csv | cadran / typed SQL | cadran peak RSS | typed SQL peak RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        med, rss = r["median_s"], r["peak_rss"]
        lines.append(
            f"| {r['rows']:,d} | {megabytes(r['bytes'])} | {med['cadran']:.2f} s "
            f"| {r['rows'] / med['cadran']:,.0f} | {med['read_csv']:.2f} s "
            f"| {med['typed_sql']:.2f} s | {med['cadran'] / med['read_csv']:.2f} "
            f"| {med['cadran'] / med['typed_sql']:.2f} | {rss['cadran'] / GIB:.2f} GiB "
            f"| {rss['typed_sql'] / GIB:.2f} GiB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["1000000"], help="rows (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.sizes[0]), args.rows)))
        return
    sizes = [int(n.replace(",", "").replace("_", "")) for n in args.sizes if n.isascii()]
    if len(sizes) != len(args.sizes) or any(n < 1 for n in sizes) or args.repeat < 1:
        parser.error("sizes are numbers of rows, and they and --repeat must be at least 1")
    vm = psutil.virtual_memory()
    print(
        f"import_x benchmark: duckdb {duckdb.__version__}, pyarrow {pa.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{vm.total / GIB:.1f} GiB RAM, load average {os.getloadavg()[0]:.1f}; {engine_source()}",
        flush=True,
    )
    results = [bench_size(n, args.seed, args.repeat) for n in sizes]
    print(f"\nMedian of {args.repeat} runs, each in a fresh process (peak RSS: the largest).\n")
    print(markdown(results))
    print()
    for r in results:
        speed = r["rows"] / r["median_s"]["cadran"]
        met = "met" if speed >= TARGET_ROWS_PER_S else "NOT met"
        cpu = r["median_cpu_s"]
        print(
            f"{r['rows']:,d} rows: cadran {speed:,.0f} rows/s, target >= "
            f"{TARGET_ROWS_PER_S:,d} rows/s (at 1M rows) {met}. Stored rows "
            + ("agree with the typed SQL" if r["agree"] else "DIFFER from the typed SQL")
            + f". CPU time (all threads): cadran {cpu['cadran']:.2f} s, read_csv "
            f"{cpu['read_csv']:.2f} s, typed SQL {cpu['typed_sql']:.2f} s (cadran / typed SQL "
            f"{cpu['cadran'] / cpu['typed_sql']:.2f}). read_csv peak RSS "
            f"{r['peak_rss']['read_csv'] / GIB:.2f} GiB."
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
