"""Lexer and recursive-descent parser of the formula language.

The parser never evaluates anything: it only builds a tree. Input is bounded in length and
nesting depth so that hostile text fails fast with a clear message instead of exhausting memory
or the Python stack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cadran.core.errors import FormulaError
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
    Not,
    Number,
    Operand,
    Param,
)

MAX_LENGTH = 4000
MAX_DEPTH = 64
MAX_NAME = 64
MAX_NUMBER_DIGITS = 30
NUMBER_LIMIT = 10.0**MAX_NUMBER_DIGITS

KEYWORDS = frozenset({"and", "or", "not", "in", "is", "null", "true", "false"})
_COMPARISONS = {
    "=": "=",
    "==": "=",
    "!=": "!=",
    "<>": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_TWO_CHAR = {"==", "!=", "<>", "<=", ">="}
_ONE_CHAR = set("+-*/()[],=<>")


@dataclass(frozen=True)
class Token:
    """One lexical unit with its position in the source text."""

    kind: str  # number, name, param, string, op, keyword, end
    text: str
    start: int
    end: int

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind == "end":
            return "end of formula"
        if self.kind == "string":
            return f"text {self.text!r}"
        return repr(self.text)


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens, rejecting unknown characters and malformed literals."""
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters", source, MAX_LENGTH)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in " \t\r\n":
            i += 1
        elif c.isascii() and c.isdigit():
            j = i
            while j < n and source[j].isascii() and source[j].isdigit():
                j += 1
            if j < n and source[j] == ".":
                j += 1
                if not (j < n and source[j].isascii() and source[j].isdigit()):
                    raise FormulaError("a decimal point must be followed by digits", source, j)
                while j < n and source[j].isascii() and source[j].isdigit():
                    j += 1
            if j < n and source[j] in "eE" and source[j + 1 : j + 3].lstrip("+-")[:1].isdigit():
                raise FormulaError(
                    "numbers with an exponent such as 1e5 are not supported; write all the digits",
                    source,
                    j,
                )
            if j < n and (source[j].isalpha() or source[j] == "_"):
                raise FormulaError(f"unexpected {source[j]!r} after a number", source, j)
            if j - i - source.count(".", i, j) > MAX_NUMBER_DIGITS:
                raise FormulaError(f"number longer than {MAX_NUMBER_DIGITS} digits", source, i)
            if float(source[i:j]) >= NUMBER_LIMIT:
                # The canonical text of such a value would need more digits than allowed.
                raise FormulaError(
                    f"number out of range: it must be less than 10^{MAX_NUMBER_DIGITS}", source, i
                )
            tokens.append(Token("number", source[i:j], i, j))
            i = j
        elif (c.isascii() and (c.isalpha() or c == "_")) or c == "$":
            j = i + 1 if c == "$" else i
            if c == "$" and not (
                j < n and source[j].isascii() and (source[j].isalpha() or source[j] == "_")
            ):
                raise FormulaError("'$' must be followed by a parameter name", source, i)
            k = j
            while k < n and source[k].isascii() and (source[k].isalnum() or source[k] == "_"):
                k += 1
            word = source[j:k]
            if len(word) > MAX_NAME:
                raise FormulaError(f"name longer than {MAX_NAME} characters", source, j)
            if c == "$":
                tokens.append(Token("param", word, i, k))
            elif word.lower() in KEYWORDS:
                tokens.append(Token("keyword", word.lower(), i, k))
            else:
                tokens.append(Token("name", word, i, k))
            i = k
        elif c in "'\"":
            j = i + 1
            chars: list[str] = []
            while True:
                if j >= n:
                    raise FormulaError("text is not closed: missing " + c, source, i)
                if source[j] == c:
                    if j + 1 < n and source[j + 1] == c:  # doubled quote stands for one quote
                        chars.append(c)
                        j += 2
                        continue
                    break
                if source[j] in "\x00\r\n":
                    raise FormulaError("text may not contain line breaks or NUL", source, j)
                chars.append(source[j])
                j += 1
            tokens.append(Token("string", "".join(chars), i, j + 1))
            i = j + 1
        elif source[i : i + 2] in _TWO_CHAR:
            tokens.append(Token("op", source[i : i + 2], i, i + 2))
            i += 2
        elif c in _ONE_CHAR:
            tokens.append(Token("op", c, i, i + 1))
            i += 1
        else:
            shown = c if c.isprintable() else f"U+{ord(c):04X}"
            raise FormulaError(f"unexpected character {shown!r}", source, i)
    tokens.append(Token("end", "", n, n))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.depth = 0

    # -- helpers -----------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def error(self, message: str, token: Token | None = None) -> FormulaError:
        t = token or self.tok
        return FormulaError(message, self.source, t.start)

    def advance(self) -> Token:
        t = self.tokens[self.pos]
        if t.kind != "end":
            self.pos += 1
        return t

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise self.error(f"expected {what} but found {self.tok.describe()}")
        return self.advance()

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"formula nests deeper than {MAX_DEPTH} levels")

    def chain(self, operator: Token) -> None:
        """One more operator of a chain: ``a + b + c`` is the tree ``(a + b) + c``.

        Every later stage walks the tree recursively, so the tree's depth, not only the
        nesting of brackets, must stay bounded; the caller restores ``depth`` after the chain.
        """
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"formula nests deeper than {MAX_DEPTH} levels: each operator of a chain such as"
                " a + b + c counts as one level",
                operator,
            )

    def leave(self) -> None:
        self.depth -= 1

    # -- expressions -------------------------------------------------------------------------
    def formula(self) -> Expr:
        if self.at("end"):
            raise self.error("the formula is empty")
        expr = self.additive()
        if not self.at("end"):
            t = self.tok
            if t.kind == "op" and t.text == ")":
                raise self.error("unexpected ')' with no matching '('")
            if (t.kind == "op" and t.text in _COMPARISONS) or t.kind == "keyword":
                raise self.error(f"{t.text!r} is only allowed inside a filter [...]")
            raise self.error(f"unexpected {t.describe()} after a complete expression")
        return expr

    def additive(self) -> Expr:
        self.enter()
        depth = self.depth
        left = self.multiplicative()
        while self.tok.kind == "op" and self.tok.text in "+-":
            operator = self.advance()
            self.chain(operator)
            right = self.multiplicative()
            left = BinOp(operator.text, left, right, (left.span[0], right.span[1]))
        self.depth = depth
        self.leave()
        return left

    def multiplicative(self) -> Expr:
        depth = self.depth
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            operator = self.advance()
            self.chain(operator)
            right = self.unary()
            left = BinOp(operator.text, left, right, (left.span[0], right.span[1]))
        self.depth = depth
        return left

    def unary(self) -> Expr:
        if self.at("op", "-"):
            start = self.advance().start
            self.enter()
            operand = self.unary()
            self.leave()
            return Neg(operand, (start, operand.span[1]))
        if self.at("op", "+"):
            raise self.error("a unary '+' is not allowed; remove it")
        return self.postfix()

    def postfix(self) -> Expr:
        expr = self.primary()
        if self.at("op", "["):
            bracket = self.advance()
            if not isinstance(expr, Name):
                raise self.error("a filter [...] applies to a measure name only", bracket)
            if self.at("op", "]"):
                raise self.error("the filter [...] is empty")
            condition = self.condition()
            end = self.expect("op", "]", "']' to close the filter").end
            expr = Filter(expr, condition, (expr.span[0], end))
            if self.at("op", "["):
                raise self.error("combine filters with 'and' inside one [...]")
        return expr

    def primary(self) -> Expr:
        t = self.tok
        if t.kind == "number":
            self.advance()
            value = float(t.text)
            if not math.isfinite(value):
                raise self.error("number out of range", t)
            return Number(value, (t.start, t.end))
        if t.kind == "param":
            self.advance()
            return Param(t.text, (t.start, t.end))
        if t.kind == "name":
            self.advance()
            if self.at("op", "("):
                return self.call(t)
            return Name(t.text, (t.start, t.end))
        if t.kind == "op" and t.text == "(":
            self.advance()
            if self.at("op", ")"):
                raise self.error("empty parentheses")
            expr = self.additive()
            self.expect("op", ")", "')'")
            return expr
        if t.kind == "string":
            raise self.error("text is only allowed inside a filter [...]", t)
        if t.kind == "keyword":
            raise self.error(f"{t.text!r} is only allowed inside a filter [...]", t)
        if t.kind == "end":
            raise self.error("expected a number, a name or '(' but found end of formula")
        raise self.error(f"expected a number, a name or '(' but found {t.describe()}")

    def call(self, name: Token) -> Call:
        self.advance()  # "("
        self.enter()
        args: list[Expr] = []
        if not self.at("op", ")"):
            while True:
                args.append(self.additive())
                if self.at("op", ","):
                    self.advance()
                    continue
                break
        end = self.expect("op", ")", f"',' or ')' in the call of {name.text}()").end
        self.leave()
        return Call(name.text, tuple(args), (name.start, end))

    # -- conditions --------------------------------------------------------------------------
    def condition(self) -> Condition:
        self.enter()
        depth = self.depth
        left = self.conjunction()
        while self.at("keyword", "or"):
            self.chain(self.advance())
            right = self.conjunction()
            left = BoolOp("or", left, right, (left.span[0], right.span[1]))
        self.depth = depth
        self.leave()
        return left

    def conjunction(self) -> Condition:
        depth = self.depth
        left = self.negation()
        while self.at("keyword", "and"):
            self.chain(self.advance())
            right = self.negation()
            left = BoolOp("and", left, right, (left.span[0], right.span[1]))
        self.depth = depth
        return left

    def negation(self) -> Condition:
        if self.at("keyword", "not"):
            start = self.advance().start
            self.enter()
            operand = self.negation()
            self.leave()
            return Not(operand, (start, operand.span[1]))
        return self.comparison()

    def comparison(self) -> Condition:
        if self.at("op", "("):
            self.advance()
            inner = self.condition()
            self.expect("op", ")", "')'")
            return inner
        left = self.operand()
        t = self.tok
        if t.kind == "op" and t.text in _COMPARISONS:
            self.advance()
            right = self.operand()
            return Compare(_COMPARISONS[t.text], left, right, (left.span[0], right.span[1]))
        after = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else self.tok
        if self.at("keyword", "in") or (
            self.at("keyword", "not") and after.kind == "keyword" and after.text == "in"
        ):
            negated = self.advance().text == "not"
            if negated:
                self.advance()
            self.expect("op", "(", "'(' after 'in'")
            items: list[Literal] = []
            while True:
                item = self.operand()
                if not isinstance(item, Literal):
                    raise self.error("a list after 'in' holds constants only")
                items.append(item)
                if self.at("op", ","):
                    self.advance()
                    continue
                break
            end = self.expect("op", ")", "',' or ')' in the list").end
            return InList(left, tuple(items), negated, (left.span[0], end))
        if self.at("keyword", "not"):
            raise self.error(f"expected 'in' after 'not' but found {after.describe()}", after)
        if self.at("keyword", "is"):
            self.advance()
            negated = False
            if self.at("keyword", "not"):
                self.advance()
                negated = True
            end = self.expect("keyword", "null", "'null' after 'is'").end
            return IsNull(left, negated, (left.span[0], end))
        if isinstance(left, Name):
            return left  # a boolean attribute on its own: leads[qualified]
        raise self.error(f"expected a comparison after {self.source[left.span[0] : left.span[1]]}")

    def operand(self) -> Operand:
        t = self.tok
        if t.kind == "name":
            self.advance()
            return Name(t.text, (t.start, t.end))
        if t.kind == "string":
            self.advance()
            return Literal(t.text, (t.start, t.end))
        if t.kind == "number":
            self.advance()
            return Literal(float(t.text), (t.start, t.end))
        if t.kind == "op" and t.text == "-" and self.tokens[self.pos + 1].kind == "number":
            self.advance()
            n = self.advance()
            return Literal(-float(n.text), (t.start, n.end))
        if t.kind == "keyword" and t.text in ("true", "false"):
            self.advance()
            return Literal(t.text == "true", (t.start, t.end))
        if t.kind == "keyword" and t.text == "null":
            self.advance()
            return Literal(None, (t.start, t.end))
        raise self.error(f"expected a name or a constant but found {t.describe()}")


def parse(source: str) -> Expr:
    """Parse a formula into its syntax tree, or raise :class:`FormulaError`."""
    if not isinstance(source, str):
        raise FormulaError(f"a formula must be text, not {type(source).__name__}")
    return _Parser(source).formula()


def parse_condition(source: str) -> Condition:
    """Parse a stand-alone condition (the part between ``[`` and ``]``)."""
    if not isinstance(source, str):
        raise FormulaError(f"a condition must be text, not {type(source).__name__}")
    parser = _Parser(source)
    if parser.at("end"):
        raise parser.error("the condition is empty")
    condition = parser.condition()
    if not parser.at("end"):
        raise parser.error(f"unexpected {parser.tok.describe()} after a complete condition")
    return condition
