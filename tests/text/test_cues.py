"""Complaint and question cues: the shipped phrases, matching, and validating a cues file."""

from __future__ import annotations

import time
import unicodedata
from importlib import resources

import pytest

from cadran.text.cues import (
    CUES_FILE,
    builtin_cues,
    complaint_cues,
    fold,
    is_complaint,
    is_question,
    load_cues,
)

# -- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_file_has_no_problem_at_all() -> None:
    text = resources.files("cadran").joinpath("definitions", "text", "cues.yaml").read_text("utf-8")
    cues, issues = load_cues(text, CUES_FILE)
    assert [str(i) for i in issues] == []
    assert set(cues) == {"fr", "en"}
    for language in cues.values():
        assert len(language.complaint) >= 40
        assert len(language.question) >= 10
    assert builtin_cues() == cues


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


_PHRASES = [(lang, p) for lang, cues in sorted(builtin_cues().items()) for p in cues.complaint]
_OPENERS = [(lang, p) for lang, cues in sorted(builtin_cues().items()) for p in cues.question]


@pytest.mark.parametrize(("language", "phrase"), _PHRASES)
def test_every_complaint_cue_is_found_however_it_is_typed(language: str, phrase: str) -> None:
    elongated = phrase[:-1] + phrase[-1] * 4 if phrase[-1].isalpha() else phrase
    for variant in (
        phrase,
        phrase.upper(),
        _unaccented(phrase),
        phrase.replace("'", "’"),
        elongated,
    ):
        assert complaint_cues(f"« {variant} »", language) == (phrase,), variant
        assert complaint_cues(variant, None) == (phrase,), variant


@pytest.mark.parametrize(("language", "opener"), _OPENERS)
def test_every_opener_starts_a_question(language: str, opener: str) -> None:
    assert is_question(f"{opener.capitalize()} le colis", language)
    assert is_question(f"@brand {_unaccented(opener)} le colis", language)
    assert not is_question(f"{opener.capitalize()} le colis.", language)
    assert not is_question(f"Merci {opener} le colis", language)


# -- complaints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        (
            "Toujours pas reçu mon colis, c'est inadmissible !!",
            ("toujours pas", "pas reçu", "inadmissible"),
        ),
        ("Le service client ne répond jamais, quelle arnaque", ("service client", "arnaque")),
        (
            "Vous m'avez débité deux fois, je veux un remboursement",
            ("débité deux fois", "remboursement"),
        ),
        ("Très déçue, l'écran est arrivé cassé", ("déçue", "cassé")),
        ("Mon appli ne fonctionne plus depuis la mise à jour", ("ne fonctionne plus",)),
        ("J'attends toujours une réponse à ma réclamation", ("j'attends toujours", "réclamation")),
    ],
)
def test_french_complaints(text: str, cues: tuple[str, ...]) -> None:
    assert complaint_cues(text, "fr") == cues


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        (
            "Still waiting for my refund, this is unacceptable",
            ("still waiting", "refund", "unacceptable"),
        ),
        (
            "My order never arrived and customer service is useless",
            ("never arrived", "customer service", "useless"),
        ),
        ("The app doesn't work since the update", ("doesn't work",)),
        ("I was charged twice!!! Worst experience ever", ("charged twice", "worst")),
    ],
)
def test_english_complaints(text: str, cues: tuple[str, ...]) -> None:
    assert complaint_cues(text, "en") == cues


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("tres decu", "déçu"),  # no accents
        ("DÉÇU", "déçu"),  # capitals
        ("déçuuuuu", "déçu"),  # elongated
        ("c'est nuuuuul", "nul"),
        ("toujouuurs paaas", "toujours pas"),
        ("J’attends", "j'attends"),  # a curly apostrophe
        ("jattends", "j'attends"),  # no apostrophe at all
        ("rembourseeeez-moi", "remboursez-moi"),
        ("remboursez moi", "remboursez-moi"),  # a space for the hyphen
        ("toujours   pas", "toujours pas"),  # extra spaces
        ("elle est arrivée cassée", "cassé"),  # the feminine is folded into the masculine
        ("#arnaque", "arnaque"),  # a hashtag
    ],
)
def test_tolerates_accents_case_apostrophes_and_elongation(text: str, cue: str) -> None:
    assert cue in complaint_cues(text, "fr")


