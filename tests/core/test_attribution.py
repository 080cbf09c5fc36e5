"""Rule-based attribution models, model parsing and the reference attributor."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadran.core.attribution import (
    MODEL_NAMES,
    AttributionError,
    AttributionModel,
    Credit,
    Journey,
    attribute,
    parse_model,
    parse_models,
    touch_weights,
)
from cadran.core.errors import UsageError

from .formula.strategies import SETTINGS

EXACT = 1e-12
HEURISTICS = [AttributionModel(name) for name in MODEL_NAMES if name != "markov"]
ALL_MODELS = [AttributionModel(name) for name in MODEL_NAMES]


def _weights(name: str, ages: list[float], **params: float) -> tuple[float, ...]:
    return touch_weights(AttributionModel(name, **params), ages)


# --- touch weights, worked by hand --------------------------------------------------------


def test_first_last_and_linear_weights() -> None:
    ages = [9.0, 4.0, 1.0, 0.0]
    assert _weights("first_touch", ages) == (1.0, 0.0, 0.0, 0.0)
    assert _weights("last_touch", ages) == (0.0, 0.0, 0.0, 1.0)
    assert _weights("linear", ages) == (0.25, 0.25, 0.25, 0.25)
    for name in MODEL_NAMES[:-1]:
        assert _weights(name, [3.0]) == (1.0,)
        assert _weights(name, []) == ()


def test_time_decay_weights() -> None:
    # Half-life 7 days, touches 14, 7 and 0 days before the conversion:
    # 2^(−14/7) = 1/4, 2^(−7/7) = 1/2, 2^0 = 1; total 7/4 → 1/7, 2/7, 4/7.
    assert _weights("time_decay", [14, 7, 0]) == pytest.approx((1 / 7, 2 / 7, 4 / 7), abs=EXACT)
    # Only differences matter (the reference's "day 1 → 1, day 8 → 0.5, day 15 → 0.25"):
    assert _weights("time_decay", [15, 8, 1]) == pytest.approx((1 / 7, 2 / 7, 4 / 7), abs=EXACT)
    # Fractional days: 10.5 and 3.5 days → 2^(−1.5) : 2^(−0.5) = 1 : 2 → 1/3, 2/3.
    assert _weights("time_decay", [10.5, 3.5]) == pytest.approx((1 / 3, 2 / 3), abs=EXACT)
    # Half-life 3.5 days, touches 7 and 0 days before: 2^(−2) : 1 = 1 : 4 → 1/5, 4/5.
    assert _weights("time_decay", [7, 0], half_life_days=3.5) == pytest.approx((0.2, 0.8))
    # Touches on the same day share equally.
    assert _weights("time_decay", [2, 2]) == (0.5, 0.5)


def test_time_decay_does_not_underflow_for_old_journeys() -> None:
    # 2^(−5000/1) underflows to 0.0; measuring from the newest touch keeps a 1 : 2 ratio.
    assert _weights("time_decay", [5001, 5000], half_life_days=1) == pytest.approx((1 / 3, 2 / 3))


def test_position_based_weights() -> None:
    assert _weights("position_based", [0]) == (1.0,)  # one touch takes it all
    assert _weights("position_based", [3, 0]) == (0.5, 0.5)  # 40 : 40 rescaled to 50 : 50
    # Three touches: 40 % first, the 20 % middle to the single middle touch, 40 % last.
    assert _weights("position_based", [5, 3, 0]) == pytest.approx((0.4, 0.2, 0.4), abs=EXACT)
    # Five touches: 40 %, then 20 % / 3 = 6.67 % for each of the three middle touches, 40 %.
    five = _weights("position_based", [9, 7, 5, 3, 0])
    assert five == pytest.approx((0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4), abs=EXACT)
    # 30/40/30 over four touches: 0.3, 0.2, 0.2, 0.3.
    custom = AttributionModel("position_based", first_share=0.3, last_share=0.3)
    assert touch_weights(custom, [3, 2, 1, 0]) == pytest.approx((0.3, 0.2, 0.2, 0.3), abs=EXACT)
    # 60/20/20 with two touches: 60 : 20 rescaled → 0.75, 0.25.
    skewed = AttributionModel("position_based", first_share=0.6, last_share=0.2)
    assert touch_weights(skewed, [1, 0]) == pytest.approx((0.75, 0.25), abs=EXACT)
    # 0/100/0: with two touches there is no proportion to keep, so 50/50.
    middle_only = AttributionModel("position_based", first_share=0, last_share=0)
    assert touch_weights(middle_only, [1, 0]) == (0.5, 0.5)
    assert touch_weights(middle_only, [2, 1, 0]) == (0.0, 1.0, 0.0)


def test_markov_has_no_per_touch_weights() -> None:
    with pytest.raises(AttributionError, match="'markov' has no per-touch weights"):
        touch_weights(AttributionModel("markov"), [1.0])


@pytest.mark.parametrize("age", [-0.5, math.nan, math.inf])
def test_bad_ages(age: float) -> None:
    with pytest.raises(AttributionError, match=re.escape(f"touch age {age!r} days: expected")):
        touch_weights(AttributionModel("linear"), [1.0, age])


# --- the attributor, worked by hand -------------------------------------------------------

# Two converting journeys and one that does not convert:
#   A > B > A, 14, 7 and 0 days before, 3 conversions worth 90
#   C > B,     1 and 0 days before,     1 conversion worth 10
#   C,         no conversion
_C = 2 ** (-1 / 7) / (1 + 2 ** (-1 / 7))  # C's time-decay share of the second journey
JOURNEYS = [
    Journey(("A", "B", "A"), (14.0, 7.0, 0.0), 3.0, 90.0),
    Journey(("C", "B"), (1.0, 0.0), 1.0, 10.0),
    Journey(("C",), (0.0,), 0.0, 0.0),
]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        # First touch: A gets 3 / 90, C gets 1 / 10.
        ("first_touch", {"A": (3, 90), "B": (0, 0), "C": (1, 10)}),
        # Last touch: A (last of the first journey) 3 / 90, B 1 / 10.
        ("last_touch", {"A": (3, 90), "B": (1, 10), "C": (0, 0)}),
        # Linear: A collects two thirds of the first journey (2 / 60), B one third (1 / 30)
        # plus half the second (0.5 / 5), C half the second (0.5 / 5).
        ("linear", {"A": (2, 60), "B": (1.5, 35), "C": (0.5, 5)}),
        # Time decay: first journey 1/7, 2/7, 4/7 → A 5/7 · (3, 90), B 2/7 · (3, 90);
        # second: 2^(−1/7) and 1 → C share c = 2^(−1/7)/(1 + 2^(−1/7)), B 1 − c.
        (
            "time_decay",
            {
                "A": (15 / 7, 450 / 7),
                "B": (6 / 7 + (1 - _C), 180 / 7 + 10 * (1 - _C)),
                "C": (_C, 10 * _C),
            },
        ),
        # Position based: first journey 0.4, 0.2, 0.4 → A 0.8 · (3, 90) = (2.4, 72),
        # B 0.2 · (3, 90) = (0.6, 18); second 50/50 → B + (0.5, 5), C (0.5, 5).
        ("position_based", {"A": (2.4, 72), "B": (1.1, 23), "C": (0.5, 5)}),
    ],
)  # fmt: skip
def test_attribute_by_hand(model: str, expected: dict[str, tuple[float, float]]) -> None:
    credits = attribute(JOURNEYS, AttributionModel(model))
    assert list(credits) == ["A", "B", "C"]
    for channel, (conversions, value) in expected.items():
        assert credits[channel].conversions == pytest.approx(conversions, abs=EXACT)
        assert credits[channel].value == pytest.approx(value, rel=EXACT, abs=EXACT)


def test_attribute_markov_by_hand() -> None:
    # The three-channel chain of test_markov: A > B converts (worth 30), A > C does not,
    # C converts (worth 40). Removal effects 3/4, 1/2, 1/2 → shares 3/7, 2/7, 2/7 of the
    # 2 conversions and the value of 70: A (6/7, 30), B (4/7, 20), C (4/7, 20).
    journeys = [
        Journey(("A", "B"), (2.0, 1.0), 1.0, 30.0),
        Journey(("A", "C"), (2.0, 1.0), 0.0, 0.0),
        Journey(("C",), (0.0,), 1.0, 40.0),
    ]
    credits = attribute(journeys, AttributionModel("markov"))
    assert credits["A"].conversions == pytest.approx(6 / 7, abs=EXACT)
    assert credits["B"].conversions == pytest.approx(4 / 7, abs=EXACT)
    assert credits["C"].conversions == pytest.approx(4 / 7, abs=EXACT)
    assert {c: credits[c].value for c in "ABC"} == pytest.approx({"A": 30, "B": 20, "C": 20})


def test_channels_of_failed_journeys_are_listed_with_zero_credit() -> None:
    credits = attribute([Journey(("A",), (0.0,), 1.0, 5.0), Journey(("Z",), (0.0,), 0.0, 0.0)],
                        AttributionModel("linear"))  # fmt: skip
    assert credits == {"A": Credit(1.0, 5.0), "Z": Credit(0.0, 0.0)}
    markov = attribute([Journey(("Z",), (0.0,), 0.0, 0.0)], AttributionModel("markov"))
    assert markov == {"Z": Credit(0.0, 0.0)}
    assert attribute([], AttributionModel("markov")) == {}


def test_converting_journey_without_touch_is_refused() -> None:
    journeys = [Journey((), (), 2.0, 20.0)]
    for model in ALL_MODELS:
        with pytest.raises(AttributionError, match=re.escape("2 conversion(s) has no touch")):
            attribute(journeys, model)
    # A journey without touch and without conversion carries nothing: it is skipped.
    assert attribute([Journey((), (), 0.0, 0.0)], AttributionModel("markov")) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((("A", "B"), (1.0,), 1.0, 1.0), "journey has 2 touches but 1 ages: expected one age"),
        ((("A",), (-1.0,), 1.0, 1.0), "touch age -1.0 days: expected a finite number >= 0"),
        ((("A",), (1.0,), -1.0, 0.0), "journey conversions -1.0: expected a finite number >= 0"),
        ((("A",), (1.0,), 1.0, math.nan), "journey value nan: expected a finite number"),
        ((("A",), (1.0,), 0.0, 5.0), "journey without conversions has value 5.0: expected 0"),
    ],
)
def test_bad_journeys(
    args: tuple[tuple[str, ...], tuple[float, ...], float, float], message: str
) -> None:
    with pytest.raises(AttributionError, match=re.escape(message)):
        Journey(*args)


# --- models and parsing -------------------------------------------------------------------


def test_labels() -> None:
    assert AttributionModel("time_decay").label == "Time decay (half-life 7 d)"
    assert (
        AttributionModel("time_decay", half_life_days=3.5).label == "Time decay (half-life 3.5 d)"
    )
    assert AttributionModel("position_based").label == "Position based (40/20/40)"
    assert parse_model("position_based:30/40/30").label == "Position based (30/40/30)"
    assert parse_model("position:33.3/33.4/33.3").label == "Position based (33.3/33.4/33.3)"
    names = ("first_touch", "last_touch", "linear", "markov")
    assert [AttributionModel(n).label for n in names] == [
        "First touch", "Last touch", "Linear", "Markov (removal effect)",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("linear", AttributionModel("linear")),
        ("  Last-Touch ", AttributionModel("last_touch")),
        ("FIRST", AttributionModel("first_touch")),
        ("first click", AttributionModel("first_touch")),
        ("last", AttributionModel("last_touch")),
        ("u-shaped", AttributionModel("position_based")),
        ("Position", AttributionModel("position_based")),
        ("data-driven", AttributionModel("markov")),
        ("time_decay", AttributionModel("time_decay", half_life_days=7.0)),
        ("time-decay:3.5", AttributionModel("time_decay", half_life_days=3.5)),
        ("position_based:30/40/30", AttributionModel("position_based", 7.0, 0.3, 0.3)),
        ("position_based: 50 / 0 / 50", AttributionModel("position_based", 7.0, 0.5, 0.5)),
    ],
)
def test_parse_model(text: str, expected: AttributionModel) -> None:
    assert parse_model(text) == expected


def test_default_half_life_applies_to_time_decay_only() -> None:
    assert parse_model("time_decay", half_life_days=2) == AttributionModel("time_decay", 2.0)
    assert parse_model("time_decay:5", half_life_days=2) == AttributionModel("time_decay", 5.0)
    assert parse_model("linear", half_life_days=2) == AttributionModel("linear")


def test_parse_models() -> None:
    assert parse_models("all") == tuple(ALL_MODELS)
    assert parse_models(" ALL ", half_life_days=3)[3] == AttributionModel("time_decay", 3.0)
    assert parse_models("linear, last, linear, last_touch, time_decay:3, time_decay") == (
        AttributionModel("linear"),
        AttributionModel("last_touch"),
        AttributionModel("time_decay", 3.0),
        AttributionModel("time_decay", 7.0),
    )
    assert parse_models("markov,all")[:2] == (
        AttributionModel("markov"),
        AttributionModel("first_touch"),
    )
    assert len(parse_models("markov,all")) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("shapley", "unknown attribution model 'shapley': expected one of first_touch, last_touch, "
                    "linear, time_decay, position_based, markov (aliases: data_driven, first, "),
        ("time_decay:0", "time-decay half-life must be a finite number of days > 0, got 0.0"),
        ("time_decay:-2", "half-life must be a finite number of days > 0, got -2.0"),
        ("time_decay:soon", "days in 'time_decay:soon': expected a number, got 'soon'"),
        ("time_decay:inf", "expected a finite number, got 'inf'"),
        ("position_based:40/40", "position-based parameter '40/40': expected first/middle/last"),
        ("position_based:50/10/50", "must be >= 0 and add up to 100, got a total of 110"),
        ("position_based:60/-20/60", "must be >= 0 and add up to 100, got a total of 100"),
        ("position_based:a/b/c", "in 'position_based:a/b/c': expected a number, got 'a'"),
        ("linear:3", "attribution model 'linear' takes no parameter, got '3'"),
    ],
)  # fmt: skip
def test_parse_model_errors(text: str, message: str) -> None:
    with pytest.raises(AttributionError, match=re.escape(message)):
        parse_model(text)


def test_parse_models_errors() -> None:
    with pytest.raises(AttributionError, match=re.escape("markov or 'all' (aliases:")):
        parse_models("linear, nope")
    with pytest.raises(AttributionError, match=re.escape("empty model name in 'linear,,last'")):
        parse_models("linear,,last")
    with pytest.raises(AttributionError, match="no attribution model given: expected 'all'"):
        parse_models("  ")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "shapley"}, "unknown attribution model 'shapley': expected one of first_touch"),
        ({"name": "time_decay", "half_life_days": 0.0},
         "half-life must be a finite number of days > 0, got 0.0"),
        ({"name": "time_decay", "half_life_days": math.nan}, "days > 0, got nan"),
        ({"name": "position_based", "first_share": 0.7, "last_share": 0.4},
         "first and last shares add up to 1.1, expected at most 1 (got 0.7 and 0.4)"),
        ({"name": "position_based", "first_share": -0.1},
         "first-touch share must lie in [0, 1], got -0.1"),
        ({"name": "position_based", "last_share": 1.5},
         "last-touch share must lie in [0, 1], got 1.5"),
    ],
)  # fmt: skip
def test_bad_models(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AttributionError, match=re.escape(message)):
        AttributionModel(**kwargs)  # type: ignore[arg-type]


def test_error_is_a_usage_error_and_a_value_error() -> None:
    with pytest.raises(UsageError):
        parse_model("nope")
    with pytest.raises(ValueError, match="nope"):
        parse_model("nope")


# --- properties -----------------------------------------------------------------------------

ages_lists = st.lists(st.floats(0, 400, allow_nan=False), max_size=12).map(
    lambda ages: sorted(ages, reverse=True)  # chronological: the oldest touch first
)
models = st.one_of(
    st.sampled_from(HEURISTICS),
    st.builds(AttributionModel, st.just("time_decay"), st.floats(0.01, 100)),
    st.tuples(st.integers(0, 100), st.integers(0, 100))
    .filter(lambda fl: fl[0] + fl[1] <= 100)
    .map(lambda fl: AttributionModel("position_based", 7.0, fl[0] / 100, fl[1] / 100)),
)


@SETTINGS
@given(models, ages_lists)
def test_weights_are_a_distribution(model: AttributionModel, ages: list[float]) -> None:
    weights = touch_weights(model, ages)
    assert len(weights) == len(ages)
    assert all(w >= 0 for w in weights)
    if ages:
        assert math.fsum(weights) == pytest.approx(1.0, abs=1e-12)


@SETTINGS
@given(st.floats(0.01, 100), ages_lists)
def test_time_decay_favours_recent_touches(half_life: float, ages: list[float]) -> None:
    weights = touch_weights(AttributionModel("time_decay", half_life), ages)
    # Ages decrease along the journey, so weights must not decrease.
    assert all(a <= b for a, b in itertools.pairwise(weights))


@st.composite
def journeys(draw: st.DrawFn) -> Journey:
    touches = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=7))
    ages = sorted(draw(st.lists(st.floats(0, 90), min_size=len(touches), max_size=len(touches))),
                  reverse=True)  # fmt: skip
    conversions = draw(st.sampled_from([0.0, 0.0, 1.0, 2.0, 0.5, 3.0]))
    value = draw(st.floats(0, 1000)) if conversions else 0.0
    return Journey(tuple(touches), tuple(ages), conversions, value)


@SETTINGS
@given(st.lists(journeys(), max_size=15), st.one_of(models, st.just(AttributionModel("markov"))))
def test_credits_add_up_to_the_totals(batch: list[Journey], model: AttributionModel) -> None:
    credits = attribute(batch, model)
    total_conversions = math.fsum(j.conversions for j in batch)
    total_value = math.fsum(j.value for j in batch)
    assert set(credits) == {t for j in batch for t in j.touches}
    assert math.fsum(c.conversions for c in credits.values()) == pytest.approx(
        total_conversions, rel=1e-9
    )
    assert math.fsum(c.value for c in credits.values()) == pytest.approx(total_value, rel=1e-9)
    assert all(c.conversions >= 0 for c in credits.values())


def test_position_based_takes_default_shares_unless_given_its_own() -> None:
    # The workspace's [attribution] position_based reaches every spelling, aliases included;
    # an explicit parameter still wins.
    for text in ("position_based", "position", "u-shaped"):
        model = parse_model(text, shares=(0.3, 0.5))
        assert (model.first_share, model.last_share) == (0.3, 0.5)
    given = parse_model("position:20/60/20", shares=(0.3, 0.5))
    assert (given.first_share, given.last_share) == (0.2, 0.2)
    assert parse_models("all", shares=(0.3, 0.5))[4].first_share == 0.3
