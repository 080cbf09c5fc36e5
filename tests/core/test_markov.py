"""Exact Markov removal effects: hand-worked chains, an exact rational oracle, the fast formula."""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadran.core.attribution import AttributionError
from cadran.core.markov import (
    CONVERSION,
    NULL,
    START,
    MarkovResult,
    RemovalEffect,
    Transitions,
    conversion_probability,
    removal_effects,
    transitions_from_paths,
)

from .formula.strategies import SETTINGS

EXACT = 1e-12


def _effects(result: MarkovResult) -> dict[str, RemovalEffect]:
    return {e.state: e for e in result.effects}


# Three channels, three journeys:
#   A > B   converts (1)
#   A > C   ends without converting (1)
#   C       converts (1)
# Counts: START→A 2, START→C 1, A→B 1, A→C 1, B→CONV 1, C→CONV 1, C→NULL 1.
# Probabilities: START: A 2/3, C 1/3;  A: B 1/2, C 1/2;  B: CONV 1;  C: CONV 1/2, NULL 1/2.
# P(conversion from each state): x_B = 1, x_C = 1/2, x_A = 1/2·1 + 1/2·1/2 = 3/4,
#   x_START = 2/3·3/4 + 1/3·1/2 = 1/2 + 1/6 = 2/3 (the observed 2 conversions in 3 journeys).
# Remove A: x_START = 1/3·1/2 = 1/6                     → RE_A = 1 − (1/6)/(2/3) = 3/4
# Remove B: x_A = 1/2·1/2 = 1/4, x_START = 2/3·1/4 + 1/6 = 1/3  → RE_B = 1 − (1/3)/(2/3) = 1/2
# Remove C: x_A = 1/2·1 = 1/2, x_START = 2/3·1/2 = 1/3  → RE_C = 1/2
# ΣRE = 7/4, so shares A 3/7, B 2/7, C 2/7; 2 conversions → A 6/7, B 4/7, C 4/7.
THREE = [(("A", "B"), 1.0, 0.0), (("A", "C"), 0.0, 1.0), (("C",), 1.0, 0.0)]


def test_three_channel_example_by_hand() -> None:
    t = transitions_from_paths(THREE)
    assert dict(t.counts) == {
        (START, "A"): 2.0,
        (START, "C"): 1.0,
        ("A", "B"): 1.0,
        ("A", "C"): 1.0,
        ("B", CONVERSION): 1.0,
        ("C", CONVERSION): 1.0,
        ("C", NULL): 1.0,
    }
    assert t.states == ("A", "B", "C")
    result = removal_effects(t)
    assert result.probability == pytest.approx(2 / 3, abs=EXACT)
    effects = _effects(result)
    assert [e.state for e in result.effects] == ["A", "B", "C"]
    expected = {"A": (1 / 6, 3 / 4, 3 / 7), "B": (1 / 3, 1 / 2, 2 / 7), "C": (1 / 3, 1 / 2, 2 / 7)}
    for state, (without, effect, share) in expected.items():
        assert effects[state].probability_without == pytest.approx(without, abs=EXACT)
        assert effects[state].effect == pytest.approx(effect, abs=EXACT)
        assert effects[state].share == pytest.approx(share, abs=EXACT)
        assert conversion_probability(t, [state]) == pytest.approx(without, abs=EXACT)
    assert conversion_probability(t) == pytest.approx(2 / 3, abs=EXACT)
    credited = {state: 2 * effects[state].share for state in "ABC"}
    assert credited == pytest.approx({"A": 6 / 7, "B": 4 / 7, "C": 4 / 7}, abs=EXACT)


# The classic example: C1 > C2 > C3 converts, C1 ends in null, C2 > C3 ends in null.
# Counts: START→C1 2, START→C2 1, C1→C2 1, C1→NULL 1, C2→C3 2, C3→CONV 1, C3→NULL 1.
# Probabilities: START: C1 2/3, C2 1/3;  C1: C2 1/2, NULL 1/2;  C2: C3 1;  C3: CONV 1/2, NULL 1/2.
# x_C3 = 1/2, x_C2 = 1/2, x_C1 = 1/2·1/2 = 1/4, x_START = 2/3·1/4 + 1/3·1/2 = 1/3.
# Remove C1: x_START = 1/3·1/2 = 1/6  → RE = 1/2.   Remove C2 or C3: every route to a
# conversion is cut → P = 0, RE = 1.  ΣRE = 5/2: shares 1/5, 2/5, 2/5 of the 1 conversion.
CLASSIC = [(("C1", "C2", "C3"), 1.0, 0.0), (("C1",), 0.0, 1.0), (("C2", "C3"), 0.0, 1.0)]


