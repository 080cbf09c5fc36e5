"""The formula parser: structure, precedence, error messages, limits and hostile input."""

from __future__ import annotations

import string
from dataclasses import fields, is_dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cadran.core.errors import FormulaError, UsageError
from cadran.core.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
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
    parse,
    parse_condition,
)
from cadran.core.formula.parser import MAX_NAME, MAX_NUMBER_DIGITS, tokenize

from .strategies import SETTINGS

a, b, c, d = Name("a"), Name("b"), Name("c"), Name("d")

NODE_TYPES = (
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


def walk(node: object):
    """Every node of a tree, depth first."""
    yield node
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        items = value if isinstance(value, tuple) and f.name != "span" else (value,)
        for item in items:
            if is_dataclass(item):
                yield from walk(item)


# -- structure and precedence -----------------------------------------------------------------

STRUCTURE = [
    ("a - b - c", BinOp("-", BinOp("-", a, b), c)),
    ("a / b / c", BinOp("/", BinOp("/", a, b), c)),
    ("a - b + c", BinOp("+", BinOp("-", a, b), c)),
    ("a / b * c", BinOp("*", BinOp("/", a, b), c)),
    ("a - b * c", BinOp("-", a, BinOp("*", b, c))),
    ("a * b - c", BinOp("-", BinOp("*", a, b), c)),
    ("a + b * c - d", BinOp("-", BinOp("+", a, BinOp("*", b, c)), d)),
    ("a - (b - c)", BinOp("-", a, BinOp("-", b, c))),
    ("(a - b) * c", BinOp("*", BinOp("-", a, b), c)),
    ("-a * b", BinOp("*", Neg(a), b)),
    ("-a - b", BinOp("-", Neg(a), b)),
    ("a * -b", BinOp("*", a, Neg(b))),
    ("a--b", BinOp("-", a, Neg(b))),
    ("-(a * b)", Neg(BinOp("*", a, b))),
    ("--a", Neg(Neg(a))),
    ("- - a", Neg(Neg(a))),
    ("-(-a)", Neg(Neg(a))),
    ("((a))", a),
    ("2 * 3 + 4", BinOp("+", BinOp("*", Number(2), Number(3)), Number(4))),
    ("00001", Number(1)),
    ("0.50", Number(0.5)),
    ("100", Number(100)),
    ("$customer_lifespan_years", Param("customer_lifespan_years")),
    ("$and", Param("and")),
    ("previous(x, 2)", Call("previous", (Name("x"), Number(2)))),
    ("avg_per(clicks, post)", Call("avg_per", (Name("clicks"), Name("post")))),
    ("f()", Call("f", ())),
    ("f(a + b, -c)", Call("f", (BinOp("+", a, b), Neg(c)))),
    ("Likes", Name("Likes")),
    ("a\t+\nb\r\n", BinOp("+", a, b)),
    (
        "(engagement_rate - previous(engagement_rate)) / previous(engagement_rate) * 100",
        BinOp(
            "*",
            BinOp(
                "/",
                BinOp(
                    "-",
                    Name("engagement_rate"),
                    Call("previous", (Name("engagement_rate"),)),
                ),
                Call("previous", (Name("engagement_rate"),)),
            ),
            Number(100),
        ),
    ),
]


@pytest.mark.parametrize(("source", "tree"), STRUCTURE, ids=[s for s, _ in STRUCTURE])
def test_structure_and_precedence(source, tree):
    assert parse(source) == tree


m = Name("m")
FILTERS = [
    ("m[b]", b),
    ("m[not b]", Not(b)),
    ("m[b = 'x']", Compare("=", b, Literal("x"))),
    ("m[b == 1]", Compare("=", b, Literal(1.0))),
    ("m[b <> 1]", Compare("!=", b, Literal(1.0))),
    ("m[b != 1]", Compare("!=", b, Literal(1.0))),
    ("m[b <= -1.5]", Compare("<=", b, Literal(-1.5))),
    ("m[b >= - 2]", Compare(">=", b, Literal(-2.0))),
    ("m[-1 < b]", Compare("<", Literal(-1.0), b)),
    ("m['x' = b]", Compare("=", Literal("x"), b)),
    ("m[b = 'it''s']", Compare("=", b, Literal("it's"))),
    ('m[b = "say ""hi"""]', Compare("=", b, Literal('say "hi"'))),
    ('m[b = "it\'s"]', Compare("=", b, Literal("it's"))),
    ("m[B = TRUE]", Compare("=", Name("B"), Literal(True))),
    ("m[b = false]", Compare("=", b, Literal(False))),
    ("m[b = null]", Compare("=", b, Literal(None))),
    ("m[b is null]", IsNull(b)),
    ("m[b is not null]", IsNull(b, negated=True)),
    ("m[b in ('x', 1, true, null)]", InList(b, tuple(map(Literal, ["x", 1.0, True, None])))),
    ("m[b not in ('x')]", InList(b, (Literal("x"),), negated=True)),
    ("m[b or c and d]", BoolOp("or", b, BoolOp("and", c, d))),
    ("m[b and c or d]", BoolOp("or", BoolOp("and", b, c), d)),
    ("m[b and c and d]", BoolOp("and", BoolOp("and", b, c), d)),
    ("m[b AND c Or d]", BoolOp("or", BoolOp("and", b, c), d)),
    ("m[not b and c]", BoolOp("and", Not(b), c)),
    ("m[not (b and c)]", Not(BoolOp("and", b, c))),
    ("m[not not b]", Not(Not(b))),
    ("m[not b = 1]", Not(Compare("=", b, Literal(1.0)))),
    ("m[((b))]", b),
    ("(m)[b]", b),  # a bracketed name is still a name
]


@pytest.mark.parametrize(("source", "condition"), FILTERS, ids=[s for s, _ in FILTERS])
def test_filters(source, condition):
    assert parse(source) == Filter(m, condition)
    assert parse_condition(source[source.index("[") + 1 : -1]) == condition


def test_spans_point_at_the_source_text():
    source = "engagements[sentiment = 'negative'] / previous(reach, 2) * $rate"
    tree = parse(source)
    texts = {
        type(node).__name__ + ":" + source[node.span[0] : node.span[1]]
        for node in walk(tree)
        if not isinstance(node, Literal)
    }
    assert "Name:engagements" in texts
    assert "Name:sentiment" in texts
    assert "Param:$rate" in texts
    assert "Call:previous(reach, 2)" in texts
    assert "Filter:engagements[sentiment = 'negative']" in texts
    assert "Compare:sentiment = 'negative'" in texts
    assert "Number:2" in texts
    assert tree.span == (0, len(source))


def test_positions_do_not_take_part_in_equality():
    assert parse("a+b") == parse("  a   +   b  ")
    assert parse("a+b").span != parse("  a   +   b  ").span


# -- error messages ---------------------------------------------------------------------------

ERRORS = [
    ("engagements / (reach", "expected ')' but found end of formula", 21),
    ("a * (b", "expected ')' but found end of formula", 7),
    ("", "the formula is empty", 1),
    ("   ", "the formula is empty", 4),
    ("a +", "expected a number, a name or '(' but found end of formula", 4),
    ("a + * b", "expected a number, a name or '(' but found '*'", 5),
    (")", "expected a number, a name or '(' but found ')'", 1),
    ("a)", "unexpected ')' with no matching '('", 2),
    ("a b", "unexpected 'b' after a complete expression", 3),
    ("a, b", "unexpected ',' after a complete expression", 2),
    ("a]", "unexpected ']' after a complete expression", 2),
    ("()", "empty parentheses", 2),
    ("+a", "a unary '+' is not allowed; remove it", 1),
    ("a + +b", "a unary '+' is not allowed; remove it", 5),
    ("$", "'$' must be followed by a parameter name", 1),
    ("$1", "'$' must be followed by a parameter name", 1),
    ("a.b", "unexpected character '.'", 2),
    (".5", "unexpected character '.'", 1),
    ("1.", "a decimal point must be followed by digits", 3),
    ("1..2", "a decimal point must be followed by digits", 3),
    ("1_000", "unexpected '_' after a number", 2),
    ("3x", "unexpected 'x' after a number", 2),
    ("1e5", "numbers with an exponent such as 1e5 are not supported; write all the digits", 2),
    ("2.5E-3", "numbers with an exponent such as 1e5 are not supported; write all the digits", 4),
    ("a; b", "unexpected character ';'", 2),
    ("a ! b", "unexpected character '!'", 3),
    ("a\x00", "unexpected character 'U+0000'", 2),
    ("\u200b", "unexpected character 'U+200B'", 1),
    ("é", "unexpected character 'é'", 1),
    ("'x'", "text is only allowed inside a filter [...]", 1),
    ("a + 'x'", "text is only allowed inside a filter [...]", 5),
    ("'x", "text is not closed: missing '", 1),
    ('a["x]', 'text is not closed: missing "', 3),
    ("a[b = 'x\ny']", "text may not contain line breaks or NUL", 9),
    ("a[b = 'x\x00']", "text may not contain line breaks or NUL", 9),
    ("not a", "'not' is only allowed inside a filter [...]", 1),
    ("true", "'true' is only allowed inside a filter [...]", 1),
    ("NULL", "'null' is only allowed inside a filter [...]", 1),
    ("a and b", "'and' is only allowed inside a filter [...]", 3),
    ("a > 5", "'>' is only allowed inside a filter [...]", 3),
    ("a <> b", "'<>' is only allowed inside a filter [...]", 3),
    ("f(a", "expected ',' or ')' in the call of f() but found end of formula", 4),
    ("f(a b)", "expected ',' or ')' in the call of f() but found 'b'", 5),
    ("f(,)", "expected a number, a name or '(' but found ','", 3),
    ("f(a,)", "expected a number, a name or '(' but found ')'", 5),
    ("[", "expected a number, a name or '(' but found '['", 1),
    ("a[]", "the filter [...] is empty", 3),
    ("a[", "expected a name or a constant but found end of formula", 3),
    ("a[b", "expected ']' to close the filter but found end of formula", 4),
    ("a[b = 'x'", "expected ']' to close the filter but found end of formula", 10),
    ("a[b c]", "expected ']' to close the filter but found 'c'", 5),
    ("a[b][c]", "combine filters with 'and' inside one [...]", 5),
    ("previous(x)[a]", "a filter [...] applies to a measure name only", 12),
    ("2[a]", "a filter [...] applies to a measure name only", 2),
    ("a[b = ]", "expected a name or a constant but found ']'", 7),
    ("a[b =< 1]", "expected a name or a constant but found '<'", 6),
    ("a[b = -c]", "expected a name or a constant but found '-'", 7),
    ("a['x']", "expected a comparison after 'x'", 6),
    ("a[1]", "expected a comparison after 1", 4),
    ("a[true]", "expected a comparison after true", 7),
    ("a[b is]", "expected 'null' after 'is' but found ']'", 7),
    ("a[b is 'x']", "expected 'null' after 'is' but found text 'x'", 8),
    ("a[b not]", "expected 'in' after 'not' but found ']'", 8),
    ("a[b not null]", "expected 'in' after 'not' but found 'null'", 9),
    ("a[b not 'in']", "expected 'in' after 'not' but found text 'in'", 9),
    ("a[b in 'x']", "expected '(' after 'in' but found text 'x'", 8),
    ("a[b in ()]", "expected a name or a constant but found ')'", 9),
    ("a[b in (c)]", "a list after 'in' holds constants only", 10),
    ("a[b in ('x' 'y')]", "expected ',' or ')' in the list but found text 'y'", 13),
    ("a[(b = 1]", "expected ')' but found ']'", 9),
    ("a[b and]", "expected a name or a constant but found ']'", 8),
]


@pytest.mark.parametrize(("source", "message", "column"), ERRORS, ids=[s for s, *_ in ERRORS])
def test_error_messages(source, message, column):
    with pytest.raises(FormulaError) as info:
        parse(source)
    error = info.value
    assert error.reason == message
    assert error.position == column - 1
    expected = f"{message} at column {column}" if source else message
    assert str(error) == expected
    assert error.formula == source


def test_the_caret_points_at_the_problem():
    with pytest.raises(FormulaError) as info:
        parse("engagements / (reach")
    assert info.value.caret() == "engagements / (reach\n" + " " * 20 + "^"


def test_formula_errors_are_usage_errors():
    with pytest.raises(UsageError):
        parse("a +")
    assert FormulaError("x").exit_code == 2


@pytest.mark.parametrize("value", [None, 1, b"a + b", ["a"]])
def test_only_text_is_parsed(value):
    with pytest.raises(FormulaError, match=f"must be text, not {type(value).__name__}$"):
        parse(value)
    with pytest.raises(FormulaError, match=f"must be text, not {type(value).__name__}$"):
        parse_condition(value)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "the condition is empty"),
        ("b = 1 )", "unexpected ')' after a complete condition at column 7"),
        ("b = 1 c", "unexpected 'c' after a complete condition at column 7"),
        ("b +", "unexpected '+' after a complete condition at column 3"),
    ],
)
def test_condition_errors(source, message):
    with pytest.raises(FormulaError) as info:
        parse_condition(source)
    assert str(info.value) == message


