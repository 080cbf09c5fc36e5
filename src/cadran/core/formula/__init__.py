"""The formula language of KPIs: arithmetic over measures, filters and a few functions.

Grammar (lowest precedence first)::

    formula    := additive
    additive   := multiplicative (("+" | "-") multiplicative)*
    multiplicative := unary (("*" | "/") unary)*
    unary      := "-" unary | postfix
    postfix    := primary ("[" condition "]")?
    primary    := NUMBER | NAME | "$" NAME | NAME "(" arguments ")" | "(" additive ")"
    condition  := disjunction
    disjunction:= conjunction ("or" conjunction)*
    conjunction:= negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := operand (OP operand | "not"? "in" "(" literals ")" | "is" "not"? "null")?
                | "(" condition ")"
    operand    := NAME | STRING | NUMBER | "true" | "false" | "null"

Examples: ``engagements / impressions * 100``, ``messages[sentiment = 'negative']``,
``leads[qualified and source in ('organic_social', 'paid_social')]``,
``avg_per(clicks, post)``, ``(engagement_rate - previous(engagement_rate)) /
previous(engagement_rate) * 100``.
"""

from cadran.core.formula.ast import (
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
    Node,
    Not,
    Number,
    Param,
)
from cadran.core.formula.parser import MAX_DEPTH, MAX_LENGTH, parse, parse_condition
from cadran.core.formula.printer import to_text

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "BinOp",
    "BoolOp",
    "Call",
    "Compare",
    "Condition",
    "Expr",
    "Filter",
    "InList",
    "IsNull",
    "Literal",
    "Name",
    "Neg",
    "Node",
    "Not",
    "Number",
    "Param",
    "parse",
    "parse_condition",
    "to_text",
]