def test_classic_example_by_hand() -> None:
    result = removal_effects(transitions_from_paths(CLASSIC))
    assert result.probability == pytest.approx(1 / 3, abs=EXACT)
    assert [e.state for e in result.effects] == ["C1", "C2", "C3"]
    got = [(e.probability_without, e.effect, e.share) for e in result.effects]
    expected = [(1 / 6, 1 / 2, 1 / 5), (0.0, 1.0, 2 / 5), (0.0, 1.0, 2 / 5)]
    for row, want in zip(got, expected, strict=True):
        assert row == pytest.approx(want, abs=EXACT)


def test_paths_may_come_aggregated() -> None:
    one_by_one = transitions_from_paths(
        [(("A", "B"), 1, 0), (("A", "B"), 1, 0), (("A", "B"), 0, 1)]
    )
    aggregated = transitions_from_paths([(["A", "B"], 2, 1)])
    assert dict(one_by_one.counts) == dict(aggregated.counts)


def test_self_loops_are_kept_and_change_nothing() -> None:
    looped = transitions_from_paths([(("A", "A", "B"), 1, 0), (("B", "B"), 0, 1), (("A",), 0, 1)])
    plain = transitions_from_paths([(("A", "B"), 1, 0), (("B",), 0, 1), (("A",), 0, 1)])
    assert looped.counts[("A", "A")] == 1.0
    assert looped.counts[("B", "B")] == 1.0
    a, b = removal_effects(looped), removal_effects(plain)
    assert a.probability == pytest.approx(b.probability, abs=EXACT)
    for x, y in zip(a.effects, b.effects, strict=True):
        assert (x.effect, x.share) == pytest.approx((y.effect, y.share), abs=EXACT)


def test_first_order_chain_credits_a_channel_only_seen_on_failed_paths() -> None:
    # C never appears on a converting path, but the chain lets C → B → conversion happen:
    # that is what a first-order model says, so C gets a removal effect.
    result = _effects(
        removal_effects(transitions_from_paths([(("A", "B"), 1, 0), (("C", "B"), 0, 1)]))
    )
    # x_B = 1/2; x_START = 1/2 · 1/2 + 1/2 · 1/2 = 1/2; without C: 1/4 → RE_C = 1/2;
    # likewise RE_A = 1/2, and RE_B = 1.
    assert result["C"].effect == pytest.approx(0.5, abs=EXACT)
    assert result["B"].effect == pytest.approx(1.0, abs=EXACT)


def test_single_channel_always_converting_has_effect_one() -> None:
    result = removal_effects(transitions_from_paths([(("A",), 3, 0), (("A", "A"), 2, 0)]))
    assert result.probability == pytest.approx(1.0, abs=EXACT)
    assert result.effects == (RemovalEffect("A", 0.0, 1.0, 1.0),)


def test_pre_aggregated_counts_and_odd_chains() -> None:
    # X and Y loop on each other forever: a closed class, which would make I − Q singular.
    # D is a dead end (no outgoing transition). Neither can convert, so both have RE 0.
    t = Transitions({
        (START, "A"): 3, (START, "X"): 1, (START, "D"): 1,
        ("A", CONVERSION): 1, ("A", NULL): 1, ("A", "X"): 1,
        ("X", "Y"): 2, ("Y", "X"): 2,
    })  # fmt: skip
    result = removal_effects(t)
    assert result.probability == pytest.approx(3 / 5 * 1 / 3, abs=EXACT)
    effects = _effects(result)
    assert effects["A"].effect == pytest.approx(1.0, abs=EXACT)
    assert (effects["X"].effect, effects["Y"].effect, effects["D"].effect) == (0.0, 0.0, 0.0)
    assert effects["A"].share == 1.0