# -- limits -----------------------------------------------------------------------------------


def nested(kind: str, levels: int) -> str:
    """A formula nesting ``levels`` constructs of ``kind``."""
    if kind == "parentheses":
        return "(" * levels + "a" + ")" * levels
    if kind == "minus":
        return "-" * levels + "a"
    if kind == "calls":
        return "f(" * levels + "a" + ")" * levels
    if kind == "not":
        return "m[" + "not " * levels + "b]"
    if kind == "condition parentheses":
        return "m[" + "(" * levels + "b" + ")" * levels + "]"
    if kind == "sum":
        return " + ".join(["a"] * (levels + 1))
    if kind == "product":
        return "*".join(["a"] * (levels + 1))
    if kind == "or":
        return "m[" + " or ".join(["b"] * (levels + 1)) + "]"
    if kind == "and":
        return "m[" + " and ".join(["b"] * (levels + 1)) + "]"
    raise AssertionError(kind)


# The deepest accepted nesting of each construct: the depth budget also counts the formula
# itself (1), a filter's condition (1), and each call's argument list (1).
DEEPEST = {
    "parentheses": MAX_DEPTH - 1,
    "minus": MAX_DEPTH - 1,
    "calls": MAX_DEPTH // 2 - 1,
    "not": MAX_DEPTH - 2,
    "condition parentheses": MAX_DEPTH - 2,
    "sum": MAX_DEPTH - 1,
    "product": MAX_DEPTH - 1,
    "or": MAX_DEPTH - 2,
    "and": MAX_DEPTH - 2,
}


