"""The printer: canonical text that parses back to the same tree, and means the same thing."""

from __future__ import annotations

import ast
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cadran.core.errors import FormulaError
from cadran.core.formula import (
    BinOp,
    BoolOp,
    Compare,
    Filter,
    Literal,
    Name,
    Neg,
    Not,
    Number,
    parse,
    parse_condition,
    to_text,
)
from cadran.core.formula.parser import MAX_NUMBER_DIGITS

from .strategies import SETTINGS, arithmetic, conditions, environments, exprs

# -- round trips ------------------------------------------------------------------------------


@SETTINGS
@given(exprs)
def test_printed_formulas_parse_back_to_the_same_tree(tree):
    text = to_text(tree)
    assert parse(text) == tree
    assert to_text(parse(text)) == text  # the canonical text is a fixed point


@SETTINGS
@given(conditions)
def test_printed_conditions_parse_back_to_the_same_tree(condition):
    text = to_text(condition)
    assert parse_condition(text) == condition
    assert parse(f"m[{text}]") == Filter(Name("m"), condition)


number_texts = st.builds(
    lambda whole, fraction: whole + ("." + fraction if fraction else ""),
    st.text(alphabet="0123456789", min_size=1, max_size=MAX_NUMBER_DIGITS),
    st.text(alphabet="0123456789", max_size=MAX_NUMBER_DIGITS),
).filter(lambda t: len(t.replace(".", "")) <= MAX_NUMBER_DIGITS)


@SETTINGS
@given(number_texts)
@example("9" * MAX_NUMBER_DIGITS)
@example("9" * (MAX_NUMBER_DIGITS - 1))
@example("0." + "0" * (MAX_NUMBER_DIGITS - 2) + "1")
@example("999999999999999.9")
@example("123456789012345678901234567890")
def test_every_number_the_parser_reads_prints_back_readably(text):
    if float(text) >= 10.0**MAX_NUMBER_DIGITS:
        with pytest.raises(FormulaError, match=r"^number out of range"):
            parse(text)
        return
    tree = parse(text)
    assert parse(to_text(tree)) == tree
    assert parse(f"m[b = -{text}]") == parse(to_text(parse(f"m[b = -{text}]")))


CANONICAL = [
    ("a-(b-c)", "a - (b - c)"),
    ("(a-b)-c", "a - b - c"),
    ("a/(b*c)", "a / (b * c)"),
    ("(a/b)*c", "a / b * c"),
    ("a*(b+c)", "a * (b + c)"),
    ("(a*b)+c", "a * b + c"),
    ("-(a*b)", "-(a * b)"),
    ("(-a)*b", "-a * b"),
    ("-(-(a))", "--a"),
    ("a - (-b)", "a - -b"),
    ("((a))", "a"),
    ("f( a ,b )", "f(a, b)"),
    ("1.50", "1.5"),
    ("007", "7"),
    ("0.00001", "0.00001"),
    ("1000000000000000000", "1000000000000000000"),
    ("123456789.125", "123456789.125"),
    ("$p*2", "$p * 2"),
    ("m[b<>1]", "m[b != 1]"),
    ("m[b==-0]", "m[b = 0]"),
    ("m[b = -2.50]", "m[b = -2.5]"),
    ('m[b="it\'s"]', "m[b = 'it''s']"),
    ("m[B = TRUE]", "m[B = true]"),
    ("m[b is NOT NULL]", "m[b is not null]"),
    ("m[b NOT IN ('x','y')]", "m[b not in ('x', 'y')]"),
    ("m[(b or c) and d]", "m[(b or c) and d]"),
    ("m[b or (c and d)]", "m[b or c and d]"),
    ("m[b and (c and d)]", "m[b and (c and d)]"),
    ("m[not (b)]", "m[not b]"),
    ("m[not (b or c)]", "m[not (b or c)]"),
    ("m[(not b) or c]", "m[not b or c]"),
]