def test_no_conversion_at_all() -> None:
    result = removal_effects(transitions_from_paths([(("A", "B"), 0, 4)]))
    assert result == MarkovResult(
        0.0, (RemovalEffect("A", 0.0, 0.0, 0.0), RemovalEffect("B", 0.0, 0.0, 0.0))
    )
    assert removal_effects(Transitions({})) == MarkovResult(0.0, ())
    assert conversion_probability(Transitions({})) == 0.0


def test_transitions_are_copied_and_read_only() -> None:
    counts = {(START, "A"): 1.0, ("A", CONVERSION): 1.0}
    t = Transitions(counts)
    counts[("A", NULL)] = 5.0
    assert ("A", NULL) not in t.counts
    with pytest.raises(TypeError):
        t.counts[("A", NULL)] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({(CONVERSION, "A"): 1.0}, "nothing may leave an absorbing state"),
        ({(NULL, "A"): 1.0}, "nothing may leave an absorbing state"),
        ({("A", START): 1.0}, "nothing may lead back into '(start)'"),
        ({(START, "A"): -1.0}, "weight -1.0, expected a finite number >= 0"),
        ({(START, "A"): float("nan")}, "weight nan"),
        ({("A",): 1.0}, "must be a (from, to) pair, got ('A',)"),
    ],
)
def test_bad_transitions(counts: dict[tuple[str, ...], float], message: str) -> None:
    with pytest.raises(AttributionError, match=re.escape(message)):
        Transitions(counts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        ([((), 1.0, 0.0)], "a path has no touch"),
        ([(("A",), -1.0, 0.0)], "'A' has conversions -1.0, expected a finite number >= 0"),
        ([(("A", "B"), 0.0, float("inf"))], "'A > B' has non-conversions inf"),
        ([(("A", NULL), 1.0, 0.0)], "uses the reserved state name '(null)'"),
    ],
)
def test_bad_paths(paths: list[tuple[Sequence[str], float, float]], message: str) -> None:
    with pytest.raises(AttributionError, match=re.escape(message)):
        transitions_from_paths(paths)


# An exact oracle: absorption probabilities with rational arithmetic, written independently of
# the module (value of each state by Gauss-Jordan elimination on Fractions).
def _exact_probability(
    counts: dict[tuple[str, str], int], removed: Collection[str] = ()
) -> Fraction:
    states = sorted({s for key in counts for s in key} - {CONVERSION, NULL} - set(removed))
    totals: dict[str, int] = {}
    for (source, _), w in counts.items():
        totals[source] = totals.get(source, 0) + w
    # Keep the states that can reach a conversion: the others are worth 0, and leaving them in
    # could make the system singular (a closed loop).
    alive = {CONVERSION}
    changed = True
    while changed:
        changed = False
        for (source, target), w in counts.items():
            if w and source in states and target in alive and source not in alive:
                alive.add(source)
                changed = True
    live = [s for s in states if s in alive]
    if START not in live:
        return Fraction(0)
    index = {s: i for i, s in enumerate(live)}
    n = len(live)
    m = [[Fraction(int(i == j)) for j in range(n)] + [Fraction(0)] for i in range(n)]
    for (source, target), w in counts.items():
        if source in index and w:
            p = Fraction(w, totals[source])
            if target == CONVERSION:
                m[index[source]][n] += p
            elif target in index:
                m[index[source]][index[target]] -= p
    for col in range(n):
        pivot = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        m[col] = [v / m[col][col] for v in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col], strict=True)]
    return m[index[START]][n]


