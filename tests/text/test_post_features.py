"""Deriving a post's quality features from its text, format, language and scores."""

from __future__ import annotations

import math
from textwrap import dedent

import pytest

from cadran.core.errors import DefinitionError
from cadran.core.quality import FEATURES, Outcome, score_post
from cadran.text.post_features import (
    MEDIA_FORMATS,
    CallsToAction,
    default_calls_to_action,
    default_rubric,
    load_calls_to_action,
    media_of,
    normalise_format,
    post_features,
)


class FakeSpelling:
    """Counts the words it was told are wrong."""

    def __init__(self, language: str, wrong: set[str]) -> None:
        self.language = language
        self.wrong = wrong

    def misspelt(self, text: str) -> list[str]:
        return [w for w in text.split() if w in self.wrong]


def features(text: str | None, **kw: object) -> dict[str, object]:
    args: dict[str, object] = {"format": None, "language": None, "readability": None}
    args.update(kw)
    return post_features(
        text,
        args["format"],  # type: ignore[arg-type]
        args["language"],  # type: ignore[arg-type]
        args["readability"],  # type: ignore[arg-type]
        args.get("spelling"),  # type: ignore[arg-type]
    )


def test_every_feature_of_the_vocabulary_is_derived() -> None:
    assert set(features("Hello")) == set(FEATURES)
    assert set(features(None)) == set(FEATURES)


# -- links, tags, mentions, emoji -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Voir https://brand.fr/offre?utm_source=x&b=2.", 1),
        ("www.brand.com and http://x.io", 2),
        ("Short link: bit.ly/3xYz, site brand.fr.", 2),
        ("(lnkd.in/abc) and youtu.be? yes", 2),
        ("Write to contact@brand.fr", 0),
        ("Node.js, e.g. this, or M.Sc. degrees", 0),
        ("", 0),
    ],
)
def test_links(text: str, links: int) -> None:
    assert features(text)["links"] == links


def test_hashtags_mentions_and_emails() -> None:
    f = features("Merci @marie.dupont et @Brand_FR ! #été #SoldesÉté #1 a#b x@y.fr #top10")
    assert f["mentions"] == 2
    assert f["hashtags"] == 3  # #1 holds no letter; a#b is not a hashtag
    assert features("https://brand.fr/page#section")["hashtags"] == 0


@pytest.mark.parametrize(
    ("text", "emoji"),
    [
        ("Super 😍😍", 2),
        ("Bravo 👏🏽", 1),  # a skin tone adds nothing
        ("Famille 👨‍👩‍👧‍👦", 1),  # joined with zero-width joiners
        ("Allez 🇫🇷 !", 1),  # a flag is two regional indicators
        ("Étape 1️⃣ puis ❤️", 2),  # a keycap, a heart with its variation selector
        ("© 2026 Brand™, 3 > 2", 0),
        ("plain ascii :)", 0),
    ],
)
def test_emoji_count_as_people_see_them(text: str, emoji: int) -> None:
    assert features(text)["emoji"] == emoji


# -- layout -----------------------------------------------------------------------------------


def test_lines_paragraphs_and_words() -> None:
    text = dedent(
        """\
        Nouvelle collection : l'été arrive !
        Des pièces légères.

        Découvrez-la sur https://brand.fr — vite.

        #mode #été
        """
    )
    f = features(text)
    assert f["lines"] == 4
    assert f["paragraphs"] == 3  # a block of hashtags is a paragraph too
    assert f["words"] == 7 + 3  # the link, the dash, the colon and the hashtags are no words
    assert f["longest_paragraph"] == 7
    assert f["characters"] == len(text.strip())


def test_blank_lines_with_spaces_still_separate_paragraphs() -> None:
    assert features("One block.\n  \t\nAnother block.")["paragraphs"] == 2
    assert features("One\nblock")["paragraphs"] == 1


def test_capitals_ratio_ignores_tags_and_links() -> None:
    assert features("#BlackFriday HTTPS://BRAND.FR abcd")["caps_ratio"] == 0
    assert features("SOLDES monstres")["caps_ratio"] == pytest.approx(6 / 14)
    assert features("😍 123 !")["caps_ratio"] is None  # no letters: no ratio


def test_questions_are_read_outside_links() -> None:
    assert features("Vous en pensez quoi ?")["question"] is True
    assert features("Voir https://brand.fr/?q=1")["question"] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lien en bio 👆", True),
        ("lien   EN bio", True),
        ("Decouvrez la collection", True),  # typed without its accent
        ("Inscrivez-vous dès maintenant", True),
        ("Shop now!", True),
        ("Don’t miss it", True),  # a typographic apostrophe
        ("link in bio", True),  # French posts borrow English phrases too
        ("We redesigned the shop nowhere else", False),  # whole words only
        ("Une belle journée", False),
    ],
)
def test_calls_to_action(text: str, expected: bool) -> None:
    assert features(text)["call_to_action"] is expected


# -- what the data cannot tell ----------------------------------------------------------------


