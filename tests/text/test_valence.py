"""The rule-based valence: negation, boosters, contrast, emphasis, idioms, emoji."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadran.text.lexicon import lexicon
from cadran.text.tokens import tokenize
from cadran.text.valence import ALPHA, NEGATION, valence

EN, FR = lexicon("en"), lexicon("fr")


def compound(text: str, lex=EN) -> float:
    return valence(tokenize(text), lex).compound


def test_single_word_follows_the_lexicon_and_the_squashing() -> None:
    good = EN.valences["good"]
    assert compound("good") == pytest.approx(good / math.sqrt(good**2 + ALPHA))


def test_negation_flips_and_softens() -> None:
    good = EN.valences["good"]
    expected = good * NEGATION
    assert compound("not good") == pytest.approx(expected / math.sqrt(expected**2 + ALPHA))
    assert compound("isn't good") < 0


def test_negation_stops_at_the_end_of_a_sentence() -> None:
    assert compound("No. Good") > 0


def test_boosters_capitals_and_exclamations_strengthen() -> None:
    assert compound("very good") > compound("good")
    assert compound("slightly good") < compound("good")
    assert compound("GOOD movie") > compound("good movie")
    assert compound("good!!!") > compound("good")


def test_contrast_weighs_what_follows() -> None:
    assert compound("The food is good but the service is terrible") < 0
    assert compound("Le produit est nul mais le service est génial", FR) > 0


def test_emoji_are_not_negated() -> None:
    assert compound("still no cheque :(") < 0
    assert compound("pas de réponse 😡", FR) < 0


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("j'aime pas", -1),
        ("je n'aime pas", -1),
        ("pas terrible", -1),
        ("pas mal du tout", 1),
        ("trop bien", 1),
        ("vraiment nul", -1),
        ("déçue", -1),
        ("DÉÇUES", -1),
        ("decu", -1),
        ("génialissime", 1),
        ("magnifiques", 1),
    ],
)
def test_french_rules(text: str, sign: int) -> None:
    assert math.copysign(1, compound(text, FR)) == sign


def test_no_opinion_is_zero() -> None:
    result = valence(tokenize("le chat est sur la table"), FR)
    assert result.compound == 0
    assert result.opinions == 0


@given(st.text(max_size=300))
def test_compound_is_always_in_range(text: str) -> None:
    for lex in (EN, FR):
        assert -1 < valence(tokenize(text), lex).compound < 1


@pytest.mark.parametrize("lex", [EN, FR], ids=["en", "fr"])
def test_idioms_count_once_wherever_they_stand(lex) -> None:
    checked = 0
    for idiom, value in lex.idioms.items():
        phrase = " ".join(idiom)
        if len(idiom) < 2 or lex.contrasts & set(idiom):
            continue  # a one-word idiom is only looked up at the end; contrasts weigh
        if [t.key for t in tokenize(phrase)] != list(idiom):
            continue  # written differently once tokenised
        expected = value / math.sqrt(value * value + ALPHA)
        for text in (phrase, f"zzz {phrase}", f"{phrase} zzz", f"zzz zzz {phrase} zzz"):
            result = valence(tokenize(text), lex)
            assert result.opinions == 1, text
            assert result.compound == pytest.approx(expected), text
        checked += 1
    assert checked >= len(lex.idioms) // 2


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        # Idioms with an elided word match as the tokenizer splits them ("n'" then "importe").
        ("C'est n'importe quoi", -1),
        ("J'en peux plus de ces retards", -1),
        # Phrases that cancel an opinion word: "bien sûr" is not praise.
        ("Bien sûr", 0),
        ("Pas mal de monde ce matin", 0),
        # General opinion vocabulary, beyond brand comments.
        ("Quelle honte, un vrai scandale", -1),
        ("Bravo, quelle belle victoire", 1),
    ],
)
def test_french_idioms_and_general_vocabulary(text: str, sign: int) -> None:
    value = compound(text, FR)
    assert (value > 0) - (value < 0) == sign, value
