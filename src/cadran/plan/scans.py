"""Reading facts: one aggregate per fact and frame, stocks in two levels, coverage."""

from __future__ import annotations

from collections.abc import Sequence

from cadran.core.bound import BExpr, BMeasure
from cadran.core.formula import BoolOp, Condition, InList, IsNull, Name, Not
from cadran.core.formula import Compare as Comparison
from cadran.core.periods import Grain
from cadran.core.semantic import Aggregation, ColumnRef, Fact
from cadran.plan import sql
from cadran.plan.frames import STOCKS, Frame
from cadran.plan.query import QueryState

ZERO_WHEN_ABSENT = (Aggregation.SUM, Aggregation.COUNT, Aggregation.COUNT_DISTINCT)
TWO_LEVEL = (Aggregation.SUM, Aggregation.COUNT, Aggregation.UNIQUE)


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


class ScanWriter(QueryState):
    """Writes the scans of facts (mixed into the compiler)."""

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
        if fact.weight is not None and agg in (Aggregation.COUNT, Aggregation.SUM):
            # Rows are credited shares of conversions (an attribution model): add up credits.
            weight = self._fact_column(fact.weight)
            value = f"{value} * {weight}" if agg is Aggregation.SUM else weight
            return f"coalesce(sum({value}){flt}, 0)"
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
