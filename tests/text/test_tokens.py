"""Tokens of social-media text: kinds, placeholders, elision, elongation, emoji."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cadran.text.tokens import fold, scan, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.key) for t in tokenize(text)]


def test_placeholders_for_links_and_handles() -> None:
    assert kinds("vu sur http://x.co/a?b=1 par @marie_l") == [
        ("word", "vu"),
        ("word", "sur"),
        ("url", "<url>"),
        ("word", "par"),
        ("user", "<user>"),
    ]
    # DEFT masks links as a bare "http"; VADER's tweets as http://url_removed.
    assert kinds("lien http")[1] == ("url", "<url>")


def test_french_elision_is_a_token_of_its_own() -> None:
    assert kinds("l'été qu’il n'aime") == [
        ("elision", "l'"),
        ("word", "ete"),
        ("elision", "qu'"),
        ("word", "il"),
        ("elision", "n'"),
        ("word", "aime"),
    ]
    assert kinds("aujourd'hui peut-être")[0] == ("word", "aujourd'hui")
    assert kinds("don't")[0] == ("word", "don't")


def test_elongated_words_are_cut_to_two_letters_and_marked() -> None:
    token = tokenize("NUUUUL")[0]
    assert token.key == "nuul"
    assert token.elongated
    assert token.shouted
    assert not tokenize("Nul")[0].shouted


def test_emoji_modifiers_are_dropped_and_emoticons_kept() -> None:
    assert kinds("👍🏽❤️ :-) <3 :'( D:") == [
        ("emoji", "👍"),
        ("emoji", "❤"),
        ("emoticon", ":-)"),
        ("emoticon", "<3"),
        ("emoticon", ":'("),
        ("emoticon", "D:"),
    ]


def test_hashtags_read_as_words_and_punctuation_is_classified() -> None:
    assert kinds("#génial !!! ?? ...") == [
        ("word", "genial"),
        ("punct", "!"),
        ("punct", "?"),
        ("punct", "."),
    ]


def test_fold_removes_accents_only() -> None:
    assert fold("déçue") == "decue"
    assert fold("Œuvre") == "Œuvre".replace("Œ", "Œ")  # a ligature is not an accent
    assert fold("plain") == "plain"


@given(st.text())
def test_any_text_tokenizes(text: str) -> None:
    for token in tokenize(text):
        assert token.kind in {
            "url",
            "user",
            "emoticon",
            "emoji",
            "elision",
            "word",
            "number",
            "punct",
        }
        assert token.key


# Characters whose tokens depend on what stands next to them (look-arounds of the pattern).
_NEIGHBOURS = [*":;=8()[]/\\|'’-_^<3@#.!?xXdDhtpsw0éa😍🏽\ufe0f", "http", "www.", "qu'"]
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def test_every_whitespace_separates_pieces_as_the_pattern_does() -> None:
    # tokenize reads whitespace-separated pieces one at a time (and remembers them); scan
    # reads the whole text in one pass: they must agree, whatever the whitespace.
    for space in [*_SPACES, "\u200b", "\u200d", "\ufeff"]:
        text = space.join(["l'", ":)", "@marie", "http", "xD", "D:", "été", "#top", "<3", "!!"])
        assert tokenize(text) == scan(text), repr(space)


@given(
    st.lists(st.sampled_from([*_NEIGHBOURS, *_SPACES[:8], "  ", "\u00a0", "\u3000"]), max_size=12)
)
def test_reading_piece_by_piece_equals_one_pass(parts: list[str]) -> None:
    text = "".join(parts)
    assert tokenize(text) == scan(text)
    assert tokenize(text) == scan(text)  # a second time, from remembered pieces


@given(st.text())
def test_reading_any_text_piece_by_piece_equals_one_pass(text: str) -> None:
    assert tokenize(text) == scan(text)
