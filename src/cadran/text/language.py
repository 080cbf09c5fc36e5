"""Which language a short social-media text is written in.

Comments are short ("Magnifique 😍", "still waiting for my refund"), so statistical detectors
trained on long documents hesitate, and the good ones are slow or heavy for hundreds of
thousands of comments. Cadran reads the evidence people leave even in a few words:

1. the script: a text mostly in Arabic, Cyrillic, Greek, Hebrew, Devanagari, Thai, Hangul,
   kana or Han letters gets that script's language (kana → Japanese, Han alone → Chinese);
2. for Latin script, the frequent function words and everyday words of each language listed in
   ``definitions/text/languages.yaml`` (a word shared by several languages counts for each a
   share), plus letters that only some languages use (ç, ñ, ß, ã…);
3. optionally, the vocabulary of the sentiment lexicons (a French or English opinion word is
   evidence for its language), given by the caller.

A language wins when it has at least one point and leads the next by half a point, or when it
is the only one with any evidence (half a point: one opinion word); otherwise
the text is undetermined (``None``), and callers may fall back to the workspace's default
language. Texts with no letters at all (emoji only) are undetermined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from cadran.text.tokens import Token, fold, tokenize

SCORED = ("fr", "en")  # the languages Cadran has sentiment rules and models for

# Unicode blocks of scripts that identify a language (or a family Cadran cannot split).
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x04FF, "ru"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x3040, 0x30FF, "ja"),
    (0x4E00, 0x9FFF, "zh"),
    (0xAC00, 0xD7AF, "ko"),
)
_WIN, _MARGIN = 1.0, 0.5
_WORDS = frozenset({"word", "elision"})
_MEMO_KEYS = 200_000  # distinct token keys whose evidence is remembered


@dataclass(frozen=True)
class LanguageProfiles:
    """Per language: the words (accents removed) and the letters that point to it."""

    words: Mapping[str, tuple[str, ...]]  # word -> languages using it
    letters: Mapping[str, str]  # letter -> language

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, str]]) -> LanguageProfiles:
        """Profiles from the parsed YAML (``{lang: {words: "...", letters: "..."}}``)."""
        words: dict[str, list[str]] = {}
        letters: dict[str, str] = {}
        for language, profile in data.items():
            for word in set(str(profile.get("words", "")).split()):
                words.setdefault(word, []).append(language)
            for letter in str(profile.get("letters", "")):
                letters[letter] = language
        return cls({w: tuple(langs) for w, langs in words.items()}, letters)


@lru_cache(maxsize=1)
def default_profiles() -> LanguageProfiles:
    """The profiles shipped with Cadran."""
    source = resources.files("cadran.definitions").joinpath("text/languages.yaml")
    return LanguageProfiles.from_mapping(yaml.safe_load(source.read_text(encoding="utf-8")))


_NON_LATIN = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high, _ in _SCRIPTS) + "]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _script(text: str) -> str | None:
    """The language of a text mostly written in a non-Latin script, else None."""
    if text.isascii():
        return None
    found = _NON_LATIN.findall(text)
    if not found:
        return None
    counts: dict[str, int] = {}
    for char in found:
        code = ord(char)
        for low, high, language in _SCRIPTS:
            if low <= code <= high:
                counts[language] = counts.get(language, 0) + 1
                break
    # Japanese mixes kana with Han characters: any kana makes it Japanese.
    if counts.get("ja"):
        counts["ja"] += counts.pop("zh", 0)
    language, count = max(counts.items(), key=lambda item: item[1])
    return language if count > len(_LATIN_LETTER.findall(text)) else None


class LanguageDetector:
    """Detects the language of texts; cheap to call, build once and reuse."""

    def __init__(
        self,
        profiles: LanguageProfiles | None = None,
        vocabularies: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self._profiles = profiles or default_profiles()
        # Opinion words of a language's lexicon count as half a point: many are shared
        # (super, top, parfait/perfect are close), so they tip a balance more than decide it.
        extra: dict[str, list[str]] = {}
        for language, words in (vocabularies or {}).items():
            for word in words:
                extra.setdefault(fold(word), []).append(language)
        # One table of evidence per word: (language, points) pairs from both sources.
        evidence: dict[str, dict[str, float]] = {}
        for table, weight in ((self._profiles.words, 1.0), (extra, 0.5)):
            for word, languages in table.items():
                points = evidence.setdefault(word, {})
                for language in languages:
                    points[language] = points.get(language, 0.0) + weight / len(languages)
        self._evidence = {w: tuple(points.items()) for w, points in evidence.items()}
        self._by_key: dict[str, tuple[tuple[str, float], ...]] = {}
        self._letters = re.compile("[" + re.escape("".join(self._profiles.letters)) + "]")

    def detect(self, text: str, tokens: Iterable[Token] | None = None) -> str | None:
        """ISO 639-1 code of ``text``'s language, or None when the evidence is too thin.

        ``tokens``, when the caller already has them, saves tokenising the text again.
        """
        by_script = _script(text)
        if by_script:
            return by_script
        return self.detect_tokens(tokenize(text) if tokens is None else tokens, text)

    def detect_tokens(self, tokens: Iterable[Token], text: str = "") -> str | None:
        """Like :meth:`detect`, for a text already tokenised (``text`` gives its letters)."""
        scores: dict[str, float] = {}
        by_key, evidence = self._by_key, self._evidence
        for token in tokens:
            if token.kind in _WORDS:
                key = token.key
                found = by_key.get(key)
                if found is None:
                    # An elision ("qu'") counts as its word; remembered per key.
                    found = evidence.get(key.rstrip("'"), ())
                    if len(by_key) < _MEMO_KEYS:
                        by_key[key] = found
                for language, points in found:
                    scores[language] = scores.get(language, 0.0) + points
        if not text.isascii():
            letters = self._profiles.letters
            for char in self._letters.findall(text.lower()):
                language = letters[char]
                scores[language] = scores.get(language, 0.0) + 0.5
        if not scores:
            return None
        if len(scores) == 1:
            # Unopposed evidence: one opinion word of one lexicon ("Magnifique !") is enough.
            best, score = next(iter(scores.items()))
            return best if score >= _MARGIN else None
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        best, score = ranked[0]
        runner_up = ranked[1][1]
        return best if score >= _WIN and score - runner_up >= _MARGIN else None
