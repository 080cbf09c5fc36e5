"""Compare long KPI tables (engine, reference SQL, pandas) key by key.

A key is (kpi, period_start, platform, segment); missing platforms and segments are compared as
equal to each other. Values, numerators and denominators agree when both are missing (NaN) or
when they are within a relative tolerance of each other (default 1e-9, no absolute tolerance).
A key present in one table only is a disagreement too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KEYS = ["kpi", "period_start", "platform", "segment"]
FIELDS = ["value", "numerator", "denominator"]
MISSING = "∅"  # how a missing platform or segment is shown


def normalize(frame: pd.DataFrame) -> pd.DataFrame:
    """The key and value columns, with comparable types, indexed by key."""
    out = pd.DataFrame(
        {
            "kpi": frame["kpi"].astype(str).to_numpy(),
            "period_start": pd.to_datetime(frame["period_start"]).dt.strftime("%Y-%m-%d"),
        }
    )
    for col in ("platform", "segment"):
        values = frame[col] if col in frame.columns else pd.Series([None] * len(frame))
        out[col] = [MISSING if pd.isna(v) else str(v) for v in values]
    for col in FIELDS:
        out[col] = pd.to_numeric(frame[col], errors="raise").astype("float64").to_numpy()
    duplicated = out.duplicated(KEYS)
    if duplicated.any():
        raise ValueError(f"duplicate keys: {out.loc[duplicated, KEYS].head().to_dict('records')}")
    return out.set_index(KEYS).sort_index()


@dataclass
class Agreement:
    """The outcome of comparing two tables."""

    left: str
    right: str
    keys: int = 0  # keys present in both
    values: int = 0  # fields compared (keys x value, numerator, denominator)
    only_left: pd.DataFrame = field(default_factory=pd.DataFrame)
    only_right: pd.DataFrame = field(default_factory=pd.DataFrame)
    mismatches: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __repr__(self) -> str:
        return f"<Agreement {self.summary(limit=0).splitlines()[0]}>"

    @property
    def same_keys(self) -> bool:
        """Whether both tables have the same keys."""
        return self.only_left.empty and self.only_right.empty

    @property
    def values_agree(self) -> bool:
        """Whether every value, numerator and denominator of the common keys agrees."""
        return self.mismatches.empty

    @property
    def ok(self) -> bool:
        """Whether the two tables agree on every key and value."""
        return self.same_keys and self.values_agree

    def summary(self, limit: int = 10) -> str:
        """A human-readable account, with up to ``limit`` examples of each disagreement."""
        lines = [
            f"{self.left} vs {self.right}: {self.keys:,d} keys in both, "
            f"{self.values:,d} values compared, {len(self.mismatches):,d} disagreeing, "
            f"{len(self.only_left):,d} keys only in {self.left}, "
            f"{len(self.only_right):,d} only in {self.right}"
        ]
        for title, table in (
            (f"values that disagree ({self.left} / {self.right})", self.mismatches),
            (f"keys only in {self.left}", self.only_left),
            (f"keys only in {self.right}", self.only_right),
        ):
            if table.empty:
                continue
            lines.append(f"  {title}, by KPI: " + _by_kpi(table))
            if limit <= 0:
                continue
            with pd.option_context("display.width", 200, "display.max_columns", 20):
                lines.append("    " + table.head(limit).to_string().replace("\n", "\n    "))
        return "\n".join(lines)


def _by_kpi(table: pd.DataFrame) -> str:
    counts = table.reset_index()["kpi"].value_counts()
    return ", ".join(f"{k} {n}" for k, n in counts.items())


def close(a: np.ndarray, b: np.ndarray, rel: float) -> np.ndarray:
    """Element-wise: both NaN, or equal within ``rel`` times the larger magnitude."""
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        near = np.abs(a - b) <= rel * np.maximum(np.abs(a), np.abs(b))
    return both_nan | (near & ~np.isnan(a) & ~np.isnan(b))


def compare(
    left: pd.DataFrame,
    right: pd.DataFrame,
    names: tuple[str, str] = ("engine", "reference"),
    rel: float = 1e-9,
) -> Agreement:
    """Compare two long KPI tables."""
    a, b = normalize(left), normalize(right)
    common = a.index.intersection(b.index)
    result = Agreement(names[0], names[1], keys=len(common), values=len(common) * len(FIELDS))
    result.only_left = a.loc[a.index.difference(b.index)]
    result.only_right = b.loc[b.index.difference(a.index)]
    a, b = a.loc[common], b.loc[common]
    bad = np.zeros(len(common), dtype=bool)
    for col in FIELDS:
        bad |= ~close(a[col].to_numpy(), b[col].to_numpy(), rel)
    joined = a[bad].join(b[bad], suffixes=(f"_{names[0]}", f"_{names[1]}"))
    result.mismatches = joined[[f"{c}_{n}" for c in FIELDS for n in names]]
    return result
