"""Opinion words and the words that modify them, per language, loaded once.

- English valences come from the VADER lexicon (Hutto & Gilbert, 2014: 7,500 words, emoticons
  and slang rated by ten people each on −4…+4), read from the ``vaderSentiment`` package it is
  distributed with.
- French valences come from ``definitions/text/lexicon_fr.tsv``, written for Cadran on the same
  scale.
- Emoji valences are language-free: ``definitions/text/emoji.tsv`` rates the common ones;
  any other gets its CLDR short name ("smiling face with
  heart-eyes", distributed with ``vaderSentiment``) scored with the English lexicon.
- Negators, boosters, contrasts and idioms come from ``definitions/text/rules.yaml``.

Lookups happen on lower-cased words without accents; French also tries the word without a
plural ``-s``/``-x`` and a feminine ``-e`` (``déçues`` → ``decue`` → ``decu``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources

import yaml

from cadran.text.tokens import fold

_MEMO_WORDS = 500_000  # distinct words whose valence is remembered
BOOST = 0.293  # VADER: how much an intensifier adds to (or takes from) an opinion word's valence


class LexiconError(ValueError):
    """A lexicon or rules file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Lexicon:
    """Everything the valence rules need for one language."""

    language: str
    valences: Mapping[str, float]
    negators: frozenset[str]
    negate_after: frozenset[str]
    boosters: Mapping[str, float]
    contrasts: frozenset[str]
    idioms: Mapping[tuple[str, ...], float]
    stem_plurals: bool

    @cached_property
    def idiom_starts(self) -> frozenset[str]:
        """First words of the idioms (most words start none, and are skipped at once)."""
        return frozenset(idiom[0] for idiom in self.idioms)

    @cached_property
    def idiom_seconds(self) -> Mapping[str, frozenset[str]]:
        """Per first word of an idiom of two words or more, the words that can follow it.

        An idiom can start at a word only if the next word is one of these: that rules out
        most places at once, without building the word tuples an idiom is looked up by.
        """
        seconds: dict[str, set[str]] = {}
        for idiom in self.idioms:
            if len(idiom) > 1:
                seconds.setdefault(idiom[0], set()).add(idiom[1])
        return {first: frozenset(words) for first, words in seconds.items()}

    @cached_property
    def _memo(self) -> dict[str, float | None]:
        return {}

    def valences_of(self, words: Iterable[str]) -> list[float | None]:
        """:meth:`valence` of each of ``words``, in one call."""
        memo, find = self._memo, self.valence
        return [memo[word] if word in memo else find(word) for word in words]

    def valence(self, word: str) -> float | None:
        """The valence of ``word`` (lower case, accents removed), or None if it has none."""
        memo = self._memo
        if word in memo:
            return memo[word]
        value = self._find(word)
        if len(memo) < _MEMO_WORDS:
            memo[word] = value
        return value

    def _find(self, word: str) -> float | None:
        value = self.valences.get(word)
        if value is not None or not self.stem_plurals:
            return value
        # French inflection: plural then feminine endings (the lexicon lists base forms).
        if word[-1:] in ("s", "x") and len(word) > 3:
            word = word[:-1]
            value = self.valences.get(word)
            if value is not None:
                return value
        if word.endswith("e") and len(word) > 3:
            return self.valences.get(word[:-1])
        return None


def _vader_file(name: str) -> str:
    try:
        return resources.files("vaderSentiment").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover - install issue
        raise LexiconError(
            f"the English lexicon {name} was not found: install the vaderSentiment package"
        ) from exc


def _read_tsv(text: str, file: str) -> dict[str, float]:
    valences: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            valence = float(parts[1])
        except (IndexError, ValueError):
            raise LexiconError(
                f"{file} line {number}: expected 'word<TAB>valence', got {line!r}"
            ) from None
        if not -4 <= valence <= 4:
            raise LexiconError(f"{file} line {number}: valence {valence} is outside −4…4")
        valences[fold(parts[0].lower())] = valence
    return valences


@lru_cache(maxsize=1)
def emoji_valences() -> dict[str, float]:
    """Valence of each emoji: the sum of its name's words in the English lexicon (if any)."""
    english = _english_valences()
    valences: dict[str, float] = {}
    for line in _vader_file("emoji_utf8_lexicon.txt").splitlines():
        emoji, _, name = line.partition("\t")
        total = sum(english.get(word, 0.0) for word in name.lower().replace("-", " ").split())
        if emoji and total:
            valences[emoji] = max(-4.0, min(4.0, total))
    source = resources.files("cadran.definitions").joinpath("text/emoji.tsv")
    # Hand-rated valences of the common emoji replace the derived ones (see the file).
    for emoji, value in _read_tsv(source.read_text(encoding="utf-8"), "emoji.tsv").items():
        valences[emoji.removesuffix("\ufe0f")] = value
    return valences


@lru_cache(maxsize=1)
def _english_valences() -> dict[str, float]:
    valences: dict[str, float] = {}
    for line in _vader_file("vader_lexicon.txt").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            valences[parts[0]] = float(parts[1])
    return valences


def _words(value: object) -> frozenset[str]:
    return frozenset(str(value or "").split())


@cache
def lexicon(language: str) -> Lexicon:
    """The lexicon and rules of ``language`` ("fr" or "en")."""
    definitions = resources.files("cadran.definitions").joinpath("text")
    rules_all = yaml.safe_load(definitions.joinpath("rules.yaml").read_text(encoding="utf-8"))
    if language not in rules_all:
        raise LexiconError(f"no sentiment rules for language {language!r}")
    rules = rules_all[language]
    if language == "en":
        valences = dict(_english_valences())
    else:
        name = f"lexicon_{language}.tsv"
        valences = _read_tsv(definitions.joinpath(name).read_text(encoding="utf-8"), name)
    valences.update(emoji_valences())
    boosters = dict.fromkeys(_words(rules["boosters"]["up"]), BOOST)
    boosters.update(dict.fromkeys(_words(rules["boosters"]["down"]), -BOOST))
    idioms = {tuple(fold(k).split()): float(v) for k, v in (rules.get("idioms") or {}).items()}
    return Lexicon(
        language=language,
        valences=valences,
        negators=_words(rules["negators"]),
        negate_after=_words(rules.get("negate_after")),
        boosters=boosters,
        contrasts=_words(rules["contrasts"]),
        idioms=idioms,
        stem_plurals=language == "fr",
    )
