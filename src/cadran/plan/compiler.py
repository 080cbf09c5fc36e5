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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from cadran.core.bound import (
    BArith,
    BAvgPer,
    BConst,
    BDays,
    BExpr,
    BFunc,
    BMeasure,
    BNeg,
    BPrevious,
    BTotal,
    as_ratio,
    bound_text,
    children,
    measures_of,
)
from cadran.core.catalogue import BoundKpi
from cadran.core.formula import BoolOp, Condition, InList, IsNull, Name, Not
from cadran.core.formula import Compare as Comparison
from cadran.core.periods import Grain, Period
from cadran.core.semantic import Aggregation, ColumnRef, Fact, SemanticModel
from cadran.plan import sql
from cadran.plan.frames import STOCKS, Frame, FrameCollector, avg_key, lookback
from cadran.plan.request import Compare, KpiRequest, check_request

ZERO_WHEN_ABSENT = (Aggregation.SUM, Aggregation.COUNT, Aggregation.COUNT_DISTINCT)
TWO_LEVEL = (Aggregation.SUM, Aggregation.COUNT, Aggregation.UNIQUE)


@dataclass(frozen=True)
class PlanStep:
    """One step of a plan, for ``cadran explain``."""

    kind: str
    frame: int | None
    name: str
    detail: str


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


def _columns_of(node: Condition) -> set[str]:
    """The columns a condition reads."""
    if isinstance(node, Name):
        return {node.name}
    if isinstance(node, Comparison):
        return {o.name for o in (node.left, node.right) if isinstance(o, Name)}
    if isinstance(node, InList | IsNull):
        return {node.operand.name} if isinstance(node.operand, Name) else set()
    if isinstance(node, BoolOp):
        return _columns_of(node.left) | _columns_of(node.right)
    if isinstance(node, Not):
        return _columns_of(node.operand)
    return set()


def _ready_nodes(
    node: BExpr, cache: dict[str, str], totals: dict[str, BTotal], shifts: dict[str, BPrevious]
) -> bool:
    """Collect the total() and previous() nodes not yet computed whose insides are ready.

    Returns whether ``node`` itself is ready (all its total() and previous() computed).
    Averages are computed at their own frame, so their insides are not looked into.
    """
    if isinstance(node, BAvgPer):
        return True
    # Visit every child (no short-circuit): each may hold nodes to collect.
    children_ready = [_ready_nodes(c, cache, totals, shifts) for c in children(node)]
    inner_ready = all(children_ready)
    if isinstance(node, BTotal | BPrevious):
        key = (
            f"total:{bound_text(node.operand)}"
            if isinstance(node, BTotal)
            else f"previous:{node.n}:{bound_text(node.operand)}"
        )
        if key in cache:
            return True
        if inner_ready:
            if isinstance(node, BTotal):
                totals[key] = node
            else:
                shifts[key] = node
        return False
    return inner_ready


def compile_request(
    model: SemanticModel, request: KpiRequest, dialect: sql.Dialect = sql.DUCKDB
) -> CompiledQuery:
    """Check ``request`` and compile it into one query."""
    check_request(request, model)
    return _Compiler(model, request, dialect).compile()