@pytest.mark.parametrize("kind", DEEPEST)
def test_depth_limit(kind):
    parse(nested(kind, DEEPEST[kind]))
    source = nested(kind, DEEPEST[kind] + 1)
    with pytest.raises(FormulaError, match=f"^formula nests deeper than {MAX_DEPTH} levels"):
        parse(source)


@pytest.mark.parametrize("kind", DEEPEST)
def test_nesting_as_deep_as_the_length_allows_fails_cleanly(kind):
    """Without the depth limit these would exhaust the Python stack (RecursionError)."""
    levels = 1
    while len(nested(kind, levels * 2)) <= MAX_LENGTH:
        levels *= 2
    while len(nested(kind, levels + 1)) <= MAX_LENGTH:
        levels += 1
    source = nested(kind, levels)
    assert len(source) <= MAX_LENGTH
    with pytest.raises(FormulaError, match="nests deeper") as info:
        parse(source)
    assert 0 <= info.value.position < len(source)


def test_a_flat_chain_counts_as_nesting():
    """A long sum is a deep tree; later stages walk trees recursively."""
    with pytest.raises(FormulaError) as info:
        parse(" + ".join(["a"] * (MAX_DEPTH + 1)))
    assert info.value.reason == (
        f"formula nests deeper than {MAX_DEPTH} levels: each operator of a chain such as"
        " a + b + c counts as one level"
    )
    assert info.value.position == 4 * MAX_DEPTH - 2  # the operator that went too deep


