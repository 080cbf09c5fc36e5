"""The features of one post that the content quality rubric scores (see :mod:`cadran.core.quality`).

:func:`post_features` reads a post's text, format, language, readability score and spelling and
returns the mapping of :data:`cadran.core.quality.FEATURES`. What the data cannot tell is
``None``, never a guess: without a text (an export that leaves captions out) every text feature
is ``None``, while an empty caption gives zeros; a format Cadran does not recognise leaves
``media`` unknown; without a spell check for the post's language ``spelling_errors`` is unknown.

How the text is read:

- links are web addresses (``https://…``, ``www.…``) and bare domains of common top-level
  domains (``bit.ly/x``, ``brand.fr``); e-mail addresses are not links;
- hashtags hold at least one letter (``#1`` is not one); mentions are ``@handle`` not preceded
  by a letter (so ``name@example.com`` is not one);
- emoji are counted as people see them: a flag, a keycap or a family joined with zero-width
  joiners counts once, skin tones and variation selectors add nothing;
- words, the longest paragraph, the capitals ratio and the question mark are read from the text
  without its links, hashtags and mentions (a ``#BlackFriday`` is not shouting, a ``?`` inside a
  link asks nothing). A word is a whitespace-separated piece holding a letter or a digit
  (``l'été`` is one word, a lone ``—`` or emoji none); ``characters`` counts the whole text as
  written (Unicode code points);
- lines are the non-blank lines; paragraphs are blocks separated by blank lines;
- a call to action is a phrase of ``definitions/text/calls_to_action.yaml`` found as whole words,
  without regard to case or accents, in any of its languages.

Each distinct whitespace-separated piece of text is analysed once and remembered (links, tags and
words repeat across posts), which keeps tens of thousands of posts to a few seconds.

Formats are compared in lower case with spaces and hyphens as underscores, so Facebook's
``Photo`` and ``SharedVideo`` and the demo's ``carousel`` are all recognised.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from cadran.core.issues import IssueSet
from cadran.core.located import load_yaml
from cadran.core.quality import Rubric, load_rubric, readability_band
from cadran.core.spec import FieldReader, kind_of
from cadran.text.spelling import EMAIL as _EMAIL
from cadran.text.spelling import LINK as _URL
from cadran.text.spelling import SpellCheck

__all__ = [
    "MEDIA_FORMATS",
    "PLAIN_FORMATS",
    "CallsToAction",
    "default_calls_to_action",
    "default_rubric",
    "load_calls_to_action",
    "media_of",
    "normalise_format",
    "post_features",
]

# Formats that carry an image or a video. Demo and platform names alike: the demo's formats,
# Facebook's export types (Photo, Video, SharedVideo, Album), X's media kinds. LinkedIn's
# documents are slide carousels and its articles carry a cover image, as the demo assumes.
MEDIA_FORMATS = frozenset((
    "image", "photo", "picture", "video", "shared_video", "sharedvideo", "carousel", "album",
    "reel", "story", "short", "live", "gif", "animated_gif", "document", "article",
))  # fmt: skip
# Formats known to carry no illustration of the team's own (a link preview is the linked
# site's picture).
PLAIN_FORMATS = frozenset(("text", "status", "link", "poll", "note", "question"))

_HASHTAG = re.compile(r"(?<![\w#&])#\w*[^\W\d_]\w*")
_MENTION = re.compile(r"(?<![\w@])@\w+(?:\.\w+)*")
_PICTO = (
    "\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff\U0001f700-\U0001faff"
    "\u2600-\u27bf\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u2934\u2935\u2194-\u2199\u21a9\u21aa"
    "\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u3030\u303d\u3297\u3299\u203c\u2049"
    "\U0001f004\U0001f0cf\U0001f170-\U0001f251"
)
_MODS = "\ufe0e\ufe0f\U0001f3fb-\U0001f3ff"
_ONE = f"[{_PICTO}][{_MODS}]*"
_EMOJI = re.compile(
    r"[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    r"|[0-9#*]\ufe0f?\u20e3"  # a keycap
    rf"|{_ONE}(?:\u200d{_ONE})*"  # a pictograph, or several joined (families, professions)
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class CallsToAction:
    """Call-to-action phrases per language, matched as whole words without case or accents."""

    phrases: Mapping[str, tuple[str, ...]]
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One pattern for every phrase of every language, longest first, built once. Accents
        # go into the pattern (e → [eéèêë]) so that texts need no folding, only casefold().
        folded = sorted({_fold(p) for ps in self.phrases.values() for p in ps}, key=len)
        body = "|".join(_phrase(p) for p in reversed(folded))
        object.__setattr__(self, "pattern", re.compile(rf"(?<!\w)(?:{body})(?!\w)"))

    def found(self, text: str) -> bool:
        """Whether ``text`` holds one of the phrases."""
        return self.pattern.search(unicodedata.normalize("NFC", text).casefold()) is not None


_VARIANTS = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü",
             "y": "yÿ", "'": "'’"}  # fmt: skip


def _phrase(folded: str) -> str:
    """A pattern matching ``folded`` with or without accents and with any spacing."""
    words = (
        "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in word)
        for word in folded.split()
    )
    return r"\s+".join(words)


def _fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: how people type when they hurry."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_calls_to_action(text: str, file: str) -> tuple[CallsToAction | None, IssueSet]:
    """Parse and validate a calls-to-action file (``{language: [phrase, ...]}``)."""
    issues = IssueSet()
    reader = FieldReader(file, issues)
    doc = load_yaml(text, file, issues)
    root = reader.mapping(doc, "a calls-to-action file", 1) if not issues else None
    if root is None:
        return None, issues
    phrases: dict[str, tuple[str, ...]] = {}
    for language, items in root.items():
        line = root.line_of(language)
        if not re.fullmatch(r"[a-z]{2}", language):
            reader.error(f"{language!r} is not an ISO 639-1 language code (fr, en…)", line)
        seq = reader.sequence(items, f"the phrases of {language!r}", line)
        if seq is None:
            continue
        seen: dict[str, int] = {}
        for item, item_line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, str) or sum(c.isalpha() for c in item) < 3:
                reader.error(
                    f"a phrase must be a text of 3 letters or more, not {kind_of(item)}", item_line
                )
                continue
            key = _fold(item.strip())
            if key in seen:
                reader.warning(f"{item!r} repeats line {seen[key]}", item_line)
            seen.setdefault(key, item_line)
        phrases[language] = tuple(i.strip() for i in seq if isinstance(i, str))
    if not phrases and not issues.errors:
        reader.error("the file lists no phrases", root.line)
    if issues.errors:
        return None, issues
    return CallsToAction(phrases), issues


def _package_text(path: str) -> tuple[str, str]:
    source = resources.files("cadran.definitions").joinpath(path)
    return source.read_text(encoding="utf-8"), f"cadran/definitions/{path}"


@lru_cache(maxsize=1)
def default_calls_to_action() -> CallsToAction:
    """The phrases shipped with Cadran (DefinitionError if the file is broken)."""
    calls, issues = load_calls_to_action(*_package_text("text/calls_to_action.yaml"))
    issues.raise_if_errors()
    assert calls is not None
    return calls


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The quality rubric shipped with Cadran, ``definitions/quality.yaml``."""
    rubric, issues = load_rubric(*_package_text("quality.yaml"))
    issues.raise_if_errors()
    assert rubric is not None
    return rubric


