"""Syntax tree of the formula language.

Nodes are immutable; positions (``span``) do not take part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

Span = tuple[int, int]


@dataclass(frozen=True)
class Number:
    """A numeric constant such as ``100`` or ``0.5``."""

    value: float
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """A name: a measure, a KPI, an attribute (in conditions) or an entity (in ``avg_per``)."""

    name: str
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Param:
    """A workspace parameter such as ``$customer_lifespan_years``."""

    name: str
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class BinOp:
    """Arithmetic: ``+``, ``-``, ``*``, ``/``."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    """A function call such as ``previous(x)`` or ``avg_per(clicks, post)``."""

    function: str
    args: tuple[Expr, ...]
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Filter:
    """A measure restricted by a condition: ``messages[sentiment = 'negative']``."""

    target: Name
    condition: Condition
    span: Span = field(default=(0, 0), compare=False, repr=False)


# Conditions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """A constant in a condition: text, number, true/false or null (``value`` is None)."""

    value: str | float | bool | None
    span: Span = field(default=(0, 0), compare=False, repr=False)


Operand: TypeAlias = "Name | Literal"


@dataclass(frozen=True)
class Compare:
    """``a = b``, ``a != b``, ``a < b``, ``a <= b``, ``a > b``, ``a >= b``."""

    op: str
    left: Operand
    right: Operand
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class InList:
    """``a in ('x', 'y')`` or ``a not in (...)``."""

    operand: Operand
    items: tuple[Literal, ...]
    negated: bool = False
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class IsNull:
    """``a is null`` or ``a is not null``."""

    operand: Operand
    negated: bool = False
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class BoolOp:
    """``and`` / ``or`` of two conditions."""

    op: str
    left: Condition
    right: Condition
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Not:
    """``not`` of a condition."""

    operand: Condition
    span: Span = field(default=(0, 0), compare=False, repr=False)


Expr: TypeAlias = "Number | Name | Param | Neg | BinOp | Call | Filter"
Condition: TypeAlias = "Compare | InList | IsNull | BoolOp | Not | Name"
Node: TypeAlias = "Expr | Condition | Literal"
