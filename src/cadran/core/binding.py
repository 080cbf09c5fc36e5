"""Binding: resolve a formula's names against measures, KPIs and parameters.

Names resolve in this order: the reserved name ``days``, measures, then KPIs (whose bound
formula is inlined, so a KPI can be built from others). Filters become conditions over the
fact's columns; their literals are checked against the attribute's type and allowed values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

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
    contains,
    measures_of,
)
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
    to_text,
)
from cadran.core.semantic import Aggregation, Attribute, Fact, SemanticModel, ValueType
from cadran.core.spec import suggest

RESERVED = frozenset({"days"})
MAX_PREVIOUS = 36

FUNCTIONS = {
    "previous": "previous(x) or previous(x, n): x in the period n steps earlier (n from 1 to 36)",
    "avg_per": "avg_per(x, entity): mean of x per post, account, campaign, day, week or month",
    "total": "total(x): x summed over the KPI's own segments, for shares of a whole",
    "coalesce": "coalesce(x, y, ...): the first of its arguments that has a value",
    "abs": "abs(x): absolute value",
}


@dataclass(frozen=True)
class KpiResolution:
    """What a KPI reference resolves to: its bound formula (aggregation applied)."""

    expr: BExpr


KpiResolver = Callable[[str], KpiResolution | None]


class Binder:
    """Binds formulas of one catalogue. ``resolve_kpi`` looks up other KPIs by id."""

    def __init__(
        self,
        model: SemanticModel,
        parameters: Mapping[str, float],
        resolve_kpi: KpiResolver | None = None,
        kpi_ids: Callable[[], list[str]] | None = None,
    ) -> None:
        self.model = model
        self.parameters = parameters
        self.resolve_kpi = resolve_kpi
        self.kpi_ids = kpi_ids or (lambda: [])

    def bind(self, expr: Expr, source: str) -> BExpr:
        """Resolve ``expr`` (parsed from ``source``) or raise :class:`FormulaError`."""
        return self._expr(expr, source)

    # -- expressions -------------------------------------------------------------------------
    def _expr(self, node: Expr, src: str) -> BExpr:
        if isinstance(node, Number):
            return BConst(node.value)
        if isinstance(node, Param):
            if node.name not in self.parameters:
                raise FormulaError(
                    f"unknown parameter ${node.name}" + _hint(suggest(node.name, self.parameters)),
                    src,
                    node.span[0],
                )
            return BConst(self.parameters[node.name])
        if isinstance(node, Name):
            return self._name(node, src)
        if isinstance(node, Neg):
            return BNeg(self._expr(node.operand, src))
        if isinstance(node, BinOp):
            return BArith(node.op, self._expr(node.left, src), self._expr(node.right, src))
        if isinstance(node, Filter):
            return self._filter(node, src)
        return self._call(node, src)

    def _name(self, node: Name, src: str) -> BExpr:
        name = node.name
        if name == "days":
            return BDays()
        measure = self.model.measures.get(name)
        if measure is not None:
            return BMeasure(measure)
        if self.resolve_kpi is not None:
            resolved = self.resolve_kpi(name)
            if resolved is not None:
                return resolved.expr
        if name in self.model.entities:
            raise FormulaError(
                f"{name!r} is an entity; use it as avg_per(x, {name})", src, node.span[0]
            )
        candidates = [*self.model.measures, *self.kpi_ids(), "days"]
        raise FormulaError(
            f"unknown name {name!r}" + _hint(suggest(name, candidates)), src, node.span[0]
        )

    def _call(self, node: Call, src: str) -> BExpr:
        fn, args = node.function, node.args
        pos = node.span[0]
        if fn not in FUNCTIONS:
            raise FormulaError(f"unknown function {fn}()" + _hint(suggest(fn, FUNCTIONS)), src, pos)

        def arity(lo: int, hi: int) -> None:
            if not lo <= len(args) <= hi:
                expected = str(lo) if lo == hi else f"{lo} to {hi}"
                raise FormulaError(
                    f"{fn}() takes {expected} argument(s): {FUNCTIONS[fn]}", src, pos
                )

        if fn == "previous":
            arity(1, 2)
            n = 1
            if len(args) == 2:
                steps = args[1]
                if not (
                    isinstance(steps, Number)
                    and steps.value == int(steps.value)
                    and 1 <= steps.value <= MAX_PREVIOUS
                ):
                    raise FormulaError(
                        f"the second argument of previous() must be a whole number from 1 to "
                        f"{MAX_PREVIOUS}",
                        src,
                        steps.span[0],
                    )
                n = int(steps.value)
            return BPrevious(self._expr(args[0], src), n)
        if fn == "avg_per":
            arity(2, 2)
            entity = args[1]
            if not isinstance(entity, Name) or entity.name not in self.model.entities:
                hint = (
                    suggest(entity.name, self.model.entities) if isinstance(entity, Name) else None
                )
                raise FormulaError(
                    "the second argument of avg_per() must be one of "
                    + ", ".join(self.model.entities)
                    + _hint(hint),
                    src,
                    entity.span[0],
                )
            operand = self._expr(args[0], src)
            for kind, word in ((BPrevious, "previous()"), (BTotal, "total()")):
                if contains(operand, kind):
                    raise FormulaError(f"{word} cannot be used inside avg_per()", src, pos)
            self.check_entity(operand, entity.name, src, pos)
            return BAvgPer(operand, entity.name)
        if fn == "total":
            arity(1, 1)
            operand = self._expr(args[0], src)
            if not is_additive(operand):
                raise FormulaError(
                    "total() applies to sums and counts (and + or - of them), "
                    "not to ratios or averages",
                    src,
                    pos,
                )
            return BTotal(operand)
        if fn == "coalesce":
            arity(1, 16)
            return BFunc(fn, tuple(self._expr(a, src) for a in args))
        arity(1, 1)
        return BFunc(fn, (self._expr(args[0], src),))

    def check_entity(self, operand: BExpr, entity: str, src: str, pos: int) -> None:
        """Every measure in ``operand`` must be computable per ``entity``."""
        for bm in measures_of(operand):
            fact = self.model.facts[bm.measure.fact]
            if fact.entity_column(entity) is None:
                raise FormulaError(
                    f"{bm.measure.name!r} ({fact.label.en}) cannot be computed per {entity}",
                    src,
                    pos,
                )

    # -- filters -----------------------------------------------------------------------------
    def _filter(self, node: Filter, src: str) -> BExpr:
        name = node.target.name
        measure = self.model.measures.get(name)
        if measure is None:
            if self.resolve_kpi is not None and self.resolve_kpi(name) is not None:
                raise FormulaError(
                    f"{name!r} is a KPI; filters [...] apply to measures only", src, node.span[0]
                )
            raise FormulaError(
                f"unknown measure {name!r}" + _hint(suggest(name, self.model.measures)),
                src,
                node.span[0],
            )
        fact = self.model.facts[measure.fact]
        condition = self._condition(node.condition, fact, src)
        return BMeasure(measure, condition)

    def _condition(self, node: Condition, fact: Fact, src: str) -> Condition:
        if isinstance(node, Name):
            attr = self._attribute(node, fact, src)
            if attr.type is not ValueType.BOOLEAN:
                raise FormulaError(
                    f"{node.name!r} is not a yes/no attribute; compare it, e.g. "
                    f"{node.name} = '...'",
                    src,
                    node.span[0],
                )
            return _attribute_condition(attr)
        if isinstance(node, BoolOp):
            return BoolOp(
                node.op,
                self._condition(node.left, fact, src),
                self._condition(node.right, fact, src),
            )
        if isinstance(node, Not):
            return Not(self._condition(node.operand, fact, src))
        if isinstance(node, IsNull):
            attr = self._operand_attribute(node.operand, fact, src)
            return IsNull(_attribute_operand(attr, node.operand, src), node.negated)
        if isinstance(node, InList):
            attr = self._operand_attribute(node.operand, fact, src)
            for item in node.items:
                _check_literal(attr, item, src)
            return InList(_attribute_operand(attr, node.operand, src), node.items, node.negated)
        return self._compare(node, fact, src)

    def _compare(self, node: Compare, fact: Fact, src: str) -> Condition:
        left, right, op = node.left, node.right, node.op
        if isinstance(left, Literal) and isinstance(right, Name):
            left, right = right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        if not isinstance(left, Name):
            raise FormulaError("a comparison needs an attribute on one side", src, node.span[0])
        attr = self._attribute(left, fact, src)
        if isinstance(right, Name):
            raise FormulaError(
                "compare an attribute with a constant, not with another name", src, right.span[0]
            )
        if right.value is None:
            raise FormulaError(
                f"use '{left.name} is null' rather than comparing with null", src, right.span[0]
            )
        if attr.type in (ValueType.TEXT, ValueType.BOOLEAN) and op not in ("=", "!="):
            raise FormulaError(
                f"{left.name!r} can only be compared with = or !=", src, node.span[0]
            )
        _check_literal(attr, right, src)
        return Compare(op, _attribute_operand(attr, left, src), right)

    def _operand_attribute(self, node: Name | Literal, fact: Fact, src: str) -> Attribute:
        if not isinstance(node, Name):
            raise FormulaError("expected an attribute name", src, node.span[0])
        return self._attribute(node, fact, src)

    def _attribute(self, node: Name, fact: Fact, src: str) -> Attribute:
        attr = fact.attributes.get(node.name)
        if attr is None:
            known = ", ".join(fact.attributes) or "none"
            raise FormulaError(
                f"{fact.label.en} have no attribute {node.name!r} (known: {known})"
                + _hint(suggest(node.name, fact.attributes)),
                src,
                node.span[0],
            )
        return attr


def _hint(hint: str | None) -> str:
    return f"; {hint}" if hint else ""


def _attribute_condition(attr: Attribute) -> Condition:
    if attr.condition is not None:
        return attr.condition
    assert attr.column is not None  # the loader guarantees a column or a condition
    return Name(attr.column)


def _attribute_operand(attr: Attribute, node: Name | Literal, src: str) -> Name:
    if attr.column is None:
        raise FormulaError(
            f"{attr.name!r} is a yes/no flag; use it alone or with 'not'", src, node.span[0]
        )
    return Name(attr.column)


def _check_literal(attr: Attribute, lit: Literal, src: str) -> None:
    value = lit.value
    if attr.type is ValueType.BOOLEAN:
        ok = isinstance(value, bool)
        expected = "true or false"
    elif attr.type.numeric:
        ok = isinstance(value, float)
        expected = "a number"
    else:
        ok = isinstance(value, str)
        expected = "a text in quotes"
    if not ok:
        raise FormulaError(
            f"{attr.name!r} expects {expected}, not {to_text(lit)}", src, lit.span[0]
        )
    if attr.values is not None and isinstance(value, str) and value not in attr.values:
        raise FormulaError(
            f"{value!r} is not a value of {attr.name!r} (expected one of "
            f"{', '.join(attr.values)})" + _hint(suggest(value, attr.values)),
            src,
            lit.span[0],
        )


def is_additive(node: BExpr) -> bool:
    """Whether values of ``node`` over parts add up to its value over the whole."""
    if isinstance(node, BMeasure):
        return node.measure.agg in (
            Aggregation.SUM,
            Aggregation.COUNT,
            Aggregation.LAST,
            Aggregation.FIRST,
        )
    if isinstance(node, BArith) and node.op in "+-":
        return is_additive(node.left) and is_additive(node.right)
    if isinstance(node, BNeg):
        return is_additive(node.operand)
    return False
