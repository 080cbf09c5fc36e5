"""The content quality rubric: loading (every problem at once), scoring, overrides, unknowns."""

from __future__ import annotations

import math
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cadran
from cadran.core.issues import IssueSet, Level
from cadran.core.quality import (
    FEATURES,
    AnyOf,
    Condition,
    Criterion,
    Kind,
    Outcome,
    Rubric,
    load_rubric,
    readability_band,
    score_post,
)
from cadran.core.quality_loader import load_rubric as load_rubric_direct
from cadran.core.spec import Bilingual

from .formula.strategies import SETTINGS

SHIPPED = Path(cadran.__file__).parent / "definitions" / "quality.yaml"
SEED_POINTS = {"proofread": 1, "illustrated": 5, "relevant_links": 2, "good_layout": 3}


def load(text: str) -> tuple[Rubric | None, IssueSet]:
    return load_rubric(dedent(text), "rubric.yaml")


def located(issues: IssueSet) -> set[tuple[str, int | None, str | None]]:
    return {(i.level.value, i.line, i.field) for i in issues}


@pytest.fixture(scope="module")
def shipped() -> Rubric:
    rubric, issues = load_rubric(SHIPPED.read_text(encoding="utf-8"), str(SHIPPED))
    assert list(issues) == []
    assert rubric is not None
    return rubric


# A post that meets seed 001's four criteria and none of Cadran's additions.
SEED_POST: dict[str, object] = {
    "spelling_errors": 0,
    "media": True,
    "links": 1,
    "characters": 180,
    "longest_paragraph": 25,
    "caps_ratio": 0.04,
    "hashtags": 3,
    "readability": 45.0,
    "readability_band": "difficult",
    "question": False,
    "call_to_action": False,
}


# -- the shipped rubric ---------------------------------------------------------------------


def test_the_shipped_rubric_loads_without_issues(shipped: Rubric) -> None:
    assert shipped.name == Bilingual("Content quality index", "Indice de qualité du contenu")
    assert shipped.file == str(SHIPPED)


def test_the_shipped_rubric_starts_with_the_seed_criteria_and_their_points(shipped: Rubric) -> None:
    first = {c.id: c.points for c in shipped.criteria[:4]}
    assert first == SEED_POINTS
    additions = shipped.criteria[4:]
    assert additions, "Cadran's additions follow the seed's criteria"
    assert all("Cadran" in c.name.en and "Cadran" in c.name.fr for c in additions)
    assert shipped.maximum == 13


def test_the_seed_example_scores_eleven_points(shipped: Rubric) -> None:
    # Seed 001: proofread (+1), illustrated (+5), a link (+2), a good layout (+3).
    score = score_post(SEED_POST, shipped)
    assert score.points == 11
    assert score.complete
    met = {r.criterion for r in score.results if r.outcome is Outcome.MET}
    assert met == set(SEED_POINTS)


def test_the_seed_rubric_alone_gives_eleven_of_eleven(shipped: Rubric) -> None:
    seed_only = Rubric(shipped.name, shipped.criteria[:4])
    score = score_post(SEED_POST, seed_only)
    assert (score.points, score.maximum) == (11, 11)


def test_the_shipped_additions_and_penalty(shipped: Rubric) -> None:
    post = {**SEED_POST, "readability_band": "standard", "question": True}
    assert score_post(post, shipped).points == 13
    stuffed = {**post, "hashtags": 14}
    score = score_post(stuffed, shipped)
    assert score.result("hashtag_stuffing").points == -2
    assert score.result("good_layout").outcome is Outcome.NOT_MET  # more than 5 hashtags
    assert score.points == 13 - 3 - 2


# -- scoring ----------------------------------------------------------------------------------


def test_an_unknown_feature_leaves_its_criterion_unknown_and_says_why(shipped: Rubric) -> None:
    score = score_post({**SEED_POST, "spelling_errors": None}, shipped)
    result = score.result("proofread")
    assert result.outcome is Outcome.UNKNOWN
    assert result.points == 0
    assert result.unknown_features == ("spelling_errors",)
    assert "no spell checker" in result.reason
    assert score.points == 10
    assert not score.complete
    assert "proofread" in score.unknown