def test_cues_match_whole_words_only() -> None:
    assert complaint_cues("Commande annulée", "fr") == ()  # not « nul » inside « annulée »
    assert complaint_cues("the nullity of it", "fr") == ()
    assert complaint_cues("unrefundedly", "en") == ()
    assert complaint_cues("scampi for dinner", "en") == ()  # not « scam »
    assert complaint_cues("refunded", "en") == ("refunded",)


def test_a_cue_inside_a_longer_cue_is_not_repeated() -> None:
    assert complaint_cues("ça ne fonctionne pas", "fr") == ("ne fonctionne pas",)
    assert complaint_cues("fonctionne pas", "fr") == ("fonctionne pas",)
    assert complaint_cues("remboursement, remboursement !", "fr") == ("remboursement",)


def test_links_are_not_read() -> None:
    assert complaint_cues("https://shop.example/refund-policy", "en") == ()
    assert complaint_cues("voir bit.ly/arnaque-colis", "fr") == ()


def test_a_language_code_with_a_region_and_no_language() -> None:
    assert complaint_cues("très déçu", "fr-FR") == ("déçu",)
    assert complaint_cues("very disappointed", "EN") == ("disappointed",)
    # No language: every language's cues.
    assert complaint_cues("très déçu, still waiting", None) == ("déçu", "still waiting")
    # French cues are not read in English texts, and the other way round.
    assert complaint_cues("très déçu", "en") == ()
    assert complaint_cues("still waiting", "fr") == ()


def test_an_unsupported_language_has_no_cues() -> None:
    assert complaint_cues("Ich warte immer noch auf meine Rückerstattung", "de") == ()
    assert complaint_cues("refund", "de") == ()
    assert not is_complaint("refund", "de", "negative")


def test_a_cue_in_a_positive_text_is_not_a_complaint() -> None:
    text = "merci pour le remboursement rapide !"
    assert complaint_cues(text, "fr") == ("remboursement",)
    assert not is_complaint(text, "fr", "positive")
    assert not is_complaint(text, "fr", "neutral")
    assert not is_complaint(text, "fr", None)
    assert is_complaint("toujours pas de remboursement", "fr", "negative")
    assert not is_complaint("ce produit est horrible à voir", "fr", "negative")  # no French cue


@pytest.mark.parametrize("text", ["", "   ", "😡😡😡", "🙏", "👍🏽👍🏽", "…", "!!!"])
def test_empty_and_emoji_only_texts(text: str) -> None:
    assert complaint_cues(text, "fr") == ()
    assert complaint_cues(text, None) == ()
    assert not is_question(text, "fr")
    assert not is_question(text, None)
    assert not is_complaint(text, "fr", "negative")


def test_a_very_long_text_is_read_quickly() -> None:
    sentence = "Bonjour, ma commande n'est toujours pas arrivée, c'est vraiment décevant. "
    text = sentence * 5_000 + "Pourquoi"  # about 370,000 characters
    began = time.perf_counter()
    assert complaint_cues(text, "fr") == ("toujours pas", "pas arrivé", "décevant")
    assert is_question(text, "fr")
    assert not is_question(text[: -len("Pourquoi")], "fr")
    assert time.perf_counter() - began < 5


def test_fold() -> None:
    assert fold("Déçuuu, re-re-rembourseeez") == "decu, re re remboursez"
    assert fold("J’AI ÉTÉ « ARNAQUÉ »") == "j'ai ete « arnaque »"
    assert fold("Cœur") == "coeur"


