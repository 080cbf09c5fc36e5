"""Time the demo generator: rows per second for sizes S and M (and L on request).

    .venv/bin/python bench/demo_generate.py            # S and M
    .venv/bin/python bench/demo_generate.py S M L      # L takes about two minutes

The reference, measured in the same run, builds Arrow tables of the same number of rows from
random numpy columns (8 numbers and 2 dictionary-encoded strings per row): the ratio says how
much slower than "just materialising random columns" the realistic generator is, so results
from different machines can be compared.
"""

from __future__ import annotations

import argparse
import datetime
import resource
import time
from collections import defaultdict

import numpy as np
import pyarrow as pa

from cadran.sources.demo import DemoSpec, generate

END = datetime.date(2026, 10, 31)
CHUNK = 200_000


def reference(rows: int) -> float:
    """Seconds to build ``rows`` rows of random columns as Arrow tables, in chunks."""
    rng = np.random.default_rng(0)
    words = pa.array([f"word {i}" for i in range(1_000)])
    start = time.perf_counter()
    for offset in range(0, rows, CHUNK):
        n = min(CHUNK, rows - offset)
        columns = {f"n{i}": rng.poisson(10.0, n) for i in range(8)}
        for name in ("a", "b"):
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 1_000, n, dtype=np.int32)), words
            )
        pa.table(columns)
    return time.perf_counter() - start


def run(size: str) -> None:
    """Generate one size, then print its rows, time, rows/s and ratio to the reference."""
    spec = DemoSpec(size, seed=42, end=END, timezone="Europe/Paris")
    rows: dict[str, int] = defaultdict(int)
    start = time.perf_counter()
    for chunk in generate(spec):
        rows[chunk.table] += chunk.data.num_rows
    seconds = time.perf_counter() - start
    total = sum(rows.values())
    baseline = reference(total)
    print(
        f"{size}: {total:>12,d} rows in {seconds:7.2f} s = {total / seconds:>11,.0f} rows/s"
        f"  (posts {rows['post']:,d}, messages {rows['message']:,d});"
        f" reference {baseline:.2f} s, ratio {seconds / baseline:.1f}"
    )


def main() -> None:
    """Parse the sizes and time each."""
    # pyarrow imports pandas the first time it converts a Python list (about a second): pay
    # that once here so that it does not count as generation time.
    pa.array(["warm-up"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["S", "M"], help="S, M or L (default: S M)")
    sizes = [size.upper() for size in parser.parse_args().sizes]
    if unknown := sorted(set(sizes) - {"S", "M", "L"}):
        parser.error(f"unknown size(s) {', '.join(unknown)}: expected S, M or L")
    for size in sizes:
        run(size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
