"""How easy a post is to read: Kandel–Moles for French, Flesch reading ease for English.

Both formulas weigh words per sentence and syllables per word; they need a text cut into
sentences and words the way a reader of social posts sees it:

- A sentence ends at ``.``, ``!``, ``?``, ``…`` (a run of them such as ``...`` or ``?!`` ends it
  once) and at a line break: a caption line without final punctuation is still a sentence.
  Sentences without a word (a line of hashtags, a lone emoji) are not counted.
- A full stop does not end a sentence inside a number (``3.5``, ``10.000``), after a common
  abbreviation (``M.``, ``Mme.``, ``Dr.``, ``St.``, ``cf.``, ``p. ex.``, ``vs.``…), after a
  single capital letter (initials: ``J. K. Rowling``) or inside an initialism (``e.g.``,
  ``i.e.``, ``U.S.``); ``etc.`` ends one only when the next word starts with a capital.
- Words are runs of letters or digits with inner apostrophes and hyphens, so a French elided
  article stays on its word (``l'été`` is one word of two syllables, as it is said) and so do
  ``aujourd'hui``, ``don't`` and ``peut-être``.
- Numbers are words (``2024``, ``3,5``, ``12/05``); a digit run counts one syllable per digit,
  at most four. An initialism counts one syllable per letter.
- URLs, e-mail addresses, bare domains (``cadran.io``), ``@mentions``, ``#hashtags``, emoji and
  emoticons (``:-)``, ``<3``, ``xD``, ``^^``) are not words: they are not read as prose, and
  hashtags written as ``#MotsCollés`` would count as long words the reader skims over.

Syllables come from :mod:`cadran.text.syllables`. French text gets Kandel–Moles
(207 − 1.015·W/S − 73.6·Sy/W), English text Flesch reading ease
(206.835 − 1.015·W/S − 84.6·Sy/W) and the Flesch–Kincaid grade
(0.39·W/S + 11.8·Sy/W − 15.59). Both scores read on the same scale; :func:`band` names it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cadran.core.quality import readability_band
from cadran.text.syllables import count

FORMULAS = {"fr": "kandel-moles", "en": "flesch"}


# Words whose following full stop marks an abbreviation, not a sentence end (lower case).
ABBREVIATIONS = frozenset(
    {
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "dr",
        "pr",
        "st",
        "ste",
        "cf",
        "ex",
        "env",
        "av",
        "bd",
        "vol",
        "fig",
        "p",
        "pp",
        "etc",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "vs",
        "approx",
        "dept",
        "inc",
        "ltd",
        "prof",
        "jan",
        "feb",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)

_TOKENS = re.compile(
    r"""
    (?P<skip>
        (?:https?://|www\.)\S+                                   # URL
      | (?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++             # e-mail address
      | (?<![\w.-])(?:[\w-]++\.)+
        (?:com|fr|org|net|io|co|eu|be|ch|ca|de|uk|info|app|me|ly|tv|gouv)\b(?:/\S*)?  # domain
      | (?<![\w#＃@&])[#＃][^\W_]\w*+                             # hashtag
      | (?<![\w@])@\w++(?:\.\w++)*+                               # mention
      | [0-9#*]\ufe0f?\u20e3                                     # keycap emoji
      | (?<!\w)(?:
            [:;=][-'^o]?[)(\]\[DPpOo0/\\|*3]++
          | <3++
          | [xX][dDpP]++
          | \^[_.]?\^
          | [oO0T^>-][_.][oO0T^<-]
        )(?!\w)                                                  # emoticon
    )
  | (?P<initialism>(?i:c\.-?à-?d\.)|(?:[^\W\d_]\.){2,}+)
  | (?P<number>\d++(?:[.,:/]\d++)*+(?![\w'’-]))
  | (?P<word>[^\W_](?:[\w'’-]*[^\W_])?)
  | (?P<end>[.!?…‽。！？]++)
  | (?P<newline>[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Readability:
    """The readability of one text.

    ``score`` is Kandel–Moles for French and Flesch reading ease for English (higher is easier,
    about 0 to 100 for ordinary prose, unbounded for odd texts); ``grade`` is the Flesch–Kincaid
    US school grade for English and ``None`` for French; ``formula`` names the score
    ("kandel-moles" or "flesch").
    """

    language: str
    words: int
    sentences: int
    syllables: int
    score: float
    grade: float | None
    formula: str

    @property
    def band(self) -> str:
        """The Flesch band of the score (see :func:`band`)."""
        return band(self.score)


def band(score: float) -> str:
    """The classic Flesch band of a reading-ease score.

    ``very_easy`` from 90, ``easy`` from 80, ``fairly_easy`` from 70, ``standard`` from 60,
    ``fairly_difficult`` from 50, ``difficult`` from 30, ``very_difficult`` below. Each band
    includes its lower bound. Raises ``ValueError`` for NaN.
    """
    found = readability_band(score)
    if found is None:
        raise ValueError("a readability score cannot be NaN")
    return found


def kandel_moles(words: int, sentences: int, syllables: int) -> float:
    """Kandel–Moles reading ease: 207 − 1.015·W/S − 73.6·Sy/W (needs W, S > 0)."""
    return 207 - 1.015 * words / sentences - 73.6 * syllables / words


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch reading ease: 206.835 − 1.015·W/S − 84.6·Sy/W (needs W, S > 0)."""
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    """Flesch–Kincaid grade level: 0.39·W/S + 11.8·Sy/W − 15.59 (needs W, S > 0)."""
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def _language(language: str | None) -> str | None:
    # Accept "FR", "fr-CA", "en_GB": the counters only know the language, not the region.
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in FORMULAS else None


def counts(text: str, language: str) -> tuple[int, int, int]:
    """Words, sentences and syllables of ``text`` read as ``language`` ("fr" or "en")."""
    words = sentences = syllables = 0
    in_sentence = 0  # words in the sentence being read
    last_word = ""  # the last word read, lower case, if nothing but a full stop can follow it
    last_end = -1  # where that word ended, to see a full stop right after it
    after_etc = False  # "etc." was just read: a capital next starts a new sentence
    for token in _TOKENS.finditer(unicodedata.normalize("NFC", text)):
        kind = token.lastgroup
        if kind == "skip":
            continue
        value = token.group()
        if kind == "end" and value == "." and token.start() == last_end:
            # An abbreviation's or an initial's full stop ends nothing, but "etc." may end a
            # sentence: the next word tells (a capital opens a new one).
            after_etc = last_word == "etc"
            last_end = -1
            continue
        if kind in ("word", "number", "initialism"):
            if after_etc and in_sentence and value[0].isupper():
                sentences += 1
                in_sentence = 0
            words += 1
            in_sentence += 1
            if kind == "initialism":
                syllables += sum(c.isalpha() for c in value)
            else:
                syllables += count(value, language)
            lowered = value.lower()
            if kind == "word" and (
                lowered in ABBREVIATIONS or (len(value) == 1 and value.isupper())
            ):
                last_word, last_end = lowered, token.end()
            else:
                last_word, last_end = "", -1
        elif in_sentence:  # a sentence end or a line break
            sentences += 1
            in_sentence = 0
        after_etc = False
    if in_sentence:
        sentences += 1
    return words, sentences, syllables


def readability(text: str, language: str | None) -> Readability | None:
    """The readability of ``text`` in ``language`` ("fr" or "en", ISO 639-1).

    ``None`` when the language is missing or not French or English, or when the text has no
    word (empty, only emoji, links or hashtags). Never raises on a string.
    """
    code = _language(language)
    if code is None or not isinstance(text, str):
        return None
    words, sentences, syllables = counts(text, code)
    if not words:
        return None
    if code == "fr":
        score = kandel_moles(words, sentences, syllables)
        grade = None
    else:
        score = flesch_reading_ease(words, sentences, syllables)
        grade = flesch_kincaid_grade(words, sentences, syllables)
    return Readability(code, words, sentences, syllables, score, grade, FORMULAS[code])