@pytest.mark.parametrize(("source", "text"), CANONICAL, ids=[s for s, _ in CANONICAL])
def test_canonical_text(source, text):
    assert to_text(parse(source)) == text


def test_text_literals_escape_quotes():
    condition = Compare("=", Name("b"), Literal("a' OR '1'='1"))
    assert to_text(condition) == "b = 'a'' OR ''1''=''1'"
    assert parse_condition(to_text(condition)) == condition


@pytest.mark.parametrize("value", [object(), "a + b", None, Filter])
def test_only_nodes_print(value):
    with pytest.raises(TypeError, match="not a formula node"):
        to_text(value)


def test_deepest_accepted_trees_print():
    for source in (
        "(" * 63 + "a" + ")" * 63,
        " + ".join(["a"] * 64),
        "m[" + " or ".join(["b"] * 63) + "]",
    ):
        assert parse(to_text(parse(source))) == parse(source)


# -- meaning ----------------------------------------------------------------------------------


def evaluate(node, env):
    """Reference interpreter over Number, Name, Neg and BinOp; None when dividing by zero."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        return env[node.name]
    if isinstance(node, Neg):
        value = evaluate(node.operand, env)
        return None if value is None else -value
    if isinstance(node, BinOp):
        left, right = evaluate(node.left, env), evaluate(node.right, env)
        if left is None or right is None:
            return None
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return None if right == 0 else left / right
    raise AssertionError(f"not arithmetic: {node!r}")


def evaluate_python(node, env):
    """The same arithmetic, read by Python's own parser: an independent view of precedence."""
    if isinstance(node, ast.Expression):
        return evaluate_python(node.body, env)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = evaluate_python(node.operand, env)
        return None if value is None else -value
    if isinstance(node, ast.BinOp):
        left, right = evaluate_python(node.left, env), evaluate_python(node.right, env)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return None if right == 0 else left / right
    raise AssertionError(f"unexpected Python syntax: {ast.dump(node)}")


def same(x, y):
    if x is None or y is None:
        return x is y
    return x == y or (math.isnan(x) and math.isnan(y))


@SETTINGS
@given(arithmetic, environments)
def test_printed_arithmetic_means_the_same(tree, env):
    text = to_text(tree)
    expected = evaluate(tree, env)
    assert same(evaluate(parse(text), env), expected)
    # Python gives + - * / and unary minus the same precedence and associativity.
    assert same(evaluate_python(ast.parse(text, mode="eval"), env), expected)


@SETTINGS
@given(
    st.lists(st.sampled_from(["a", "b", "c", "-a", "2", "0"]), min_size=2, max_size=7), st.data()
)
def test_parsed_arithmetic_agrees_with_python(operands, data):
    """Flat chains of mixed operators are grouped as Python groups them."""
    ops = data.draw(
        st.lists(st.sampled_from("+-*/"), min_size=len(operands) - 1, max_size=len(operands) - 1)
    )
    text = operands[0] + "".join(f" {op} {x}" for op, x in zip(ops, operands[1:], strict=True))
    env = {"a": 3.0, "b": -7.0, "c": 0.5}
    assert same(evaluate(parse(text), env), evaluate_python(ast.parse(text, mode="eval"), env))


def test_evaluator_sanity():
    env = {"a": 8.0, "b": 2.0, "c": 2.0}
    assert evaluate(parse("a - b - c"), env) == 4.0
    assert evaluate(parse("a / b / c"), env) == 2.0
    assert evaluate(parse("-a * b"), env) == -16.0
    assert evaluate(parse("a / (b - c)"), env) is None
    assert evaluate(parse("-(a / (b - c)) + 1"), env) is None


def test_boolean_operators_keep_their_structure():
    b, c, d = Name("b"), Name("c"), Name("d")
    tree = BoolOp("and", BoolOp("or", b, c), Not(BoolOp("and", c, d)))
    assert to_text(tree) == "(b or c) and not (c and d)"
    assert parse_condition(to_text(tree)) == tree