# -- questions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Vous livrez en Belgique ?", "fr"),
        ("Vous livrez en Belgique？", "fr"),  # a full-width question mark
        ("comment on fait pour retourner un article", "fr"),
        ("Pourquoi ma commande est bloquée depuis 10 jours", "fr"),
        ("Bonjour, est-ce que vous avez la taille M", "fr"),
        ("Bonjour @marque quand est-ce que les soldes commencent", "fr"),
        ("Super produit. Où est-ce qu'on peut l'acheter", "fr"),
        ("Est-ce qu'il reste du stock", "fr"),
        ("Quelle est la date de livraison", "fr"),
        ("Pouvez-vous me rappeler", "fr"),
        ("pouvez vous me rappeler", "fr"),  # no hyphen
        ("Y a-t-il une boutique à Lyon", "fr"),
        ("C’est possible de changer l’adresse", "fr"),  # curly apostrophes
        ("COMMENT ÇA MARCHE", "fr"),
        ("how do I reset my password", "en"),
        ("Hi @brand, when will my order ship", "en"),
        ("Do you ship to Canada", "en"),
        ("Is it waterproof", "en"),
        ("hey can you help me", "en"),
        ("Any update on my order", "en"),
        ("Great post. Where can I buy it\nThanks", "en"),
    ],
)
def test_questions(text: str, language: str) -> None:
    assert is_question(text, language)
    assert is_question(text, None)  # no language: both languages' openers


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Merci pour votre aide", "fr"),
        (
            "Quand je pense que j'ai attendu trois semaines",
            "fr",
        ),  # « quand » alone opens statements
        ("Ou alors vous me remboursez", "fr"),  # « ou » (or) is not « où »
        ("Comment vous dire. C'est nul.", "fr"),  # closed with a full stop
        ("Quelle honte !", "fr"),  # an exclamation
        ("Suivi: https://shop.example/suivi?commande=123", "fr"),  # the ? belongs to the link
        ("voir bit.ly/abc?x=1", "fr"),
        ("What a mess!", "en"),
        ("When I opened the box it was broken", "en"),
        ("I love how soft it is", "en"),  # « how » not at the start of a sentence
        ("Thanks, see www.example.com/faq?lang=en", "en"),
    ],
)
def test_not_questions(text: str, language: str) -> None:
    assert not is_question(text, language)


def test_a_question_mark_right_after_a_link_is_the_writers() -> None:
    assert is_question("Vous avez vu https://exemple.fr/promo?", "fr")
    assert not is_question("Vous avez vu https://exemple.fr/promo?id=3.", "fr")


def test_openers_follow_the_language() -> None:
    assert is_question("pourquoi pas demain", "fr")
    assert not is_question("pourquoi pas demain", "en")
    assert is_question("why not tomorrow", "en")
    assert not is_question("why not tomorrow", "fr")
    # A language without openers: only question marks.
    assert not is_question("warum nicht morgen", "de")
    assert is_question("warum nicht morgen?", "de")
    assert not is_question("why not tomorrow", "de")


# -- validating a cues file ---------------------------------------------------------------------


def test_every_problem_of_a_cues_file_is_reported_at_once() -> None:
    text = """\
fr:
  complaint:
    - remboursement
    - Remboursement
    - "!!!"
    - 42
  question: pourquoi
  greetings: [bonjour]
english:
  complaint: []
  question: []
en:
  question: [how]
"""
    cues, issues = load_cues(text, "cues.yaml")
    found = sorted((i.line, i.field, i.level.value) for i in issues)
    assert found == [
        (4, "fr.complaint", "warning"),
        (5, "fr.complaint", "error"),
        (6, "fr.complaint", "error"),
        (7, "fr.question", "error"),
        (8, "fr.greetings", "error"),
        (9, None, "error"),
        (12, "en", "error"),
    ]
    messages = "\n".join(str(i) for i in issues)
    assert "'Remboursement' is already listed (line 3" in messages
    assert "'!!!' is not a phrase" in messages
    assert "expected a list of phrases" in messages
    assert "did you mean 'greeting'?" in messages
    assert "'english' is not a language" in messages
    assert "missing the 'complaint' list" in messages
    assert cues == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("- fr\n- en\n", "expected a table of languages"),
        ("fr: [remboursement]\n", "expected a table with the lists"),
        ("fr:\n  complaint: [a\n", "not valid YAML"),
    ],
)
def test_a_cues_file_of_the_wrong_shape(text: str, message: str) -> None:
    cues, issues = load_cues(text, "cues.yaml")
    assert cues == {}
    assert message in "\n".join(str(i) for i in issues)


def test_a_valid_file_with_greetings_left_out() -> None:
    cues, issues = load_cues("fr:\n  complaint: [arnaque]\n  question: [pourquoi]\n", "x.yaml")
    assert not issues
    assert cues["fr"].complaint == ("arnaque",)
    assert cues["fr"].greeting == ()
