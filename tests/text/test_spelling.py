"""The offline spell check behind the « proofread » criterion."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from cadran.text import spelling
from cadran.text.spelling import DictionarySpellCheck, spell_checker


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Forget the loaded word lists around a test that changes what can be imported."""
    spelling._shared.cache_clear()
    spelling._word_list.cache_clear()
    yield
    spelling._shared.cache_clear()
    spelling._word_list.cache_clear()


# -- the rules, on small word lists (no package needed) ---------------------------------------

FRENCH = {"une", "belle", "journée", "été", "arrive", "inscrivez", "vous", "aujourd'hui"}
ENGLISH = {"colour", "color", "favorite", "organize", "center", "the", "post", "live", "don't"}


def french() -> DictionarySpellCheck:
    return DictionarySpellCheck("fr", [FRENCH, ENGLISH])


def test_only_words_worth_checking_are_checked() -> None:
    text = (
        "Une belle journée, Zorglub ! @marie_d #bonplan https://brand.fr/xyzw contact@brnd.fr "
        "10h30 3ème x2 ok 😍 bit.ly/abcd"
    )
    assert french().misspelt(text) == []


def test_misspelt_words_are_found_in_order_with_repeats() -> None:
    assert french().misspelt("une belle jouné, une jouné, une bele") == ["jouné", "jouné", "bele"]


def test_elisions_hyphens_and_apostrophes() -> None:
    check = french()
    assert check.misspelt("l'été arrive, qu'il arrive, aujourd’hui, inscrivez-vous") == []
    assert check.misspelt("l'étté") == ["l'étté"]
    assert check.misspelt("arrive-t-il") == []  # the short parts are not checked
    assert check.misspelt("inscrivé-vous") == ["inscrivé-vous"]


def test_french_posts_may_borrow_english_words() -> None:
    assert french().misspelt("une post live") == []
    english = DictionarySpellCheck("en", [ENGLISH])
    assert english.misspelt("the journée") == ["journée"]


def test_british_spellings_pass_an_american_list() -> None:
    english = DictionarySpellCheck("en", [{"color", "favorite", "organize", "center"}])
    assert english.misspelt("colour favourite organise centre") == []
    assert english.misspelt("colur") == ["colur"]


def test_extra_and_social_words() -> None:
    check = DictionarySpellCheck("fr", [FRENCH], extra_words=["cadranito"])
    assert check.misspelt("une selfie cadranito hashtag") == []
    assert check.known("selfie")


# -- the pyspellchecker dictionaries ----------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> None:
    pytest.importorskip("spellchecker")


@pytest.mark.usefixtures("real")
def test_french_words() -> None:
    check = spell_checker("fr")
    assert check is not None and check.language == "fr"
    good = (
        "Découvrez notre nouvelle collection : des couleurs douces, des matières naturelles et "
        "des coupes pensées pour vous. Qu'en pensez-vous ? Inscrivez-vous aujourd'hui, c'est "
        "gratuit jusqu'à dimanche !"
    )
    assert check.misspelt(good) == []
    assert check.misspelt("une nouvele colection disponnible") == [
        "nouvele",
        "colection",
        "disponnible",
    ]


@pytest.mark.usefixtures("real")
def test_english_words() -> None:
    check = spell_checker("en-GB")
    assert check is not None and check.language == "en"
    good = "Tell us what you think in the comments! Our favourite colour is back, don't miss it."
    assert check.misspelt(good) == []
    assert check.misspelt("we will definately recieve it tommorow") == [
        "definately",
        "recieve",
        "tommorow",
    ]


@pytest.mark.usefixtures("real")
def test_proper_nouns_are_ignored() -> None:
    assert spell_checker("fr").misspelt("Rendez-vous à Trifouillis avec Zorglub") == []  # type: ignore[union-attr]
    assert spell_checker("en").misspelt("Meet Xzanthia at Brandtopia") == []  # type: ignore[union-attr]


@pytest.mark.usefixtures("real")
def test_checkers_are_shared_per_language_unless_extended() -> None:
    assert spell_checker("fr") is spell_checker("FR")
    extended = spell_checker("fr", extra_words=["zorglubette"])
    assert extended is not None and extended is not spell_checker("fr")
    assert extended.misspelt("une zorglubette") == []
    assert spell_checker("fr").misspelt("une zorglubette") == ["zorglubette"]  # type: ignore[union-attr]


@pytest.mark.usefixtures("real")
def test_many_posts_are_checked_quickly() -> None:
    # Lookups are cached per piece of text: 20,000 posts of repeated words take well under a
    # second on a laptop; the bound is loose for busy machines.
    import time

    check = spell_checker("fr")
    assert check is not None
    posts = [
        f"Découvrez la collection numéro {i} sur https://brand.fr/p{i} #mode" for i in range(20_000)
    ]
    start = time.perf_counter()
    assert sum(len(check.misspelt(p)) for p in posts) == 0
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("language", [None, "", "de", "klingon"])
def test_no_checker_for_other_languages(language: str | None) -> None:
    assert spell_checker(language) is None


@pytest.mark.usefixtures("fresh_caches")
def test_no_checker_without_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spellchecker", None)  # makes the import fail
    assert spell_checker("fr") is None
    assert spell_checker("en", extra_words=["x"]) is None