def normalise_format(format: str | None) -> str | None:
    """``format`` in lower case with spaces and hyphens as underscores (None when blank)."""
    if format is None or not format.strip():
        return None
    return re.sub(r"[\s\-]+", "_", format.strip().casefold())


def media_of(format: str | None) -> bool | None:
    """Whether a (normalised) format carries an image or video; None when it is not known."""
    if format in MEDIA_FORMATS:
        return True
    if format in PLAIN_FORMATS:
        return False
    return None


def post_features(
    text: str | None,
    format: str | None,
    language: str | None,
    readability: float | None,
    spelling: SpellCheck | None,
    *,
    calls: CallsToAction | None = None,
) -> dict[str, object]:
    """The features of one post, keyed as in :data:`cadran.core.quality.FEATURES`.

    ``language`` is an ISO 639-1 code (``fr-FR`` is read as ``fr``). ``spelling`` should be the
    check of the post's language; one of another language gives ``spelling_errors`` None rather
    than counting every word as an error. ``calls`` defaults to the shipped phrases.
    """
    fmt = normalise_format(format)
    lang = language.strip().lower().replace("_", "-").split("-")[0] if language else None
    lang = lang or None
    if readability is not None and math.isnan(readability):
        readability = None
    features: dict[str, object] = {
        "format": fmt,
        "language": lang,
        "media": media_of(fmt),
        "readability": readability,
        "readability_band": readability_band(readability),
    }
    features.update(_text_features(text, calls or default_calls_to_action()))
    errors: int | None = None
    if text is not None and spelling is not None and (lang is None or spelling.language == lang):
        errors = len(spelling.misspelt(text))
    features["spelling_errors"] = errors
    return features


