"""Canonical text of a formula tree: ``parse(to_text(tree)) == tree`` for every tree."""

from __future__ import annotations

from decimal import Decimal

from cadran.core.formula.ast import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Filter,
    InList,
    IsNull,
    Literal,
    Name,
    Neg,
    Node,
    Not,
    Number,
    Param,
)

_EXPR_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_COND_PRECEDENCE = {"or": 1, "and": 2}


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _literal(value: str | float | bool | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return _number(value) if value >= 0 else "-" + _number(-value)


def _precedence(node: Node) -> int:
    if isinstance(node, BinOp):
        return _EXPR_PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return 3
    if isinstance(node, BoolOp):
        return _COND_PRECEDENCE[node.op]
    if isinstance(node, Not):
        return 3
    return 4


def to_text(node: Node) -> str:
    """Render ``node`` with the fewest parentheses that keep its structure."""
    if isinstance(node, Number):
        return _number(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Param):
        return "$" + node.name
    if isinstance(node, Literal):
        return _literal(node.value)
    if isinstance(node, Neg):
        inner = to_text(node.operand)
        return f"-({inner})" if _precedence(node.operand) < 3 else f"-{inner}"
    if isinstance(node, BinOp | BoolOp):
        mine = _precedence(node)
        left, right = to_text(node.left), to_text(node.right)
        if _precedence(node.left) < mine:
            left = f"({left})"
        # Operators associate to the left, so an equal-precedence right operand needs brackets.
        if _precedence(node.right) <= mine:
            right = f"({right})"
        return f"{left} {node.op} {right}"
    if isinstance(node, Not):
        inner = to_text(node.operand)
        return f"not ({inner})" if _precedence(node.operand) < 3 else f"not {inner}"
    if isinstance(node, Call):
        return f"{node.function}({', '.join(to_text(a) for a in node.args)})"
    if isinstance(node, Filter):
        return f"{node.target.name}[{to_text(node.condition)}]"
    if isinstance(node, Compare):
        return f"{to_text(node.left)} {node.op} {to_text(node.right)}"
    if isinstance(node, InList):
        items = ", ".join(to_text(i) for i in node.items)
        keyword = "not in" if node.negated else "in"
        return f"{to_text(node.operand)} {keyword} ({items})"
    if isinstance(node, IsNull):
        return f"{to_text(node.operand)} is {'not ' if node.negated else ''}null"
    raise TypeError(f"not a formula node: {node!r}")
