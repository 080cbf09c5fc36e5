"""The default sentiment method, as users meet it: any text gives an opinion, never an error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadran.text.opinion import LABELS
from cadran.text.parallel import score_all
from cadran.text.sentiment import VERSION, CadranSentiment

METHOD = CadranSentiment()
BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    ("text", "label", "language"),
    [
        ("I absolutely love this, thank you so much!", "positive", "en"),
        ("Worst customer service ever, still no refund.", "negative", "en"),
        ("Merci beaucoup, c'est magnifique, j'adore !", "positive", "fr"),
        ("Colis perdu, service client injoignable, c'est inadmissible.", "negative", "fr"),
    ],
)
def test_clear_opinions(text: str, label: str, language: str) -> None:
    opinion = METHOD.opinion(text)
    assert (opinion.label, opinion.language) == (label, language)
    assert opinion.method.startswith(VERSION)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # What a brand's page receives: questions, litotes, negated complaints.
        ("Vous livrez en Belgique ?", "neutral"),
        ("Bonjour, à quelle heure ouvrez-vous ?", "neutral"),
        ("Pas mal du tout", "positive"),
        ("Je ne suis pas déçu", "positive"),
        ("Pas de souci, merci", "positive"),
        ("Super service, merci !", "positive"),
        ("Toujours pas reçu ma commande, c'est inadmissible", "negative"),
        # "calamiteux" is in no training text and not in the lexicon: its vector tells.
        ("Une livraison calamiteuse", "negative"),
    ],
)
def test_french_brand_comments(text: str, label: str) -> None:
    opinion = METHOD.opinion(text)
    assert (opinion.label, opinion.language) == (label, "fr")


def test_french_brand_comments_of_the_val_split() -> None:
    # The model was chosen with this split (never trained on it): a floor against regressions.
    # The shipped model gives 0.7909 (0.8251 before the word vectors, 0.569 before the brand
    # comments were added).
    sys.path.insert(0, str(BENCH))
    try:
        import sentiment_accuracy
        import sentiment_corpora
    finally:
        sys.path.remove(str(BENCH))
    val = sentiment_corpora.brand("val")
    labels = [o.label or "neutral" for o in METHOD.opinions(val.texts, ["fr"] * len(val.texts))]
    assert sentiment_accuracy.macro_f1(val.labels, labels, LABELS) >= 0.78


def test_empty_and_blank_texts_are_not_scored() -> None:
    for text in ("", "   ", "\n", "12 345", "..."):
        opinion = METHOD.opinion(text)
        assert opinion.label is None
        assert opinion.score is None


def test_emoji_only_texts_are_scored_by_their_emoji() -> None:
    assert METHOD.opinion("😍😍😍").label == "positive"
    assert METHOD.opinion("😡").label == "negative"
    assert METHOD.opinion("😍").method == f"{VERSION}/emoji"


def test_other_languages_are_flagged_not_scored() -> None:
    opinion = METHOD.opinion("¿Dónde está mi pedido? Es muy malo")
    assert opinion.language == "es"
    assert opinion.label is None


def test_undetermined_language_is_scored_only_when_every_language_agrees() -> None:
    assert METHOD.opinion("Top 🔥").label == "positive"
    assert METHOD.opinion("Top 🔥").language is None


def test_given_language_skips_detection() -> None:
    assert METHOD.opinions(["super"], ["fr"])[0].method == f"{VERSION}/fr-linear"
    assert METHOD.opinions(["super"], ["en"])[0].method == f"{VERSION}/en-rules"


def test_very_long_and_mixed_language_texts() -> None:
    long_text = "C'est vraiment génial, merci ! " * 5000  # 155,000 characters
    assert METHOD.opinion(long_text).label == "positive"
    mixed = "Super produit, I love it, merci beaucoup et thanks a lot"
    opinion = METHOD.opinion(mixed)
    assert opinion.language in ("fr", "en")
    assert opinion.label == "positive"


def test_batches_agree_with_single_texts() -> None:
    texts = ["J'adore", "bof", "I hate waiting", "", "😍", "Hola amigo, ¿qué tal?"]
    assert METHOD.opinions(texts) == [METHOD.opinion(t) for t in texts]


def test_process_parallel_scoring_gives_the_same_opinions() -> None:
    texts = [
        f"Commande {i} reçue, merci !" if i % 2 else f"Order {i} never arrived" for i in range(9000)
    ]
    parallel = score_all(texts, workers=2)
    assert parallel == score_all(texts, workers=1)
    assert parallel[0].label == "negative"
    assert parallel[1].label == "positive"


def test_parallel_scoring_keeps_languages_order_and_reports_progress() -> None:
    texts = ["Super, merci !", "Awful, never again", "", "😍", "Hola amigo", "bof"] * 2000
    languages = ["fr", None, None, None, "es", None] * 2000
    seen: list[tuple[int, int]] = []
    parallel = score_all(
        texts, languages, default_language="fr", workers=3, progress=lambda *p: seen.append(p)
    )
    assert parallel == CadranSentiment("fr").opinions(texts, languages)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (len(texts), len(texts))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_valid_opinion(text: str) -> None:
    opinion = METHOD.opinion(text)
    if opinion.label is None:
        assert opinion.score is None
    else:
        assert opinion.label in LABELS
        assert opinion.score is not None
        assert -1 <= opinion.score <= 1
