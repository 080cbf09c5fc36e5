"""Splitting social-media text into the tokens sentiment and language detection work on.

One compiled pattern reads a text left to right and tells each token's kind, so that the
scorers never re-scan it. Kinds:

- ``url`` and ``user``: links and ``@handles`` become the placeholders ``<url>`` and ``<user>``
  (their text says nothing about sentiment, and datasets mask them the same way: DEFT writes a
  bare ``http``, VADER's tweets ``http://url_removed`` and ``@anonymous``);
- ``emoticon`` (``:-)``, ``<3``, ``:'(``, ``xD``) and ``emoji`` (one pictograph per token, skin
  tones and variation selectors dropped);
- ``elision``: French elided words (``l'``, ``n'``, ``qu'``…), kept apart so that ``n'`` can
  open a negation and ``l'été`` yields the word ``été``;
- ``word``: letters with inner apostrophes or hyphens (``aujourd'hui``, ``don't``,
  ``peut-être``); a hashtag's ``#`` is dropped (``#génial`` reads as ``génial``);
- ``number`` and ``punct`` (``!``, ``?``, and ``.;:,`` which end a negation's scope).

Each word token carries its text as written (for ALL-CAPS emphasis), lowered, and whether it
was elongated (``soooo``): letters repeated three times or more are cut to two, the way people
stretch words for emphasis.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Pictographs, dingbats, symbols and flags; the modifiers that follow them are skipped below.
_EMOJI = (
    "\U0001f1e6-\U0001f1ff\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f700-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u2190-\u21ff\u3030\u303d"
    "\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139"
)
_MODIFIERS = "\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff\u20e3"
_ELIDED = r"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])"

_PATTERN = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+|\bhttps?\b)"
    r"|(?P<user>(?<![\w@])@\w+)"
    r"|(?P<emoticon>(?<![\w:;=])(?:"
    r"[:;=8][\-o\*'^]?[\)\]\(\[dDpP/\\|\*3@$]+(?![\w])"
    r"|[\)\]\(\[/\\|]+[\-o\*'^]?[:;=8](?![\w])"
    r"|:'[\(\)]|D:(?!\w)|<3+|</3|\^\^|\^_\^|x[dD]+\b|X[dD]+\b|-_-|T_T|o_O|O_o))"
    r"|(?P<emoji>[" + _EMOJI + r"])[" + _MODIFIERS + r"]*"
    r"|(?P<elision>\b" + _ELIDED + r"['’](?=[^\W\d_]))"
    r"|(?P<word>#?[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"|(?P<number>\d+(?:[.,]\d+)*%?)"
    r"|(?P<punct>[!?¡¿]+|[.;:,…]+)",
    re.IGNORECASE,
)
_GROUPS = ("url", "user", "emoticon", "emoji", "elision", "word", "number", "punct")
_URL_GROUP, _USER_GROUP, _EMOTICON, _EMOJI_GROUP, _ELISION, _WORD, _NUMBER, _PUNCT = range(1, 9)
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")


class Token(NamedTuple):
    """One token: its kind, its normalised form and how it was written.

    A named tuple rather than a frozen dataclass: tokens are made by the million, and a tuple
    is built several times faster.
    """

    kind: str
    norm: str  # lower case, curly apostrophes straightened, stretched letters cut to two
    raw: str  # as written
    key: str  # ``norm`` without accents: what lexicons and models look up
    elongated: bool = False
    shouted: bool = False  # written in capitals (two letters or more), a sign of emphasis


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` without accents (``déçu`` → ``decu``), for people who type without them."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def collapse(word: str) -> str:
    """``word`` with every run of a repeated letter cut to one ("nuul" → "nul", "loove" → "love").

    Stretched words are first cut to two letters; when that form is unknown, one letter often is.
    """
    return "".join(c for i, c in enumerate(word) if c != word[i - 1 : i])


@lru_cache(maxsize=131072)
def _word(raw: str) -> Token:
    if raw[0] == "#":
        raw = raw[1:]
    norm = raw.lower().replace("’", "'")
    shouted = len(raw) > 1 and raw.isupper()
    if _ELONGATED.search(norm):
        norm = _ELONGATED.sub(r"\1\1", norm)
        return Token("word", norm, raw, fold(norm), True, shouted)
    return Token("word", norm, raw, fold(norm), False, shouted)


def _punct(raw: str) -> Token:
    if "!" in raw or "¡" in raw:
        return Token("punct", "!", raw, "!")
    if "?" in raw or "¿" in raw:
        return Token("punct", "?", raw, "?")
    return Token("punct", ".", raw, ".")


_URL = Token("url", "<url>", "", "<url>")
_USER = Token("user", "<user>", "", "<user>")


_MEMO_PIECES = 200_000  # distinct whitespace-separated pieces whose tokens are remembered
_pieces: dict[str, tuple[Token, ...]] = {}


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` in order (see the module docstring for the kinds).

    No token contains whitespace or starts on it, and every look-around of the pattern reads
    a whitespace character exactly as it reads the start or the end of the text. So a text's
    tokens are those of its whitespace-separated pieces, one after the other; pieces repeat a
    lot ("merci", "!", "@user"), and each is scanned once and remembered.
    """
    tokens: list[Token] = []
    extend = tokens.extend
    memo = _pieces
    for piece in text.split():
        found = memo.get(piece)
        if found is None:
            found = tuple(scan(piece))
            if len(memo) < _MEMO_PIECES:
                memo[piece] = found
        extend(found)
    return tokens


def scan(text: str) -> list[Token]:
    """The tokens of ``text``, read by the pattern in one pass (what :func:`tokenize` returns)."""
    tokens: list[Token] = []
    append = tokens.append
    word = _word
    for match in _PATTERN.finditer(text):
        group = match.lastindex
        if group == _WORD:
            append(word(match.group()))
        elif group == _PUNCT:
            append(_punct(match.group()))
        elif group == _URL_GROUP:
            append(_URL)
        elif group == _USER_GROUP:
            append(_USER)
        elif group == _ELISION:
            norm = match.group().lower().replace("’", "'")
            append(Token("elision", norm, norm, norm))
        elif group == _EMOTICON:
            raw = match.group()
            norm = raw if raw.isupper() else raw.lower()
            append(Token("emoticon", norm, raw, norm))
        else:
            raw = match.group(group or 0)
            kind = _GROUPS[group - 1] if group else "punct"
            append(Token(kind, raw, raw, raw))
    return tokens
