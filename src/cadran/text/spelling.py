"""An offline spell check of post texts, for the « proofread » criterion of the quality index.

Cadran uses the word lists of the optional ``pyspellchecker`` package (French and English; no
network, no model). When the package is not installed, :func:`spell_checker` returns ``None``
and the criterion stays unknown instead of being guessed.

A dictionary does not know everything people rightly write in a post, so a word counts as an
error only when it is worth checking:

- links, e-mail addresses, @mentions and #hashtags are left out, and so are words holding a
  digit or an underscore (``10h30``, ``3ème``, ``x2``);
- words that start with a capital are left out: proper nouns and brand names are the words a
  dictionary misses most. Words that open a sentence are left out with them, which is the price
  of not flagging every name;
- words shorter than three letters are left out (``ok``, ``m2``, elided ``l'``);
- a French elision is checked without its elided article (``l'été`` → ``été``), and a word with
  hyphens or apostrophes that the dictionary does not know as a whole is accepted when each of
  its parts is known (``inscrivez-vous``);
- French posts borrow English words freely (``post``, ``live``, ``story``, ``look``), so a word
  of the English list is no error in a French post; British spellings (``colour``,
  ``organise``, ``centre``) are accepted in English posts, whose list is American;
- a few words of social media that neither list holds (``hashtag``, ``selfie``, ``webinar``…)
  are accepted, and a team adds its own (lower-case brand or product names) with
  ``extra_words``.

Lookups are cached per word, so that checking tens of thousands of posts costs little more than
reading them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache
from typing import Protocol, cast

__all__ = [
    "EMAIL",
    "LANGUAGES",
    "LINK",
    "SOCIAL_WORDS",
    "DictionarySpellCheck",
    "SpellCheck",
    "spell_checker",
]

LANGUAGES = ("en", "fr")  # the dictionaries of pyspellchecker that Cadran uses
SOCIAL_WORDS = frozenset((
    "bio", "hashtag", "hashtags", "selfie", "selfies", "influencer", "influencers", "influenceur",
    "influenceurs", "influenceuse", "influenceuses", "webinar", "webinars", "webinaire",
    "webinaires", "emoji", "emojis", "smartphone", "smartphones", "app", "apps", "appli",
    "applis", "vlog", "vlogs", "unboxing", "tuto", "tutos", "collab", "collabs", "lookbook",
    "inbox", "podcast", "podcasts", "newsletter", "newsletters", "replay", "replays",
    "livestream", "reels", "story", "stories", "storytelling", "repost", "reposts", "unfollow",
    "retweet", "retweets",
))  # fmt: skip
# Links: web addresses, and bare domains of common top-level domains (bit.ly/x, brand.fr),
# which platforms turn into links too. The post features count links with the same pattern.
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:com|fr|org|net|io|co|ly|gl|be|ch|ca|eu|de|uk|info|app|dev|me|tv|shop|store|link|in)"
    r"(?:/[^\s<>\"'«»]*)?(?![\w@])",
    re.IGNORECASE,
)
# E-mail addresses, matched from the start of a word only (cheap on long words).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SKIP = re.compile(
    rf"{EMAIL.pattern}"  # before links: an address's domain looks like one
    rf"|{LINK.pattern}"
    r"|(?<!\w)[@#]\w+",  # mentions and hashtags
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[\w'’-]+")
_ELISION = re.compile(r"^(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[cdjlmnst])'(?=\w)")
_PARTS = re.compile(r"['-]")
_MIN_LETTERS = 3
_MAX_CACHED = 500_000  # pieces and words remembered; the caches start over beyond
# British spellings an American list misses, and the American spelling to look up instead.
_BRITISH = (
    ("our", "or"),  # colour, favourite, behaviour
    ("is", "iz"),  # organise, recognised, organisation
    ("ys", "yz"),  # analyse
    ("ence", "ense"),  # defence, licence
    ("tre", "ter"),  # centre, theatre
    ("mme", "m"),  # programme
    ("que", "ck"),  # cheque
    ("ll", "l"),  # travelled, jewellery (with the next)
    ("ellery", "elry"),
    ("ium", "um"),  # aluminium
)


class SpellCheck(Protocol):
    """Anything that finds the misspelt words of a text in one language."""

    language: str

    def misspelt(self, text: str) -> list[str]:
        """The words of ``text`` that look misspelt, in order, repeats included."""
        ...


class DictionarySpellCheck:
    """A spell check against word lists: a word is right when one of the lists holds it."""

    def __init__(
        self,
        language: str,
        dictionaries: Sequence[Container[str]],
        extra_words: Iterable[str] = (),
    ) -> None:
        self.language = language
        self._dictionaries = tuple(dictionaries)
        self._extra = frozenset(w.casefold() for w in extra_words)
        self._known = dict.fromkeys(SOCIAL_WORDS | self._extra, True)  # word -> right
        self._pieces: dict[str, tuple[str, ...]] = {}  # piece as written -> its misspelt words

    def misspelt(self, text: str) -> list[str]:
        """The words of ``text`` worth checking that no list knows (see the module docstring)."""
        out: list[str] = []
        pieces = self._pieces
        # Links, tags and words never hold spaces: each whitespace-separated piece is checked
        # once, and posts reuse the same pieces ("découvrez", "#bonplan", "!").
        for raw in text.split():
            wrong = pieces.get(raw)
            if wrong is None:
                wrong = self._check_piece(raw)
                if len(pieces) >= _MAX_CACHED:
                    pieces.clear()
                pieces[raw] = wrong
            out.extend(wrong)
        return out

    def _check_piece(self, raw: str) -> tuple[str, ...]:
        text = unicodedata.normalize("NFC", raw)
        if not text.isalpha():  # skip the regular expressions for plain words
            text = _SKIP.sub(" ", text)
        out: list[str] = []
        for token in _TOKEN.findall(text):
            word = token.strip("'’-")
            if _worth_checking(word) and not self.known(word.replace("’", "'").casefold()):
                out.append(word)
        return tuple(out)

    def known(self, word: str) -> bool:
        """Whether ``word`` (lower case) is right, cached: posts repeat the same words."""
        cached = self._known.get(word)
        if cached is None:
            cached = self._look_up(word)
            if len(self._known) >= _MAX_CACHED:
                self._known = dict.fromkeys(SOCIAL_WORDS | self._extra, True)
            self._known[word] = cached
        return cached

    def _look_up(self, word: str) -> bool:
        if self._in_lists(word):
            return True
        if self.language == "fr":
            bare = _ELISION.sub("", word)
            if bare != word:
                return len(bare) < _MIN_LETTERS or self.known(bare)
        if self.language == "en" and any(
            self._in_lists(word.replace(uk, us)) for uk, us in _BRITISH if uk in word
        ):
            return True
        parts = [p for p in _PARTS.split(word) if p]
        if len(parts) > 1:
            return all(len(p) < _MIN_LETTERS or self.known(p) for p in parts)
        return False

    def _in_lists(self, word: str) -> bool:
        return any(word in d for d in self._dictionaries)


def _worth_checking(word: str) -> bool:
    if sum(c.isalpha() for c in word) < _MIN_LETTERS:
        return False
    if word[0].isupper():  # proper nouns, brands, acronyms, and words opening a sentence
        return False
    return not any(c.isdigit() or c == "_" for c in word)


def spell_checker(language: str | None, extra_words: Iterable[str] = ()) -> SpellCheck | None:
    """A spell check for ``language`` (``fr``, ``en``, ``fr-FR``…), or None.

    None when the language is unknown or not one of :data:`LANGUAGES`, or when the optional
    ``pyspellchecker`` package is not installed. Without ``extra_words`` the check is shared,
    with its cache, by every caller asking for the same language.
    """
    code = _language_code(language)
    if code is None:
        return None
    extra = tuple(extra_words)
    if not extra:
        return _shared(code)
    lists = _lists(code)
    return DictionarySpellCheck(code, lists, extra) if lists is not None else None


def _language_code(language: str | None) -> str | None:
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


@lru_cache(maxsize=len(LANGUAGES))
def _shared(code: str) -> DictionarySpellCheck | None:
    lists = _lists(code)
    return DictionarySpellCheck(code, lists) if lists is not None else None


def _lists(code: str) -> tuple[Container[str], ...] | None:
    own = _word_list(code)
    if own is None:
        return None
    if code == "fr":  # French posts borrow English words (see the module docstring)
        english = _word_list("en")
        return (own, english) if english is not None else (own,)
    return (own,)


@lru_cache(maxsize=len(LANGUAGES))
def _word_list(code: str) -> Container[str] | None:
    """pyspellchecker's word list for ``code`` (loading takes ~0.3 s, so once per process)."""
    try:
        from spellchecker import SpellChecker  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    # Membership in WordFrequency lowercases the word; the edit-distance search is never used.
    # (Its __contains__ also takes bytes, which mypy does not see as a Container[str].)
    return cast("Container[str]", SpellChecker(language=code, distance=1).word_frequency)
