"""Hypothesis strategies that generate valid formula trees (shared by parser and printer tests)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st

from cadran.core.formula import (
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
    Not,
    Number,
    Param,
)
from cadran.core.formula.parser import KEYWORDS

# No example database: the suite must not write files outside tests/.
SETTINGS = settings(database=None, deadline=None, max_examples=300)

_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_REST = _FIRST + "0123456789"

identifiers = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_FIRST),
    st.text(alphabet=_REST, max_size=12),
)
# Keywords are recognised whatever their case (AND, Not...), so no name may be one of them.
names = identifiers.filter(lambda word: word.lower() not in KEYWORDS)


def _decimal_value(mantissa: int, exponent: int) -> float:
    return float(Decimal(mantissa).scaleb(exponent))


# Non-negative, finite, at most 12 significant digits, between 1e-12 and 1e15 in magnitude.
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.builds(
        _decimal_value,
        st.integers(min_value=0, max_value=10**12 - 1),
        st.integers(min_value=-12, max_value=3),
    ),
).map(float)

# Text literals: anything but the characters the lexer refuses inside quotes (CR, LF, NUL);
# quotes of both kinds are included on purpose.
texts = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
    max_size=12,
) | st.sampled_from(["", "'", "''", '"', "it's", "a' OR '1'='1", "x]", "é ü 😀"])

literals = st.builds(
    Literal,
    st.one_of(
        texts,
        numbers,
        numbers.filter(lambda v: v > 0).map(lambda v: -v),
        st.booleans(),
        st.none(),
    ),
)
operands = st.one_of(st.builds(Name, names), literals)

atomic_conditions = st.one_of(
    st.builds(Name, names),
    st.builds(Compare, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), operands, operands),
    st.builds(
        InList,
        operands,
        st.lists(literals, min_size=1, max_size=4).map(tuple),
        st.booleans(),
    ),
    st.builds(IsNull, operands, st.booleans()),
)


def _compound_conditions(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(BoolOp, st.sampled_from(["and", "or"]), children, children),
        st.builds(Not, children),
    )


conditions = st.recursive(atomic_conditions, _compound_conditions, max_leaves=8)

atomic_exprs = st.one_of(
    st.builds(Number, numbers),
    st.builds(Name, names),
    st.builds(Param, identifiers),  # "$and" is a parameter named "and": keywords are fine here
    st.builds(Filter, st.builds(Name, names), conditions),
)


def _compound_exprs(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.builds(Neg, children),
        st.builds(BinOp, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(Call, names, st.lists(children, min_size=1, max_size=3).map(tuple)),
    )


# max_leaves keeps every tree well inside the parser's depth limit (MAX_DEPTH).
exprs = st.recursive(atomic_exprs, _compound_exprs, max_leaves=12)

# Arithmetic only, over a few names bound in an environment: what the reference evaluator reads.
ENV_NAMES = ("a", "b", "c", "d")
arithmetic = st.recursive(
    st.one_of(st.builds(Number, numbers), st.builds(Name, st.sampled_from(ENV_NAMES))),
    lambda children: st.one_of(
        st.builds(Neg, children),
        st.builds(BinOp, st.sampled_from(["+", "-", "*", "/"]), children, children),
    ),
    max_leaves=14,
)
environments = st.fixed_dictionaries(
    {n: st.one_of(st.just(0.0), numbers, numbers.map(lambda v: -v)) for n in ENV_NAMES}
)
