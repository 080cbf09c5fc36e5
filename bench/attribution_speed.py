"""Speed of attribution: Cadran's SQL credits against the pure-Python reference, same run.

    .venv/bin/python bench/attribution_speed.py [WORKSPACE] [PERIOD]

Default: the S demo (built into /tmp/cadran-bench-demo-s if needed), period 2026 (every order
of a year). Cadran computes paths, rule-based credits and Markov transitions in DuckDB and
solves the chain exactly in Python; the reference (``cadran.core.attribution.attribute``) runs
on the same paths, read once from the database (reading them is not timed). Both must agree.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import cadran
from cadran.core.attribution import Journey, parse_models
from cadran.core.attribution import attribute as reference
from cadran.plan import attribution as plan
from cadran.services.attribution import attribute


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/cadran-bench-demo-s")
    period = sys.argv[2] if len(sys.argv) > 2 else "2026"
    ws = (
        cadran.open(path)
        if (path / "cadran.toml").exists()
        else cadran.demo(path, size="S", seed=42, end="2026-10-31")
    )
    with ws:
        (span,) = ws.resolve_periods(period)
        models = parse_models("all")
        start = time.perf_counter()
        run = attribute(ws, "orders", span.start, span.last_day, models)
        cadran_s = time.perf_counter() - start
        rows = ws.warehouse.rows(
            f"SELECT conversion_id, list(channel ORDER BY pos), list(age_days ORDER BY pos), "
            f"any_value(value) FROM {plan.PATHS} GROUP BY conversion_id"
        )
        journeys = [Journey(tuple(c), tuple(a), 1.0, float(v or 0)) for _, c, a, v in rows]
        start = time.perf_counter()
        expected = {m.name: reference(journeys, m) for m in models if m.name != "markov"}
        reference_s = time.perf_counter() - start
        for name, credits in expected.items():
            part = run.credits[run.credits["model"] == name]
            got = part.groupby("channel")["credit"].sum()
            for channel, credit in credits.items():
                assert abs(got.get(channel, 0.0) - credit.conversions) < 1e-6, (name, channel)
        print(f"{run.conversions:,} orders, {len(run.credits):,} credited rows, 6 models")
        print(f"Cadran (SQL + exact Markov, all 6 models): {cadran_s:.3f} s")
        print(f"Python reference (5 rule-based models, paths given): {reference_s:.3f} s")
        print(f"ratio reference / Cadran: {reference_s / cadran_s:.2f}")


if __name__ == "__main__":
    main()