def test_no_text_leaves_text_features_unknown_but_an_empty_text_gives_zeros() -> None:
    unknown = features(None, format="Photo", readability=70.0)
    text_features = ("links", "hashtags", "words", "paragraphs", "question", "call_to_action")
    assert all(unknown[k] is None for k in text_features)
    assert unknown["media"] is True
    assert unknown["spelling_errors"] is None
    empty = features("", spelling=FakeSpelling("en", set()))
    assert (empty["links"], empty["words"], empty["paragraphs"], empty["lines"]) == (0, 0, 0, 0)
    assert empty["question"] is False
    assert empty["caps_ratio"] is None
    assert empty["spelling_errors"] == 0


@pytest.mark.parametrize(
    ("raw", "normal", "media"),
    [
        ("Photo", "photo", True),
        ("SharedVideo", "sharedvideo", True),
        ("Shared Video", "shared_video", True),
        ("carousel", "carousel", True),
        ("Status", "status", False),
        ("Link", "link", False),
        ("poll", "poll", False),
        ("event", "event", None),
        ("  ", None, None),
        (None, None, None),
    ],
)
def test_formats_and_media(raw: str | None, normal: str | None, media: bool | None) -> None:
    assert normalise_format(raw) == normal
    assert media_of(normal) is media
    assert features("x", format=raw)["media"] is media


def test_the_demo_formats_are_all_recognised() -> None:
    # The demo's formats (sources/demo/platforms.py): text and poll carry no illustration.
    demo = ("text", "image", "video", "carousel", "reel", "story", "short", "live", "article",
            "document", "poll")  # fmt: skip
    assert {f for f in demo if media_of(f) is None} == set()
    assert {f for f in demo if not media_of(f)} == {"text", "poll"}
    assert "image" in MEDIA_FORMATS


def test_spelling_is_counted_with_a_checker_of_the_post_language() -> None:
    check = FakeSpelling("fr", {"erreurr", "fote"})
    assert (
        features("une erreurr et une fote", language="fr", spelling=check)["spelling_errors"] == 2
    )
    assert features("une erreurr", language="fr-FR", spelling=check)["spelling_errors"] == 1
    # A French checker on an English post would count every word: unknown instead.
    assert features("an erreurr", language="en", spelling=check)["spelling_errors"] is None
    assert features("une erreurr", language=None, spelling=check)["spelling_errors"] == 1
    assert features("une erreurr", language="fr", spelling=None)["spelling_errors"] is None


def test_language_and_readability() -> None:
    f = features("x", language="fr_CA", readability=64.2)
    assert (f["language"], f["readability"], f["readability_band"]) == ("fr", 64.2, "standard")
    nan = features("x", language="", readability=math.nan)
    assert (nan["language"], nan["readability"], nan["readability_band"]) == (None, None, None)


# -- the phrase file --------------------------------------------------------------------------


def test_the_shipped_phrases_load_and_cover_both_languages() -> None:
    calls = default_calls_to_action()
    assert {"fr", "en"} <= set(calls.phrases)
    assert "lien en bio" in calls.phrases["fr"]
    assert "link in bio" in calls.phrases["en"]


def test_a_broken_phrase_file_reports_every_problem() -> None:
    text = dedent(
        """\
        fr:
          - lien en bio
          - Lien en Bio
          - 42
        french:
          - découvrez
        en: shop now
        """
    )
    calls, issues = load_calls_to_action(text, "calls.yaml")
    assert calls is None
    assert {(i.level.value, i.line) for i in issues} == {
        ("warning", 3),
        ("error", 4),
        ("error", 5),
        ("error", 7),
    }


def test_a_phrase_file_with_no_phrases_is_refused() -> None:
    assert load_calls_to_action("{}", "calls.yaml")[0] is None
    assert load_calls_to_action("fr: [", "calls.yaml")[0] is None


def test_custom_phrases() -> None:
    calls = CallsToAction({"fr": ("passez en boutique",)})
    assert calls.found("Passez   en boutique !")
    assert not calls.found("Lien en bio")
    f = post_features("Passez en boutique", None, "fr", None, None, calls=calls)
    assert f["call_to_action"] is True


# -- end to end -------------------------------------------------------------------------------


def test_a_post_of_seed_001_scores_its_eleven_points() -> None:
    text = dedent(
        """\
        Notre nouvelle collection est arrivée dans toutes nos boutiques.

        Des pièces légères pensées pour les beaux jours : https://brand.fr/nouveautes

        #printemps #mode
        """
    )
    post = post_features(text, "Photo", "fr", 42.0, FakeSpelling("fr", set()))
    score = score_post(post, default_rubric())
    met = {r.criterion for r in score.results if r.outcome is Outcome.MET}
    assert met == {"proofread", "illustrated", "relevant_links", "good_layout"}
    assert score.points == 11
    assert score.complete


def test_the_default_rubric_is_loaded_once() -> None:
    assert default_rubric() is default_rubric()


def test_a_broken_definition_raises() -> None:
    _, issues = load_calls_to_action("fr: [a]", "calls.yaml")
    with pytest.raises(DefinitionError, match="3 letters or more"):
        issues.raise_if_errors()