_TEXT_FEATURES = ("links", "hashtags", "mentions", "emoji", "words", "characters", "lines",
                  "paragraphs", "longest_paragraph", "caps_ratio", "question",
                  "call_to_action")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Piece:
    """What one whitespace-separated piece of text holds (pieces repeat across posts)."""

    links: int
    hashtags: int
    mentions: int
    emoji: int
    word: bool  # holds a letter or digit once links, hashtags and mentions are out
    letters: int
    capitals: int
    prose: str  # the piece without its links, e-mail addresses, hashtags and mentions


_PIECES: dict[str, _Piece] = {}
_MAX_PIECES = 500_000  # about 100 MB at most; the cache starts over beyond


def _piece(raw: str) -> _Piece:
    piece = _PIECES.get(raw)
    if piece is not None:
        return piece
    rest, links, hashtags, mentions = raw, 0, 0, 0
    if "." in raw or "/" in raw:
        links = len(_URL.findall(rest))
        rest = _URL.sub(" ", rest) if links else rest
    if "@" in rest:
        rest = _EMAIL.sub(" ", rest)
        mentions = len(_MENTION.findall(rest))
        rest = _MENTION.sub(" ", rest)
    if "#" in rest:
        hashtags = len(_HASHTAG.findall(rest))
        rest = _HASHTAG.sub(" ", rest)
    piece = _Piece(
        links=links,
        hashtags=hashtags,
        mentions=mentions,
        emoji=0 if raw.isascii() else len(_EMOJI.findall(raw)),
        word=any(c.isalnum() for c in rest),
        letters=sum(map(str.isalpha, rest)),
        capitals=sum(map(str.isupper, rest)),
        prose=rest,
    )
    if len(_PIECES) >= _MAX_PIECES:
        _PIECES.clear()
    _PIECES[raw] = piece
    return piece


def _text_features(text: str | None, calls: CallsToAction) -> dict[str, object]:
    if text is None:
        return dict.fromkeys(_TEXT_FEATURES)
    text = unicodedata.normalize("NFC", text)
    # Links, hashtags and mentions never hold spaces, so each whitespace-separated piece is
    # read on its own, once per distinct piece: posts reuse the same words, tags and links.
    links = hashtags = mentions = emoji = letters = capitals = 0
    words: list[int] = []
    prose: list[str] = []
    # Paragraphs are cut in the text as written: a block of hashtags is a paragraph too.
    for paragraph in _BLANK_LINE.split(text):
        raws = paragraph.split()
        if not raws:
            continue
        count = 0
        for raw in raws:
            piece = _piece(raw)
            links += piece.links
            hashtags += piece.hashtags
            mentions += piece.mentions
            emoji += piece.emoji
            letters += piece.letters
            capitals += piece.capitals
            count += piece.word
            prose.append(piece.prose)
        words.append(count)
        prose.append("\n")
    plain = " ".join(prose)
    return {
        "links": links,
        "hashtags": hashtags,
        "mentions": mentions,
        "emoji": emoji,
        "words": sum(words),
        "characters": len(text.strip()),
        "lines": sum(1 for line in text.splitlines() if line.strip()),
        "paragraphs": len(words),
        "longest_paragraph": max(words, default=0),
        "caps_ratio": capitals / letters if letters else None,
        "question": "?" in plain or "？" in plain,
        "call_to_action": calls.found(plain),
    }
