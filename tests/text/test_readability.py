"""Readability of posts: sentences, words and syllables counted by hand, then the formulas."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadran.text.readability import (
    FORMULAS,
    Readability,
    band,
    counts,
    flesch_kincaid_grade,
    flesch_reading_ease,
    kandel_moles,
    readability,
)

# No example database: the suite must not write files outside tests/.
SETTINGS = settings(database=None, deadline=None, max_examples=300)

# (text, words, sentences, syllables), each counted by hand; comments give the syllables.
FRENCH_TEXTS: list[tuple[str, int, int, int]] = [
    # bon-jour à tous
    ("Bonjour à tous !", 3, 1, 4),
    # l'é-té ar-rive / les arbres sont en fleurs
    ("L'été arrive. Les arbres sont en fleurs.", 7, 2, 9),
    # mer-ci pour vos 2024 (4 digits) mes-sages; the emoji, hashtag and mention are not words
    ("Merci pour vos 2024 messages ❤️ #merci @cadran", 5, 1, 10),
    # nos cli-ents parlent sou-vent de nous / mer-ci (the line break ends a sentence)
    ("Nos clients parlent souvent de nous.\nMerci", 7, 2, 10),
    # M (no vowel: 1) Du-pont a 3,5 (2 digits) ans d'ex-pé-rience / vrai-ment
    ("M. Dupont a 3,5 ans d'expérience… Vraiment ?!", 7, 2, 12),
    # au-jourd'hui nous lan-çons notre nou-velle i-dée une vi-dé-o par se-maine
    ("Aujourd'hui, nous lançons notre nouvelle idée : une vidéo par semaine.", 10, 1, 18),
    # vi-si-tez pour en sa-voir plus; the link and the emoji are not words
    ("Visitez https://cadran.io pour en savoir plus ! 😀", 5, 1, 8),
    # quelle belle jour-née au bord de la mer / le so-leil brille
    ("Quelle belle journée au bord de la mer :)\nLe soleil brille.", 11, 2, 13),
    # les en-fants é-tu-dient la po-é-sie et le thé-âtre
    ("Les enfants étudient la poésie et le théâtre.", 8, 1, 14),
    # qu'est-ce que c'est / un oi-seau un na-ïf un ou-vri-er
    ("Qu'est-ce que c'est ? Un oiseau, un naïf, un ouvrier.", 9, 2, 13),
    # ren-dez-vous le 12/05 (4 digits) à 18h30 (4 digits) etc (1) / ve-nez nom-breux
    ("Rendez-vous le 12/05 à 18h30, etc. Venez nombreux !", 8, 2, 18),
]

ENGLISH_TEXTS: list[tuple[str, int, int, int]] = [
    ("The cat sat on the mat.", 6, 1, 6),
    ("I love this! Do you?", 5, 2, 5),
    # our new cam-paign reached thou-sands of peo-ple / thank you ev-ery-one
    ("Our new campaign reached thousands of people. Thank you, everyone!", 10, 2, 15),
    # read-a-bil-i-ty mat-ters for so-cial me-di-a posts
    ("Readability matters for social media posts.", 6, 1, 14),
    # vis-it for de-tails / lim-it-ed of-fer
    ("Visit https://example.com for details 😀 #sale\nLimited offer", 5, 2, 10),
]


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), FRENCH_TEXTS)
def test_french_counts(text: str, words: int, sentences: int, syllables: int) -> None:
    assert counts(text, "fr") == (words, sentences, syllables)


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), FRENCH_TEXTS)
def test_french_kandel_moles(text: str, words: int, sentences: int, syllables: int) -> None:
    result = readability(text, "fr")
    assert result is not None
    assert result.formula == "kandel-moles"
    assert result.language == "fr"
    assert result.grade is None
    assert result.score == pytest.approx(207 - 1.015 * words / sentences - 73.6 * syllables / words)


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), ENGLISH_TEXTS)
def test_english_counts(text: str, words: int, sentences: int, syllables: int) -> None:
    assert counts(text, "en") == (words, sentences, syllables)


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), ENGLISH_TEXTS)
def test_english_flesch(text: str, words: int, sentences: int, syllables: int) -> None:
    result = readability(text, "en")
    assert result is not None
    assert result.formula == "flesch"
    assert result.score == pytest.approx(
        206.835 - 1.015 * words / sentences - 84.6 * syllables / words
    )
    assert result.grade == pytest.approx(
        0.39 * words / sentences + 11.8 * syllables / words - 15.59
    )


def test_the_cat_sat_on_the_mat() -> None:
    assert readability("The cat sat on the mat.", "en") == Readability(
        language="en",
        words=6,
        sentences=1,
        syllables=6,
        score=pytest.approx(116.145),
        grade=pytest.approx(-1.45),
        formula="flesch",
    )


def test_formula_functions() -> None:
    assert kandel_moles(10, 2, 15) == pytest.approx(207 - 5.075 - 110.4)
    assert flesch_reading_ease(6, 1, 6) == pytest.approx(116.145)
    assert flesch_kincaid_grade(6, 1, 6) == pytest.approx(-1.45)
    assert FORMULAS == {"fr": "kandel-moles", "en": "flesch"}


# -- sentences and words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Wait... What?", 2),  # an ellipsis ends a sentence once
        ("Hello!!! World", 2),
        ("Vraiment ?! Oui !", 2),  # French spacing before ? and !
        ("Il a pris 3.5 kg et 10.000 abonnés.", 1),  # decimals
        ("Le Dr. Martin et Mme. Durand. Puis M. Roux.", 2),
        ("Voir p. ex. la page 3. Merci.", 2),
        ("J. K. Rowling wrote it. Read it.", 2),  # initials
        ("Use tools, e.g. this one, i.e. ours. Thanks.", 2),
        ("Mr. Smith vs. Mrs. Jones at St. Paul.", 1),
        ("Pommes, poires, etc. Et toi ?", 2),  # etc. before a capital ends the sentence
        ("Pommes, poires, etc. et bananes.", 1),
        ("Une ligne\nUne autre\n\n\nUne dernière", 3),  # line breaks, empty lines ignored
        ("Windows line\r\nends here", 2),
        ("#tag1 #tag2\nBonjour", 1),  # a line of hashtags is no sentence
        ("Il y en a. Voilà.", 2),  # a lower-case single letter is no initial
        ("Visit cadran.io. Then sign up.", 2),  # a bare domain is no sentence end
    ],
)
def test_sentences(text: str, sentences: int) -> None:
    assert counts(text, "fr")[1] == sentences


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("l'été", 1),  # the elided article stays on its word
        ("aujourd'hui, peut-être", 2),
        ("J'aime #Paris @ami", 1),  # hashtags and mentions are not words
        ("Bravo :) :-( ;) :D xD <3 ^^ ^_^ -_- o_O", 1),  # emoticons are not words
        ("Top 😀🎉👍🏽 1️⃣", 1),  # emoji and keycaps are not words
        ("écrire à contact@cadran.io ou www.cadran.io", 3),
        ("2024 3,5 12/05", 3),  # numbers are words
        ("C# et C++", 3),  # a # after a letter is no hashtag
        ("'quoted' words", 2),
    ],
)
def test_words(text: str, words: int) -> None:
    assert counts(text, "fr")[0] == words


def test_elided_article_adds_no_syllable() -> None:
    assert counts("l'été", "fr") == (1, 1, 2)
    assert counts("été", "fr") == (1, 1, 2)


def test_initialisms_count_one_syllable_per_letter() -> None:
    assert counts("U.S.", "en") == (1, 1, 2)
    assert counts("c.-à-d.", "fr") == (1, 1, 3)


# -- edge cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "😀😀🎉",
        "https://cadran.io/posts/42?utm=x",
        "#motivation #lundi",
        "@cadran",
        ":) <3",
        "... !!! ???",
        "\x00\x01\x02",
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_texts_without_words_have_no_readability(text: str, language: str) -> None:
    assert readability(text, language) is None


@pytest.mark.parametrize("language", [None, "", "de", "es", "french", "zz", "f"])
def test_unsupported_languages_have_no_readability(language: str | None) -> None:
    assert readability("Bonjour à tous.", language) is None


@pytest.mark.parametrize(("language", "code"), [("FR", "fr"), ("fr-CA", "fr"), ("en_GB", "en")])
def test_language_codes_with_region_or_capitals(language: str, code: str) -> None:
    result = readability("Bonjour à tous.", language)
    assert result is not None
    assert result.language == code


def test_mixed_french_and_english() -> None:
    # English words in a French post are read by the French rules (look, cool: 1 each).
    result = readability("J'adore ce look, so cool ! Thanks everyone.", "fr")
    assert result is not None
    assert (result.words, result.sentences) == (7, 2)
    assert math.isfinite(result.score)


def test_mixed_scripts_and_control_characters() -> None:
    for text in ("Привет мир 你好 bonjour", "a\x00b\x07c\x1bd", "\u202eabc\u200b déf", "e\u0301té"):
        result = readability(text, "fr")
        assert result is not None
        assert math.isfinite(result.score)


def test_a_200k_character_text_is_quick() -> None:
    post = "Découvrez notre nouvelle collection printemps-été, 100 % française ! 😀 #mode\n"
    text = (post * (200_000 // len(post) + 1))[:200_000]
    started = time.perf_counter()
    result = readability(text, "fr")
    elapsed = time.perf_counter() - started
    assert result is not None
    assert result.words > 15_000
    assert math.isfinite(result.score)
    assert elapsed < 10  # about 0.2 s on one core


@pytest.mark.parametrize(
    "text", ["a" * 200_000, "a." * 100_000, "x@" * 100_000, "é-" * 100_000, "1." * 100_000]
)
def test_pathological_texts_finish(text: str) -> None:
    started = time.perf_counter()
    result = readability(text, "en")
    assert result is not None
    assert math.isfinite(result.score)
    assert time.perf_counter() - started < 10


# -- bands ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "name"),
    [
        (120.0, "very_easy"),
        (90.0, "very_easy"),
        (89.99, "easy"),
        (80.0, "easy"),
        (79.9, "fairly_easy"),
        (70.0, "fairly_easy"),
        (65.0, "standard"),
        (60.0, "standard"),
        (55.0, "fairly_difficult"),
        (50.0, "fairly_difficult"),
        (49.9, "difficult"),
        (30.0, "difficult"),
        (29.9, "very_difficult"),
        (-40.0, "very_difficult"),
        (float("-inf"), "very_difficult"),
    ],
)
def test_band(score: float, name: str) -> None:
    assert band(score) == name


def test_band_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        band(float("nan"))


def test_readability_has_its_band() -> None:
    result = readability("The cat sat on the mat.", "en")
    assert result is not None
    assert result.band == "very_easy"


# -- properties ----------------------------------------------------------------------------------

languages = st.sampled_from(["fr", "en", None, "de", "", "FR", "en-US"])


@SETTINGS
@given(st.text(), languages)
def test_never_raises_and_stays_finite(text: str, language: str | None) -> None:
    result = readability(text, language)
    if result is None:
        return
    assert result.words >= 1
    assert result.sentences >= 1
    assert result.syllables >= result.words
    assert math.isfinite(result.score)
    assert result.grade is None or math.isfinite(result.grade)
    band(result.score)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            ["Bonjour", "l'été", "3.5", "M.", "!", "?", "\n", "#tag", "😀", " ", ".", "…"]
        ),
        max_size=30,
    )
)
def test_social_fragments_never_raise(parts: list[str]) -> None:
    text = " ".join(parts)
    words, sentences, syllables = counts(text, "fr")
    assert sentences <= max(words, 0) and (words == 0) == (sentences == 0)
    assert syllables >= words
