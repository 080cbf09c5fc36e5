"""Complaint and question cues: which messages complain, and which ask something.

Community-care KPIs count the complaints and the questions among comments and messages. The
cue phrases are data (``definitions/text/cues.yaml``), one table per language, validated when
loaded with every problem reported at once.

Texts and phrases are compared in a folded form: lower case, no accents (``decu`` is
``déçu``), ``’`` read as ``'``, hyphens as spaces and letters repeated for emphasis read once
(``nuuul`` is ``nul``; doubled letters fold too, on both sides, so ``arrived`` still matches).
Phrases match whole words, and links are left out of the text first. Each language's phrases
make one regular expression, built as a tree of their common prefixes and cached.

- :func:`complaint_cues` gives the cue phrases found in a text, as written in the file;
- :func:`is_question`: a ``?`` outside links, or a sentence that starts with an opener (after
  any greeting or ``@handle``) and does not end with ``.`` or ``!``;
- :func:`is_complaint`: a negative text with at least one cue.

``language`` is an ISO 639-1 code (``fr``, ``en-GB`` reads as ``en``). ``None`` (not detected)
uses every language's phrases; a language without phrases finds no cues, and its questions
are only those with a question mark.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from cadran.core.issues import IssueSet
from cadran.core.located import LocatedList, LocatedMap, line_of, load_yaml
from cadran.core.spec import suggest

__all__ = [
    "CUES_FILE",
    "LanguageCues",
    "builtin_cues",
    "complaint_cues",
    "fold",
    "is_complaint",
    "is_question",
    "load_cues",
]

CUES_FILE = "cadran/definitions/text/cues.yaml"
_KINDS = ("complaint", "question", "greeting")
_REQUIRED = ("complaint", "question")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_PHRASE = re.compile(r"^[^\W_]+(?:[\s'’\-]+[^\W_]+)*['’]?$")


@dataclass(frozen=True)
class LanguageCues:
    """The cue phrases of one language, as written in the file."""

    complaint: tuple[str, ...]
    question: tuple[str, ...]
    greeting: tuple[str, ...] = ()


# -- folding ------------------------------------------------------------------------------------
_APOSTROPHES = "’‘ʼ´′‛"  # and the ASCII backquote
_HYPHENS = re.compile(r"[\-‐‑‒–—_]+")
_REPEATS = re.compile(r"([a-z])\1+")
_SEPARATORS = re.compile(r"[\s']+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Links with a scheme or www., and bare ones with a path (bit.ly/x); possessive, so linear.
_URL = re.compile(r"(?:https?://|www\.|(?<![\w.\-])(?:[\w\-]++\.)++[a-z]{2,}+/)\S*+", re.IGNORECASE)
_TRAILING = ".,;:!?…)]}»\"'’"


def _unlinked(text: str) -> str:
    """``text`` with its links blanked out, but not the punctuation right after them: in
    « vous avez vu https://x.fr/a? » the question mark is the writer's.
    """
    if "/" not in text and "www." not in text.lower():
        return text
    return _URL.sub(lambda m: " " + m.group()[len(m.group().rstrip(_TRAILING)) :], text)


def fold(text: str) -> str:
    """``text`` as cues are compared: lower case, unaccented, ``'`` for ``’``, hyphens as
    spaces, repeated letters once (``Déçuuu, re-re-rembourseeez`` → ``decu, re re remboursez``).
    """
    text = text.casefold().replace("`", "'")
    if not text.isascii():
        for apostrophe in _APOSTROPHES:
            text = text.replace(apostrophe, "'")
        text = text.replace("œ", "oe").replace("æ", "ae")
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _REPEATS.sub(_first_group, _HYPHENS.sub(" ", text))


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)  # faster than the template r"\1"


@lru_cache(maxsize=16)  # is_question and complaint_cues usually read the same text in turn
def _prepared(text: str) -> str:
    """``text`` folded, without its links."""
    return fold(_unlinked(text))


def _key(phrase: str) -> str:
    """The folded phrase without separators: two phrases with one key are the same cue."""
    return _SEPARATORS.sub("", fold(phrase))


# -- loading ------------------------------------------------------------------------------------
def load_cues(text: str, file: str) -> tuple[dict[str, LanguageCues], IssueSet]:
    """The cues written in ``text`` (the YAML of a cues file), and every problem found in it.

    Each language (a two-letter code) has a ``complaint`` and a ``question`` list, and may have
    a ``greeting`` list; each item is a phrase of words separated by spaces, hyphens or
    apostrophes. A phrase listed twice (after folding) is a warning.
    """
    issues = IssueSet()
    doc = load_yaml(text, file, issues)
    out: dict[str, LanguageCues] = {}
    if doc is None and not issues:
        issues.error("the file is empty: expected a table of languages (fr, en...)", file=file)
    if not isinstance(doc, LocatedMap):
        if doc is not None:
            issues.error("expected a table of languages (fr, en...)", file=file, line=line_of(doc))
        return out, issues
    for language, table in doc.items():
        line = doc.line_of(language)
        if not _LANGUAGE.match(language):
            issues.error(
                f"{language!r} is not a language: expected an ISO 639-1 code such as 'fr'",
                file=file,
                line=line,
            )
            continue
        cues = _read_language(table, language, line, file, issues)
        if cues is not None:
            out[language] = cues
    return out, issues


def _read_language(
    table: Any, language: str, line: int, file: str, issues: IssueSet
) -> LanguageCues | None:
    if not isinstance(table, LocatedMap):
        issues.error(
            f"expected a table with the lists {', '.join(_KINDS)}",
            file=file,
            line=line,
            field=language,
        )
        return None
    for kind in table:
        if kind not in _KINDS:
            issues.error(
                f"unknown list {kind!r}: expected {', '.join(_KINDS)}",
                file=file,
                line=table.line_of(kind),
                field=f"{language}.{kind}",
                hint=suggest(kind, _KINDS),
            )
    for kind in _REQUIRED:
        if kind not in table:
            issues.error(f"missing the {kind!r} list", file=file, line=line, field=language)
    lists = {
        kind: _read_phrases(table[kind], f"{language}.{kind}", table.line_of(kind), file, issues)
        for kind in _KINDS
        if kind in table
    }
    if any(v is None for v in lists.values()) or not all(k in lists for k in _REQUIRED):
        return None
    return LanguageCues(*(lists.get(kind) or () for kind in _KINDS))


def _read_phrases(
    value: Any, where: str, line: int, file: str, issues: IssueSet
) -> tuple[str, ...] | None:
    if not isinstance(value, LocatedList):
        issues.error("expected a list of phrases", file=file, line=line, field=where)
        return None
    phrases: list[str] = []
    seen: dict[str, int] = {}
    ok = True
    for item, item_line in zip(value, value.item_lines, strict=True):
        phrase = unicodedata.normalize("NFC", item.strip()) if isinstance(item, str) else None
        if phrase is None or not _PHRASE.match(phrase):
            issues.error(
                f"{item!r} is not a phrase: expected words separated by spaces, hyphens or "
                "apostrophes, such as « toujours pas » or « doesn't work »",
                file=file,
                line=item_line,
                field=where,
            )
            ok = False
            continue
        key = _key(phrase)
        if key in seen:
            issues.warning(
                f"{phrase!r} is already listed (line {seen[key]}: phrases match without regard "
                "to case, accents, hyphens and repeated letters)",
                file=file,
                line=item_line,
                field=where,
            )
            continue
        seen[key] = item_line
        phrases.append(phrase)
    return tuple(phrases) if ok else None


@cache
def builtin_cues() -> Mapping[str, LanguageCues]:
    """The cues shipped with Cadran; a :class:`DefinitionError` if the file has errors."""
    ref = resources.files("cadran").joinpath("definitions", "text", "cues.yaml")
    cues, issues = load_cues(ref.read_text(encoding="utf-8"), CUES_FILE)
    issues.raise_if_errors()
    return cues


# -- matching -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Matcher:
    complaint: re.Pattern[str] | None
    complaint_names: Mapping[str, str]  # key -> the phrase as written
    opener: re.Pattern[str] | None
    lead: re.Pattern[str]


@lru_cache(maxsize=256)
def _language(language: str | None) -> str | None:
    """``en-GB`` → ``en``; a language without cues → ``""`` (no phrases); None stays None."""
    if language is None:
        return None
    code = re.split(r"[-_]", language.strip().lower())[0]
    return code if code in builtin_cues() else ""


@cache
def _matcher(language: str | None) -> _Matcher:
    chosen = [c for k, c in builtin_cues().items() if language in (None, k)]
    complaints = [p for c in chosen for p in c.complaint]
    openers = [p for c in chosen for p in c.question]
    greetings = _alternation(p for c in chosen for p in c.greeting)
    names: dict[str, str] = {}
    for phrase in complaints:
        names.setdefault(_key(phrase), phrase)
    # What may come before an opener: @handles, #tags, greetings, punctuation and emoji.
    greeting = greetings + r"(?!\w)|" if greetings else ""
    lead = r"(?:[@#][\w.]+|" + greeting + r"[^\w@#]+|[@#_])*"
    return _Matcher(
        re.compile(r"(?<!\w)(?=(" + _alternation(complaints) + r")(?!\w))") if complaints else None,
        names,
        re.compile(_alternation(openers) + r"(?!\w)") if openers else None,
        re.compile(lead),
    )


def _alternation(phrases: Iterable[str]) -> str:
    """One pattern matching any of ``phrases`` (folded, separators free), longest first.

    Phrases share their common prefixes (a tree), so that a text is read once, not once per
    phrase; ``(?!\\w)`` after it makes the engine fall back to a shorter phrase when a longer
    one ends inside a word.
    """
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for char in " ".join(_SEPARATORS.split(fold(phrase).strip(" '"))):
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(tree) if tree else ""


def _pattern(node: dict[str, Any]) -> str:
    branches = [
        (r"[\s']*" if char == " " else re.escape(char)) + _pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
    return body


def complaint_cues(text: str, language: str | None) -> tuple[str, ...]:
    """The complaint cue phrases found in ``text``, in order, each once, as the file writes them.

    A cue found inside a longer one (``fonctionne pas`` in ``ne fonctionne pas``) is left out.
    """
    matcher = _matcher(_language(language))
    if matcher.complaint is None or not text:
        return ()
    names: list[str] = []
    reach = -1  # the end of the furthest match so far: matches come in order of their start
    for m in matcher.complaint.finditer(_prepared(text)):
        found = m.group(1)
        if m.start() + len(found) > reach:
            reach = m.start() + len(found)
            names.append(matcher.complaint_names[_SEPARATORS.sub("", found)])
    return tuple(dict.fromkeys(names))


_SENTENCE = re.compile(r"([^.!?…\n]*)([.!?…\n]*)")


def is_question(text: str, language: str | None) -> bool:
    """Whether ``text`` asks something: a ``?`` outside links, or a sentence that starts with
    a question opener (``pourquoi``, ``how``…) and does not end with ``.`` or ``!``.
    """
    if not text:
        return False
    prepared = _prepared(text)
    if "?" in prepared:
        return True
    matcher = _matcher(_language(language))
    if matcher.opener is None:
        return False
    for m in _SENTENCE.finditer(prepared):
        body, end = m.group(1), m.group(2).replace("\n", "")
        if not body.strip() or "!" in end or end == ".":
            continue
        lead = matcher.lead.match(body)
        if matcher.opener.match(body, lead.end() if lead else 0):
            return True
    return False


def is_complaint(text: str, language: str | None, label: str | None) -> bool:
    """Whether ``text`` complains: its sentiment ``label`` is negative and it has a cue."""
    return label == "negative" and bool(complaint_cues(text, language))