class _Compiler:
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

    def _bucket(self, column: str) -> str:
        return self.d.bucket(column, self.grain) if self.grain else "pp.period_start"

    def _shift_expr(self, column: str, steps: int) -> str:
        return self.d.shift(column, self.grain, steps, self.first.days)

    def _compare_expr(self, column: str) -> str:
        if self.request.compare is Compare.PREVIOUS:
            return self._shift_expr(column, 1)
        if self.grain in (Grain.DAY, Grain.WEEK):
            return self.d.shift(column, Grain.DAY, 364)
        return self.d.shift_months(column, 12)

    def _days_expr(self) -> str:
        if self.grain is None:
            return sql.number(self.first.days)
        if self.grain is Grain.DAY:
            return "1"
        if self.grain is Grain.WEEK:
            return "7"
        return f"(CAST(period_start + INTERVAL {self.grain.months} MONTH AS DATE) - period_start)"

    # -- helpers ----------------------------------------------------------------------------
    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def _add(self, name: str, body: str, *, materialized: bool = False) -> None:
        self.ctes[name] = (body, materialized)

    def _reuse(self, name: str) -> None:
        """Mark a CTE read more than once as materialized, so its plan is not copied."""
        body, _ = self.ctes[name]
        self.ctes[name] = (body, True)

    def _with_clause(self) -> str:
        parts = [
            f"{name} AS{' MATERIALIZED' if mat else ''} (\n{body}\n)"
            for name, (body, mat) in self.ctes.items()
        ]
        return "WITH " + ",\n".join(parts)

    def _step(self, kind: str, frame: Frame | None, name: str, detail: str) -> None:
        self.steps.append(PlanStep(kind, frame.index if frame else None, name, detail))

    @staticmethod
    def _key_cols(frame: Frame) -> list[str]:
        return [f"k_{k}" for k in frame.keys]

    def _from_clause(self, fact: Fact, refs: Sequence[ColumnRef]) -> str:
        joins = {r.join for r in refs if r.join}
        parts = [f"{sql.ident(fact.table)} AS t"]
        for jname in sorted(joins):
            join = fact.joins[jname]
            parts.append(
                f"LEFT JOIN {sql.ident(join.table)} AS j_{sql.ident(jname)} "
                f"ON j_{jname}.{sql.ident(join.key)} = t.{sql.ident(join.key)}"
            )
        if self.grain is None:
            parts.append(
                f"JOIN periods AS pp ON t.{sql.ident(fact.date)} >= pp.period_start "
                f"AND t.{sql.ident(fact.date)} < pp.period_end"
            )
        return "\n  ".join(parts)

    def _where(self, fact: Fact) -> str:
        col = f"t.{sql.ident(fact.date)}"
        conds = [
            f"{col} >= {sql.date_literal(self.data_start)}",
            f"{col} < {sql.date_literal(self.data_end)}",
        ]
        for dim, values in self.request.filters.items():
            ref = fact.dimensions[dim]
            items = ", ".join(sql.text(v) for v in values)
            conds.append(f"{self._ref(ref)} IN ({items})")
        return " AND ".join(conds)

    @staticmethod
    def _ref(ref: ColumnRef) -> str:
        table = f"j_{ref.join}" if ref.join else "t"
        return f"{table}.{sql.ident(ref.column)}"

    def _key_exprs(self, frame: Frame, fact: Fact) -> tuple[list[str], list[ColumnRef]]:
        exprs, refs = [], []
        for dim in frame.dims:
            ref = fact.dimensions[dim]
            refs.append(ref)
            exprs.append(f"{self._ref(ref)} AS k_{dim}")
        if frame.entity is not None:
            entity_ref = fact.entity_column(frame.entity)
            assert entity_ref is not None  # the binder checked every measure supports it
            refs.append(entity_ref)
            entity_sql = self._ref(entity_ref)
            if frame.entity in ("week", "month"):
                entity_sql = self.d.bucket(entity_sql, Grain(frame.entity))
            exprs.append(f"{entity_sql} AS k_{frame.entity}")
        return exprs, refs

    @staticmethod
    def _fact_column(name: str) -> str:
        return f"t.{sql.ident(name)}"

    def _measure_parts(self, fact: Fact, bm: BMeasure) -> tuple[str, str | None]:
        column = self._fact_column
        value = sql.row_expr(bm.measure.expr, column, self.d) if bm.measure.expr else None
        conds = [sql.condition(bm.condition, column)] if bm.condition is not None else []
        for other in bm.complete:  # a pooled ratio's parts count the same rows
            assert other.expr is not None
            conds.append(f"({sql.row_expr(other.expr, column, self.d)} IS NOT NULL)")
        cond = " AND ".join(conds) if conds else None
        return value or "", cond

    def _user_condition(self, bm: BMeasure) -> str | None:
        """The measure's own filter, without the complete-case requirements of pooled ratios."""
        return sql.condition(bm.condition, self._fact_column) if bm.condition is not None else None

    def _seen(self, bm: BMeasure) -> str:
        """Whether a group has a row the measure's filter selects: the group is then a key of
        the KPIs using it, whatever else the request evaluates."""
        cond = self._user_condition(bm)
        return f"count(*) FILTER (WHERE {cond}) > 0" if cond else "TRUE"

    def _aggregate(self, fact: Fact, bm: BMeasure) -> str:
        value, cond = self._measure_parts(fact, bm)
        agg = bm.measure.agg
        flt = f" FILTER (WHERE {cond})" if cond else ""
        if agg is Aggregation.COUNT:
            return f"count(*){flt}"
        if agg is Aggregation.SUM:
            if cond:
                return f"CASE WHEN count(*){flt} = 0 THEN 0 ELSE sum({value}){flt} END"
            return f"sum({value})"
        if agg is Aggregation.COUNT_DISTINCT:
            return f"count(DISTINCT {value}){flt}"
        if agg is Aggregation.MEAN:
            return f"avg({value}){flt}"
        if agg is Aggregation.MEDIAN:
            return f"{self.d.median(value)}{flt}"
        if agg is Aggregation.MIN:
            return f"min({value}){flt}"
        if agg is Aggregation.MAX:
            return f"max({value}){flt}"
        if agg is Aggregation.UNIQUE:
            # A unique count is only known for one row (one post, one account-day): never summed.
            return f"CASE WHEN count(*){flt} = 1 THEN max({value}){flt} END"
        raise AssertionError(f"stocks are aggregated in two levels, not here: {agg}")

    def _row_value(self, fact: Fact, node: BExpr) -> str:
        """``node`` on one row of ``fact`` (whose rows are the averaged entities)."""
        if isinstance(node, BMeasure):
            value, cond = self._measure_parts(fact, node)
            agg = node.measure.agg
            if agg is Aggregation.COUNT:
                return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)" if cond else "1"
            if agg is Aggregation.COUNT_DISTINCT:
                test = f"{cond} AND {value} IS NOT NULL" if cond else f"{value} IS NOT NULL"
                return f"(CASE WHEN {test} THEN 1 ELSE 0 END)"
            if agg is Aggregation.SUM and cond:
                return f"(CASE WHEN {cond} THEN {value} ELSE 0 END)"
            return f"(CASE WHEN {cond} THEN {value} END)" if cond else value
        return self._scalar(node, lambda n: self._row_value(fact, n))

    # -- scans --------------------------------------------------------------------------------
    def _scan(self, frame: Frame, fact_name: str) -> list[tuple[str, list[str]]]:
        """Emit the scans of one fact for one frame; returns (cte, measure/avg keys) pairs."""
        fact = self.model.facts[fact_name]
        cols = self.columns[frame.index]
        measures = frame.measures.get(fact_name, {})
        flat = {k: m for k, m in measures.items() if m.measure.agg not in STOCKS}
        stocks = {k: m for k, m in measures.items() if m.measure.agg in STOCKS}
        avgs = frame.inline_avgs.get(fact_name, {})
        if stocks and not avgs and all(m.measure.agg in TWO_LEVEL for m in flat.values()):
            # Sums, counts and unique counts also add up over the per-account groups a stock
            # needs: one scan of the table then serves them all.
            stocks, flat = {**stocks, **flat}, {}
        key_exprs, refs = self._key_exprs(frame, fact)
        n_keys = 1 + len(key_exprs)
        group = ", ".join(str(i) for i in range(1, n_keys + 1))
        out: list[tuple[str, list[str]]] = []
        if flat or avgs:
            name = f"f{frame.index}_{fact_name}"
            selects = [f"{self._bucket(f't.{sql.ident(fact.date)}')} AS period_start", *key_exprs]
            for key, bm in flat.items():
                cols[key] = self._name("m")
                selects.append(f"{self._aggregate(fact, bm)} AS {cols[key]}")
                selects.append(f"{self._seen(bm)} AS {cols[key]}_seen")
            for key, node in avgs.items():
                col = self._name("a")
                cols[key] = col
                row = self._row_value(fact, node.operand)
                selects += [
                    f"avg({row}) AS {col}",
                    f"sum({row}) AS {col}_sum",
                    f"count({row}) AS {col}_n",
                    f"TRUE AS {col}_seen",
                ]
            body = (
                f"SELECT {', '.join(selects)}, TRUE AS _present\n"
                f"FROM {self._from_clause(fact, refs)}\nWHERE {self._where(fact)}\n"
                f"GROUP BY {group}"
            )
            self._add(name, body, materialized=True)
            self.scans.setdefault(fact_name, name)  # it sees every row: coverage reads it
            self._step(
                "scan",
                frame,
                name,
                f"{fact.table} by {self._grain_text()}"
                + (f", {', '.join(frame.keys)}" if frame.keys else "")
                + f": {', '.join([*flat, *avgs])}",
            )
            out.append((name, [*flat, *avgs]))
        by_per: dict[tuple[str, ...], dict[str, BMeasure]] = {}
        first_per = next((m.measure.per for m in stocks.values() if m.measure.per), ())
        for key, bm in stocks.items():
            by_per.setdefault(bm.measure.per or first_per, {})[key] = bm
        for per, group_measures in by_per.items():
            out.append(self._stock_scan(frame, fact, per, group_measures, key_exprs, refs))
        return out

    def _stock_scan(
        self,
        frame: Frame,
        fact: Fact,
        per: tuple[str, ...],
        measures: dict[str, BMeasure],
        key_exprs: list[str],
        refs: list[ColumnRef],
    ) -> tuple[str, list[str]]:
        cols = self.columns[frame.index]
        name = f"f{frame.index}_{fact.name}_s{self._name('')}"
        per_refs = [fact.entities[p] for p in per]
        inner = [f"{self._bucket(f't.{sql.ident(fact.date)}')} AS period_start", *key_exprs]
        inner += [f"{self._ref(r)} AS e_{i}" for i, r in enumerate(per_refs)]
        outer = []
        order = f"t.{sql.ident(fact.date)}"
        # Columns constant within a per-entity group (the account, the audience dimension...):
        # a filter reading only those is applied after the aggregation, so measures that differ
        # only by such a filter share one aggregate instead of keeping one state each.
        entity_cols = {r.column: f"e_{i}" for i, r in enumerate(per_refs) if r.join is None}
        shared: dict[str, str] = {}
        for key, bm in measures.items():
            col = cols[key] = self._name("m")
            value, cond = self._measure_parts(fact, bm)
            agg = bm.measure.agg
            late = (
                agg in STOCKS
                and bm.condition is not None
                and not bm.complete
                and _columns_of(bm.condition) <= set(entity_cols)
            )
            if late:
                assert bm.condition is not None
                pick = self.d.last_value if agg is Aggregation.LAST else self.d.first_value
                inner_sql = f"{pick(value, order)} FILTER (WHERE {value} IS NOT NULL)"
                if inner_sql not in shared:
                    shared[inner_sql] = self._name("g")
                    inner.append(f"{inner_sql} AS {shared[inner_sql]}")
                group_cond = sql.condition(bm.condition, lambda c: entity_cols[c])
                outer.append(f"sum(CASE WHEN {group_cond} THEN {shared[inner_sql]} END) AS {col}")
                outer.append(f"bool_or({group_cond}) AS {col}_seen")
                continue
            if agg in STOCKS:
                keep = f"{value} IS NOT NULL" + (f" AND {cond}" if cond else "")
                pick = self.d.last_value if agg is Aggregation.LAST else self.d.first_value
                inner.append(f"{pick(value, order)} FILTER (WHERE {keep}) AS {col}")
                outer.append(f"sum({col}) AS {col}")
            elif agg is Aggregation.UNIQUE:  # known only when the whole group is one row
                flt = f" FILTER (WHERE {cond})" if cond else ""
                inner += [f"count(*){flt} AS {col}_rows", f"max({value}){flt} AS {col}"]
                outer.append(f"CASE WHEN sum({col}_rows) = 1 THEN max({col}) END AS {col}")
            else:  # sums and counts add up over the groups
                inner.append(f"{self._aggregate(fact, bm)} AS {col}")
                outer.append(f"sum({col}) AS {col}")
            inner.append(f"{self._seen(bm)} AS {col}_seen")
            outer.append(f"bool_or({col}_seen) AS {col}_seen")
        n_inner = 1 + len(key_exprs) + len(per_refs)
        n_outer = 1 + len(key_exprs)
        key_names = ["period_start", *self._key_cols(frame)]
        body = (
            f"SELECT {', '.join(key_names)}, {', '.join(outer)}, TRUE AS _present\nFROM (\n"
            f"  SELECT {', '.join(inner)}\n  FROM {self._from_clause(fact, [*refs, *per_refs])}\n"
            f"  WHERE {self._where(fact)}\n"
            f"  GROUP BY {', '.join(str(i) for i in range(1, n_inner + 1))}\n) AS per_entity\n"
            f"GROUP BY {', '.join(str(i) for i in range(1, n_outer + 1))}"
        )
        self._add(name, body, materialized=True)
        self.scans.setdefault(fact.name, name)  # it sees every row: coverage reads it
        self._step(
            "stock",
            frame,
            name,
            f"{fact.table}: per {', '.join(per)} in each {self._grain_text()} (stocks: last or "
            f"first value), then added up: {', '.join(measures)}",
        )
        return name, list(measures)

    def _coverage(self, frame: Frame, facts: list[str]) -> str:
        """A table of the periods in which each of ``facts`` has rows, one flag per fact."""
        parts = []
        for n, fact_name in enumerate(facts):
            fact = self.model.facts[fact_name]
            if not self.request.filters and fact_name in self.scans:
                # The scan already covers every row of the range: no second pass.
                parts.append(f"SELECT DISTINCT period_start, {n} AS f FROM {self.scans[fact_name]}")
            else:
                date = f"t.{sql.ident(fact.date)}"
                parts.append(
                    f"SELECT DISTINCT {self._bucket(date)} AS period_start, {n} AS f\n"
                    f"FROM {self._from_clause(fact, [])}\n"
                    f"WHERE {date} >= {sql.date_literal(self.data_start)} "
                    f"AND {date} < {sql.date_literal(self.data_end)}"
                )
        flags = ", ".join(f"bool_or(f = {n}) AS c_{fact}" for n, fact in enumerate(facts))
        name = f"cov{frame.index}"
        self._add(
            name,
            f"SELECT period_start, {flags} FROM (\n"
            + "\nUNION ALL\n".join(parts)
            + "\n) AS u\nGROUP BY period_start",
        )
        self._step(
            "coverage",
            frame,
            name,
            f"periods in which {', '.join(facts)} have rows (a missing key then counts 0)",
        )
        return name

    def _grain_text(self) -> str:
        return self.grain.value if self.grain else "custom period"

    # -- frames ------------------------------------------------------------------------------
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
    def _scalar(self, node: BExpr, recurse: Callable[[BExpr], str]) -> str:
        if isinstance(node, BConst):
            return sql.number(node.value)
        if isinstance(node, BDays):
            return self._days_expr()
        if isinstance(node, BNeg):
            return f"(-{recurse(node.operand)})"
        if isinstance(node, BArith):
            left, right = recurse(node.left), recurse(node.right)
            if node.op == "/":
                return f"(CAST({left} AS DOUBLE) / NULLIF({right}, 0))"
            return f"({left} {node.op} {right})"
        if isinstance(node, BFunc):
            return f"{node.name}({', '.join(recurse(a) for a in node.args)})"
        raise AssertionError(f"unexpected node in a scalar expression: {node!r}")

    def _expr(self, node: BExpr, frame: Frame) -> str:
        cols = self.columns[frame.index]
        if isinstance(node, BMeasure):
            return cols[node.key]
        if isinstance(node, BAvgPer):
            return cols[avg_key(node)]
        if isinstance(node, BPrevious):
            return self._shifted(node, frame)
        if isinstance(node, BTotal):
            return self._total(node, frame)
        return self._scalar(node, lambda n: self._expr(n, frame))

    def _materialize(self, frame: Frame, exprs: dict[str, str]) -> str:
        """Add a layer computing ``exprs`` (column -> SQL) over the frame's top layer."""
        name = f"l{frame.index}_{self._name('')}"
        extra = ", ".join(f"{v} AS {k}" for k, v in exprs.items())
        self._add(name, f"SELECT *, {extra}\nFROM {self.top[frame.index]}")
        self.top[frame.index] = name
        return name

    def _join_shifted(
        self, frame: Frame, columns: dict[str, str], shift_sql: str, detail: str
    ) -> None:
        """Add a layer reading ``columns`` (source -> new name) from the shifted period."""
        src = self.top[frame.index]
        self._reuse(src)
        name = f"l{frame.index}_{self._name('')}"
        on = " AND ".join(
            [f"p.period_start = {shift_sql}"]
            + [f"p.{k} IS NOT DISTINCT FROM cur.{k}" for k in self._key_cols(frame)]
        )
        extra = ", ".join(f"p.{s} AS {t}" for s, t in columns.items())
        self._add(name, f"SELECT cur.*, {extra}\nFROM {src} AS cur\nLEFT JOIN {src} AS p ON {on}")
        self._step("shift", frame, name, detail)
        self.top[frame.index] = name

    def _shifted(self, node: BPrevious, frame: Frame) -> str:
        key = f"previous:{node.n}:{bound_text(node.operand)}"
        if key not in self.cache[frame.index]:
            self._prepare(frame, [node])
        return self.cache[frame.index][key]

    def _total(self, node: BTotal, frame: Frame) -> str:
        key = f"total:{bound_text(node.operand)}"
        if key not in self.cache[frame.index]:
            self._prepare(frame, [node])
        return self.cache[frame.index][key]

    def _prepare(self, frame: Frame, exprs: list[BExpr]) -> None:
        """Compute every total() and previous() the formulas need, a few layers for all.

        One derived layer and one window layer hold every total(); one derived layer and one
        self-join per step count hold every previous(). Innermost ones are done first, so that
        previous(total(x)) finds total(x) ready.
        """
        cache = self.cache[frame.index]
        while True:
            totals: dict[str, BTotal] = {}
            shifts: dict[str, BPrevious] = {}
            for expr in exprs:
                _ready_nodes(expr, cache, totals, shifts)
            if not totals and not shifts:
                return
            if totals:
                inner = {
                    self._name("x"): (k, self._expr(n.operand, frame)) for k, n in totals.items()
                }
                self._materialize(frame, {c: v for c, (_, v) in inner.items()})
                partition = ", ".join(
                    ["period_start", *(f"k_{d}" for d in frame.dims if d not in frame.intrinsic)]
                )
                self._materialize(
                    frame,
                    {f"{c}_total": f"sum({c}) OVER (PARTITION BY {partition})" for c in inner},
                )
                self._step(
                    "window",
                    frame,
                    self.top[frame.index],
                    f"{', '.join(totals)} over {', '.join(frame.intrinsic)}",
                )
                for c, (k, _) in inner.items():
                    cache[k] = f"{c}_total"
            by_step: dict[int, dict[str, BPrevious]] = {}
            for k, node in shifts.items():
                by_step.setdefault(node.n, {})[k] = node
            for n, group in sorted(by_step.items()):
                inner = {
                    self._name("x"): (k, self._expr(node.operand, frame))
                    for k, node in group.items()
                }
                self._materialize(frame, {c: v for c, (_, v) in inner.items()})
                self._join_shifted(
                    frame,
                    {c: f"{c}_p{n}" for c in inner},
                    self._shift_expr("cur.period_start", n),
                    f"{len(group)} value(s) of the period {n} step(s) earlier",
                )
                for c, (k, _) in inner.items():
                    cache[k] = f"{c}_p{n}"

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