def test_absent_and_nan_features_are_unknown(shipped: Rubric) -> None:
    post = {k: v for k, v in SEED_POST.items() if k != "media"}
    assert score_post(post, shipped).result("illustrated").outcome is Outcome.UNKNOWN
    nan = {**SEED_POST, "caps_ratio": math.nan}
    assert score_post(nan, shipped).result("good_layout").outcome is Outcome.UNKNOWN


def test_one_failing_condition_settles_a_criterion_despite_unknown_ones(shipped: Rubric) -> None:
    # caps_ratio unknown, but 9 hashtags already break the layout: not met, not unknown.
    post = {**SEED_POST, "caps_ratio": None, "hashtags": 9}
    result = score_post(post, shipped).result("good_layout")
    assert result.outcome is Outcome.NOT_MET
    assert "hashtags is 9 (needs at most 5)" in result.reason
    assert result.unknown_features == ()


def test_any_needs_one_condition(shipped: Rubric) -> None:
    def outcome(question: object, call: object) -> Outcome:
        post = {**SEED_POST, "question": question, "call_to_action": call}
        return score_post(post, shipped).result("invites_conversation").outcome

    assert outcome(True, False) is Outcome.MET
    assert outcome(None, True) is Outcome.MET
    assert outcome(None, False) is Outcome.UNKNOWN
    assert outcome(False, False) is Outcome.NOT_MET
    reason = score_post(SEED_POST, shipped).result("invites_conversation").reason
    assert reason.startswith("not met: none of: question is false")


def test_overrides_take_precedence(shipped: Rubric) -> None:
    post = {**SEED_POST, "spelling_errors": None}
    score = score_post(post, shipped, {"proofread": True, "relevant_links": False})
    proofread = score.result("proofread")
    assert (proofread.outcome, proofread.points, proofread.overridden) == (Outcome.MET, 1, True)
    assert "team" in proofread.reason
    links = score.result("relevant_links")
    assert (links.outcome, links.points, links.overridden) == (Outcome.NOT_MET, 0, True)
    assert score.points == 11 - 2
    assert score.complete


def test_overrides_of_unknown_criteria_are_reported_not_applied(shipped: Rubric) -> None:
    score = score_post(SEED_POST, shipped, {"old_criterion": True, "illustrated": True})
    assert score.unused_overrides == ("old_criterion",)
    assert score.points == 11


def test_a_manual_criterion_needs_the_team() -> None:
    rubric, issues = load(
        """\
        name: Ours
        criteria:
          - {id: on_brand, name: On brand, points: 4, manual: true}
        """
    )
    assert rubric is not None, list(issues)
    assert rubric.criteria[0].manual
    score = score_post({}, rubric)
    assert score.result("on_brand").outcome is Outcome.UNKNOWN
    assert "judged by the team" in score.result("on_brand").reason
    assert score_post({}, rubric, {"on_brand": True}).points == 4


def test_text_features_compare_without_case() -> None:
    crit = Criterion("photo", Bilingual("p", "p"), 1, (Condition("format", "equals", "Photo"),))
    rubric = Rubric(Bilingual("r", "r"), (crit,))
    assert score_post({"format": "photo"}, rubric).points == 1
    in_crit = Criterion("x", Bilingual("x", "x"), 1, (Condition("language", "in", ("fr", "en")),))
    assert score_post({"language": "EN"}, Rubric(Bilingual("r", "r"), (in_crit,))).points == 1


def test_values_of_the_wrong_kind_are_a_bug_of_the_caller(shipped: Rubric) -> None:
    with pytest.raises(TypeError, match="'links' must be a count"):
        score_post({**SEED_POST, "links": "two"}, shipped)
    with pytest.raises(TypeError, match="'media' must be a flag"):
        score_post({**SEED_POST, "media": 1}, shipped)
    with pytest.raises(TypeError, match="override"):
        score_post(SEED_POST, shipped, {"proofread": 1})  # type: ignore[dict-item]


def test_criterion_and_result_lookups_fail_loudly(shipped: Rubric) -> None:
    assert shipped.criterion("illustrated").points == 5
    with pytest.raises(KeyError):
        shipped.criterion("nope")
    with pytest.raises(KeyError):
        score_post(SEED_POST, shipped).result("nope")


