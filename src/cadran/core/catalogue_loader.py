"""Loading the KPI catalogue from definition files, with every problem reported at once.

KPI files are lists of KPIs; the category, parameter and benchmark files are read alongside.
Formulas are parsed, bound against the semantic model (so references to unknown measures,
attributes or KPIs fail here) and checked against the declared aggregation, unit and breakdowns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cadran.core.binding import Binder, KpiResolution, is_additive
from cadran.core.bound import (
    BAvgPer,
    BExpr,
    BPrevious,
    BTotal,
    as_ratio,
    contains,
    measures_of,
    with_complete_cases,
)
from cadran.core.catalogue import (
    Band,
    BandLevel,
    Benchmark,
    BoundKpi,
    Catalogue,
    Category,
    Direction,
    Kpi,
    KpiAggregation,
    Parameter,
    SourceFile,
    Unit,
)
from cadran.core.errors import FormulaError
from cadran.core.formula import parse
from cadran.core.issues import IssueSet
from cadran.core.located import LocatedMap, load_yaml
from cadran.core.semantic import Aggregation, SemanticModel
from cadran.core.spec import IDENTIFIER, FieldReader, suggest

RATIO_AGGREGATIONS = (
    KpiAggregation.POOLED,
    KpiAggregation.MEAN_PER_POST,
    KpiAggregation.MEAN_PER_DAY,
)

_MEASURE_TO_KPI_AGG = {
    Aggregation.SUM: KpiAggregation.SUM,
    Aggregation.COUNT: KpiAggregation.SUM,
    Aggregation.LAST: KpiAggregation.LAST,
    Aggregation.FIRST: KpiAggregation.FIRST,
    Aggregation.UNIQUE: KpiAggregation.UNIQUE,
    Aggregation.MEAN: KpiAggregation.MEAN,
    Aggregation.MEDIAN: KpiAggregation.MEDIAN,
    Aggregation.COUNT_DISTINCT: KpiAggregation.DISTINCT,
    Aggregation.MIN: KpiAggregation.MEAN,
    Aggregation.MAX: KpiAggregation.MEAN,
}

KPI_FIELDS = (
    "id",
    "name",
    "description",
    "category",
    "formula",
    "unit",
    "direction",
    "aggregation",
    "seeds",
    "sources",
    "dimensions",
    "vanity",
    "decimals",
)


def build_catalogue(
    model: SemanticModel,
    kpi_files: Sequence[SourceFile],
    categories_file: SourceFile,
    parameters_file: SourceFile,
    benchmark_files: Sequence[SourceFile] = (),
    parameter_overrides: Mapping[str, float] | None = None,
) -> tuple[Catalogue, IssueSet]:
    """Load, bind and validate a whole catalogue. Every problem is in the returned issues."""
    issues = IssueSet()
    categories = _load_categories(categories_file, issues)
    parameters = _load_parameters(parameters_file, issues)
    values = {p.name: p.value for p in parameters.values()}
    for name, value in (parameter_overrides or {}).items():
        if name not in parameters:
            issues.error(
                f"unknown parameter {name!r}",
                file="cadran.toml",
                field="parameters",
                hint=suggest(name, parameters),
            )
        else:
            values[name] = value

    kpis: dict[str, Kpi] = {}
    for source in kpi_files:
        for kpi in _load_kpi_file(source, categories, issues):
            if kpi.id in kpis:
                first = kpis[kpi.id]
                issues.error(
                    f"KPI id {kpi.id!r} is already defined in {first.file} line {first.line}",
                    file=kpi.file,
                    line=kpi.line,
                    field="id",
                    hint="choose another id",
                )
                continue
            if kpi.id in model.measures and kpi.formula.strip() != kpi.id:
                issues.error(
                    f"KPI id {kpi.id!r} is also a measure, so formulas naming it would "
                    "mean the measure",
                    file=kpi.file,
                    line=kpi.line,
                    field="id",
                    hint="choose another id",
                )
                continue
            kpis[kpi.id] = kpi

    bound = _bind_all(model, kpis, values, issues)
    benchmarks = _load_benchmarks(benchmark_files, kpis, issues)
    catalogue = Catalogue(model, kpis, bound, categories, parameters, benchmarks)
    return catalogue, issues


def _where(kpi_id: str | None) -> str:
    return f"KPI {kpi_id!r}" if kpi_id else "a KPI"


def _load_kpi_file(
    source: SourceFile, categories: Mapping[str, Category], issues: IssueSet
) -> list[Kpi]:
    reader = FieldReader(source.name, issues)
    doc = load_yaml(source.text, source.name, issues)
    if doc is None:
        return []
    entries = reader.sequence(doc, "a KPI file", 1)
    if entries is None:
        return []
    out: list[Kpi] = []
    for entry, line in zip(entries, entries.item_lines, strict=True):
        m = reader.mapping(entry, "each KPI", line)
        if m is None:
            continue
        kpi = _load_kpi(reader, m, categories, source)
        if kpi is not None:
            out.append(kpi)
    return out


def _load_kpi(
    reader: FieldReader, m: LocatedMap, categories: Mapping[str, Category], source: SourceFile
) -> Kpi | None:
    kpi_id = reader.identifier(m, "id", "a KPI")
    where = _where(kpi_id)
    reader.known_keys(m, KPI_FIELDS, where)
    name = reader.bilingual(m, "name", where)
    description = reader.bilingual(m, "description", where)
    category = reader.identifier(m, "category", where)
    if category is not None and category not in categories:
        reader.error(
            f"unknown category {category!r} of {where}",
            m.line_of("category"),
            "category",
            suggest(category, categories),
        )
        category = None
    formula = reader.text(m, "formula", where)
    if formula is not None:
        try:
            parse(formula)
        except FormulaError as exc:
            reader.error(f"formula of {where}: {exc}", m.line_of("formula"), "formula")
            formula = None
    unit = reader.choice(m, "unit", Unit, where)
    direction = reader.choice(m, "direction", Direction, where)
    aggregation = reader.choice(m, "aggregation", KpiAggregation, where)
    seeds = reader.text_list(m, "seeds", where)
    for s in seeds:
        if s not in ("000", "001", "002", "003", "004"):
            reader.error(
                f"unknown seed {s!r} in {where} (expected 000 to 004)", m.line_of("seeds"), "seeds"
            )
    sources = reader.text_list(m, "sources", where)
    dimensions = reader.text_list(m, "dimensions", where)
    vanity = reader.boolean(m, "vanity", where, default=False)
    decimals_value = reader.number(m, "decimals", where)
    decimals = unit.decimals if unit is not None else 2
    if decimals_value is not None:
        if decimals_value != int(decimals_value) or not 0 <= decimals_value <= 6:
            reader.error(
                f"decimals of {where} must be a whole number from 0 to 6",
                m.line_of("decimals"),
                "decimals",
            )
        else:
            decimals = int(decimals_value)
    if (
        kpi_id is None
        or name is None
        or description is None
        or category is None
        or formula is None
        or unit is None
        or direction is None
        or aggregation is None
    ):
        return None
    return Kpi(
        kpi_id,
        name,
        description,
        category,
        formula,
        unit,
        direction,
        aggregation,
        seeds,
        sources,
        dimensions,
        vanity,
        decimals,
        source.name,
        m.line,
        source.builtin,
        m.line_of("formula"),
    )


def _bind_all(
    model: SemanticModel, kpis: Mapping[str, Kpi], parameters: Mapping[str, float], issues: IssueSet
) -> dict[str, BoundKpi]:
    bound: dict[str, BoundKpi] = {}
    failed: set[str] = set()
    stack: list[str] = []

    def resolve(name: str) -> KpiResolution | None:
        if name not in kpis:
            return None
        if name in stack:
            cycle = " -> ".join([*stack[stack.index(name) :], name])
            raise FormulaError(f"KPIs refer to each other in a cycle: {cycle}")
        if name in failed:
            raise FormulaError(f"it uses KPI {name!r}, which has errors")
        if name not in bound:
            bind(kpis[name])
            if name not in bound:
                raise FormulaError(f"it uses KPI {name!r}, which has errors")
        return KpiResolution(bound[name].expr)

    binder = Binder(model, parameters, resolve, lambda: list(kpis))

    def bind(kpi: Kpi) -> None:
        stack.append(kpi.id)
        try:
            expr = binder.bind(parse(kpi.formula), kpi.formula)
            expr = _apply_aggregation(kpi, expr, binder)
            problems = _check(kpi, expr, model)
        except FormulaError as exc:
            issues.error(
                f"formula of {_where(kpi.id)}: {exc}",
                file=kpi.file,
                line=kpi.formula_line or kpi.line,
                field="formula",
            )
            failed.add(kpi.id)
            return
        finally:
            stack.pop()
        for problem in problems:
            issues.error(problem, file=kpi.file, line=kpi.line, field=_where(kpi.id))
        if problems:
            failed.add(kpi.id)
            return
        facts = tuple(dict.fromkeys(bm.measure.fact for bm in measures_of(expr)))
        dims = frozenset.intersection(*(frozenset(model.facts[f].dimensions) for f in facts))
        bound[kpi.id] = BoundKpi(kpi, expr, dims, facts)

    for kpi in kpis.values():
        if kpi.id not in bound and kpi.id not in failed:
            bind(kpi)
    return bound


def _apply_aggregation(kpi: Kpi, expr: BExpr, binder: Binder) -> BExpr:
    entity = kpi.aggregation.entity
    if kpi.aggregation is KpiAggregation.POOLED:
        return with_complete_cases(expr)
    if entity is None:
        return expr
    if isinstance(expr, BAvgPer) and expr.entity == entity:
        return expr  # written out explicitly: avg_per(clicks, post)
    for kind, word in ((BPrevious, "previous()"), (BTotal, "total()"), (BAvgPer, "avg_per()")):
        if contains(expr, kind):
            raise FormulaError(f"a {kpi.aggregation.value} KPI cannot use {word}")
    binder.check_entity(expr, entity, kpi.formula, 0)
    return BAvgPer(expr, entity)


def _check(kpi: Kpi, expr: BExpr, model: SemanticModel) -> list[str]:
    problems: list[str] = []
    measures = measures_of(expr)
    if not measures:
        return [f"the formula of {_where(kpi.id)} uses no measure"]
    agg = kpi.aggregation
    inner = expr.operand if isinstance(expr, BAvgPer) and agg.entity else expr
    if agg not in RATIO_AGGREGATIONS:
        aggs = {_MEASURE_TO_KPI_AGG[bm.measure.agg] for bm in measures}
        natural = aggs.pop() if len(aggs) == 1 else None
        if agg in (KpiAggregation.SUM, KpiAggregation.LAST, KpiAggregation.FIRST):
            if not is_additive(inner) or natural is not agg:
                problems.append(
                    f"{_where(kpi.id)} is declared '{agg.value}' but its formula is not a sum of "
                    f"'{agg.value}' measures; declare 'pooled' for ratios"
                )
        elif natural is not agg or len(measures) != 1:
            problems.append(
                f"{_where(kpi.id)} is declared '{agg.value}' but its formula is not "
                f"a single '{agg.value}' measure"
            )
    elif agg is KpiAggregation.POOLED and is_additive(inner) and not contains(inner, BTotal):
        problems.append(
            f"{_where(kpi.id)} is declared 'pooled' but its formula is a plain sum; "
            "declare 'sum' (or 'last' for stocks)"
        )
    if kpi.unit is Unit.PERCENT:
        ratio = as_ratio(expr.operand if isinstance(expr, BAvgPer) else expr)
        if ratio.denominator is None or ratio.scale != 100:
            problems.append(
                f"{_where(kpi.id)} is in percent, so its formula must be a ratio multiplied by 100"
            )
    facts = {bm.measure.fact for bm in measures}
    for dim in kpi.dimensions:
        if dim not in model.dimensions:
            problems.append(f"unknown dimension {dim!r} in {_where(kpi.id)}")
        elif any(dim not in model.facts[f].dimensions for f in facts):
            problems.append(
                f"{_where(kpi.id)} is broken down by {dim!r}, which its measures do not all have"
            )
    if contains(expr, BTotal) and not kpi.dimensions:
        problems.append(f"{_where(kpi.id)} uses total() but declares no 'dimensions' to total over")
    return problems


def _load_categories(source: SourceFile, issues: IssueSet) -> dict[str, Category]:
    reader = FieldReader(source.name, issues)
    doc = load_yaml(source.text, source.name, issues)
    root = reader.mapping(doc, "the category file", 1) if doc is not None else None
    out: dict[str, Category] = {}
    for cid, value in (root or {}).items():
        line = root.line_of(cid) if root is not None else None
        m = reader.mapping(value, f"category {cid!r}", line)
        if m is None:
            continue
        if not IDENTIFIER.match(cid):
            reader.error(f"category id {cid!r} must be snake_case", line)
            continue
        reader.known_keys(m, ("name", "description"), f"category {cid!r}")
        name = reader.bilingual(m, "name", f"category {cid!r}")
        description = reader.bilingual(m, "description", f"category {cid!r}", required=False)
        if name is not None:
            out[cid] = Category(cid, name, description)
    return out


def _load_parameters(source: SourceFile, issues: IssueSet) -> dict[str, Parameter]:
    reader = FieldReader(source.name, issues)
    doc = load_yaml(source.text, source.name, issues)
    root = reader.mapping(doc, "the parameter file", 1) if doc is not None else None
    out: dict[str, Parameter] = {}
    for pname, value in (root or {}).items():
        line = root.line_of(pname) if root is not None else None
        m = reader.mapping(value, f"parameter {pname!r}", line)
        if m is None:
            continue
        where = f"parameter {pname!r}"
        reader.known_keys(m, ("value", "unit", "name"), where)
        number = reader.number(m, "value", where, required=True)
        unit = reader.text(m, "unit", where)
        label = reader.bilingual(m, "name", where)
        if number is not None and unit and label:
            out[pname] = Parameter(pname, number, unit, label)
    return out


def _load_benchmarks(
    files: Sequence[SourceFile], kpis: Mapping[str, Kpi], issues: IssueSet
) -> dict[str, tuple[Benchmark, ...]]:
    out: dict[str, list[Benchmark]] = {}
    for source in files:
        reader = FieldReader(source.name, issues)
        doc = load_yaml(source.text, source.name, issues)
        entries = reader.sequence(doc, "a benchmark file", 1) if doc is not None else None
        for entry, line in zip(entries or [], (entries.item_lines if entries else []), strict=True):
            m = reader.mapping(entry, "each benchmark", line)
            if m is None:
                continue
            bench = _load_benchmark(reader, m, kpis, source)
            if bench is not None:
                out.setdefault(bench.kpi, []).append(bench)
    return {k: tuple(v) for k, v in out.items()}


def _load_benchmark(
    reader: FieldReader, m: LocatedMap, kpis: Mapping[str, Kpi], source: SourceFile
) -> Benchmark | None:
    reader.known_keys(m, ("kpi", "source", "method", "note", "bands"), "a benchmark")
    kpi_id = reader.identifier(m, "kpi", "a benchmark")
    where = f"the benchmark of {kpi_id!r}"
    if kpi_id is not None and kpi_id not in kpis:
        reader.error(
            f"{where} names an unknown KPI", m.line_of("kpi"), "kpi", suggest(kpi_id, kpis)
        )
        kpi_id = None
    src = reader.text(m, "source", where)
    method = reader.bilingual(m, "method", where)
    note = reader.bilingual(m, "note", where, required=False)
    bands: list[Band] = []
    seq = reader.sequence(m.get("bands"), f"bands of {where}", m.line_of("bands"))
    for item, line in zip(seq or [], (seq.item_lines if seq else []), strict=True):
        bm = reader.mapping(item, f"a band of {where}", line)
        if bm is None:
            continue
        reader.known_keys(bm, ("level", "min", "max"), f"a band of {where}")
        level = reader.choice(bm, "level", BandLevel, f"a band of {where}")
        low = reader.number(bm, "min", f"a band of {where}")
        high = reader.number(bm, "max", f"a band of {where}")
        if low is None and high is None:
            reader.error(f"a band of {where} needs a min, a max or both", bm.line)
        elif low is not None and high is not None and low > high:
            reader.error(f"a band of {where} has min {low} above max {high}", bm.line)
        elif level is not None:
            bands.append(Band(level, low, high))
    if seq is not None and not bands:
        reader.error(f"{where} has no valid band", m.line_of("bands"))
    levels = [b.level for b in bands]
    if len(set(levels)) != len(levels):
        reader.error(f"{where} repeats a level", m.line_of("bands"))
    if kpi_id and src and method and bands:
        return Benchmark(kpi_id, src, method, tuple(bands), note, source.name, m.line)
    return None