@st.composite
def chains(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    """Random pre-aggregated chains: loops, dead ends, unreachable states all allowed."""
    n = draw(st.integers(1, 7))
    names = [f"s{i}" for i in range(n)]
    targets = [*names, CONVERSION, NULL]
    counts: dict[tuple[str, str], int] = {}
    for source in [START, *names]:
        for target in draw(st.lists(st.sampled_from(targets), max_size=5, unique=True)):
            counts[(source, target)] = draw(st.integers(1, 9))
    return counts


@SETTINGS
@given(chains())
def test_fast_removal_matches_direct_solve_and_exact_oracle(
    counts: dict[tuple[str, str], int],
) -> None:
    t = Transitions({k: float(v) for k, v in counts.items()})
    result = removal_effects(t)
    exact = _exact_probability(counts)
    assert result.probability == pytest.approx(float(exact), abs=1e-12)
    assert conversion_probability(t) == pytest.approx(float(exact), abs=1e-12)
    for effect in result.effects:
        direct = conversion_probability(t, [effect.state])
        assert effect.probability_without == pytest.approx(direct, abs=1e-9)
        assert direct == pytest.approx(float(_exact_probability(counts, [effect.state])), abs=1e-12)
        assert 0 <= effect.effect <= 1
        assert 0 <= effect.share <= 1
    shares = sum(e.share for e in result.effects)
    assert shares == pytest.approx(1.0) or shares == 0


channel_paths = st.lists(
    st.tuples(
        st.lists(st.sampled_from("ABCDEF"), min_size=1, max_size=6),
        st.integers(0, 5),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=12,
)


@SETTINGS
@given(channel_paths)
def test_path_chains_match_direct_solve(paths: list[tuple[list[str], int, int]]) -> None:
    t = transitions_from_paths([(p, float(k), float(m)) for p, k, m in paths])
    result = removal_effects(t)
    converting = sum(k for _, k, _ in paths)
    touched = {c for p, k, m in paths if k + m > 0 for c in p}
    assert set(t.states) == touched
    for effect in result.effects:
        assert effect.probability_without == pytest.approx(
            conversion_probability(t, [effect.state]), abs=1e-9
        )
        assert 0 <= effect.effect <= 1
    if converting:
        assert result.probability > 0
        assert sum(e.share for e in result.effects) == pytest.approx(1.0)
        # Every converting route starts with some channel, so some removal must cost something.
        assert max(e.effect for e in result.effects) > 0
    else:
        assert result.probability == 0
        assert all(e.effect == 0 == e.share for e in result.effects)


@SETTINGS
@given(
    channel_paths, st.lists(st.lists(st.sampled_from("XYZ"), min_size=1, max_size=4), max_size=4)
)
def test_channels_cut_off_from_conversions_have_no_effect(
    paths: list[tuple[list[str], int, int]], failed: list[list[str]]
) -> None:
    # X, Y and Z only appear on failed journeys made of X, Y and Z alone: no route from them
    # leads to a conversion, so removing them costs nothing.
    t = transitions_from_paths(
        [(p, float(k), float(m)) for p, k, m in paths] + [(f, 0.0, 1.0) for f in failed]
    )
    effects = _effects(removal_effects(t))
    for channel in {c for f in failed for c in f}:
        assert effects[channel].effect == 0
        assert effects[channel].share == 0


@settings(SETTINGS, max_examples=50)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=5), st.integers(1, 9))
def test_single_channel_converting_always(lengths: list[int], conversions: int) -> None:
    t = transitions_from_paths([(["A"] * n, float(conversions), 0.0) for n in lengths])
    result = removal_effects(t)
    assert result.probability == pytest.approx(1.0, abs=EXACT)
    assert result.effects[0].effect == pytest.approx(1.0, abs=EXACT)
    assert result.effects[0].share == pytest.approx(1.0, abs=EXACT)


def test_a_hundred_and_fifty_dense_states_finish() -> None:
    # Campaign-level chains have a few hundred states; this one is dense-ish (about 25
    # transitions per state). No timing is asserted: it just has to finish and agree.
    rng = random.Random(150)
    names = [f"campaign {i:03d}" for i in range(150)]
    counts: dict[tuple[str, str], float] = {}
    for source in [START, *names]:
        for target in rng.sample(names, 25):
            counts[(source, target)] = float(rng.randint(1, 50))
        if source != START:
            counts[(source, CONVERSION)] = float(rng.randint(0, 5))
            counts[(source, NULL)] = float(rng.randint(1, 40))
    t = Transitions(counts)
    result = removal_effects(t)
    assert len(result.effects) == 150
    assert 0 < result.probability < 1
    assert sum(e.share for e in result.effects) == pytest.approx(1.0)
    for effect in result.effects[::37]:
        assert effect.probability_without == pytest.approx(
            conversion_probability(t, [effect.state]), abs=1e-9
        )
