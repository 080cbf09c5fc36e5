"""Language of short texts: French and English told apart, others flagged."""

from __future__ import annotations

import pytest

from cadran.text.language import LanguageDetector
from cadran.text.sentiment import CadranSentiment

DETECT = LanguageDetector()
WITH_LEXICONS = CadranSentiment()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Commande reçue abîmée, très déçue du service client.", "fr"),
        ("Je ne sais pas quoi en penser", "fr"),
        ("Still waiting for my refund, this is not ok", "en"),
        ("I love it, thanks for the quick delivery!", "en"),
        ("¿Dónde está mi pedido? Gracias", "es"),
        ("Ich habe nichts bekommen, sehr schlecht", "de"),
        ("Não recebi o meu pedido, muito obrigado", "pt"),
        ("Non ho ricevuto niente, grazie mille per niente", "it"),
        ("Ik heb niets ontvangen, dank je", "nl"),
        ("لم أستلم طلبي", "ar"),
        ("Я не получил заказ", "ru"),
        ("注文が届きません", "ja"),
        ("我没有收到订单", "zh"),
    ],
)
def test_languages(text: str, language: str) -> None:
    assert DETECT.detect(text) == language


def test_thin_evidence_is_undetermined() -> None:
    assert DETECT.detect("") is None
    assert DETECT.detect("😍😍") is None
    assert DETECT.detect("12345 !!!") is None
    assert DETECT.detect("Top") is None


def test_an_opinion_word_of_one_lexicon_is_enough() -> None:
    assert WITH_LEXICONS.language("Magnifique 😍") == "fr"
    assert WITH_LEXICONS.language("Gorgeous 😍") == "en"


def test_default_language_fills_in_when_unsure() -> None:
    assert CadranSentiment(default_language="fr").language("12345") == "fr"
