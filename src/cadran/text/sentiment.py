"""Cadran's default sentiment method: offline, two cores, nothing to download.

Per text: tokens (:mod:`cadran.text.tokens`), then the language (given, or detected, or the
workspace's default when detection is unsure), then

- English: the rule-based valence (:mod:`cadran.text.valence`) on the VADER lexicon; the
  compound score is the score, and ±0.05 the neutral band (VADER's published thresholds);
- French: the linear model trained in this repository (:mod:`cadran.text.linear`), which reads
  word and character features and the rule-based valence from Cadran's French lexicon; the
  score is P(positive) − P(negative) and the label the most probable class;
- a text with only emoji or emoticons: their valence, whatever the language;
- any other language: no label and no score (``language`` says which it was), so that a
  Spanish comment is never read with English rules;
- a text whose language cannot be told ("Top 🔥") and no default language: the rules of every
  language Cadran knows, kept only when they agree on the label.

Each opinion records the method that produced it (``cadran-1/en-rules``, ``cadran-1/fr-linear``,
``cadran-1/emoji``), so that stored labels say where they came from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cadran.text.features import word_units
from cadran.text.language import SCORED, LanguageDetector
from cadran.text.lexicon import Lexicon, lexicon
from cadran.text.linear import LinearModel, shipped_model
from cadran.text.opinion import Opinion
from cadran.text.tokens import Token, tokenize
from cadran.text.valence import Valence, valence

VERSION = "cadran-1"
NEUTRAL_BAND = 0.05  # VADER's compound thresholds for its three classes
_WORDS = frozenset({"word", "elision"})
_PICTURES = frozenset({"emoji", "emoticon"})
# Stands for an opinion still to come from a model while a batch is being read.
_PENDING = Opinion(None, None, None, VERSION)


def label_of(score: float) -> str:
    """The label of a rule-based compound score."""
    if score >= NEUTRAL_BAND:
        return "positive"
    return "negative" if score <= -NEUTRAL_BAND else "neutral"


class CadranSentiment:
    """The default method (see the module docstring). Build once, reuse: loading takes ~0.3 s."""

    name = VERSION

    def __init__(
        self,
        default_language: str | None = None,
        models: dict[str, LinearModel] | None = None,
    ) -> None:
        self.default_language = default_language
        self._lexicons: dict[str, Lexicon] = {language: lexicon(language) for language in SCORED}
        self._models: dict[str, LinearModel] = {}
        for language in SCORED:
            model = (models or {}).get(language) or shipped_model(language)
            if model is not None:
                self._models[language] = model
        self._detector = LanguageDetector(
            vocabularies={
                language: (w for w in lex.valences if w.isalpha())
                for language, lex in self._lexicons.items()
            }
        )

    def language(self, text: str, tokens: Sequence[Token] | None = None) -> str | None:
        """The language Cadran reads ``text`` in (detected, else the default language)."""
        return self._detector.detect(text, tokens) or self.default_language

    def opinion(self, text: str, language: str | None = None) -> Opinion:
        """The sentiment of one text."""
        return self.opinions([text], [language])[0]

    def opinions(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[Opinion]:
        """One opinion per text (``languages``, where given, skips detection).

        Texts read by a learned model are scored together at the end, in one batch per
        language: that is where the speed comes from.
        """
        given = languages if languages is not None else [None] * len(texts)
        results: list[Opinion] = []
        pending: dict[str, list[tuple[int, list[str], Valence]]] = {}
        for text, language in zip(texts, given, strict=True):
            tokens = tokenize(text) if text else []
            if not any(t.kind in _WORDS for t in tokens):
                results.append(self._pictures(tokens, language))
                continue
            if language is None:
                language = self.language(text, tokens)
                if language is None:
                    results.append(self._agreed(tokens))
                    continue
            lex = self._lexicons.get(language)
            if lex is None:
                results.append(Opinion(None, None, language, VERSION))
                continue
            rules = valence(tokens, lex)
            if language in self._models:
                pending.setdefault(language, []).append(
                    (len(results), word_units(tokens, lex), rules)
                )
                results.append(_PENDING)
            else:
                results.append(_opinion(rules.compound, language, f"{language}-rules"))
        for language, rows in pending.items():
            learned = self._learned(language, [(units, rules) for _, units, rules in rows])
            for (at, _, _), opinion in zip(rows, learned, strict=True):
                results[at] = opinion
        return results

    def _pictures(self, tokens: Sequence[Token], language: str | None) -> Opinion:
        """A text without words: scored by its emoji or emoticons, if it has any."""
        if any(t.kind in _PICTURES for t in tokens):
            # Emoji speak every language: score them with their own valence.
            compound = valence(tokens, self._lexicons["en"]).compound
            return _opinion(compound, language, "emoji")
        return Opinion(None, None, language, VERSION)

    def _learned(self, language: str, rows: Sequence[tuple[list[str], Valence]]) -> list[Opinion]:
        """Opinions of texts read by ``language``'s model, given as (word units, valence).

        Scores and labels come from the whole batch's probabilities at once (numpy gives the
        same numbers per row, without a Python step per row and class).
        """
        model = self._models[language]
        probabilities = model.batch_probabilities(rows)
        index = {c: i for i, c in enumerate(model.classes)}
        negative, positive = index.get("negative"), index.get("positive")
        zero = np.zeros(len(rows))
        scores = (probabilities[:, positive] if positive is not None else zero) - (
            probabilities[:, negative] if negative is not None else zero
        )
        labels = [model.classes[i] for i in probabilities.argmax(axis=1).tolist()]
        method = f"{VERSION}/{language}-linear"
        return [
            Opinion(label, round(score, 4), language, method)
            for label, score in zip(labels, scores.tolist(), strict=True)
        ]

    def _agreed(self, tokens: Sequence[Token]) -> Opinion:
        """A text of undetermined language ("Top 🔥"): scored only if every language agrees."""
        compounds = [valence(tokens, lex).compound for lex in self._lexicons.values()]
        labels = {label_of(c) for c in compounds}
        if len(labels) != 1:
            return Opinion(None, None, None, VERSION)
        return _opinion(sum(compounds) / len(compounds), None, "agreed-rules")


def _opinion(compound: float, language: str | None, how: str) -> Opinion:
    return Opinion(label_of(compound), round(compound, 4), language, f"{VERSION}/{how}")
