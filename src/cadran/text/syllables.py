"""Syllable counters for French and English words, by rule (no pronouncing dictionary offline).

Both counters read one word as a dictionary transcribes it when said on its own, and both
count a word's parts separately: letters split by apostrophes or hyphens, and digit runs.

Shared rules:

- A digit run counts one syllable per digit, at most four ("7" → 1, "42" → 2, "2024" → 4,
  "1000000" → 4): spelling numbers out would be overkill, and digits are a fair proxy up to
  four digits.
- A word with no vowel at all counts one syllable ("pff", "hmm", "SNCF", "grr"), so that every
  word weighs something.

French (:func:`count_french`) counts the syllables of standard spoken French, the unit that
Kandel–Moles (an adaptation of Flesch, who counted spoken syllables) is calibrated on. Rules,
in the order applied:

 1. Elision: letters before an apostrophe are a syllable only if they hold a vowel
    (l'été → 2, qu'il → 1, jusqu'ici → 3, aujourd'hui → 3); hyphenated parts add up
    (peut-être → 2, arc-en-ciel → 3), except "est-ce" said /ɛs/ (est-ce → 1).
 2. qu is /k/: its u is no vowel (quoi → 1, musique → 2, question → 2).
 3. gu before e, i or y is /g/ (guerre → 1, guide → 1, langue → 1); gü and guë keep the u
    (aigüe → 2, aiguë → 2).
 4. e between g or j and a or o only softens the consonant (mangeons → 2, Jean → 1, geai → 1).
 5. y: before a vowel at the start it is a consonant (yeux → 1, yaourt → 2); between vowels it
    is i + consonant (crayon → 2, payer → 2, voyelle → 2); elsewhere it is i (stylo → 2).
 6. h between ou and a vowel is silent (souhait → 1).
 7. Vowel letters written together for one sound are one vowel: ai, ei, oi, au, eau, ou, eu,
    œu (also spelt oeu), œ, æ, with their circumflex forms (oiseaux → 2, beaucoup → 2,
    cœur → 1, maître → 1).
 8. i between a vowel and l is the consonant /j/ (travail → 2, soleil → 2, feuille → 1,
    œil → 1, accueil → 2).
 9. Glides: i, u and ou before another vowel are said with it in one syllable (bien → 1,
    nation → 2, premier → 2, nuit → 1, lui → 1, oui → 1, nuage → 1, jouer → 1, pitié → 2).
10. ...unless they follow a consonant + l or r, which leaves no room for a glide
    (client → 2, crier → 2, ouvrier → 3, cruel → 2, éblouir → 3); ui stays one even there
    (bruit → 1, pluie → 1).
11. Any other meeting of vowels is a hiatus, one syllable each: é, è and ê before or after a
    vowel (réalité → 4, aérien → 3, créé → 2, poète → 2), and a, o, e before a vowel
    (chaos → 2, coopérer → 4).
12. Diaeresis: ï, ë and ü open a new syllable (naïf → 2, Noël → 2, maïs → 2, canoë → 3); a
    glide before them still merges (ouïe → 1, ambiguë → 3).
13. Final mute -e and -es are dropped when another vowel remains (table → 1, arbres → 1,
    vie → 1, idée → 2, créées → 2); one-vowel words keep theirs (le, je, que, les, des → 1).
14. Final -ent of third-person-plural verbs is mute (chantent → 1, parlent → 1, aient → 1);
    it is heard in words ending -ement, -emment, -amment, -ément or -ûment (lentement → 3,
    évidemment → 4, élément → 3), in a list of nouns, adjectives and adverbs (moment → 2,
    souvent → 2, client → 2, argent → 2, comment → 2), in one-vowel words (dent, vent → 1)
    and always in -ents (moments → 2, parents → 2).
15. Inner e caduc is counted (samedi → 3, lentement → 3): dropping it depends on the speaker
    and the words around, while a final schwa is dropped in nearly all standard speech.
16. A short list of words the rules misread (pays → 2, paon → 1, août → 1, moelle → 1) and
    of English words common in French posts (week-end → 2, zoom → 1, feedback → 2).

English (:func:`count_english`) counts vowel groups (a e i o u, and y when it is no
consonant), then:

- silent final e (make → 1; the, be, he → 1), except -le and -re after a consonant
  (table → 2, little → 2, centre → 2);
- -ed adds no syllable except after t or d (jumped → 1, wanted → 2), -es only after s, x, z,
  ch, sh, c or g (boxes → 2, changes → 2, makes → 1);
- some vowel pairs are two syllables: ia, io, iu, eo, ua, uo, ue before a consonant, ie in
  -iet, -ier, -ient and -ience, a vowel before -ing, y before a vowel after a consonant
  (media → 3, radio → 3, stadium → 3, video → 3, actual → 3, cruel → 2, quiet → 2,
  being → 2, trying → 2), but not in -tion, -cial, -cious, -geous (nation → 2, social → 2);
- the suffixes -ment, -ness, -less, -ful, -ly count one syllable on top of their stem, whose
  silent e stays silent (movement → 2, lovely → 2, careful → 2), and so do compounds opening
  with some, home, life, time… (someone → 2, lifestyle → 2);
- -n't is a syllable after a consonant (didn't → 2, don't → 1), -sm ends with one (prism → 2);
- a small dictionary holds the rest (people → 2, every → 2, business → 2, area → 3).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from cadran.text.syllable_exceptions import (
    ENGLISH_COMPOUND_HEADS,
    ENGLISH_WORDS,
    FRENCH_PRONOUNCED_ENT,
    FRENCH_WORDS,
)

LANGUAGES = ("fr", "en")

# At most this many syllables for one run of digits (see the module docstring).
MAX_DIGIT_SYLLABLES = 4

_CACHE = 1 << 16
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
# Letter runs and digit runs; apostrophes, hyphens and other marks only separate them.
_PARTS = re.compile(r"[^\W\d_]+|\d+")


def _normalise(word: str) -> str:
    # NFC so that "e" + combining acute is the letter é the rules know.
    return unicodedata.normalize("NFC", word).lower().translate(_APOSTROPHES)


def _digits(run: str) -> int:
    return min(len(run), MAX_DIGIT_SYLLABLES)


def count(word: str, language: str) -> int:
    """Syllables of one word in ``language`` ("fr" or "en"); at least 1.

    Raises ``ValueError`` for any other language.
    """
    if language == "fr":
        return count_french(word)
    if language == "en":
        return count_english(word)
    raise ValueError(f"no syllable counter for language {language!r}; known: fr, en")


# -- French ------------------------------------------------------------------------------------

_FR_VOWELS = "aeiouàâäéèêëîïôöùûüæœ"
_FR_REWRITES = (
    # Rule 7: oe spelt for œ in oeu and oeil (coeur, oeil), and cueil read /kœj/ (rule 8).
    (re.compile(r"oe(?=u|il)"), "œ"),
    (re.compile(r"(?<=c)ueil"), "œil"),
    (re.compile(r"qu"), "k"),  # rule 2
    (re.compile(r"gu(?=[eéèêiîy])"), "g"),  # rule 3
    (re.compile(r"(?<=[gj])e(?=[aâoô])"), ""),  # rule 4
    (re.compile(f"(?<=ou)h(?=[{_FR_VOWELS}])"), ""),  # rule 6
    # Rule 5; "j" is only a consonant marker here, the letter is counted nowhere.
    (re.compile(f"(?<=[{_FR_VOWELS}])y(?=[{_FR_VOWELS}])"), "ij"),
    (re.compile(f"^y(?=[{_FR_VOWELS}])"), "j"),
    (re.compile(r"y"), "i"),
    (re.compile(r"ÿ"), "ï"),
)
_FR_GROUP = re.compile(f"[{_FR_VOWELS}]+")
# One vowel sound per match, longest spellings first (rule 7); a diaeresis letter never joins.
_FR_GRAPHEME = re.compile(r"eau|œu|[aeo][iî]|a[uû]|o[uùû]|e[uû]|.")
_FR_GLIDES = frozenset({"i", "ï", "u", "ou", "où", "oû"})
# Consonant + liquid before a vowel group forbids a glide (rule 10).
_FR_OBSTRUENTS = frozenset("bcdfgkptv")
_FR_LIQUIDS = frozenset("lr")
_FR_HEARD_ENT = ("ement", "emment", "amment", "ément", "ûment")
_EST_CE = re.compile(r"(?<![^\W\d_])est-ce(?![^\W\d_])")


def _french_nuclei(s: str) -> int:
    """Vowel sounds in a rewritten French spelling (rules 7 to 12)."""
    total = 0
    for group in _FR_GROUP.finditer(s):
        graphemes = _FR_GRAPHEME.findall(group.group())
        if len(graphemes) > 1 and graphemes[-1] == "i" and s.startswith("l", group.end()):
            graphemes.pop()  # rule 8: travail, soleil, feuille
        start = group.start()
        after_cluster = (
            start >= 2 and s[start - 1] in _FR_LIQUIDS and s[start - 2] in _FR_OBSTRUENTS
        )
        nuclei = len(graphemes)
        for k in range(len(graphemes) - 1):
            glide = graphemes[k]
            if glide not in _FR_GLIDES:
                continue  # rule 11: a hiatus
            if k == 0 and after_cluster and not (glide == "u" and graphemes[1] in ("i", "î")):
                continue  # rule 10: cli-ent, cru-el
            nuclei -= 1  # rule 9: the glide shares the next vowel's syllable
        total += nuclei
    return total


@lru_cache(maxsize=_CACHE)
def _french_part(part: str) -> int:
    """Syllables of a run of lower-case letters (rules 2 to 16)."""
    known = FRENCH_WORDS.get(part)
    if known is not None:
        return known
    heard_ent = part in FRENCH_PRONOUNCED_ENT or part.endswith(_FR_HEARD_ENT)
    s = part
    for pattern, replacement in _FR_REWRITES:
        s = pattern.sub(replacement, s)
    # Rules 13 and 14: drop a mute ending if a vowel is left to carry the word.
    stem = None
    if s.endswith("ent") and not heard_ent:
        stem = s[:-3]
    elif s.endswith("es"):
        stem = s[:-2]
    elif s.endswith("e"):
        stem = s[:-1]
    if stem:
        nuclei = _french_nuclei(stem)
        if nuclei:
            return nuclei
    return _french_nuclei(s)


@lru_cache(maxsize=_CACHE)
def count_french(word: str) -> int:
    """Syllables of one French word as said in standard spoken French; at least 1.

    Accepts any string: case, accents written as combining marks, curly apostrophes, digits and
    hyphens are handled (see the module docstring for the rules).
    """
    w = _normalise(word)
    known = FRENCH_WORDS.get(w)
    if known is not None:
        return known
    w = _EST_CE.sub("esse", w)  # rule 1: est-ce is said /ɛs/
    total = 0
    for part in _PARTS.findall(w):
        total += _digits(part) if part[0].isdigit() else _french_part(part)
    return max(total, 1)


# -- English -----------------------------------------------------------------------------------

_EN_VOWELS = frozenset("aeiouàáâäãåæèéêëìíîïòóôöõøœùúûü")
_EN_DIAERESIS = frozenset("äëïöü")
_EN_HAS_VOWEL = re.compile(r"[aeiouyàáâäãåæèéêëìíîïòóôöõøœùúûü]")
_EN_CONTRACTION = re.compile(r"(?:'s|'m|'re|'ve|'ll|'d|n't)$")
_EN_SUFFIXES = (
    ("fully", 2),
    ("lessly", 2),
    ("ments", 1),
    ("ment", 1),
    ("ness", 1),
    ("less", 1),
    ("ful", 1),
    ("ly", 1),
)
_EN_SIBILANT_STEMS = ("s", "x", "z", "ch", "sh", "c", "g")


def _en_split(w: str, k: int, earlier_vowel: bool) -> bool:
    """Whether a syllable break falls between the vowels ``w[k - 1]`` and ``w[k]``."""
    a, b = w[k - 1], w[k]
    before = w[k - 2] if k >= 2 else ""
    double_l = before == "l" and k >= 3 and w[k - 3] == "l"
    rest = w[k + 1 :]
    if b in _EN_DIAERESIS:
        return True
    if a == "y":  # tr-y-ing, fl-y-er; but dye, dyes, dyed
        return not (b == "e" and rest in ("", "s", "d"))
    if b == "i" and rest in ("ng", "ngs"):
        return True  # be-ing, go-ing, see-ing
    if a == "i":
        if b == "a":  # me-di-a, appre-ci-ate; but so-cial, Rus-sia, bril-liant
            if rest.startswith("t"):
                return True
            return before not in ("c", "t", "s") and not double_l
        if b == "o":  # ra-di-o, li-on, but na-tion, re-gion, mil-lion, on-ion
            if rest in ("", "s"):
                return True
            return before not in ("c", "t", "s", "g", "x", "n") and not double_l
        if b == "u":
            return True  # stadi-um
        if b == "e":  # qui-et, hap-pi-er, cli-ent, audi-ence; but piece, patient
            if rest.startswith("t"):
                return True
            if rest.startswith(("r", "st")) and earlier_vowel:
                return True
            return rest.startswith(("nt", "nce", "ncy")) and before not in ("c", "t")
        return False
    if a == "e":
        if b == "o":  # vi-de-o, ge-ography; but pi-geon, gor-geous
            return not (before == "g" and k >= 3)
        if b == "a":  # i-de-a, ar-e-a; but sea, tea
            return rest in ("", "s") and earlier_vowel and before in ("d", "r")
        if b == "u":
            return rest in ("m", "ms")  # muse-um
        return False
    if a == "u":
        if b in ("a", "o"):  # actu-al, du-o
            return True
        if b == "e":  # cru-el, flu-ent; but blue, blues, continued
            return rest not in ("", "s", "d")
    return False


def _en_kept_e(stem: str, vowel: list[bool]) -> bool:
    """Whether a final e after ``stem`` is heard: -le and -re after a consonant (ta-ble)."""
    n = len(stem)
    if n < 2 or vowel[n - 2]:
        return False
    last, previous = stem[-1], stem[-2]
    return (last == "l" and previous != "l") or (last == "r" and previous != "r")


def _english_core(w: str) -> int:
    """Syllables of a run of lower-case letters by the vowel-group rules."""
    n = len(w)
    vowel = [c in _EN_VOWELS for c in w]
    for i, c in enumerate(w):
        # qu and gu + vowel: the u is part of the consonant (quite, guess, language).
        if (
            c == "u"
            and i > 0
            and (w[i - 1] == "q" or (w[i - 1] == "g" and i + 1 < n and w[i + 1] in "aeio"))
        ):
            vowel[i] = False
    for i, c in enumerate(w):
        if c == "y":
            # y before a vowel is a consonant at the start or after a vowel (yes, player).
            next_vowel = i + 1 < n and vowel[i + 1]
            vowel[i] = not (next_vowel and (i == 0 or vowel[i - 1] or w[i - 1] == "w"))
    syllables = 0
    i = 0
    while i < n:
        if not vowel[i]:
            i += 1
            continue
        j = i
        while j < n and vowel[j]:
            j += 1
        earlier = syllables > 0
        syllables += 1 + sum(_en_split(w, k, earlier) for k in range(i + 1, j))
        i = j
    if syllables > 1:
        if w.endswith("e") and not vowel[n - 2]:
            if not _en_kept_e(w[:-1], vowel):
                syllables -= 1  # make, whole, unique
        elif w.endswith(("es", "ed")) and n >= 3 and not vowel[n - 3]:
            stem = w[:-2]
            heard = stem.endswith(("t", "d")) if w[-1] == "d" else stem.endswith(_EN_SIBILANT_STEMS)
            if not (heard or _en_kept_e(stem, vowel)):
                syllables -= 1  # makes, jumped; but boxes, wanted, tables
    if (w.endswith("sm") and n >= 3 and vowel[n - 3]) or (
        w.endswith("sms") and n >= 4 and vowel[n - 4]
    ):
        syllables += 1  # pri-sm
    return max(syllables, 0)


@lru_cache(maxsize=_CACHE)
def _english_part(w: str) -> int:
    """Syllables of a run of lower-case letters: dictionary, compounds, suffixes, then rules."""
    known = ENGLISH_WORDS.get(w)
    if known is not None:
        return known
    for head in ENGLISH_COMPOUND_HEADS:
        if w.startswith(head) and len(w) > len(head) and _EN_HAS_VOWEL.search(w, len(head)):
            return _english_part(head) + _english_part(w[len(head) :])
    for suffix, syllables in _EN_SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix):
            stem = w[: -len(suffix)]
            if _EN_HAS_VOWEL.search(stem):
                return _english_part(stem) + syllables
    return _english_core(w)


@lru_cache(maxsize=_CACHE)
def count_english(word: str) -> int:
    """Syllables of one English word; at least 1.

    Accepts any string: case, curly apostrophes, contractions, digits and hyphens are handled
    (see the module docstring for the rules).
    """
    w = _normalise(word)
    known = ENGLISH_WORDS.get(w)
    if known is not None:
        return known
    total = 0
    contraction = _EN_CONTRACTION.search(w)
    if contraction:
        ending = contraction.group()
        w = w[: contraction.start()]
        if ending == "n't" and w.endswith(("d", "s", "t", "z", "ve")):
            total += 1  # did-n't, is-n't, have-n't; but don't, can't, won't
        elif ending == "'s" and w.endswith(("s", "x", "z", "ch", "sh", "ce", "ge")):
            total += 1  # boss's
    for part in _PARTS.findall(w):
        total += _digits(part) if part[0].isdigit() else _english_part(part)
    return max(total, 1)
