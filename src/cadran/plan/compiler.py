"""Compile a KPI request into one SQL query, recording the plan it follows.

Shape of the generated query (all CTEs)::

    f<frame>_<fact>      one scan of a fact: period, keys, every measure the frame needs
    f<frame>_<fact>_s<n> stocks (last/first per account...): two-level aggregation
    cov_<fact>           periods in which the fact has rows (absent group then means zero)
    a<frame>_<n>         mean over entities of a finer frame (avg_per that needs grouping)
    s<frame>             the key spine: every (period, keys) seen, plus the period grid
    b<frame>             the spine joined to the scans: one row per key, measures as columns
    l<frame>_<n>         layers: derived columns, shifted columns (previous), windows (total)
    result               one row per KPI, period and key, with numerator and denominator

Counts and sums of a key that has no row in a fact are 0 when the fact has data in that period
and unknown (NULL) otherwise; divisions by zero give NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cadran.core.bound import (
    BArith,
    BAvgPer,
    BConst,
    BExpr,
    BMeasure,
    as_ratio,
    bound_text,
    children,
    measures_of,
)
from cadran.core.catalogue import BoundKpi
from cadran.core.periods import Grain, Period
from cadran.core.semantic import SemanticModel
from cadran.plan import sql
from cadran.plan.frames import Frame, FrameCollector, avg_key, lookback
from cadran.plan.layers import LayerWriter
from cadran.plan.query import PlanStep
from cadran.plan.request import Compare, KpiRequest, check_request
from cadran.plan.scans import ZERO_WHEN_ABSENT, ScanWriter


@dataclass(frozen=True)
class CompiledQuery:
    """The SQL of a request, the steps it follows and the shape of its result."""

    sql: str
    steps: tuple[PlanStep, ...]
    dimensions: tuple[str, ...]
    data_start: date
    data_end: date


def _avg_keys(node: BExpr) -> list[str]:
    """Keys of the averages a formula reads (at its own level)."""
    if isinstance(node, BAvgPer):
        return [avg_key(node)]
    return [k for c in children(node) for k in _avg_keys(c)]


def compile_request(
    model: SemanticModel, request: KpiRequest, dialect: sql.Dialect = sql.DUCKDB
) -> CompiledQuery:
    """Check ``request`` and compile it into one query."""
    check_request(request, model)
    return _Compiler(model, request, dialect).compile()


class _Compiler(ScanWriter, LayerWriter):
    def __init__(self, model: SemanticModel, request: KpiRequest, dialect: sql.Dialect) -> None:
        self.model = model
        self.request = request
        self.d = dialect
        self.grain = request.grain
        self.ctes: dict[str, tuple[str, bool]] = {}  # name -> (body, materialized), in order
        self.steps: list[PlanStep] = []
        self.scans: dict[str, str] = {}  # fact -> a flat scan CTE over all its rows in range
        self.gridded: dict[int, bool] = {}
        self.counter = 0
        # per frame: measure/avg key -> column; the current top layer; derived-column cache
        self.columns: dict[int, dict[str, str]] = {}
        self.top: dict[int, str] = {}
        self.cache: dict[int, dict[str, str]] = {}
        self.first, self.last = request.periods[0], request.periods[-1]
        self.needed = self._needed_periods()
        self.data_start = min(p.start for p in self.needed)
        self.data_end = max(p.end for p in self.needed)

    # -- periods -----------------------------------------------------------------------------

    def _compare_period(self, p: Period) -> Period | None:
        if self.request.compare is Compare.PREVIOUS:
            return p.previous()
        if self.request.compare is Compare.YEAR:
            return p.year_ago()
        return None

    def _needed_periods(self) -> list[Period]:
        depth = max(lookback(k.expr) for k in self.request.kpis)
        out: set[Period] = set()
        for p in self.request.periods:
            bases = [p]
            if (c := self._compare_period(p)) is not None:
                bases.append(c)
            for base in bases:
                out.update(base.shift(-k) for k in range(depth + 1))
        return sorted(out)

    def _compare_expr(self, column: str) -> str:
        if self.request.compare is Compare.PREVIOUS:
            return self._shift_expr(column, 1)
        if self.grain in (Grain.DAY, Grain.WEEK):
            return self.d.shift(column, Grain.DAY, 364)
        return self.d.shift_months(column, 12)

    def _emit_frame(self, frame: Frame) -> None:
        self.columns[frame.index] = {}
        self.cache[frame.index] = {}
        inputs: list[tuple[str, list[str], str | None]] = []  # (cte, keys, fact)
        for fact_name in frame.facts():
            for cte, keys in self._scan(frame, fact_name):
                inputs.append((cte, keys, fact_name))
        for key, (node, child) in frame.nested_avgs.items():
            child_top = self.top[child.index]
            child_cols = self.columns[child.index]
            value = self._expr(node.operand, child)
            child_top = self.top[child.index]
            del child_cols  # columns of the child are read through its top layer
            name = f"a{frame.index}_{self._name('')}"
            col = self._name("a")
            self.columns[frame.index][key] = col
            keys = ["period_start", *self._key_cols(frame)]
            group = ", ".join(str(i) for i in range(1, len(keys) + 1))
            body = (
                f"SELECT {', '.join(keys)}, avg({value}) AS {col}, sum({value}) AS {col}_sum,"
                f" count({value}) AS {col}_n, TRUE AS {col}_seen, TRUE AS _present\n"
                f"FROM {child_top}\n"
                f"GROUP BY {group}"
            )
            self._add(name, body)
            self._step(
                "per_entity", frame, name, f"mean per {node.entity} of {bound_text(node.operand)}"
            )
            inputs.append((name, [key], None))
        self._spine_and_base(frame, inputs)

    def _spine_and_base(
        self, frame: Frame, inputs: list[tuple[str, list[str], str | None]]
    ) -> None:
        keys = ["period_start", *self._key_cols(frame)]
        key_list = ", ".join(keys)
        dims = self._key_cols(frame)
        spine = f"s{frame.index}"
        cols = self.columns[frame.index]
        # One "seen" flag per measure: whether a row its filter selects has the key.
        flags = [(i, cols[k]) for i, (_, ckeys, _) in enumerate(inputs) for k in ckeys]
        # A regular grid of periods suits time series of platforms, campaigns, formats... but
        # not posts (each lives in one period) nor audience segments (which vary by snapshot).
        self.gridded[frame.index] = grid = (
            frame.entity is None and "post" not in frame.dims and not frame.intrinsic
        )
        if grid and dims:
            # Each key carries the measures whose data has it, in any period: a KPI then only
            # shows its own keys (no 'platform = none' row for every KPI because shared costs
            # have no platform), however many other KPIs the request holds.
            dim_list = ", ".join(dims)
            per_input = []
            for i, (cte, _, _) in enumerate(inputs):
                values = ", ".join(
                    f"bool_or({c}_seen) AS s_{c}" if j == i else f"FALSE AS s_{c}" for j, c in flags
                )
                per_input.append(f"SELECT {dim_list}, {values} FROM {cte} GROUP BY {dim_list}")
            merged = ", ".join(f"bool_or(s_{c}) AS s_{c}" for _, c in flags)
            body = (
                f"SELECT g.period_start, d.* FROM ({self._grid_sql()}) AS g CROSS JOIN (\n"
                f"SELECT {dim_list}, {merged} FROM (\n"
                + "\nUNION ALL\n".join(per_input)
                + f"\n) AS u\nGROUP BY {dim_list}) AS d"
            )
        elif grid:
            body = self._grid_sql()
        else:
            body = "\nUNION\n".join(f"SELECT {key_list} FROM {cte}" for cte, _, _ in inputs)
        self._add(spine, body)
        self._step(
            "spine",
            frame,
            spine,
            "every period and key seen" + (", on a full period grid" if grid else ""),
        )
        selects = [f"sp.{k}" for k in keys]
        if grid and dims:
            selects += [f"sp.s_{c}" for _, c in flags]
        elif not grid:
            selects += [f"coalesce(i{i}.{c}_seen, FALSE) AS s_{c}" for i, c in flags]
        # Facts whose absent keys count 0 in periods where they have data: one coverage table
        # with a flag per fact, joined once.
        covered = list(
            dict.fromkeys(
                fact_name
                for _, ckeys, fact_name in inputs
                if fact_name is not None
                and any(
                    self._is_zero_when_absent(frame, fact_name, k) or cols[k].startswith("a")
                    for k in ckeys
                )
            )
        )
        joins = []
        if covered:
            cov = self._coverage(frame, covered)
            joins.append(f"LEFT JOIN {cov} AS cv ON cv.period_start = sp.period_start")
        for i, (cte, ckeys, fact_name) in enumerate(inputs):
            alias = f"i{i}"
            on = " AND ".join(
                [f"{alias}.period_start = sp.period_start"]
                + [f"{alias}.{k} IS NOT DISTINCT FROM sp.{k}" for k in keys[1:]]
            )
            joins.append(f"LEFT JOIN {cte} AS {alias} ON {on}")
            flag = f"cv.c_{fact_name}" if fact_name in covered else None
            for k in ckeys:
                col = cols[k]
                if flag and self._is_zero_when_absent(frame, fact_name, k):
                    selects.append(
                        f"CASE WHEN {alias}._present THEN {alias}.{col} "
                        f"WHEN {flag} THEN 0 END AS {col}"
                    )
                else:
                    selects.append(f"{alias}.{col}")
                if col.startswith("a"):
                    # No per-entity value in a period that has data: the sum and the count of
                    # values are 0 (the mean itself has no value).
                    for part in ("sum", "n"):
                        if flag:
                            selects.append(
                                f"CASE WHEN {alias}._present THEN {alias}.{col}_{part} "
                                f"WHEN {flag} THEN 0 END AS {col}_{part}"
                            )
                        else:
                            selects.append(f"{alias}.{col}_{part}")
        base = f"b{frame.index}"
        self._add(base, f"SELECT {', '.join(selects)}\nFROM {spine} AS sp\n" + "\n".join(joins))
        self._step(
            "combine",
            frame,
            base,
            f"join {len(inputs)} input(s) on " + ", ".join(["period", *frame.keys]),
        )
        self.top[frame.index] = base

    def _is_zero_when_absent(self, frame: Frame, fact_name: str | None, key: str) -> bool:
        if fact_name is None:
            return False
        bm = frame.measures.get(fact_name, {}).get(key)
        return bm is not None and bm.measure.agg in ZERO_WHEN_ABSENT

    def _grid_sql(self) -> str:
        if self.grain is None:
            return "SELECT period_start FROM periods"
        step = {Grain.DAY: "1 DAY", Grain.WEEK: "7 DAY"}.get(
            self.grain, f"{self.grain.months} MONTH"
        )
        return (
            f"SELECT CAST(unnest(generate_series({sql.date_literal(self.data_start)}, "
            f"{sql.date_literal(self.data_end)} - INTERVAL 1 DAY, INTERVAL {step})) AS DATE)"
            " AS period_start"
        )

    # -- expressions -------------------------------------------------------------------------

    def _outputs(self, kpi: BoundKpi, frame: Frame) -> tuple[str, str, str]:
        average: BAvgPer | None = kpi.expr if isinstance(kpi.expr, BAvgPer) else None
        scale = 1.0
        top = kpi.expr
        if (
            isinstance(top, BArith)
            and top.op == "*"
            and isinstance(top.right, BConst)
            and isinstance(top.left, BAvgPer)
        ):
            average, scale = top.left, top.right.value
        if average is not None:
            col = self._expr(average, frame)
            factor = "" if scale == 1 else f" * {sql.number(scale)}"
            return f"{col}{factor}", f"{col}_sum{factor}", f"{col}_n"
        ratio = as_ratio(kpi.expr)
        value = self._expr(kpi.expr, frame)
        numerator = self._expr(ratio.numerator, frame)
        denominator = self._expr(ratio.denominator, frame) if ratio.denominator else "NULL"
        return value, numerator, denominator

    # -- whole query -------------------------------------------------------------------------

    def compile(self) -> CompiledQuery:
        req = self.request
        collector = FrameCollector(self.model)
        kpi_frames: list[tuple[BoundKpi, Frame]] = []
        for kpi in req.kpis:
            frame = collector.frame(req.dimensions_of(kpi), None, kpi.kpi.dimensions)
            collector.collect(kpi.expr, frame)
            kpi_frames.append((kpi, frame))
        for frame in list(collector.frames.values()):
            if frame.entity == "post" and "post" not in frame.measures:
                posts = self.model.measures["posts"]
                frame.measures.setdefault("post", {})["posts"] = BMeasure(posts)
        if self.grain is None:
            rows = ", ".join(
                f"({sql.date_literal(p.start)}, {sql.date_literal(p.end)})" for p in self.needed
            )
            self._add("periods", f"SELECT * FROM (VALUES {rows}) AS v(period_start, period_end)")
        # Children (frames with an entity) first: their parents read them.
        for frame in sorted(collector.frames.values(), key=lambda f: f.entity is None):
            self._emit_frame(frame)

        all_dims = list(dict.fromkeys(d for _, f in kpi_frames for d in f.dims))
        frames = {f.index: f for _, f in kpi_frames}
        # Every KPI's value, numerator and denominator first (this may add shift and window
        # layers), then one layer per frame holding them all: a long chain of one-column
        # layers would make the database's optimiser, not the data, the slow part.
        pending: dict[int, dict[str, str]] = {}
        outputs: dict[int, list[tuple[int, BoundKpi, str]]] = {}
        for index, frame in frames.items():
            self._prepare(frame, [k.expr for k, f in kpi_frames if f.index == index])
        for order, (kpi, frame) in enumerate(kpi_frames):
            value, num, den = self._outputs(kpi, frame)
            col = self._name("v")
            pending.setdefault(frame.index, {}).update(
                {col: value, f"{col}_num": num, f"{col}_den": den}
            )
            outputs.setdefault(frame.index, []).append((order, kpi, col))
            self._step("kpi", frame, f"v{frame.index}", f"{kpi.kpi.id} = {bound_text(kpi.expr)}")
        for index, exprs in pending.items():
            self._materialize(frames[index], exprs)
            self._reuse(self.top[index])
        if req.compare is not Compare.NONE:
            for index, items in outputs.items():
                self._join_shifted(
                    frames[index],
                    {col: f"{col}_cmp" for _, _, col in items},
                    self._compare_expr("cur.period_start"),
                    f"compare with the {req.compare.value} period",
                )
        selects = []
        for index, items in outputs.items():
            frame = frames[index]
            dims = [f"o.k_{d}" if d in frame.dims else f"NULL AS k_{d}" for d in all_dims]
            value_rows: list[list[str]] = []
            for order, kpi, col in items:
                previous = f"o.{col}_cmp" if req.compare is not Compare.NONE else "NULL"
                value_rows.append(
                    [
                        str(order),
                        sql.text(kpi.kpi.id),
                        f"CAST(o.{col} AS DOUBLE)",
                        f"CAST(o.{col}_num AS DOUBLE)",
                        f"CAST(o.{col}_den AS DOUBLE)",
                        f"CAST({previous} AS DOUBLE)",
                        self._keep(kpi, frame),
                    ]
                )
            selects.append(
                self.d.unpivot(
                    self.top[index],
                    ["o.period_start", *dims],
                    value_rows,
                    [
                        "kpi_order",
                        "kpi",
                        "value",
                        "numerator",
                        "denominator",
                        "previous_value",
                        "keep",
                    ],
                    self._output_filter(),
                )
            )
        self._add("result", "\nUNION ALL\n".join(selects))
        label_cols, label_joins = self._labels(all_dims)
        order_by = ", ".join(
            ["r.kpi_order", "r.period_start", *(f"r.k_{d} NULLS LAST" for d in all_dims)]
        )
        final = (
            f"SELECT r.kpi, r.period_start{''.join(', ' + c for c in label_cols)}, r.value, "
            f"r.numerator, r.denominator, r.previous_value\nFROM result AS r\n"
            + "".join(j + "\n" for j in label_joins)
            + f"WHERE r.keep\nORDER BY {order_by}"
        )
        text = self._with_clause() + "\n" + final
        return CompiledQuery(
            text, tuple(self.steps), tuple(all_dims), self.data_start, self.data_end
        )

    def _keep(self, kpi: BoundKpi, frame: Frame) -> str:
        """Whether a row belongs to ``kpi``: the data of one of its measures has the row's key."""
        if self.gridded[frame.index] and not frame.dims:
            return "TRUE"  # one row per period, data or not
        cols = self.columns[frame.index]
        keys = [bm.key for bm in measures_of(kpi.expr)] + _avg_keys(kpi.expr)
        used = sorted({cols[k] for k in keys if k in cols})
        return "(" + " OR ".join(f"o.s_{c}" for c in used) + ")" if used else "TRUE"

    def _output_filter(self) -> str:
        if self.grain is None:
            return f"o.period_start = {sql.date_literal(self.first.start)}"
        return (
            f"o.period_start >= {sql.date_literal(self.first.start)} AND "
            f"o.period_start < {sql.date_literal(self.last.end)}"
        )

    def _labels(self, dims: Sequence[str]) -> tuple[list[str], list[str]]:
        cols, joins = [], []
        for dim in dims:
            lookup = self.model.dimensions[dim].lookup
            if lookup is None:
                cols.append(f"CAST(r.k_{dim} AS VARCHAR) AS {sql.ident(dim)}")
                continue
            alias = f"lk_{dim}"
            parts = " || ':' || ".join(
                f"CAST({alias}.{sql.ident(c)} AS VARCHAR)" for c in lookup.columns
            )
            cols.append(f"{parts} AS {sql.ident(dim)}")
            joins.append(
                f"LEFT JOIN {sql.ident(lookup.table)} AS {alias} "
                f"ON {alias}.{sql.ident(lookup.key)} = r.k_{dim}"
            )
        return cols, joins