def test_conditions_describe_themselves() -> None:
    assert str(Condition("links", "min", 1.0)) == "links at least 1"
    assert str(Condition("media", "equals", True)) == "media is true"
    check = AnyOf((Condition("question", "equals", True), Condition("hashtags", "max", 5.0)))
    assert str(check) == "any of (question is true; hashtags at most 5)"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (120.0, "very_easy"),
        (90.0, "very_easy"),
        (89.9, "easy"),
        (70.0, "fairly_easy"),
        (60.0, "standard"),
        (59.99, "fairly_difficult"),
        (30.0, "difficult"),
        (-15.0, "very_difficult"),
        (None, None),
        (math.nan, None),
    ],
)
def test_readability_bands(score: float | None, band: str | None) -> None:
    assert readability_band(score) == band


def test_every_feature_has_a_kind_and_a_meaning() -> None:
    assert set(FEATURES) >= {
        "media", "links", "hashtags", "mentions", "emoji", "words", "characters", "lines",
        "paragraphs", "caps_ratio", "readability", "readability_band", "spelling_errors",
        "question", "call_to_action", "format", "language",
    }  # fmt: skip
    for name, feature in FEATURES.items():
        assert feature.name == name and feature.meaning and feature.unknown_when
    assert FEATURES["readability_band"].kind is Kind.TEXT
    assert "standard" in FEATURES["readability_band"].values


feature_values = st.fixed_dictionaries(
    {},
    optional={
        "spelling_errors": st.none() | st.integers(0, 5),
        "media": st.none() | st.booleans(),
        "links": st.none() | st.integers(0, 4),
        "characters": st.none() | st.integers(0, 3000),
        "longest_paragraph": st.none() | st.integers(0, 100),
        "caps_ratio": st.none() | st.floats(0, 1),
        "hashtags": st.none() | st.integers(0, 30),
        "readability_band": st.none() | st.sampled_from(FEATURES["readability_band"].values),
        "question": st.none() | st.booleans(),
        "call_to_action": st.none() | st.booleans(),
    },
)


@SETTINGS
@given(post=feature_values, overrides=st.dictionaries(st.sampled_from(["proofread", "readable"]),
                                                     st.booleans()))  # fmt: skip
def test_scores_stay_within_the_rubric_bounds(
    post: dict[str, object], overrides: dict[str, bool]
) -> None:
    rubric, _ = load_rubric(SHIPPED.read_text(encoding="utf-8"), "quality.yaml")
    assert rubric is not None
    score = score_post(post, rubric, overrides)
    penalties = sum(c.points for c in rubric.criteria if c.points < 0)
    assert penalties <= score.points <= score.maximum
    assert score.points == sum(r.points for r in score.results)
    for r in score.results:
        assert (r.outcome is Outcome.MET) == (r.points == rubric.criterion(r.criterion).points)
        assert r.overridden == (r.criterion in overrides)


def test_a_post_with_nothing_known_scores_nothing(shipped: Rubric) -> None:
    score = score_post({}, shipped)
    assert score.points == 0
    assert set(score.unknown) == {c.id for c in shipped.criteria}