def test_length_limit():
    assert parse("a" + " " * (MAX_LENGTH - 1)) == a
    source = "a" + " " * MAX_LENGTH
    with pytest.raises(FormulaError) as info:
        parse(source)
    assert str(info.value) == f"formula is longer than {MAX_LENGTH} characters at column 4001"
    assert info.value.position < len(source)
    with pytest.raises(FormulaError, match="longer than"):
        parse("(" * 1_000_000)


def test_name_length_limit():
    assert parse("n" * MAX_NAME) == Name("n" * MAX_NAME)
    with pytest.raises(FormulaError, match=f"^name longer than {MAX_NAME} characters at column 1$"):
        parse("n" * (MAX_NAME + 1))
    with pytest.raises(FormulaError, match=r"at column 2$"):
        parse("$" + "p" * (MAX_NAME + 1))


def test_number_limits():
    assert parse("1" * MAX_NUMBER_DIGITS) == Number(float("1" * MAX_NUMBER_DIGITS))
    # The decimal point is not a digit.
    assert parse("0." + "1" * (MAX_NUMBER_DIGITS - 1)) == Number(float("0." + "1" * 29))
    with pytest.raises(FormulaError, match=f"^number longer than {MAX_NUMBER_DIGITS} digits"):
        parse("1" * (MAX_NUMBER_DIGITS + 1))
    with pytest.raises(FormulaError, match=r"^number longer than"):
        parse("0." + "0" * MAX_NUMBER_DIGITS + "1")
    # 30 nines round to 1e30, whose canonical text has 31 digits and could not be read back.
    with pytest.raises(FormulaError) as info:
        parse("9" * MAX_NUMBER_DIGITS)
    assert str(info.value) == "number out of range: it must be less than 10^30 at column 1"
    with pytest.raises(FormulaError, match="out of range"):
        parse("m[b = " + "9" * MAX_NUMBER_DIGITS + "]")


# -- hostile input ----------------------------------------------------------------------------

