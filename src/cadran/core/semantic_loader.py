"""Loading the semantic model from ``definitions/semantic.yaml``, validating all of it at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cadran.core.errors import FormulaError
from cadran.core.formula import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Condition,
    Expr,
    Filter,
    InList,
    IsNull,
    Literal,
    Name,
    Neg,
    Not,
    Number,
    Param,
    parse,
    parse_condition,
)
from cadran.core.issues import IssueSet
from cadran.core.located import LocatedMap, load_yaml
from cadran.core.semantic import (
    ROW_FUNCTIONS,
    TIME_ENTITIES,
    Aggregation,
    Attribute,
    ColumnRef,
    Dimension,
    Fact,
    Join,
    Lookup,
    Measure,
    SemanticModel,
    ValueType,
)
from cadran.core.spec import IDENTIFIER, Bilingual, FieldReader, suggest


def load_semantic_model(text: str, file: str) -> tuple[SemanticModel, IssueSet]:
    """Parse and validate the semantic model; every problem is in the returned issues."""
    issues = IssueSet()
    doc = load_yaml(text, file, issues)
    reader = FieldReader(file, issues)
    empty = SemanticModel({}, {}, {}, {})
    if doc is None:
        if not issues:
            issues.error("the file is empty", file=file)
        return empty, issues
    root = reader.mapping(doc, "the semantic model", 1)
    if root is None:
        return empty, issues
    reader.known_keys(root, ("entities", "dimensions", "facts", "measures"), "the semantic model")
    entities = _load_entities(reader, root)
    dimensions = _load_dimensions(reader, root)
    facts = _load_facts(reader, root, entities, dimensions)
    measures = _load_measures(reader, root, facts)
    return SemanticModel(entities, dimensions, facts, measures), issues


def _section(reader: FieldReader, root: LocatedMap, key: str) -> LocatedMap:
    if key not in root:
        reader.error(f"the semantic model has no {key!r} section", root.line, key)
        return LocatedMap()
    m = reader.mapping(root[key], f"section {key!r}", root.line_of(key))
    return m if m is not None else LocatedMap()


def _named_items(
    reader: FieldReader, section: LocatedMap, what: str
) -> Iterator[tuple[str, LocatedMap]]:
    for name, value in section.items():
        line = section.line_of(name)
        if not IDENTIFIER.match(name):
            reader.error(f"{what} name {name!r} must be snake_case", line)
            continue
        m = reader.mapping(value, f"{what} {name!r}", line)
        if m is not None:
            yield name, m


def _load_entities(reader: FieldReader, root: LocatedMap) -> dict[str, Bilingual]:
    out: dict[str, Bilingual] = {}
    section = _section(reader, root, "entities")
    for name, _m in _named_items(reader, section, "entity"):
        label = reader.bilingual(section, name, f"entity {name!r}")
        if label is not None:
            out[name] = label
    for t in TIME_ENTITIES:
        if t not in out:
            reader.error(f"the time entity {t!r} must be declared", section.line, "entities")
    return out


def _load_dimensions(reader: FieldReader, root: LocatedMap) -> dict[str, Dimension]:
    out: dict[str, Dimension] = {}
    for name, m in _named_items(reader, _section(reader, root, "dimensions"), "dimension"):
        where = f"dimension {name!r}"
        reader.known_keys(m, ("name", "lookup"), where)
        label = reader.bilingual(m, "name", where)
        lookup = None
        if "lookup" in m:
            lm = reader.mapping(m["lookup"], f"lookup of {where}", m.line_of("lookup"))
            if lm is not None:
                reader.known_keys(lm, ("table", "key", "columns"), f"lookup of {where}")
                table = reader.identifier(lm, "table", f"lookup of {where}")
                key = reader.identifier(lm, "key", f"lookup of {where}")
                columns = reader.text_list(lm, "columns", f"lookup of {where}")
                if not columns:
                    reader.error(f"lookup of {where} needs at least one column", lm.line)
                for c in columns:
                    if not IDENTIFIER.match(c):
                        reader.error(
                            f"lookup column {c!r} of {where} must be snake_case",
                            lm.line_of("columns"),
                        )
                if table and key and columns:
                    lookup = Lookup(table, key, columns)
        if label is not None:
            out[name] = Dimension(name, label, lookup)
    return out


def _column_ref(
    reader: FieldReader,
    text: object,
    fact: str,
    joins: Mapping[str, Join],
    line: int | None,
    what: str,
) -> ColumnRef | None:
    if not isinstance(text, str):
        reader.error(f"{what} of fact {fact!r} must name a column", line)
        return None
    join, _, column = text.rpartition(".")
    if join and join not in joins:
        reader.error(
            f"{what} of fact {fact!r} uses unknown join {join!r}", line, hint=suggest(join, joins)
        )
        return None
    if not IDENTIFIER.match(column):
        reader.error(f"{what} of fact {fact!r}: {text!r} is not a column name", line)
        return None
    return ColumnRef(column, join or None)


def _load_facts(
    reader: FieldReader,
    root: LocatedMap,
    entities: Mapping[str, Bilingual],
    dimensions: Mapping[str, Dimension],
) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    keys = (
        "table",
        "name",
        "date",
        "date_basis",
        "row_entity",
        "joins",
        "entities",
        "dimensions",
        "columns",
        "attributes",
        "weight",
    )
    for name, m in _named_items(reader, _section(reader, root, "facts"), "fact"):
        where = f"fact {name!r}"
        reader.known_keys(m, keys, where)
        table = reader.identifier(m, "table", where)
        label = reader.bilingual(m, "name", where)
        date = reader.identifier(m, "date", where)
        basis = reader.bilingual(m, "date_basis", where)
        row_entity = reader.identifier(m, "row_entity", where, required=False)
        weight = reader.identifier(m, "weight", where, required=False)

        joins: dict[str, Join] = {}
        if (
            "joins" in m
            and (jm := reader.mapping(m["joins"], f"joins of {where}", m.line_of("joins")))
            is not None
        ):
            for jname, jv in jm.items():
                jmap = reader.mapping(jv, f"join {jname!r} of {where}", jm.line_of(jname))
                if jmap is None:
                    continue
                jt = reader.identifier(jmap, "table", f"join {jname!r} of {where}")
                jk = reader.identifier(jmap, "key", f"join {jname!r} of {where}")
                if jt and jk:
                    joins[jname] = Join(jname, jt, jk)

        columns: dict[str, ValueType] = {}
        if (
            "columns" in m
            and (cm := reader.mapping(m["columns"], f"columns of {where}", m.line_of("columns")))
            is not None
        ):
            for cname in cm:
                vt = reader.choice(cm, cname, ValueType, f"column {cname!r} of {where}")
                if vt is not None:
                    columns[cname] = vt

        dims: dict[str, ColumnRef] = {}
        if (
            dm := reader.mapping(
                m.get("dimensions"), f"dimensions of {where}", m.line_of("dimensions")
            )
        ) is not None:
            for dname, dv in dm.items():
                if dname not in dimensions:
                    reader.error(
                        f"{where} uses unknown dimension {dname!r}",
                        dm.line_of(dname),
                        hint=suggest(dname, dimensions),
                    )
                    continue
                ref = _column_ref(
                    reader, dv, name, joins, dm.line_of(dname), f"dimension {dname!r}"
                )
                if ref is not None:
                    dims[dname] = ref

        ents: dict[str, ColumnRef] = {}
        if (
            "entities" in m
            and (em := reader.mapping(m["entities"], f"entities of {where}", m.line_of("entities")))
            is not None
        ):
            for ename, ev in em.items():
                ref = _column_ref(reader, ev, name, joins, em.line_of(ename), f"entity {ename!r}")
                if ref is not None:
                    ents[ename] = ref
        if row_entity is not None and row_entity not in ents:
            reader.error(
                f"row_entity {row_entity!r} of {where} is not one of its entities",
                m.line_of("row_entity"),
            )
        for ename in ents:
            if ename in TIME_ENTITIES:
                reader.error(
                    f"{ename!r} is a time entity of every fact; remove it from {where}",
                    m.line_of("entities"),
                )

        attrs = _load_attributes(reader, m, where, columns)
        if table and label and date and basis:
            out[name] = Fact(
                name,
                table,
                label,
                date,
                basis,
                row_entity,
                joins,
                dims,
                ents,
                columns,
                attrs,
                weight,
            )
    return out


def _load_attributes(
    reader: FieldReader, m: LocatedMap, where: str, columns: Mapping[str, ValueType]
) -> dict[str, Attribute]:
    attrs: dict[str, Attribute] = {}
    if "attributes" not in m:
        return attrs
    am = reader.mapping(m["attributes"], f"attributes of {where}", m.line_of("attributes"))
    if am is None:
        return attrs
    for aname, av in am.items():
        awhere = f"attribute {aname!r} of {where}"
        amap = reader.mapping(av, awhere, am.line_of(aname))
        if amap is None:
            continue
        reader.known_keys(amap, ("column", "condition", "type", "values"), awhere)
        vtype = reader.choice(amap, "type", ValueType, awhere)
        column = reader.identifier(amap, "column", awhere, required=False)
        condition: Condition | None = None
        if "condition" in amap:
            text = reader.text(amap, "condition", awhere)
            if text is not None:
                try:
                    condition = parse_condition(text)
                except FormulaError as exc:
                    reader.error(f"condition of {awhere}: {exc}", amap.line_of("condition"))
                else:
                    for problem in check_row_condition(condition, columns):
                        reader.error(f"condition of {awhere}: {problem}", amap.line_of("condition"))
            if vtype is not None and vtype is not ValueType.BOOLEAN:
                reader.error(
                    f"{awhere} is a condition, so its type must be boolean", amap.line_of("type")
                )
        if "column" in amap and "condition" in amap:
            reader.error(f"{awhere} has both a column and a condition; keep one", amap.line)
        elif "column" not in amap and "condition" not in amap:
            reader.error(f"{awhere} needs either a column or a condition", amap.line)
        values = reader.text_list(amap, "values", awhere) or None
        if vtype is not None and (column or condition):
            attrs[aname] = Attribute(aname, vtype, column, condition, values)
    return attrs


def _load_measures(
    reader: FieldReader, root: LocatedMap, facts: Mapping[str, Fact]
) -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    for name, m in _named_items(reader, _section(reader, root, "measures"), "measure"):
        where = f"measure {name!r}"
        reader.known_keys(m, ("fact", "expr", "agg", "per", "unit", "name"), where)
        fact_name = reader.identifier(m, "fact", where)
        agg = reader.choice(m, "agg", Aggregation, where)
        unit = reader.text(m, "unit", where)
        label = reader.bilingual(m, "name", where)
        per = reader.text_list(m, "per", where)
        fact = facts.get(fact_name) if fact_name else None
        if fact_name and fact is None:
            reader.error(
                f"{where} uses unknown fact {fact_name!r}",
                m.line_of("fact"),
                hint=suggest(fact_name, facts),
            )
        expr: Expr | None = None
        if "expr" in m:
            text = reader.text(m, "expr", where)
            if text is not None:
                try:
                    expr = parse(text)
                except FormulaError as exc:
                    reader.error(f"expr of {where}: {exc}", m.line_of("expr"))
                else:
                    if fact is not None:
                        for problem in check_row_expr(expr, fact.columns):
                            reader.error(f"expr of {where}: {problem}", m.line_of("expr"))
        elif agg is not None and agg is not Aggregation.COUNT:
            reader.error(f"{where} aggregates with {agg.value!r} so it needs an 'expr'", m.line)
        if agg in (Aggregation.LAST, Aggregation.FIRST):
            if not per:
                reader.error(f"{where} is a stock ({agg.value}) so it needs 'per' entities", m.line)
            for p in per:
                if fact is not None and p not in fact.entities:
                    reader.error(
                        f"'per' entity {p!r} of {where} is not an entity of fact {fact.name!r}",
                        m.line_of("per"),
                        hint=suggest(p, fact.entities),
                    )
        elif per:
            reader.error(f"'per' only applies to last/first measures ({where})", m.line_of("per"))
        if fact is not None and agg is not None and unit and label:
            out[name] = Measure(name, fact.name, expr, agg, per, unit, label)
    return out


# -- row-level checks ------------------------------------------------------------------------


def check_row_expr(expr: Expr, columns: Mapping[str, ValueType]) -> list[str]:
    """Problems of a row expression over ``columns`` (measure ``expr``)."""
    problems: list[str] = []

    def visit(node: Expr) -> None:
        if isinstance(node, Number):
            return
        if isinstance(node, Name):
            if node.name not in columns:
                problems.append(
                    f"unknown column {node.name!r}"
                    + (f" ({h})" if (h := suggest(node.name, columns)) else "")
                )
            return
        if isinstance(node, Neg):
            visit(node.operand)
        elif isinstance(node, BinOp):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, Call):
            bounds = ROW_FUNCTIONS.get(node.function)
            if bounds is None:
                problems.append(f"unknown function {node.function!r} in a row expression")
                return
            lo, hi = bounds
            if not lo <= len(node.args) <= hi:
                problems.append(f"{node.function}() takes {lo} to {hi} argument(s)")
            for a in node.args:
                visit(a)
        elif isinstance(node, Filter | Param):
            problems.append("filters and parameters are not allowed in a row expression")

    visit(expr)
    return problems


def check_row_condition(condition: Condition, columns: Mapping[str, ValueType]) -> list[str]:
    """Problems of a condition over ``columns`` (derived attributes)."""
    problems: list[str] = []

    def operand(node: Name | Literal) -> None:
        if isinstance(node, Name) and node.name not in columns:
            problems.append(f"unknown column {node.name!r}")

    def visit(node: Condition) -> None:
        if isinstance(node, Name):
            operand(node)
        elif isinstance(node, Compare):
            operand(node.left)
            operand(node.right)
        elif isinstance(node, InList | IsNull):
            operand(node.operand)
        elif isinstance(node, BoolOp):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, Not):
            visit(node.operand)

    visit(condition)
    return problems