# -- loading ----------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_with_its_line() -> None:
    rubric, issues = load(
        """\
        name: Broken
        criteria:
          - id: tags
            name: Tags
            points: five
            conditions:
              - {feature: hashtag, max: 5}
          - id: tags
            name: Again
            points: 1
            conditions:
              - {feature: links, maximum: 3}
          - id: flags
            name: Flags
            points: 2
            conditions:
              - {feature: media, min: 1}
              - {feature: question, equals: yes please}
              - {feature: readability_band, in: [easy, standart]}
              - {feature: words, min: 10, max: 5}
              - {feature: links, equals: 1, in: [1, 2]}
          - id: nothing
            name: Nothing
            points: 1
          - id: both
            name: Both
            points: 1
            manual: true
            conditions: [{feature: links, min: 1}]
            colour: red
        """
    )
    assert rubric is None
    assert located(issues) == {
        ("error", 5, "points"),
        ("error", 7, "feature"),
        ("error", 8, "id"),
        ("error", 12, "maximum"),
        ("error", 17, "min"),
        ("error", 18, "equals"),
        ("error", 19, "in"),
        ("error", 20, "min"),
        ("error", 21, "in"),
        ("error", 22, "conditions"),
        ("error", 29, "conditions"),
        ("error", 30, "colour"),
    }
    by_line = {i.line: i for i in issues}
    assert "must be a number" in by_line[5].message
    assert "unknown feature 'hashtag'" in by_line[7].message
    assert by_line[7].hint == "did you mean 'hashtags'?"
    assert "duplicate criterion id 'tags' (first on line 3)" in by_line[8].message
    assert by_line[12].hint == "did you mean 'max'?"
    assert "does not apply to 'media'" in by_line[17].message
    assert "true or false" in by_line[18].message
    assert by_line[19].hint == "did you mean 'standard'?"
    assert "min above max" in by_line[20].message
    assert "only min and max go together" in by_line[21].message
    assert "has no conditions" in by_line[22].message
    assert "manual" in by_line[29].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the rubric file is empty"),
        ("- a\n- b\n", "a rubric file must be a mapping"),
        ("name: X\n", "the rubric has no 'criteria'"),
        ("name: X\ncriteria: []\n", "the rubric has no criteria"),
        ("criteria:\n  - {id: a, name: A, points: 1, manual: true}\n", "has no 'name'"),
        ("name: X\ncriteria: {a: 1}\n", "must be a list"),
        ("name: [unclosed\n", "not valid YAML"),
        ("name: X\ncriteria:\n  - {id: A-1, name: A, points: 1, manual: true}\n", "snake_case"),
        ("name: X\ncriteria:\n  - {id: a, name: A, points: .inf, manual: true}\n", "finite"),
        (
            "name: X\ncriteria:\n  - {id: a, name: A, points: 1, conditions: [{any: []}]}\n",
            "needs at least one condition",
        ),
        (
            "name: X\ncriteria:\n  - {id: a, name: A, points: 1, conditions: [{feature: links}]}\n",
            "needs one of min, max, equals, in",
        ),
        (
            "name: X\ncriteria:\n  - {id: a, name: A, points: 1, conditions: [{feature: format,"
            " in: []}]}\n",
            "non-empty list",
        ),
        (
            "name: X\ncriteria:\n  - {id: a, name: A, points: 1, conditions: "
            "[{any: [{feature: links, min: 1}], feature: media}]}\n",
            "'any' stands alone",
        ),
    ],
)
def test_file_level_problems(text: str, message: str) -> None:
    rubric, issues = load_rubric(text, "rubric.yaml")
    assert rubric is None
    assert any(message in str(i) for i in issues.errors), [str(i) for i in issues]


def test_warnings_do_not_stop_loading() -> None:
    rubric, issues = load(
        """\
        name: Penalties only
        criteria:
          - {id: stuffing, name: Stuffing, points: -2, conditions: [{feature: hashtags, min: 11}]}
          - {id: idle, name: Idle, points: 0, conditions: [{feature: links, min: 1}]}
        """
    )
    assert rubric is not None
    assert {i.level for i in issues} == {Level.WARNING}
    assert located(issues) == {("warning", 1, None), ("warning", 4, "points")}
    assert rubric.maximum == 0


def test_a_full_rubric_loads_into_the_model() -> None:
    rubric, issues = load(
        """\
        name: {en: Ours, fr: La nôtre}
        description: Our grid
        criteria:
          - id: short_and_tagged
            name: Short and tagged
            description: {en: Short posts with a tag, fr: Des posts courts avec un tag}
            points: 1.5
            conditions:
              - {feature: characters, min: 10, max: 280}
              - {feature: format, in: [Photo, video]}
              - any:
                  - {feature: hashtags, min: 1}
                  - {feature: mentions, min: 1}
        """
    )
    assert list(issues) == []
    assert rubric is not None
    assert rubric.name == Bilingual("Ours", "La nôtre")
    assert rubric.description == Bilingual("Our grid", "Our grid")
    (crit,) = rubric.criteria
    assert crit.points == 1.5
    assert crit.description == Bilingual("Short posts with a tag", "Des posts courts avec un tag")
    assert crit.conditions == (
        Condition("characters", "min", 10.0),
        Condition("characters", "max", 280.0),
        Condition("format", "in", ("Photo", "video")),
        AnyOf((Condition("hashtags", "min", 1.0), Condition("mentions", "min", 1.0))),
    )
    post = {"characters": 100, "format": "photo", "hashtags": 0, "mentions": 2}
    assert score_post(post, rubric).points == 1.5


def test_the_wrapper_and_the_loader_agree() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert load_rubric(text, "q.yaml")[0] == load_rubric_direct(text, "q.yaml")[0]