HOSTILE_ERRORS = [
    ("__import__('os').system('x')", "unexpected character '.'", 17),
    ("a; DROP TABLE post", "unexpected character ';'", 2),
    ("a' OR '1'='1", "unexpected text ' OR ' after a complete expression", 2),
    ("a\x00b", "unexpected character 'U+0000'", 2),
    ("\x00", "unexpected character 'U+0000'", 1),
    ("1e999", "numbers with an exponent such as 1e5 are not supported; write all the digits", 2),
    ("a /* x */", "expected a number, a name or '(' but found '*'", 4),
    ("lambda: 1", "unexpected character ':'", 7),
    ("a[b = 1]; 1", "unexpected character ';'", 9),
    ("{a}", "unexpected character '{'", 1),
    ("a ** b", "expected a number, a name or '(' but found '*'", 4),
    ("`a`", "unexpected character '`'", 1),
    ("a\\b", "unexpected character '\\\\'", 2),
    ("a # x", "unexpected character '#'", 3),
    ("m[b = 'x' ; DROP TABLE post]", "unexpected character ';'", 11),
]


@pytest.mark.parametrize(
    ("source", "message", "column"), HOSTILE_ERRORS, ids=[repr(s) for s, *_ in HOSTILE_ERRORS]
)
def test_hostile_input_is_refused(source, message, column):
    with pytest.raises(FormulaError) as info:
        parse(source)
    assert info.value.reason == message
    assert info.value.position == column - 1


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("eval(1)", Call("eval", (Number(1),))),
        ("a -- comment", BinOp("-", a, Neg(Name("comment")))),  # SQL comments are arithmetic
        ("exec(system)", Call("exec", (Name("system"),))),
        ("__import__(os)", Call("__import__", (Name("os"),))),
        ("m[b = 'x'' OR ''1''=''1']", Filter(m, Compare("=", b, Literal("x' OR '1'='1")))),
        (
            "m[b = '; DROP TABLE post --']",
            Filter(m, Compare("=", b, Literal("; DROP TABLE post --"))),
        ),
    ],
)
def test_hostile_but_well_formed_input_is_only_a_tree(source, tree):
    """A call or a quoted text is parsed into plain data; nothing is looked up or run."""
    parsed = parse(source)
    assert parsed == tree
    for node in walk(parsed):
        assert isinstance(node, NODE_TYPES)
        for f in fields(node):
            value = getattr(node, f.name)
            assert not callable(value) or is_dataclass(value)


# -- fuzzing ----------------------------------------------------------------------------------


def assert_fails_cleanly(source: str, parser=parse) -> None:
    """``parser`` either succeeds or raises a FormulaError located inside ``source``."""
    error = None
    try:
        parser(source)
    except FormulaError as raised:
        error = raised
    if error is not None:
        assert error.position is None or 0 <= error.position <= len(source)
        assert "\n" not in error.reason


@SETTINGS
@given(st.text())
@example("(" * (MAX_LENGTH - 1))
@example("-" * MAX_LENGTH)
@example("a" * (MAX_LENGTH + 1))
@example("\x00\x01\x1b[31m\u202e\ud7ff\U0010ffff")
@example("m[b = '" + "'" * 100)
@example("$" * 10)
def test_arbitrary_text_only_raises_formula_errors(source):
    assert_fails_cleanly(source)
    assert_fails_cleanly(source, parse_condition)


TOKENS = [
    *"+-*/()[],=<>$'\".",
    "==",
    "!=",
    "<>",
    "<=",
    ">=",
    "a",
    "b_1",
    "f(",
    "0",
    "12.5",
    "'x'",
    "'it''s'",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "true",
    "false",
    "$p",
    "1e5",
    "\x00",
]


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.sampled_from(["", " "]))
def test_token_soup_only_raises_formula_errors(tokens, separator):
    """Near-miss formulas reach deep into the parser, unlike uniformly random text."""
    source = separator.join(tokens)
    assert_fails_cleanly(source)
    assert_fails_cleanly(source, parse_condition)
    assert_fails_cleanly("m[" + source + "]")


@SETTINGS
@given(st.text(alphabet=string.printable, max_size=200))
def test_tokens_tile_the_source(source):
    """Tokens are in order, do not overlap and only whitespace lies between them."""
    try:
        tokens = tokenize(source)
    except FormulaError:
        return
    position = 0
    for token in tokens:
        assert source[position : token.start].strip(" \t\r\n") == ""
        assert token.start <= token.end
        position = token.end
    assert tokens[-1].kind == "end"
    assert tokens[-1].start == len(source)
