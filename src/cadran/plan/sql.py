"""SQL text: identifiers, literals, and rendering of row expressions and conditions.

No text a user typed reaches SQL except as an escaped literal: identifiers come from validated
definitions (and are checked again here), constants are rendered by these functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

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
)
from cadran.core.periods import Grain

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def ident(name: str) -> str:
    """A safe SQL identifier (lowercase snake_case, validated)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def text(value: str) -> str:
    """A string literal with quotes doubled."""
    if "\x00" in value:
        raise ValueError("NUL in a SQL literal")
    return "'" + value.replace("'", "''") + "'"


def number(value: float) -> str:
    """A numeric literal (finite only)."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def date_literal(d: date) -> str:
    """A DATE literal."""
    return f"DATE '{d.isoformat()}'"


def literal(value: str | float | bool | None) -> str:
    """Any condition constant."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return text(value)
    return number(value)


class Dialect:
    """What differs between SQL engines. This one is DuckDB's."""

    name = "duckdb"

    def bucket(self, column: str, grain: Grain) -> str:
        """The first day of the period of ``grain`` containing the date ``column``."""
        return f"CAST(date_trunc('{grain.value}', {column}) AS DATE)"

    def shift(self, column: str, grain: Grain | None, steps: int, custom_days: int = 0) -> str:
        """The date ``column`` moved back ``steps`` periods (custom periods: by their length)."""
        if grain is None:
            return f"CAST({column} - INTERVAL {steps * custom_days} DAY AS DATE)"
        if grain is Grain.DAY:
            return f"CAST({column} - INTERVAL {steps} DAY AS DATE)"
        if grain is Grain.WEEK:
            return f"CAST({column} - INTERVAL {7 * steps} DAY AS DATE)"
        return f"CAST({column} - INTERVAL {steps * grain.months} MONTH AS DATE)"

    def shift_months(self, column: str, months: int) -> str:
        """The date ``column`` moved back whole months (the day clamped to the month's end)."""
        return f"CAST({column} - INTERVAL {months} MONTH AS DATE)"

    def seconds_between(self, start: str, end: str) -> str:
        """Seconds from instant ``start`` to instant ``end``."""
        return f"(epoch({end}) - epoch({start}))"

    def median(self, expr: str) -> str:
        """The median aggregate."""
        return f"median({expr})"

    def last_value(self, expr: str, order: str) -> str:
        """The value of ``expr`` on the row with the greatest ``order``."""
        return f"arg_max({expr}, {order})"

    def unpivot(
        self, source: str, keys: list[str], rows: list[list[str]], names: list[str], where: str
    ) -> str:
        """One output row per item of ``rows`` (SQL values named ``names``) per row of
        ``source``, keeping the ``keys`` columns.

        DuckDB unnests a list of structs in one pass; a correlated LATERAL (VALUES ...) would be
        decorrelated through a join on every column it reads.
        """
        structs = ", ".join(
            "{" + ", ".join(f"'{n}': {v}" for n, v in zip(names, row, strict=True)) + "}"
            for row in rows
        )
        return (
            f"SELECT {', '.join(keys)}, unnest([{structs}], recursive := true)\n"
            f"FROM {source} AS o\nWHERE {where}"
        )

    def first_value(self, expr: str, order: str) -> str:
        """The value of ``expr`` on the row with the smallest ``order``."""
        return f"arg_min({expr}, {order})"


DUCKDB = Dialect()


def row_expr(node: Expr, column: Callable[[str], str], dialect: Dialect = DUCKDB) -> str:
    """Render a row expression over columns (measure ``expr``) as SQL."""
    if isinstance(node, Number):
        return number(node.value)
    if isinstance(node, Name):
        return column(node.name)
    if isinstance(node, Neg):
        return f"(-{row_expr(node.operand, column, dialect)})"
    if isinstance(node, BinOp):
        left = row_expr(node.left, column, dialect)
        right = row_expr(node.right, column, dialect)
        if node.op == "/":
            return f"({left} / NULLIF({right}, 0))"
        return f"({left} {node.op} {right})"
    if isinstance(node, Call):
        args = [row_expr(a, column, dialect) for a in node.args]
        if node.function == "seconds_between":
            return dialect.seconds_between(args[0], args[1])
        if node.function in ("coalesce", "abs"):
            return f"{node.function}({', '.join(args)})"
        raise ValueError(f"function {node.function}() is not allowed in a row expression")
    if isinstance(node, Filter | Param):
        raise ValueError("filters and parameters are not allowed in a row expression")
    raise TypeError(f"not an expression: {node!r}")


def condition(node: Condition, column: Callable[[str], str]) -> str:
    """Render a condition over columns as SQL."""

    def operand(o: Name | Literal) -> str:
        return column(o.name) if isinstance(o, Name) else literal(o.value)

    if isinstance(node, Name):
        return f"({column(node.name)} IS TRUE)"
    if isinstance(node, Compare):
        op = "<>" if node.op == "!=" else node.op
        return f"({operand(node.left)} {op} {operand(node.right)})"
    if isinstance(node, InList):
        items = ", ".join(literal(i.value) for i in node.items)
        keyword = "NOT IN" if node.negated else "IN"
        return f"({operand(node.operand)} {keyword} ({items}))"
    if isinstance(node, IsNull):
        return f"({operand(node.operand)} IS {'NOT ' if node.negated else ''}NULL)"
    if isinstance(node, BoolOp):
        return f"({condition(node.left, column)} {node.op.upper()} {condition(node.right, column)})"
    if isinstance(node, Not):
        # NOT of an unknown stays unknown in SQL; a filter keeps only rows where it is true.
        return f"(NOT coalesce({condition(node.operand, column)}, FALSE))"
    raise TypeError(f"not a condition: {node!r}")
